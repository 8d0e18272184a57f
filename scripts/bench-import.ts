import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Readable } from 'node:stream';
import { MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { REPOSITORY_ROOT, dataDirectory } from '../server/config.js';
import { connectDatabase, dropDatabase, ensureDatabaseExists } from '../server/db/database.js';
import { applyMigrations } from '../server/db/migrate.js';
import { gdalConnection } from '../server/imports/gdal.js';
import { createImportService } from '../server/imports/imports.service.js';
import { loadDistricts } from '../server/demo/demo-city.js';
import type { Principal } from '../server/auth/principal.js';

/**
 * bench:import — a generated N-polygon DLTB shapefile (GBK, EPSG:4527) through the full import
 * (read, validate, area, commit), against a bare `ogr2ogr -f PostgreSQL` load of the same file on
 * the same database. Figures go to bench-results/import.json and import.md.
 */
const { values } = parseArgs({ options: { features: { type: 'string', default: '1000000' }, 'keep-database': { type: 'boolean', default: false } } });
const count = Number(values.features);
const work = path.join(dataDirectory(), 'bench-import');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
// The generated file is kept between runs (same feature count, same bytes): generating a million 图斑 takes minutes.
const cache = path.join(dataDirectory(), 'bench-import-cache');
const cachedZip = path.join(cache, `dltb-${count}.zip`);

// First: on a fresh machine this installs PostgreSQL, PostGIS and GDAL, which generating the file needs.
const prepared = await prepareDatabase({ databaseName: 'biaotu' });
const shapefile = path.join(work, 'DLTB.shp');
const zip = path.join(work, 'dltb.zip');
if (fs.existsSync(cachedZip)) {
  fs.copyFileSync(cachedZip, zip);
  console.log(`${count.toLocaleString()} 图斑 from ${cachedZip}`);
} else {
  console.log(`generating ${count.toLocaleString()} 图斑 …`);
  const generated = Date.now();
  const geojsonl = path.join(work, 'dltb.geojsonl');
  const out = fs.createWriteStream(geojsonl);
  const names = ['工业用地', '物流仓储用地', '城镇住宅用地', '空闲地', '商业服务业设施用地', '水田', '乔木林地', '公路用地'];
  const codes = ['0601', '0508', '0701', '1201', '05H1', '0101', '0301', '1003'];
  const side = Math.ceil(Math.sqrt(count));
  for (let index = 0; index < count; index++) {
    const lon = 117.95 + (index % side) * (0.4 / side);
    const lat = 24.45 + Math.floor(index / side) * (0.4 / side);
    const size = (0.4 / side) * 0.9;
    const ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size * 0.8], [lon + size * 0.1, lat + size], [lon, lat]];
    const kind = index % codes.length;
    const line = JSON.stringify({ type: 'Feature', properties: { BSM: String(350200000000 + index), DLBM: codes[kind], DLMC: names[kind], QSDWMC: '厦门市湖里区禾山街道', ZLDWMC: '厦门市湖里区禾山街道', TBMJ: 0, SJNF: 2023 }, geometry: { type: 'Polygon', coordinates: [ring] } });
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', shapefile, geojsonl, '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4527', '-lco', 'ENCODING=CP936', '-nln', 'DLTB']);
  fs.rmSync(path.join(work, 'DLTB.cpg'));
  fs.rmSync(geojsonl);
  execFileSync('python3', ['-m', 'zipfile', '-c', zip, ...['shp', 'shx', 'dbf', 'prj'].map((extension) => path.join(work, `DLTB.${extension}`))]);
  console.log(`generated in ${((Date.now() - generated) / 1000).toFixed(1)} s, zip ${(fs.statSync(zip).size / 1e6).toFixed(1)} MB`);
  fs.mkdirSync(cache, { recursive: true });
  fs.copyFileSync(zip, cachedZip);
}
// The bare load reads the same shapefile unpacked (GDAL's fastest case).
execFileSync('python3', ['-m', 'zipfile', '-e', zip, work]);

const baseUrl = prepared.url.replace(/\/[^/]+$/, '');
const databaseName = 'biaotu_bench_import';
await dropDatabase(baseUrl, databaseName);
await ensureDatabaseExists(baseUrl, databaseName);
const ownerUrl = `${baseUrl}/${databaseName}`;
const owner = connectDatabase(ownerUrl, 2);
await applyMigrations(owner.pool, MIGRATIONS_DIRECTORY, () => undefined);
await loadDistricts(owner.pool);

// The floor: GDAL alone, straight into a table.
const loadBefore = os.loadavg()[0];
const bareStart = Date.now();
const ownerGdal = gdalConnection(ownerUrl);
const bare = spawnSync('ogr2ogr', ['-f', 'PostgreSQL', ownerGdal.dataset, shapefile, '-nln', 'bare_load', '-lco', 'GEOMETRY_NAME=geom', '-lco', 'SPATIAL_INDEX=NONE', '-nlt', 'MULTIPOLYGON', '-s_srs', 'EPSG:4527', '-t_srs', 'EPSG:4490', '-oo', 'ENCODING=CP936', '--config', 'PG_USE_COPY', 'YES'], { encoding: 'utf8', env: { ...process.env, ...ownerGdal.env } });
const bareSeconds = (Date.now() - bareStart) / 1000;
if (bare.status !== 0) throw new Error(bare.stderr);

const appUrl = prepared.cluster ? `${prepared.cluster.appBaseUrl}/${databaseName}` : ownerUrl;
const database = connectDatabase(appUrl, 4);
const service = createImportService({ db: database.db, directory: path.join(work, 'imports'), databaseUrl: appUrl, maxUploadBytes: 8 * 1024 ** 3, log: (message, error) => console.error(message, error) });
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
const phases: Record<string, number> = {};
const started = Date.now();
const created = await service.create({ fileName: 'dltb.zip', stream: fs.createReadStream(zip) as unknown as Readable }, { kind: 'survey', year: 2023 }, 'bench');
if (!created.ok) throw new Error(created.message);
const id = created.id;
let lastPhase = 'upload';
let phaseStart = Date.now();
const watcher = setInterval(() => {
  void service.imports.find(id).then((row) => {
    if (row && row.phase !== lastPhase) {
      phases[lastPhase] = (Date.now() - phaseStart) / 1000;
      lastPhase = row.phase;
      phaseStart = Date.now();
    }
  });
}, 200);
await service.settled(id);
clearInterval(watcher);
phases[lastPhase] = (Date.now() - phaseStart) / 1000;
const row = (await service.imports.find(id))!;
if (row.status !== 'ready') throw new Error(`import ended ${row.status}: ${JSON.stringify(row.error ?? row.needs)}`);
const principal: Principal = { id: 0, username: 'bench', displayName: 'bench', role: 'admin', mustChangePassword: false, scopes: [], allowedDistricts: [], unrestricted: true, units: [], department: null, enterpriseParcelIds: [] };
const commitStart = Date.now();
// The generated square runs into the sea east of the city: the features outside it are skipped, as a user would choose.
const result = await service.commit(id, principal, 'bench', 'skip');
phases.commit = (Date.now() - commitStart) / 1000;
const totalSeconds = (Date.now() - started) / 1000;
clearInterval(sampler);
const loadAfter = os.loadavg()[0];

const figures = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`,
  features: count,
  zipMegabytes: Math.round(fs.statSync(zip).size / 1e5) / 10,
  bareOgr2ogrSeconds: bareSeconds,
  bareFeaturesPerSecond: Math.round(count / bareSeconds),
  fullImportSeconds: totalSeconds,
  fullFeaturesPerSecond: Math.round(count / totalSeconds),
  ratioToBare: Math.round((totalSeconds / bareSeconds) * 100) / 100,
  phasesSeconds: phases,
  committed: result,
  report: { features: (row.report as { features: number }).features, valid: (row.report as { valid: number }).valid },
  peakNodeRssMegabytes: Math.round(peakRss / 1024 ** 2),
  loadAverage: { before: Math.round(loadBefore * 100) / 100, after: Math.round(loadAfter * 100) / 100 },
  target: 'full import ≤ 1.5× bare load; Node peak RSS < 200 MB',
};
fs.mkdirSync(path.join(REPOSITORY_ROOT, 'bench-results'), { recursive: true });
fs.writeFileSync(path.join(REPOSITORY_ROOT, 'bench-results', 'import.json'), `${JSON.stringify(figures, null, 2)}\n`);
const table = `# bench:import (${figures.date})

${figures.features.toLocaleString()} DLTB polygons, GBK shapefile in EPSG:4527 (zip ${figures.zipMegabytes} MB), ${figures.machine}.

| run | seconds | features/s |
|---|---|---|
| bare \`ogr2ogr -f PostgreSQL\` | ${bareSeconds.toFixed(1)} | ${figures.bareFeaturesPerSecond.toLocaleString()} |
| full import (unzip, detect, read, validate + repair + area, commit) | ${totalSeconds.toFixed(1)} | ${figures.fullFeaturesPerSecond.toLocaleString()} |

Ratio full / bare: **${figures.ratioToBare}×** (target ≤ 1.5×). Peak Node RSS: **${figures.peakNodeRssMegabytes} MB** (target < 200 MB; GDAL runs in its own process and streams).\n\nLoad average (1 min) before the bare run ${figures.loadAverage.before}, after the full import ${figures.loadAverage.after} (${os.cpus().length} cores): compare ratios of the same run only.

Phases (s): ${Object.entries(phases).map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)}`).join(', ')}.
`;
// A new run goes on top; the earlier runs stay below it.
const notes = path.join(REPOSITORY_ROOT, 'bench-results', 'import.md');
fs.writeFileSync(notes, `${table}\n${fs.existsSync(notes) ? fs.readFileSync(notes, 'utf8') : ''}`);
console.log(table);
await database.close();
await owner.close();
if (!values['keep-database']) await dropDatabase(baseUrl, databaseName);
fs.rmSync(work, { recursive: true, force: true });
prepared.cluster?.stop();
