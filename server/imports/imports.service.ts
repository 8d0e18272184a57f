import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { sql } from 'kysely';
import type pg from 'pg';
import { checkCrsAgainstExtent, crsFromCoordinates, crsFromPrj, sridLabel } from '../../domain/import/crs.js';
import { parseButiao } from '../../domain/import/butiao.js';
import { GDAL_ENCODING_NAMES, decodeText, detectEncoding, encodingFromLanguageDriver, parseCodePage, type EncodingGuess, type TextEncoding } from '../../domain/import/encoding.js';
import { proposeMapping } from '../../domain/import/field-mapping.js';
import type { DatabaseClient } from '../db/database.js';
import { extractZip, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive.js';
import { gdalConnectionString, inspect, progressFromOutput, runGdal } from './gdal.js';
import { ImportRefusal } from './import-errors.js';
import { createImportsRepository, type ImportLayerState, type ImportOptions, type ImportRow } from './imports.repository.js';
import { findSources, type FoundSource } from './layers.js';

export interface ImportServiceOptions {
  db: DatabaseClient;
  pool: pg.Pool;
  /** Where uploads are unpacked: the only place the import writes files. */
  directory: string;
  /** Connection GDAL uses to load staging tables (the application's role). */
  databaseUrl: string;
  databaseRole?: string;
  maxUploadBytes: number;
  archiveLimits?: ArchiveLimits;
  log?: (message: string, error?: unknown) => void;
}

const CONFIDENT = 0.8;
/** Connections checking a staged layer at once (disjoint batches). */
const VALIDATION_WORKERS = 2;
const POLYGON_TYPES = /polygon|multipatch|surface|tin/i;

function stagingName(importId: string, index: number): string {
  return `i${importId.replace(/-/g, '').slice(0, 24)}_${index}`;
}

/** The DBF's language driver byte and a sample of its record bytes, for encoding detection. */
function readDbfSample(file: string): { ldid: number; sample: Uint8Array } {
  const handle = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(32);
    fs.readSync(handle, header, 0, 32, 0);
    const headerLength = header.readUInt16LE(8);
    const sample = Buffer.alloc(1024 * 1024);
    const read = fs.readSync(handle, sample, 0, sample.length, headerLength);
    return { ldid: header[29], sample: new Uint8Array(sample.subarray(0, read)) };
  } finally {
    fs.closeSync(handle);
  }
}

/** `.cpg`, then the DBF language driver, then the bytes themselves. */
export function detectShapefileEncoding(source: FoundSource): EncodingGuess {
  const cpg = source.siblings['.cpg'];
  if (cpg) {
    const parsed = parseCodePage(fs.readFileSync(cpg, 'latin1'));
    if (parsed.ok) return { encoding: parsed.encoding, confidence: 1, source: 'cpg', reason: `.cpg 声明为 ${fs.readFileSync(cpg, 'latin1').trim()}` };
  }
  const dbf = source.siblings['.dbf'];
  if (!dbf) return { encoding: 'utf-8', confidence: 1, source: 'default', reason: '没有 .dbf，无属性文本' };
  const { ldid, sample } = readDbfSample(dbf);
  const fromDriver = encodingFromLanguageDriver(ldid);
  if (fromDriver) return { encoding: fromDriver, confidence: 0.95, source: 'ldid', reason: `DBF 语言驱动字节 0x${ldid.toString(16)}` };
  const guess = detectEncoding(sample);
  return cpg ? { ...guess, reason: `.cpg 内容无法识别，按字节判断：${guess.reason}`, confidence: Math.min(guess.confidence, 0.7) } : guess;
}

/** A shapefile's sibling files by lower-case extension. */
function siblingsOf(shp: string): Record<string, string> {
  const stem = shp.slice(0, -4).toLowerCase();
  const siblings: Record<string, string> = {};
  for (const name of fs.readdirSync(path.dirname(shp))) {
    const full = path.join(path.dirname(shp), name);
    if (full.slice(0, -4).toLowerCase() === stem) siblings[path.extname(name).toLowerCase()] = full;
  }
  return siblings;
}

export function createImportService(options: ImportServiceOptions) {
  const imports = createImportsRepository(options.db);
  const log = options.log ?? (() => undefined);
  const archiveLimits = options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS;
  const running = new Map<string, Promise<void>>();

  const folderOf = (id: string) => path.join(options.directory, id);

  async function setProgress(id: string, phase: ImportRow['phase'], progress: number) {
    await imports.update(id, { phase, progress: Math.round(progress * 1000) / 1000 });
  }

  /** Reads one found source into layer descriptions (one per GDAL layer). */
  async function describe(source: FoundSource, index: number, row: ImportRow): Promise<ImportLayerState[]> {
    const base = { format: source.format, source: source.path, stagingTable: null, mapping: null, units: null, skipped: null, crsCheck: null } as const;
    if (source.format === 'butiao') {
      const bytes = fs.readFileSync(source.path);
      const encoding = row.options.encoding ? { encoding: row.options.encoding as TextEncoding, confidence: 1, source: 'user' as const, reason: '用户指定' } : detectEncoding(bytes);
      const parsed = parseButiao(decodeText(bytes, encoding.encoding));
      const layer: ImportLayerState = {
        ...base, id: `L${index}`, name: source.name, gdalLayer: null, geometryType: 'Polygon', featureCount: 0, fields: [], extent: null,
        selected: true, encoding, crs: null,
      };
      if (!parsed.ok) return [{ ...layer, selected: false, skipped: { reason: parsed.reason, message: `第 ${parsed.line} 行：${parsed.message}` } }];
      const file = parsed.file;
      const features = file.parcels.map((parcel, parcelIndex) => ({
        type: 'Feature',
        // Chinese headings, as in the file, so the parcel preset maps 地块编号 and 地类编码 by itself.
        properties: { '地块编号': parcel.number, '地块名称': parcel.name, '地块用途': parcel.use, '地类编码': parcel.landUseCode, '地块面积公顷': parcel.declaredAreaHa, '平面面积m2': Math.round(parcel.planarAreaM2 * 100) / 100, '界址点数': parcel.pointCount, '序号': parcelIndex + 1 },
        geometry: { type: 'MultiPolygon', coordinates: parcel.polygons },
      }));
      const geojsonPath = `${source.path}.geojson`;
      fs.writeFileSync(geojsonPath, JSON.stringify({ type: 'FeatureCollection', features }));
      const positions = file.parcels.flatMap((parcel) => parcel.polygons.flat(2));
      const xs = positions.map((position) => position[0]);
      const ys = positions.map((position) => position[1]);
      return [{
        ...layer, source: geojsonPath, featureCount: features.length,
        fields: [{ name: '地块编号', type: 'String' }, { name: '地块名称', type: 'String' }, { name: '地块用途', type: 'String' }, { name: '地类编码', type: 'String' }, { name: '地块面积公顷', type: 'Real' }, { name: '平面面积m2', type: 'Real' }, { name: '界址点数', type: 'Integer' }, { name: '序号', type: 'Integer' }],
        extent: xs.length ? { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) } : null,
        crs: file.srid
          ? { srid: file.srid, label: sridLabel(file.srid), confidence: 1, source: 'butiao', reason: `文件头：${file.header['坐标系'] ?? ''} ${file.header['几度分带'] ?? ''}度带 带号 ${file.header['带号'] ?? ''}` }
          : { srid: null, label: '未知', confidence: 0, source: 'butiao', reason: '文件头未给出可识别的坐标系' },
      }];
    }

    const encoding = source.format === 'shapefile'
      ? (row.options.encoding ? { encoding: row.options.encoding as TextEncoding, confidence: 1, source: 'user' as const, reason: '用户指定' } : detectShapefileEncoding(source))
      : null;
    const openOptions = encoding && source.format === 'shapefile' ? [`ENCODING=${GDAL_ENCODING_NAMES[encoding.encoding]}`] : [];
    let infos;
    try {
      infos = await inspect(source.path, openOptions);
    } catch (error) {
      return [{
        ...base, id: `L${index}`, name: source.name, gdalLayer: null, geometryType: 'Unknown', featureCount: 0, fields: [], extent: null,
        selected: false, encoding, crs: null,
        skipped: { reason: 'unreadable', message: `GDAL 无法读取“${source.name}”：${(error as Error).message.split('\n')[0]}` },
      }];
    }
    return infos.map((info, layerIndex) => {
      const name = infos.length > 1 ? `${source.name}/${info.name}` : source.name;
      const layer: ImportLayerState = {
        ...base, id: `L${index}_${layerIndex}`, name, gdalLayer: info.name, geometryType: info.geometryType,
        featureCount: info.featureCount, fields: info.fields, extent: info.extent, selected: true, encoding, crs: null,
      };
      if (!POLYGON_TYPES.test(info.geometryType)) {
        return { ...layer, selected: false, skipped: { reason: 'not_polygon', message: `图层“${name}”的几何类型是 ${info.geometryType}，只能导入面图层。` } };
      }
      if (info.featureCount === 0) {
        return { ...layer, selected: false, skipped: { reason: 'empty_layer', message: `图层“${name}”没有要素。` } };
      }
      const prj = source.siblings['.prj'];
      if (source.format === 'shapefile' && prj) {
        layer.crs = { ...crsFromPrj(fs.readFileSync(prj, 'utf8')), source: 'prj' };
      } else if (info.srsWkt && source.format !== 'geojson') {
        layer.crs = { ...crsFromPrj(info.srsWkt), source: 'gdb' };
      } else if (info.srsWkt && source.format === 'geojson' && /EPSG",\s*"?(?!4326)\d+/.test(info.srsWkt)) {
        layer.crs = { ...crsFromPrj(info.srsWkt), source: 'geojson' };
      }
      // A CRS outside the Chinese set (UTM, a state plane…) that GDAL itself understands is
      // transformed by GDAL from its WKT; only 西安80/北京54 stay refused, for want of parameters.
      if (layer.crs?.refused?.reason === 'unknown_projection' && info.srsWkt) {
        const name = /^(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS|BOUNDCRS)\["([^"]+)"/.exec(info.srsWkt)?.[1] ?? 'GDAL';
        layer.crs = { srid: null, label: name, confidence: 0.9, source: layer.crs.source, reason: `GDAL 识别的坐标系 ${name}（非 CGCS2000），将按其定义转换到 CGCS2000`, sourceWkt: info.srsWkt };
      }
      if ((!layer.crs || (layer.crs.srid === null && !layer.crs.refused && !layer.crs.sourceWkt)) && info.extent) layer.crs = crsFromCoordinates(info.extent);
      if (source.format === 'geojson' && layer.crs?.source === 'coordinates' && layer.crs.srid === 4490) {
        layer.crs = { ...layer.crs, srid: 4326, label: sridLabel(4326), confidence: 0.95, source: 'geojson', reason: 'GeoJSON 默认 WGS84 (RFC 7946)，坐标为经纬度' };
      }
      return layer;
    });
  }

  /** Decides what the import still needs from the user; null when it can proceed. */
  function needsFor(row: ImportRow, layers: ImportLayerState[]): { what: string; message: string; proposal: unknown; layer: string } | null {
    for (const layer of layers.filter((candidate) => candidate.selected)) {
      if (layer.encoding && layer.encoding.confidence < CONFIDENT && !row.options.encoding) {
        return { what: 'encoding', layer: layer.id, proposal: layer.encoding.encoding, message: `无法确定“${layer.name}”的属性编码（${layer.encoding.reason}），建议 ${layer.encoding.encoding}，请确认。` };
      }
      if (row.options.srid) continue;
      const crs = layer.crs;
      if (crs?.sourceWkt) continue;
      if (!crs || crs.srid === null) {
        return { what: 'srid', layer: layer.id, proposal: null, message: `无法确定“${layer.name}”的坐标系：${crs?.reason ?? '没有 .prj'}。请选择坐标系（如 CGCS2000 3度带 第39带 EPSG:4527，或中央经线 117°E EPSG:4548）。` };
      }
      if (layer.crsCheck && !layer.crsCheck.consistent) {
        return { what: 'srid', layer: layer.id, proposal: layer.crsCheck.suggestedSrid ?? null, message: `“${layer.name}”声明的坐标系与坐标不符：${layer.crsCheck.message}。请确认坐标系。` };
      }
      if (crs.confidence < CONFIDENT || crs.source === 'coordinates') {
        return { what: 'srid', layer: layer.id, proposal: crs.srid, message: `“${layer.name}”的坐标系是根据坐标推测的：${crs.reason}。建议 ${crs.label}，请确认。` };
      }
    }
    return null;
  }

  async function dropStaging(layers: ImportLayerState[]) {
    for (const layer of layers) {
      if (layer.stagingTable) await sql`DROP TABLE IF EXISTS ${sql.id('staging', layer.stagingTable)}`.execute(options.db);
    }
  }

  async function load(row: ImportRow, layers: ImportLayerState[]): Promise<ImportLayerState[]> {
    const selected = layers.filter((layer) => layer.selected && !layer.skipped);
    const total = selected.reduce((sum, layer) => sum + Math.max(layer.featureCount, 1), 0);
    let done = 0;
    const loaded: ImportLayerState[] = [];
    for (const [index, layer] of layers.entries()) {
      if (!layer.selected || layer.skipped) { loaded.push(layer); continue; }
      const table = stagingName(row.id, index);
      let sourceSrs = `EPSG:${row.options.srid ?? layer.crs!.srid!}`;
      if (!row.options.srid && layer.crs?.sourceWkt) {
        sourceSrs = path.join(folderOf(row.id), `${table}.wkt`);
        fs.writeFileSync(sourceSrs, layer.crs.sourceWkt);
      }
      const args = [
        '-f', 'PostgreSQL', gdalConnectionString(options.databaseUrl),
        ...(options.databaseRole ? ['-doo', `PRELUDE_STATEMENTS=SET ROLE ${options.databaseRole}`] : []),
        layer.source,
        ...(layer.gdalLayer && layer.format !== 'butiao' ? [layer.gdalLayer] : []),
        ...(layer.encoding && layer.format === 'shapefile' ? ['-oo', `ENCODING=${GDAL_ENCODING_NAMES[layer.encoding.encoding as TextEncoding]}`] : []),
        '-lco', 'SCHEMA=staging', '-nln', table, '-lco', 'GEOMETRY_NAME=_geom', '-lco', 'FID=_fid',
        '-lco', 'SPATIAL_INDEX=NONE', '-lco', 'LAUNDER=NO', '-lco', 'PRECISION=NO', '-lco', 'UNLOGGED=ON',
        '-nlt', 'MULTIPOLYGON', '-dim', 'XY', '-s_srs', sourceSrs, '-t_srs', 'EPSG:4490',
        '-overwrite', '-progress', '--config', 'PG_USE_COPY', 'YES', '-gt', '65536',
      ];
      let output = '';
      let reported = 0;
      const onStdout = (chunk: string) => {
        output += chunk;
        const fraction = (done + progressFromOutput(output) * Math.max(layer.featureCount, 1)) / total;
        if (fraction - reported >= 0.01) {
          reported = fraction;
          void setProgress(row.id, 'read', fraction);
        }
      };
      let result = await runGdal('ogr2ogr', args, { onStdout });
      if (result.code !== 0) {
        // A feature GDAL cannot write (broken record): read again feature by feature, skipping it.
        output = '';
        result = await runGdal('ogr2ogr', [...args.filter((argument) => argument !== '-gt' && argument !== '65536'), '-skipfailures'], { onStdout });
      }
      if (result.code !== 0) {
        throw new ImportRefusal('unreadable', `GDAL 读取“${layer.name}”失败：${result.stderr.split('\n').filter(Boolean).slice(-2).join(' ')}`);
      }
      done += Math.max(layer.featureCount, 1);
      loaded.push({ ...layer, stagingTable: table });
    }
    return loaded;
  }

  /** Checks every staged feature in PostGIS: validity, repair, ellipsoidal area, TBMJ agreement. */
  async function validate(row: ImportRow, layers: ImportLayerState[]) {
    const report = { features: 0, valid: 0, repaired: 0, rejected: 0, warnings: [] as { layer: string; message: string; count?: number }[], errors: [] as { layer: string; reason: string; message: string }[], samples: [] as unknown[] };
    const staged = layers.filter((layer) => layer.stagingTable);
    for (const [position, layer] of staged.entries()) {
      const table = sql.id('staging', layer.stagingTable!);
      await sql`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS _status text, ADD COLUMN IF NOT EXISTS _messages text[], ADD COLUMN IF NOT EXISTS _area_m2 double precision, ADD COLUMN IF NOT EXISTS _fixed geometry(MultiPolygon, 4490)`.execute(options.db);
      const { rows: [range] } = await sql<{ min: number | null; max: number | null }>`SELECT min(_fid)::float8 AS min, max(_fid)::float8 AS max FROM ${table}`.execute(options.db);
      const batch = 20000;
      const starts: number[] = [];
      for (let start = range.min ?? 0; range.max !== null && start <= range.max; start += batch) starts.push(start);
      let finished = 0;
      const checkBatch = async (start: number) => {
        // Fast path for the great majority: in range, valid, no repeated vertices. CASE keeps
        // ST_IsValid away from NaN or huge coordinates, which the careful check below reports.
        await sql`UPDATE ${table} SET _status = 'valid', _messages = ARRAY[]::text[], _fixed = _geom, _area_m2 = ST_Area(_geom::geography)
          WHERE _fid >= ${start} AND _fid < ${start + batch}
            AND CASE WHEN _geom IS NULL OR ST_IsEmpty(_geom) THEN false
                     WHEN NOT coalesce(ST_XMin(_geom) >= -180 AND ST_XMax(_geom) <= 180 AND ST_YMin(_geom) >= -90 AND ST_YMax(_geom) <= 90, false) THEN false
                     ELSE ST_IsValid(_geom) AND ST_NPoints(_geom) = ST_NPoints(ST_RemoveRepeatedPoints(_geom)) AND ST_Area(_geom) > 0 END`.execute(options.db);
        await sql`UPDATE ${table} s SET _status = c.status, _messages = c.messages, _fixed = c.fixed,
            _area_m2 = CASE WHEN c.fixed IS NULL THEN NULL ELSE ST_Area(c.fixed::geography) END
          FROM (SELECT _fid, (import_check_geometry(_geom)).* FROM ${table} WHERE _fid >= ${start} AND _fid < ${start + batch} AND _status IS NULL) c
          WHERE s._fid = c._fid`.execute(options.db);
        finished++;
        await setProgress(row.id, 'validate', (position + finished / starts.length) / staged.length);
      };
      // Batches touch disjoint rows: two connections use both cores of a small server.
      const queue = [...starts];
      await Promise.all(Array.from({ length: Math.min(VALIDATION_WORKERS, queue.length) }, async () => {
        for (let start = queue.shift(); start !== undefined; start = queue.shift()) await checkBatch(start);
      }));
      const areaField = layer.fields.find((field) => field.name.toUpperCase() === 'TBMJ');
      if (areaField) {
        const column = sql.id(areaField.name);
        const { rows: [mismatch] } = await sql<{ count: number }>`
          WITH flagged AS (
            UPDATE ${table} SET _messages = _messages || format('椭球面积 %s m² 与 TBMJ %s m² 相差 %s%%', round(_area_m2::numeric, 2), import_to_numeric(${column}::text), round((abs(_area_m2 - import_to_numeric(${column}::text)::float8) / nullif(import_to_numeric(${column}::text)::float8, 0) * 100)::numeric, 2))
            WHERE _area_m2 IS NOT NULL AND import_to_numeric(${column}::text) > 0
              AND abs(_area_m2 - import_to_numeric(${column}::text)::float8) / import_to_numeric(${column}::text)::float8 > 0.005
            RETURNING 1)
          SELECT count(*)::int AS count FROM flagged`.execute(options.db);
        if (mismatch.count > 0) report.warnings.push({ layer: layer.name, count: mismatch.count, message: `${mismatch.count} 个图斑的椭球面积与 TBMJ 相差超过 0.5%，常见原因是坐标系或带号不对。` });
      }
      if (/3D|Measured/i.test(layer.geometryType)) report.warnings.push({ layer: layer.name, message: `图层含 Z/M 值（${layer.geometryType}），已舍去，只保留平面坐标。` });
      if (/multipatch|tin|surface/i.test(layer.geometryType)) report.warnings.push({ layer: layer.name, message: `图层是 ${layer.geometryType}，已转换为多边形。` });
      if (layer.crs?.source === 'coordinates' || row.options.srid) report.warnings.push({ layer: layer.name, message: `坐标系 ${sridLabel(row.options.srid ?? layer.crs!.srid!)}：${row.options.srid ? '由用户指定' : layer.crs!.reason}` });
      else if (layer.crs?.sourceWkt) report.warnings.push({ layer: layer.name, message: layer.crs.reason });
      const { rows: counts } = await sql<{ status: string; count: number }>`SELECT coalesce(_status, 'rejected') AS status, count(*)::int AS count FROM ${table} GROUP BY 1`.execute(options.db);
      for (const count of counts) {
        report.features += count.count;
        if (count.status === 'valid') report.valid += count.count;
        else if (count.status === 'repaired') report.repaired += count.count;
        else report.rejected += count.count;
      }
      const bsm = layer.fields.find((field) => field.name.toUpperCase() === 'BSM');
      const { rows: samples } = await sql<{ fid: number; status: string; messages: string[]; bsm: string | null }>`
        SELECT _fid::int AS fid, _status AS status, _messages AS messages, ${bsm ? sql`${sql.id(bsm.name)}::text` : sql`NULL::text`} AS bsm
        FROM ${table} WHERE _status <> 'valid' OR cardinality(_messages) > 0 ORDER BY _fid LIMIT 200`.execute(options.db);
      report.samples.push(...samples.map((sample) => ({ layer: layer.name, ...sample })));
    }
    for (const layer of layers.filter((candidate) => candidate.skipped)) report.errors.push({ layer: layer.name, ...layer.skipped! });
    return report;
  }

  async function process(id: string): Promise<void> {
    const row = (await imports.find(id))!;
    const folder = folderOf(id);
    try {
      let layers = row.layers;
      if (layers.length === 0) {
        await setProgress(id, 'read', 0);
        const upload = path.join(folder, 'upload');
        const unpacked = path.join(folder, 'files');
        fs.mkdirSync(unpacked, { recursive: true });
        for (const file of fs.readdirSync(upload)) {
          const full = path.join(upload, file);
          if (/\.zip$/i.test(file)) await extractZip(full, path.join(unpacked, file.replace(/\.zip$/i, '')), archiveLimits);
          else fs.copyFileSync(full, path.join(unpacked, file));
        }
        const { sources, refused } = findSources(unpacked);
        layers = [];
        for (const [index, source] of sources.entries()) layers.push(...await describe(source, index, row));
        for (const [index, item] of refused.entries()) {
          layers.push({ id: `R${index}`, name: item.name, format: 'shapefile', source: '', gdalLayer: null, geometryType: 'Unknown', featureCount: 0, fields: [], extent: null, selected: false, skipped: { reason: item.reason, message: item.message }, encoding: null, crs: null, crsCheck: null, stagingTable: null, mapping: null, units: null });
        }
      } else if (row.options.encoding) {
        // A user's encoding answer: re-read the layers with it.
        const refreshed: ImportLayerState[] = [];
        for (const layer of layers) {
          if (layer.format !== 'shapefile' || !layer.gdalLayer) { refreshed.push(layer); continue; }
          refreshed.push({ ...layer, encoding: { encoding: row.options.encoding, confidence: 1, source: 'user', reason: '用户指定' } });
        }
        layers = refreshed;
      }
      if (row.options.layers) layers = layers.map((layer) => ({ ...layer, selected: !layer.skipped && row.options.layers!.includes(layer.id) }));
      layers = layers.map((layer) => {
        const srid = row.options.srid ?? layer.crs?.srid ?? null;
        // A CRS known to GDAL only by its WKT has no EPSG code to check the extent against.
        const crsCheck = srid && layer.extent && !layer.skipped ? checkCrsAgainstExtent(srid, layer.extent) : null;
        const proposed = proposeMapping(row.kind, layer.fields.map((field) => field.name));
        return { ...layer, crsCheck, mapping: row.options.mapping ?? proposed.mapping, units: proposed.units };
      });
      const usable = layers.filter((layer) => layer.selected && !layer.skipped);
      const first = usable[0];
      const detected = {
        srid: row.options.srid ?? first?.crs?.srid ?? null,
        encoding: row.options.encoding ?? first?.encoding?.encoding ?? null,
        confidence: Math.min(first?.crs?.confidence ?? 0, first?.encoding?.confidence ?? 1),
        crs: first?.crs ?? null,
        encodingGuess: first?.encoding ?? null,
      };
      if (usable.length === 0) {
        const reasons = layers.map((layer) => layer.skipped?.message).filter(Boolean);
        await imports.update(id, { layers, detected, status: 'refused', error: { reason: 'no_polygons', message: `没有可导入的面图层。${reasons.join(' ')}` } });
        return;
      }
      const refusedCrs = usable.find((layer) => layer.crs?.refused && !row.options.srid);
      if (refusedCrs) {
        await imports.update(id, { layers, detected, status: 'refused', phase: 'read', error: { reason: 'unsupported_crs', message: refusedCrs.crs!.refused!.message } });
        return;
      }
      const needs = needsFor(row, layers);
      if (needs) {
        await imports.update(id, { layers, detected, status: 'needs-input', needs, progress: 0 });
        return;
      }
      await imports.update(id, { layers, detected, needs: null });
      await dropStaging(layers);
      layers = await load(row, layers);
      await imports.update(id, { layers });
      const report = await validate(row, layers);
      const expected = layers.filter((layer) => layer.stagingTable).reduce((sum, layer) => sum + Math.max(layer.featureCount, 0), 0);
      if (report.features === 0 && expected > 0) {
        // Nothing could be read: almost always text read in the wrong encoding.
        const layer = layers.find((candidate) => candidate.stagingTable)!;
        const source = layer.format === 'shapefile' ? { format: 'shapefile' as const, path: layer.source, name: layer.name, siblings: siblingsOf(layer.source) } : null;
        const guess = source ? detectShapefileEncoding(source) : null;
        await dropStaging(layers);
        await imports.update(id, {
          layers: layers.map((candidate) => ({ ...candidate, stagingTable: null })), report, status: 'needs-input', progress: 0,
          needs: { what: 'encoding', layer: layer.id, proposal: guess?.encoding ?? 'gbk', message: `按 ${layer.encoding?.encoding ?? '当前编码'} 读取“${layer.name}”时一个要素也没有读出，编码很可能不对。建议 ${guess?.encoding ?? 'gbk'}，请确认。` },
        });
        return;
      }
      await imports.update(id, { layers, report, status: 'ready', phase: 'validate', progress: 1, needs: null });
    } catch (error) {
      if (error instanceof ImportRefusal) {
        await imports.update(id, { status: 'refused', error: { reason: error.reason, message: error.message } });
      } else {
        log(`import ${id} failed`, error);
        await imports.update(id, { status: 'failed', error: { reason: 'internal', message: '导入过程中出现内部错误，请把导入编号告知管理员。' } });
      }
      fs.rmSync(path.join(folder, 'files'), { recursive: true, force: true });
    }
  }

  function start(id: string): Promise<void> {
    const task = process(id).finally(() => running.delete(id));
    running.set(id, task);
    return task;
  }

  return {
    imports,
    folderOf,
    /** Settles when the background work of an import is done (tests, CLI). */
    async settled(id: string): Promise<void> {
      await running.get(id);
    },

    /** Stores an upload (streamed, size-limited) and starts reading it in the background. */
    async create(upload: { fileName: string; stream: Readable }, settings: { kind: 'survey' | 'parcels'; year?: number; srid?: number; encoding?: string }, actor: string): Promise<string> {
      const id = randomUUID();
      const safeName = path.basename(upload.fileName).replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'upload';
      const folder = folderOf(id);
      fs.mkdirSync(path.join(folder, 'upload'), { recursive: true });
      const { year, ...rest } = settings;
      await imports.insert({ id, kind: settings.kind, year: year ?? null, fileName: safeName, createdBy: actor, options: { ...rest, year } });
      let size = 0;
      const limit = options.maxUploadBytes;
      try {
        await pipeline(upload.stream, new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            size += chunk.length;
            if (size > limit) callback(new ImportRefusal('too_large', `文件超过上传上限 ${Math.round(limit / 1024 ** 2)} MB。`));
            else callback(null, chunk);
          },
        }), fs.createWriteStream(path.join(folder, 'upload', safeName)));
      } catch (error) {
        fs.rmSync(folder, { recursive: true, force: true });
        const refusal = error instanceof ImportRefusal ? error : new ImportRefusal('unreadable', '上传中断，请重试。');
        await imports.update(id, { status: 'refused', file_size: size, error: { reason: refusal.reason, message: refusal.message } });
        throw refusal;
      }
      if (size === 0) {
        await imports.update(id, { status: 'refused', error: { reason: 'empty_file', message: '上传的文件是空的。' } });
        throw new ImportRefusal('empty_file', '上传的文件是空的。');
      }
      await imports.update(id, { file_size: size, phase: 'read' });
      void start(id);
      return id;
    },

    /** The user's answer to `needs-input`, or a changed guess: re-run from detection. */
    async answer(id: string, answer: ImportOptions): Promise<void> {
      const row = (await imports.find(id))!;
      await dropStaging(row.layers);
      const options2 = { ...row.options, ...Object.fromEntries(Object.entries(answer).filter(([, value]) => value !== undefined)) };
      await imports.update(id, { options: options2, status: 'processing', phase: 'read', progress: 0, needs: null, error: null, layers: row.layers.map((layer) => ({ ...layer, stagingTable: null })) });
      void start(id);
    },

    async cancel(id: string): Promise<void> {
      const row = (await imports.find(id))!;
      await running.get(id)?.catch(() => undefined);
      await dropStaging(row.layers);
      fs.rmSync(folderOf(id), { recursive: true, force: true });
      await imports.update(id, { status: 'cancelled', layers: row.layers.map((layer) => ({ ...layer, stagingTable: null })) });
    },

    dropStaging,

    /**
     * At start-up: imports cut off by a restart are marked failed (the user uploads again), survey
     * layers left pending are removed, and imports left unconfirmed for `retentionDays` are
     * cancelled, so staging never grows without bound. Nothing committed is touched.
     */
    async recoverInterrupted(retentionDays = 7): Promise<{ interrupted: number; expired: number }> {
      // Only imports silent for two minutes: another process may still be working on a recent one.
      const interrupted = await options.db.selectFrom('imports').select('id')
        .where('status', 'in', ['processing', 'committing'])
        .where('updated_at', '<', new Date(Date.now() - 120_000)).execute();
      for (const { id } of interrupted) {
        if (running.has(id)) continue;
        const row = (await imports.find(id))!;
        await dropStaging(row.layers);
        fs.rmSync(folderOf(id), { recursive: true, force: true });
        await imports.update(id, {
          status: 'failed', layers: row.layers.map((layer) => ({ ...layer, stagingTable: null })),
          error: { reason: 'interrupted', message: '服务器重启，导入被中断，未写入任何数据。请重新上传。' },
        });
      }
      const pending = await options.db.selectFrom('survey_layers').select('id').where('committed', '=', false)
        .where('imported_at', '<', new Date(Date.now() - 120_000)).execute();
      for (const { id: layerId } of pending) {
        await sql`DROP TABLE IF EXISTS ${sql.id('survey_data', `l${layerId}`)}`.execute(options.db);
        await options.db.deleteFrom('survey_layers').where('id', '=', layerId).execute();
      }
      const expired = await options.db.selectFrom('imports').select('id')
        .where('status', 'in', ['ready', 'needs-input'])
        .where('updated_at', '<', new Date(Date.now() - retentionDays * 86_400_000)).execute();
      for (const { id } of expired) {
        const row = (await imports.find(id))!;
        await dropStaging(row.layers);
        fs.rmSync(folderOf(id), { recursive: true, force: true });
        await imports.update(id, {
          status: 'cancelled', layers: row.layers.map((layer) => ({ ...layer, stagingTable: null })),
          error: { reason: 'expired', message: `超过 ${retentionDays} 天未提交，已自动取消。` },
        });
      }
      return { interrupted: interrupted.length, expired: expired.length };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
