import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { inject } from 'vitest';
import type { ExportFilters } from '../../domain/api/exports.schemas.js';
import type { ExportCrs, ExportEncoding, ExportFormat, ExportLayer } from '../../domain/exports/export-kinds.js';
import { exportStamp } from '../../domain/exports/export-names.js';
import { Scope } from '../../server/auth/scope.js';
import type { ExportJobContext } from '../../server/exports/export-writer.js';
import { gdalConnection } from '../../server/imports/gdal.js';
import type { TestApp } from './test-app.js';

/**
 * An export job as the exports service would hand it to a writer, for testing a writer directly:
 * the scope of a real account (by username), an empty folder of its own, GDAL's connection to the
 * run's database. `progress` calls are collected in `progressSeen`.
 */
export async function exportContext(testApp: TestApp, job: {
  layer: ExportLayer; format: ExportFormat; username?: string; crs?: ExportCrs; encoding?: ExportEncoding; filters?: ExportFilters; signal?: AbortSignal;
}): Promise<ExportJobContext & { progressSeen: number[] }> {
  const username = job.username ?? 'admin';
  const { rows: [user] } = await sql<{ id: number }>`SELECT id FROM users WHERE username = ${username}`.execute(testApp.database.db);
  if (!user) throw new Error(`no account ${username}`);
  const principal = await testApp.app.usersRepository.principal(user.id);
  if (!principal) throw new Error(`no principal for ${username}`);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-export-test-'));
  const progressSeen: number[] = [];
  return {
    id: randomUUID(),
    layer: job.layer,
    format: job.format,
    crs: job.crs ?? 'gauss-kruger',
    encoding: job.encoding ?? 'GBK',
    filters: job.filters ?? {},
    scope: Scope.of(principal),
    actor: { username: principal.username, displayName: principal.displayName },
    directory,
    app: testApp.app,
    gdal: gdalConnection(inject('databaseUrl')),
    progress: (fraction) => { progressSeen.push(fraction); },
    signal: job.signal ?? new AbortController().signal,
    stamp: exportStamp(new Date()),
    progressSeen,
  };
}
