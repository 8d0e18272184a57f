import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import type pg from 'pg';
import { REPOSITORY_ROOT, type Settings } from './config.js';
import type { DatabaseClient } from './db/database.js';
import { auditRoutes } from './admin/audit.routes.js';
import { adminUsersRoutes } from './admin/users.routes.js';
import { authPlugin } from './auth/auth.plugin.js';
import { authRoutes } from './auth/auth.routes.js';
import { districtsRoutes } from './districts/districts.routes.js';
import { registerErrorHandler } from './errors.js';
import { healthRoutes } from './health/health.routes.js';
import { importsRoutes } from './imports/imports.routes.js';
import { createImportService, type ImportService } from './imports/imports.service.js';
import { parcelsRoutes } from './parcels/parcels.routes.js';
import { settingsRoutes } from './settings/settings.routes.js';
import { surveyRoutes } from './survey/survey.routes.js';
import { glyphsRoutes } from './tiles/glyphs.routes.js';
import { TileCache, type Bounds } from './tiles/tile-cache.js';
import { tilesRoutes } from './tiles/tiles.routes.js';
import { checksRoutes } from './checks/checks.routes.js';
import { areasRoutes } from './areas/areas.routes.js';
import { createTileService, type TileService } from './tiles/tile-service.js';
import { TileStore } from './tiles/tile-store.js';

export type AppInstance = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    db: DatabaseClient;
    pool: pg.Pool;
    settings: Settings;
    importService: ImportService;
    notifications: EventEmitter;
    tileCache: TileCache;
    tileStore: TileStore;
    tiles: TileService;
  }
}

export interface AppOptions {
  db: DatabaseClient;
  pool: pg.Pool;
  settings: Settings;
  logger?: boolean | object;
  /** The built client (vite build). Served at `/` when present. */
  clientDirectory?: string;
  /** The connection GDAL uses to load imports into staging (the application's role). */
  gdal: { url: string; role?: string };
}

export async function buildApp(options: AppOptions): Promise<AppInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.settings.bodyLimitBytes,
    trustProxy: options.settings.trustProxy,
    // Request ids appear in 5xx bodies and in the audit log, so support can find the request.
    genReqId: () => randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', options.db);
  app.decorate('pool', options.pool);
  // One connection per server listens for changes made by anyone (migrations 0009, 0011).
  const notifications = new EventEmitter();
  const listener = await options.pool.connect();
  listener.on('notification', (message) => notifications.emit(message.channel, message.payload ?? ''));
  await listener.query('LISTEN tile_changes');
  await listener.query('LISTEN session_changes');
  app.decorate('notifications', notifications);
  app.decorate('settings', options.settings);
  registerErrorHandler(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY } });
  if (options.settings.corsOrigins.length > 0) {
    await app.register(fastifyCors, { origin: options.settings.corsOrigins, credentials: true });
  }
  await app.register(fastifyRateLimit, { global: false });
  await app.register(authPlugin);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '标图建库 API',
        description: '低效用地数据库: districts, parcels, vector tiles. Areas are ellipsoidal (CGCS2000), in m².',
        version: '1.0.0',
      },
      tags: [
        { name: 'system', description: '系统' },
        { name: 'districts', description: '行政区' },
        { name: 'parcels', description: '地块' },
        { name: 'tiles', description: '矢量瓦片' },
        { name: 'checks', description: '成片改造区域政策校验与规则集' },
        { name: 'areas', description: '成片改造区域' },
        { name: 'auth', description: '登录与账号' },
        { name: 'admin', description: '用户管理与审计' },
        { name: 'imports', description: '数据导入' },
      ],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(adminUsersRoutes);
  await app.register(auditRoutes);
  await app.register(settingsRoutes);
  await app.register(districtsRoutes);
  await app.register(parcelsRoutes);
  await app.register(checksRoutes);
  await app.register(areasRoutes);
  const tileCache = new TileCache(options.settings.tileCacheBytes);
  const tileStore = new TileStore(options.pool, (message, error) => app.log.error({ err: error }, message));
  app.decorate('tileCache', tileCache);
  app.decorate('tileStore', tileStore);
  void tileStore.loadKeys().catch((error: unknown) => app.log.error({ err: error }, 'could not read the persistent tile cache keys'));
  app.decorate('tiles', createTileService({
    pool: options.pool, cache: tileCache, store: tileStore, maxTileBytes: options.settings.tileMaxBytes, storeMinMs: options.settings.tileStoreMinMs, gzipLevel: options.settings.tileGzipLevel,
    log: (message, details) => app.log.error(details, message),
  }));
  // Every change to parcels or survey layers, from any process, reaches the cache (migration 0009).
  notifications.on('tile_changes', (payload: string) => {
    const change = JSON.parse(payload) as { layer: string; all?: boolean; bounds?: Bounds };
    if (change.layer === '*') tileCache.clear();
    else if (change.all || !change.bounds) tileCache.invalidateLayer(change.layer);
    else tileCache.invalidate(change.layer, [change.bounds]);
  });
  app.addHook('onClose', async () => {
    await tileStore.flush();
    await listener.query('UNLISTEN *').catch(() => undefined);
    listener.release();
  });
  await app.register(tilesRoutes);
  const importService = createImportService({
    db: options.db, pool: options.pool, directory: options.settings.importDirectory,
    databaseUrl: options.gdal.url, databaseRole: options.gdal.role, maxUploadBytes: options.settings.importMaxBytes,
    log: (message, error) => app.log.error({ err: error }, message),
  });
  app.decorate('importService', importService);
  await app.register(importsRoutes, { service: importService });
  await app.register(surveyRoutes);
  await app.register(glyphsRoutes);

  const clientDirectory = options.clientDirectory ?? path.join(REPOSITORY_ROOT, 'client', 'dist');
  if (fs.existsSync(path.join(clientDirectory, 'index.html'))) {
    await app.register(fastifyStatic, { root: clientDirectory, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  return app;
}

/**
 * Scripts only from our own origin. Raster basemaps (天地图 or another the user sets in 设置) come
 * from any https origin, hence https: for images and fetches. Element Plus and ECharts set inline
 * styles, hence 'unsafe-inline' for styles only; MapLibre may start blob: workers.
 */
const CONTENT_SECURITY_POLICY: Record<string, string[] | null> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
  connectSrc: ["'self'", 'https:'],
  workerSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  // Off: the product is often served over plain http inside a government intranet.
  upgradeInsecureRequests: null,
};
