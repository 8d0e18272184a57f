/**
 * `npm run bench:export`: 1 M parcels leave the product (issue 14, item 5).
 *
 * Over the 1 M-parcel bench city of `npm run bench:tiles` (database `biaotu_bench_tiles`, same seed;
 * seeded here when missing), it exports every parcel to a zipped Shapefile and to a GeoPackage
 * through the real writer (extent and zone choice, the longest texts for the DBF widths, ogr2ogr with progress (GBK, rewritten in UTF-8 only if GDAL cannot convert a text), the zip),
 * sampling Node's RSS every 50 ms, and times a bare `ogr2ogr` of the same SELECT from the same
 * database in the same run. Target: writer ≤ 1.2 × bare ogr2ogr, Node's peak RSS < 300 MB.
 * Figures go to bench-results/export.json and export.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppInstance } from '../server/app-instance.js';
import { Scope } from '../server/auth/scope.js';
import { createDistrictsRepository } from '../server/districts/districts.repository.js';
import { MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { REPOSITORY_ROOT } from '../server/config.js';
import { connectDatabase, ensureDatabaseExists } from '../server/db/database.js';
import { applyMigrations } from '../server/db/migrate.js';
import { DEMO_SEED, loadDistricts, loadGeneratedParcels } from '../server/demo/demo-city.js';
import type { ExportJobContext } from '../server/exports/export-writer.js';
import { createGeodataExportsRepository } from '../server/exports/geodata.repository.js';
import { parcelsQuery, selectSql } from '../server/exports/geodata.sql.js';
import { geodataWriter } from '../server/exports/writers/geodata.js';
import { dbfFieldNames } from '../domain/exports/dbf-field-names.js';
import { exportStamp } from '../domain/exports/export-names.js';
import { gdalConnection } from '../server/imports/gdal.js';

const PARCELS = 1_000_000;
const DATABASE = 'biaotu_bench_tiles';

const prepared = await prepareDatabase({ databaseName: 'biaotu' });
const baseUrl = prepared.url.replace(/\/[^/]+$/, '');
await ensureDatabaseExists(baseUrl, DATABASE);
const ownerUrl = `${baseUrl}/${DATABASE}`;
const owner = connectDatabase(ownerUrl, 4);
await applyMigrations(owner.pool, MIGRATIONS_DIRECTORY, () => undefined);
if ((await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM districts')).rows[0].n === 0) await loadDistricts(owner.pool);
const { rows: [{ n: existing }] } = await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM parcels');
if (existing !== PARCELS) {
  console.log(`seeding ${PARCELS.toLocaleString('en')} parcels (seed ${DEMO_SEED}) …`);
  await loadGeneratedParcels(owner.pool, { count: PARCELS, seed: DEMO_SEED, actor: 'bench:export' });
  // Seeding leaves hundreds of MB in this process: measure in a fresh one, so the peak RSS is the writer's.
  await owner.pool.query('VACUUM ANALYZE parcels');
  await owner.close();
  const rerun = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  prepared.cluster?.stop();
  process.exit(rerun.status ?? 1);
}
await owner.pool.query('VACUUM ANALYZE parcels');

const gdal = gdalConnection(ownerUrl);
const scope = Scope.system();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-bench-export-'));

/** Peak RSS of this process while `run` runs, sampled every 50 ms. */
async function measured<T>(run: () => Promise<T>): Promise<{ seconds: number; peakRssMb: number; value: T }> {
  global.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 50);
  const started = performance.now();
  try {
    const value = await run();
    return { seconds: (performance.now() - started) / 1000, peakRssMb: Math.max(peak, process.memoryUsage.rss()) / 2 ** 20, value };
  } finally {
    clearInterval(timer);
  }
}

async function throughWriter(format: 'shapefile' | 'gpkg') {
  const directory = fs.mkdtempSync(path.join(work, `${format}-`));
  let lastProgress = 0;
  const job: ExportJobContext = {
    id: `bench-${format}`, layer: 'parcels', format, crs: 'gauss-kruger', encoding: 'GBK', filters: {}, scope,
    actor: { username: 'bench', displayName: 'bench' }, directory,
    // The writer reaches the database through app.db and the districts repository (the file name's place) only.
    app: { db: owner.db, districtsRepository: createDistrictsRepository(owner.db) } as unknown as AppInstance,
    gdal, progress: (fraction) => { lastProgress = fraction; }, signal: new AbortController().signal, stamp: exportStamp(new Date()),
  };
  const result = await measured(() => geodataWriter(format)(job));
  if (!result.value.ok) throw new Error(result.value.message);
  const bytes = fs.statSync(result.value.file).size;
  const figures = { seconds: result.seconds, peakRssMb: result.peakRssMb, rows: result.value.rowCount, bytes, crs: result.value.crs, lastProgress };
  fs.rmSync(directory, { recursive: true, force: true });
  return figures;
}

/** The writer's own statement (same names, same DBF text widths), timed bare; the widths are measured untimed. */
async function bare(format: 'shapefile' | 'gpkg') {
  const query = parcelsQuery({}, scope);
  const names = format === 'shapefile' ? dbfFieldNames(query.fields, 'GBK').map((name) => name.name) : query.fields.map((field) => field.name);
  const widths = format === 'shapefile'
    ? new Map((await createGeodataExportsRepository(owner.db).extent(query, true)).textBytes.map((measured) => [measured.key, measured.gbk]))
    : undefined;
  const statement = selectSql(query, names, 4527, widths);
  const target = path.join(work, format === 'shapefile' ? 'bare.shp' : 'bare.gpkg');
  const options = format === 'shapefile' ? ['-lco', 'ENCODING=LDID/77'] : ['-gt', '65536'];
  const started = performance.now();
  const result = spawnSync('ogr2ogr', ['-f', format === 'shapefile' ? 'ESRI Shapefile' : 'GPKG', target, gdal.dataset, '-sql', statement, '-nln', 'parcels', '-nlt', 'MULTIPOLYGON', '-a_srs', 'EPSG:4527', ...options], { env: { ...process.env, ...gdal.env } });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(result.stderr.toString());
  const bytes = fs.readdirSync(work).filter((entry) => entry.startsWith('bare.')).reduce((sum, entry) => sum + fs.statSync(path.join(work, entry)).size, 0);
  for (const entry of fs.readdirSync(work).filter((name) => name.startsWith('bare.'))) fs.rmSync(path.join(work, entry));
  return { seconds, bytes };
}

const report: Record<string, unknown> = { parcels: PARCELS, at: new Date().toISOString(), cpus: os.cpus().length, loadAverage: os.loadavg() };
const lines = ['# Export benchmark (1 M parcels)', '', `Run ${report.at} on ${os.cpus().length} CPUs (load ${os.loadavg().map((value) => value.toFixed(1)).join(' / ')}).`, '',
  '| format | writer (s) | bare ogr2ogr (s) | ratio | Node peak RSS (MB) | file (MB) |', '|---|---|---|---|---|---|'];
for (const format of ['shapefile', 'gpkg'] as const) {
  console.log(`bare ogr2ogr → ${format} …`);
  const floor = await bare(format);
  console.log(`  ${floor.seconds.toFixed(1)} s`);
  console.log(`writer → ${format} …`);
  const writer = await throughWriter(format);
  console.log(`  ${writer.seconds.toFixed(1)} s, peak RSS ${writer.peakRssMb.toFixed(0)} MB`);
  const ratio = writer.seconds / floor.seconds;
  report[format] = { writer, bare: floor, ratio, targetRatio: 1.2, targetPeakRssMb: 300, meetsTargets: ratio <= 1.2 && writer.peakRssMb < 300 };
  lines.push(`| ${format} | ${writer.seconds.toFixed(1)} | ${floor.seconds.toFixed(1)} | ${ratio.toFixed(2)} | ${writer.peakRssMb.toFixed(0)} | ${(writer.bytes / 2 ** 20).toFixed(0)} |`);
}
lines.push('', 'The writer includes the extent (zone choice) and the longest texts (DBF widths) in one cheap pass (labelled codes measured from their labels, free texts by two integer maxima), ogr2ogr with -progress (reading through a one-layer VRT that states the row count, so GDAL runs no count(*) of the statement first) and, for the Shapefile, the field-name sheet and the zip (deflate level 1, 8 MiB chunks deflated four at once).',
  'Bare ogr2ogr runs the same SELECT with the same output options, without progress or zip. Targets: ratio ≤ 1.2, Node peak RSS < 300 MB.', '');
const out = path.join(REPOSITORY_ROOT, 'bench-results');
fs.mkdirSync(out, { recursive: true });
// Each run goes on top; the runs before it stay below (export.json keeps the runs, newest first).
const jsonFile = path.join(out, 'export.json');
const earlierRuns = (() => {
  if (!fs.existsSync(jsonFile)) return [];
  const earlier = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { runs?: unknown[] };
  return earlier.runs ?? [earlier];
})();
fs.writeFileSync(jsonFile, `${JSON.stringify({ runs: [report, ...earlierRuns] }, null, 2)}\n`);
const mdFile = path.join(out, 'export.md');
const earlierMd = fs.existsSync(mdFile) ? fs.readFileSync(mdFile, 'utf8').replace(/^# Export benchmark \(1 M parcels\)\n+/, '') : '';
fs.writeFileSync(mdFile, `${lines.join('\n')}\n## Earlier runs\n\n${earlierMd.replace(/^## Earlier runs\n\n/m, '').replace(/^Run /, '### Run ')}`);
console.log(lines.join('\n'));
fs.rmSync(work, { recursive: true, force: true });
await owner.close();
prepared.cluster?.stop();
