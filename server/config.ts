import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DOCUMENT_MAX_MB } from '../domain/documents.js';

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Settings {
  port: number;
  host: string;
  /** Optional raster basemap (e.g. 天地图 with a key); the map works without one. */
  basemapUrl: string | null;
  bodyLimitBytes: number;
  /** Sliding lifetime of a login session. */
  sessionHours: number;
  /** Consecutive failed logins before the account locks, and for how long. */
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Login attempts per IP per minute (rate limit, before any password check). */
  loginRateLimitPerMinute: number;
  /**
   * The public 招商地图 (/api/public/zhaoshang/…), per client address: reads (plots, details,
   * photos, outlines) per minute, and 意向 submitted per hour.
   */
  zhaoshangReadsPerMinute: number;
  zhaoshangInquiriesPerHour: number;
  /** Origins allowed by CORS; empty = closed. */
  corsOrigins: string[];
  /**
   * Where browsers reach the server (`https://gis.example.gov.cn`, or with a path prefix), for the
   * few answers that must name an absolute URL (TileJSON tile URLs). Null: they are root-relative
   * (`/tiles/…`); the Host header of a request is never echoed.
   */
  publicUrl: string | null;
  /** Honour X-Forwarded-* from a reverse proxy (for Secure cookies behind TLS termination). */
  trustProxy: boolean;
  /** Where uploads are unpacked and read: the only folder imports write to. */
  importDirectory: string;
  /** Largest upload accepted. */
  importMaxBytes: number;
  /**
   * Days an import may wait for confirmation before it is cancelled and its staging dropped, and
   * days the files of an ended import (committed, refused, failed, cancelled) are kept.
   */
  importRetentionDays: number;
  /** Free disk space (bytes) uploads and their unpacking must leave; below it they are refused (507). */
  importDiskReserveBytes: number;
  /** 一地一档: largest document accepted per upload (DOCUMENT_MAX_BYTES, default 20 MB); the bytes are kept in the database. */
  documentMaxBytes: number;
  /** Where export jobs write their files (a folder per job): the only folder exports write to. */
  exportDirectory: string;
  /** Hours a finished export's file is kept for download; then housekeeping removes it. */
  exportRetentionHours: number;
  /** Export jobs written at once (each may run ogr2ogr or Chromium); the others wait their turn. */
  exportConcurrency: number;
  /** Memory for encoded tiles (LRU). */
  tileCacheBytes: number;
  /** Largest tile served, gzipped (the cap is enforced by thinning). */
  tileMaxBytes: number;
  /** Only tiles slower than this to render are kept in the persistent cache (ms). */
  tileStoreMinMs: number;
  /** zlib level of tiles (1 fastest … 9 smallest). */
  tileGzipLevel: number;
  /** Longest wait for a database connection (ms): then 503 with Retry-After. */
  databaseConnectTimeoutMs: number;
  /** Longest wait for a query's answer, client side (ms): a hung database gives 503 after this, not a hung request. */
  databaseQueryTimeoutMs: number;
  /** Database pools by request class (server/db/pools.ts): connections and statement timeout of each. */
  databasePools: Record<RequestClass, PoolSettings>;
  /** Expensive routes (`config.heavy`: checks, area saves, geometry edits): limits per user. */
  heavyRequests: {
    /** Requests of one user running at once; one more is refused with 429. */
    concurrentPerUser: number;
    /** Requests of one user per minute (a bucket refilled evenly; bursts up to this number). */
    perMinutePerUser: number;
    /**
     * Largest JSON body of these routes. 100 000 vertices (the cap of every geometry input) take
     * about 4 MB as JSON at full precision; a larger body is refused from its Content-Length,
     * before it is read and parsed.
     */
    bodyLimitBytes: number;
  };
}

/**
 * What a request does to the database, which decides its pool and its statement timeout:
 * `light` tiles, health and session lookups; `interactive` every other read and write; `heavy`
 * policy checks (overlays of a boundary with parcels and areas); `bulk` imports.
 */
export type RequestClass = 'light' | 'interactive' | 'heavy' | 'bulk';

export interface PoolSettings {
  connections: number;
  /** Longest statement (ms) before PostgreSQL cancels it (SQLSTATE 57014); 0 = no limit. */
  statementTimeoutMs: number;
}

/** The product's data folder (`.data/`, or BIAOTU_DATA_DIR). */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.BIAOTU_DATA_DIR ? path.resolve(env.BIAOTU_DATA_DIR) : path.join(REPOSITORY_ROOT, '.data');
}

function publicUrlOf(raw: string | undefined): string | null {
  if (!raw?.trim()) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute http(s) URL such as https://gis.example.gov.cn, got "${raw}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new Error(`PUBLIC_URL must be an http(s) URL without query, fragment or credentials, got "${raw}"`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function nonNegativeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be 0 or a positive number, got "${raw}"`);
  return value;
}

/** DB_POOL_<CLASS> connections and DB_TIMEOUT_<CLASS>_MS statement timeout, with their defaults. */
function poolSettings(env: NodeJS.ProcessEnv, name: string, connections: number, statementTimeoutMs: number): PoolSettings {
  return {
    connections: Math.round(positiveNumber(env, `DB_POOL_${name}`, connections)),
    statementTimeoutMs: Math.round(nonNegativeNumber(env, `DB_TIMEOUT_${name}_MS`, statementTimeoutMs)),
  };
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    basemapUrl: env.BASEMAP_URL?.trim() || null,
    bodyLimitBytes: positiveNumber(env, 'BODY_LIMIT_BYTES', 10 * 1024 * 1024),
    sessionHours: positiveNumber(env, 'SESSION_HOURS', 12),
    loginMaxFailures: positiveNumber(env, 'LOGIN_MAX_FAILURES', 5),
    loginLockMinutes: positiveNumber(env, 'LOGIN_LOCK_MINUTES', 15),
    loginRateLimitPerMinute: positiveNumber(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 30),
    zhaoshangReadsPerMinute: Math.round(positiveNumber(env, 'ZHAOSHANG_READS_PER_MINUTE', 240)),
    zhaoshangInquiriesPerHour: Math.round(positiveNumber(env, 'ZHAOSHANG_INQUIRIES_PER_HOUR', 10)),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    publicUrl: publicUrlOf(env.PUBLIC_URL),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    importDirectory: env.IMPORT_DIRECTORY ? path.resolve(env.IMPORT_DIRECTORY) : path.join(dataDirectory(env), 'imports'),
    importMaxBytes: positiveNumber(env, 'IMPORT_MAX_BYTES', 1024 ** 3),
    importRetentionDays: positiveNumber(env, 'IMPORT_RETENTION_DAYS', 7),
    importDiskReserveBytes: positiveNumber(env, 'IMPORT_DISK_RESERVE_BYTES', 1024 ** 3),
    documentMaxBytes: Math.round(positiveNumber(env, 'DOCUMENT_MAX_BYTES', DEFAULT_DOCUMENT_MAX_MB * 1024 * 1024)),
    exportDirectory: env.EXPORT_DIRECTORY ? path.resolve(env.EXPORT_DIRECTORY) : path.join(dataDirectory(env), 'exports'),
    exportRetentionHours: positiveNumber(env, 'EXPORT_RETENTION_HOURS', 24),
    exportConcurrency: Math.max(1, Math.round(positiveNumber(env, 'EXPORT_CONCURRENCY', 2))),
    tileCacheBytes: positiveNumber(env, 'TILE_CACHE_BYTES', 256 * 1024 * 1024),
    tileMaxBytes: positiveNumber(env, 'TILE_MAX_BYTES', 500 * 1024),
    tileStoreMinMs: Math.max(0, Number(env.TILE_STORE_MIN_MS ?? 10) || 0),
    tileGzipLevel: Math.min(9, Math.max(1, Math.round(Number(env.TILE_GZIP_LEVEL ?? 1)) || 1)),
    databaseConnectTimeoutMs: positiveNumber(env, 'DB_CONNECT_TIMEOUT_MS', 5_000),
    databaseQueryTimeoutMs: positiveNumber(env, 'DB_QUERY_TIMEOUT_MS', 10_000),
    databasePools: {
      light: poolSettings(env, 'LIGHT', 8, 5_000),
      // Below the client-side answer wait (DB_QUERY_TIMEOUT_MS, 10 s), so a slow read is PostgreSQL's timeout, not an outage.
      interactive: poolSettings(env, 'INTERACTIVE', 16, 8_000),
      // Each check keeps one core busy: about half the cores, so the rest serve tiles and reads.
      heavy: poolSettings(env, 'HEAVY', Math.max(2, Math.floor(os.availableParallelism() / 2)), 20_000),
      bulk: poolSettings(env, 'BULK', 4, 0),
    },
    heavyRequests: {
      concurrentPerUser: Math.round(positiveNumber(env, 'HEAVY_CONCURRENT_PER_USER', 2)),
      perMinutePerUser: positiveNumber(env, 'HEAVY_PER_MINUTE_PER_USER', 240),
      bodyLimitBytes: positiveNumber(env, 'HEAVY_BODY_LIMIT_BYTES', 6 * 1024 * 1024),
    },
  };
}
