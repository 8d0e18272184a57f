import fs from 'node:fs';
import path from 'node:path';
import { checkCrsAgainstExtent, crsFromCoordinates, crsFromPrj, describeSrid, GCJ02_SRID, sridLabel } from '../../domain/import/crs.js';
import { coordinatesGcj02ToWgs84, type Coordinates } from '../../domain/gcj02.js';
import { parseButiao } from '../../domain/import/butiao.js';
import { GDAL_ENCODING_NAMES, decodeText, detectEncoding, encodingFromLanguageDriver, parseCodePage, type EncodingGuess, type TextEncoding } from '../../domain/import/encoding.js';
import { BAD_GEOPACKAGE, NO_POLYGONS, UNREADABLE, refusal, type Refusal, type Refused } from '../../domain/import/refusals.js';
import { extractZip, DEFAULT_ARCHIVE_LIMITS, readHead, type ArchiveLimits, type ZipMember } from './archive.js';
import { gdalConnection, inspect, progressFromOutput, readingEnv, runGdal } from './gdal.js';
import { ImportRefusal } from './import-errors.js';
import type { ImportLayerState } from './imports.repository.js';
import { findSources, geoPackageProblem, type FoundSource } from './layers.js';

/**
 * The one way a polygon file becomes data, shared by imports and the 成片改造区域 boundary upload:
 * unpack (hostile zips refused) → find the sources (shapefiles, File Geodatabases, GeoPackages,
 * GeoJSON, 部标 txt) → describe each layer with its encoding and CRS → read a layer with GDAL, reprojected, into
 * a staging table or a GeoJSON file. Every failure the user can fix comes back as a refusal value.
 */

const POLYGON_TYPES = /polygon|multipatch|surface|tin/i;

const REEXPORT_GEOPACKAGE = '请在 QGIS（导出 → 另存为 GeoPackage）或 ArcGIS Pro（要素类至 GeoPackage）中重新导出后上传。';

/**
 * A GeoPackage uploaded as it is (not zipped), checked while the upload is answered, so that a
 * file that cannot become an import gets its 400 at once: not SQLite, truncated (its header
 * says), not openable by GDAL, or without a polygon layer. Null when the describe stage can read it.
 */
export async function geoPackageRefusal(file: string, name: string): Promise<Refusal | null> {
  const problem = geoPackageProblem(file, name);
  if (problem) return refusal(BAD_GEOPACKAGE, problem, name);
  let infos;
  try {
    infos = await inspect(file);
  } catch (error) {
    return refusal(BAD_GEOPACKAGE, `“${name}”无法作为 GeoPackage 打开（${(error as Error).message.split('\n')[0]}），文件可能已损坏：${REEXPORT_GEOPACKAGE}`, name);
  }
  if (infos.some((info) => POLYGON_TYPES.test(info.geometryType))) return null;
  const found = infos.length > 0 ? `其中的图层：${infos.map((info) => `${info.name}（${info.geometryType === 'None' ? '无几何' : info.geometryType}）`).join('、')}` : '其中没有任何图层';
  return refusal(NO_POLYGONS, `“${name}”中没有面图层（${found}）：只能导入面（Polygon / MultiPolygon）图层。请把宗地、图斑或红线存为面图层的 GeoPackage 后再上传。`, name);
}

/** A layer as the reader describes it: what the import shows and what GDAL needs to read it. */
export type PolygonLayer = ImportLayerState;

/** Bytes of DBF records looked at to guess their encoding. */
const DBF_SAMPLE_BYTES = 1024 * 1024;

/** The DBF's language driver byte and a sample of its record bytes (a file, or a member left in its zip), for encoding detection. */
async function readDbfSample(file: string): Promise<{ ldid: number; sample: Uint8Array }> {
  // A DBF header is at most 65 535 bytes long.
  const head = await readHead(file, 65535 + DBF_SAMPLE_BYTES);
  if (head.length < 32) return { ldid: 0, sample: new Uint8Array() };
  const headerLength = head.readUInt16LE(8);
  return { ldid: head[29], sample: new Uint8Array(head.subarray(headerLength, headerLength + DBF_SAMPLE_BYTES)) };
}

/** `.cpg`, then the DBF language driver, then the bytes themselves. */
export async function detectShapefileEncoding(source: FoundSource): Promise<EncodingGuess> {
  const cpg = source.siblings['.cpg'];
  if (cpg) {
    const parsed = parseCodePage(fs.readFileSync(cpg, 'latin1'));
    if (parsed.ok) return { encoding: parsed.encoding, confidence: 1, source: 'cpg', reason: `.cpg 声明为 ${fs.readFileSync(cpg, 'latin1').trim()}` };
  }
  const dbf = source.siblings['.dbf'];
  if (!dbf) return { encoding: 'utf-8', confidence: 1, source: 'default', reason: '没有 .dbf，无属性文本' };
  const { ldid, sample } = await readDbfSample(dbf);
  const fromDriver = encodingFromLanguageDriver(ldid);
  if (fromDriver) return { encoding: fromDriver, confidence: 0.95, source: 'ldid', reason: `DBF 语言驱动字节 0x${ldid.toString(16)}` };
  const guess = detectEncoding(sample);
  return cpg ? { ...guess, reason: `.cpg 内容无法识别，按字节判断：${guess.reason}`, confidence: Math.min(guess.confidence, 0.7) } : guess;
}

/** A shapefile's sibling files by lower-case extension (of a shapefile read in its zip: its .dbf there, found by readHead in any letter case). */
function siblingsOf(shp: string): Record<string, string> {
  if (shp.startsWith('/vsizip/')) return { '.dbf': shp.replace(/\.shp$/i, '.dbf') };
  const stem = shp.slice(0, -4).toLowerCase();
  const siblings: Record<string, string> = {};
  for (const name of fs.readdirSync(path.dirname(shp))) {
    const full = path.join(path.dirname(shp), name);
    if (full.slice(0, -4).toLowerCase() === stem) siblings[path.extname(name).toLowerCase()] = full;
  }
  return siblings;
}

/** What the bytes of a staged shapefile layer suggest, when the chosen encoding read nothing. */
export async function encodingFromBytes(layer: PolygonLayer): Promise<EncodingGuess | null> {
  if (layer.format !== 'shapefile') return null;
  return detectShapefileEncoding({ format: 'shapefile', path: layer.source, name: layer.name, siblings: siblingsOf(layer.source) });
}

const userEncoding = (encoding: TextEncoding): EncodingGuess => ({ encoding, confidence: 1, source: 'user', reason: '用户指定' });

/** A 部标 txt becomes a GeoJSON file beside it, with its Chinese headings as attribute names. */
function describeButiao(source: FoundSource, base: Omit<PolygonLayer, 'id' | 'name' | 'gdalLayer' | 'geometryType' | 'featureCount' | 'fields' | 'extent' | 'selected' | 'encoding' | 'crs'>, id: string, encodingOption: TextEncoding | undefined): PolygonLayer {
  const bytes = fs.readFileSync(source.path);
  const encoding = encodingOption ? userEncoding(encodingOption) : detectEncoding(bytes);
  const parsed = parseButiao(decodeText(bytes, encoding.encoding));
  const layer: PolygonLayer = {
    ...base, id, name: source.name, gdalLayer: null, geometryType: 'Polygon', featureCount: 0, fields: [], extent: null,
    selected: true, encoding, crs: null,
  };
  if (!parsed.ok) return { ...layer, selected: false, skipped: { reason: parsed.reason, message: `第 ${parsed.line} 行：${parsed.message}` } };
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
  return {
    ...layer, source: geojsonPath, featureCount: features.length,
    fields: [{ name: '地块编号', type: 'String' }, { name: '地块名称', type: 'String' }, { name: '地块用途', type: 'String' }, { name: '地类编码', type: 'String' }, { name: '地块面积公顷', type: 'Real' }, { name: '平面面积m2', type: 'Real' }, { name: '界址点数', type: 'Integer' }, { name: '序号', type: 'Integer' }],
    extent: xs.length ? { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) } : null,
    crs: file.srid
      ? { srid: file.srid, label: sridLabel(file.srid), confidence: 1, source: 'butiao', reason: `文件头：${file.header['坐标系'] ?? ''} ${file.header['几度分带'] ?? ''}度带 带号 ${file.header['带号'] ?? ''}` }
      : { srid: null, label: '未知', confidence: 0, source: 'butiao', reason: '文件头未给出可识别的坐标系' },
  };
}

/** Reads one found source into layer descriptions (one per GDAL layer), with encoding and CRS. */
async function describeSource(source: FoundSource, index: number, encodingOption: TextEncoding | undefined): Promise<PolygonLayer[]> {
  const base = { format: source.format, source: source.path, stagingTable: null, mapping: null, units: null, skipped: null, crsCheck: null } as const;
  if (source.format === 'butiao') return [describeButiao(source, base, `L${index}`, encodingOption)];

  const encoding = source.format === 'shapefile' ? (encodingOption ? userEncoding(encodingOption) : await detectShapefileEncoding(source)) : null;
  const openOptions = encoding ? [`ENCODING=${GDAL_ENCODING_NAMES[encoding.encoding]}`] : [];
  let infos;
  try {
    infos = await inspect(source.path, openOptions);
  } catch (error) {
    return [{
      ...base, id: `L${index}`, name: source.name, gdalLayer: null, geometryType: 'Unknown', featureCount: 0, fields: [], extent: null,
      selected: false, encoding, crs: null,
      skipped: { reason: UNREADABLE, message: `GDAL 无法读取“${source.name}”：${(error as Error).message.split('\n')[0]}` },
    }];
  }
  return infos.map((info, layerIndex) => {
    const name = infos.length > 1 ? `${source.name}/${info.name}` : source.name;
    const layer: PolygonLayer = {
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
      const crsName = /^(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS|BOUNDCRS)\["([^"]+)"/.exec(info.srsWkt)?.[1] ?? 'GDAL';
      layer.crs = { srid: null, label: crsName, confidence: 0.9, source: layer.crs.source, reason: `GDAL 识别的坐标系 ${crsName}（非 CGCS2000），将按其定义转换到 CGCS2000`, sourceWkt: info.srsWkt };
    }
    if ((!layer.crs || (layer.crs.srid === null && !layer.crs.refused && !layer.crs.sourceWkt)) && info.extent) layer.crs = crsFromCoordinates(info.extent);
    if (source.format === 'geojson' && layer.crs?.source === 'coordinates' && layer.crs.srid === 4490) {
      layer.crs = { ...layer.crs, srid: 4326, label: sridLabel(4326), confidence: 0.95, source: 'geojson', reason: 'GeoJSON 默认 WGS84 (RFC 7946)，坐标为经纬度' };
    }
    return layer;
  });
}

/**
 * Unpacks the uploaded files into `unpacked` (each zip into a folder named after it), finds their
 * sources and describes every layer. Sources that cannot be read are kept as skipped layers, with
 * the reason; a hostile or empty upload is refused.
 */
export async function openPolygonLayers(uploads: readonly string[], unpacked: string, options: { encoding?: TextEncoding; archiveLimits?: ArchiveLimits } = {}): Promise<Refused<{ layers: PolygonLayer[] }>> {
  try {
    fs.mkdirSync(unpacked, { recursive: true });
    // Large shapefiles stay in their zip, for GDAL to read there (ZipMember).
    const inZip: ZipMember[] = [];
    for (const upload of uploads) {
      const file = path.basename(upload);
      if (/\.zip$/i.test(file)) await extractZip(upload, path.join(unpacked, file.replace(/\.zip$/i, '')), options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS, 1, undefined, inZip);
      else fs.copyFileSync(upload, path.join(unpacked, file));
    }
    const { sources, refused } = await findSources(unpacked, inZip);
    const layers: PolygonLayer[] = [];
    for (const [index, source] of sources.entries()) layers.push(...await describeSource(source, index, options.encoding));
    for (const [index, item] of refused.entries()) {
      layers.push({ id: `R${index}`, name: item.name, format: 'shapefile', source: '', gdalLayer: null, geometryType: 'Unknown', featureCount: 0, fields: [], extent: null, selected: false, skipped: { reason: item.reason, message: item.message }, encoding: null, crs: null, crsCheck: null, stagingTable: null, mapping: null, units: null });
    }
    return { ok: true, layers };
  } catch (error) {
    if (error instanceof ImportRefusal) return error.value;
    throw error;
  }
}

/** The layer's CRS checked against its extent (a CRS known only by its WKT has no code to check). */
export function checkLayerCrs(layer: PolygonLayer, srid: number | null) {
  return srid && layer.extent && !layer.skipped ? checkCrsAgainstExtent(srid, layer.extent) : null;
}

/** How full GDAL fills the pages of a staging table (see readPolygonLayer). */
const STAGING_FILLFACTOR = 50;

/** A staging table's name as an SQL identifier (named by the pipeline: letters, digits, underscores). */
function stagingIdentifier(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`staging table name ${name}`);
  return `"${name}"`;
}

/** Where `readPolygonLayer` writes: an UNLOGGED staging table, or a GeoJSON file in EPSG:4326. */
export type PolygonLayerTarget =
  | { format: 'postgres'; databaseUrl: string; databaseRole?: string; table: string }
  | { format: 'geojson'; file: string };

/**
 * Reads one described layer with `ogr2ogr`, from its CRS (or the user's `srid`) to the target's;
 * into staging, a CGCS2000 Gauss-Kruger layer keeps its projected coordinates, which the caller
 * converts in PostGIS (databaseReprojection).
 * A feature GDAL cannot write (a broken record) makes it read again feature by feature, skipping
 * that feature. `folder` holds the WKT file of a CRS known to GDAL only by its definition.
 */
export async function readPolygonLayer(layer: PolygonLayer, target: PolygonLayerTarget, options: { srid?: number; folder: string; onProgress?: (fraction: number) => void; timeoutMs?: number; beforeRetry?: () => Promise<void> }): Promise<Refused<object>> {
  let sourceSrs: string[] = [];
  // GCJ-02 is no CRS GDAL knows: read as WGS84 degrees, every vertex converted after (isGcj02).
  if (isGcj02(layer, options.srid)) sourceSrs = ['-s_srs', 'EPSG:4326'];
  else if (options.srid) sourceSrs = ['-s_srs', `EPSG:${options.srid}`];
  else if (layer.crs?.sourceWkt) {
    const wkt = path.join(options.folder, `${layer.id}.wkt`);
    fs.writeFileSync(wkt, layer.crs.sourceWkt);
    sourceSrs = ['-s_srs', wkt];
  } else if (layer.crs?.srid) sourceSrs = ['-s_srs', `EPSG:${layer.crs.srid}`];
  const source = [
    layer.source,
    ...(layer.gdalLayer && layer.format !== 'butiao' ? [layer.gdalLayer] : []),
    ...(layer.encoding && layer.format === 'shapefile' ? ['-oo', `ENCODING=${sourceEncoding(layer, target)}`] : []),
  ];
  const connection = target.format === 'postgres' ? gdalConnection(target.databaseUrl) : { dataset: '', env: {} };
  const env = { ...connection.env, ...readingEnv(layer.source) };
  const prelude = target.format === 'postgres' && target.databaseRole ? ['-doo', `PRELUDE_STATEMENTS=SET ROLE ${target.databaseRole}`] : [];
  const geometry = target.format === 'postgres'
    // Coordinates PostGIS converts (databaseReprojection) are written as they are, labelled 4490 until then.
    ? ['-nlt', 'MULTIPOLYGON', '-dim', 'XY', ...(databaseReprojection(layer, options.srid) === null ? [...sourceSrs, '-t_srs', 'EPSG:4490'] : ['-a_srs', 'EPSG:4490'])]
    : [];
  // Binary attributes (GDB blobs) as GDAL shows them, upper-case hex, not as bytea ("\\x…").
  const fieldTypes = ['-mapFieldType', 'Binary=String'];
  // Into staging, GDAL first creates the empty table as it would (its column types), with pages
  // half full (fillfactor 50); then appends the features. Each batch's conversion and the check's
  // notes then rewrite a row on its own page (a HOT update: no new index entry, no page elsewhere),
  // about 4 µs a feature less.
  const create = target.format === 'postgres'
    ? [
      '-f', 'PostgreSQL', connection.dataset, ...prelude,
      '-doo', `CLOSING_STATEMENTS=ALTER TABLE staging.${stagingIdentifier(target.table)} SET (fillfactor = ${STAGING_FILLFACTOR})`,
      ...source, '-limit', '0',
      '-lco', 'SCHEMA=staging', '-nln', target.table, '-lco', 'GEOMETRY_NAME=_geom', '-lco', 'FID=_fid',
      '-lco', 'SPATIAL_INDEX=NONE', '-lco', 'LAUNDER=NO', '-lco', 'PRECISION=NO', '-lco', 'UNLOGGED=ON',
      ...geometry, ...fieldTypes, '-overwrite',
    ]
    : null;
  const args = target.format === 'postgres'
    ? [
      '-f', 'PostgreSQL', connection.dataset, ...prelude, ...source,
      '-nln', `staging.${target.table}`, '-append', ...geometry, ...fieldTypes,
      '-progress', '--config', 'PG_USE_COPY', 'YES', '-gt', '65536',
    ]
    : ['-f', 'GeoJSON', target.file, ...source, ...sourceSrs, '-t_srs', 'EPSG:4326', '-nlt', 'MULTIPOLYGON', '-dim', 'XY', '-lco', 'COORDINATE_PRECISION=9', '-overwrite'];
  let output = '';
  const onStdout = (chunk: string) => {
    output += chunk;
    options.onProgress?.(progressFromOutput(output));
  };
  const read = async (retry: boolean) => {
    if (create) {
      const created = await runGdal('ogr2ogr', create, { timeoutMs: options.timeoutMs, env });
      if (created.code !== 0) return created;
    }
    return runGdal('ogr2ogr', retry ? [...args.filter((argument) => argument !== '-gt' && argument !== '65536'), '-skipfailures'] : args, { onStdout, timeoutMs: options.timeoutMs, env });
  };
  let result = await read(false);
  if (result.code !== 0) {
    output = '';
    if (target.format === 'geojson') fs.rmSync(target.file, { force: true });
    await options.beforeRetry?.();
    result = await read(true);
  }
  if (result.code !== 0) {
    return refusal(UNREADABLE, `GDAL 读取“${layer.name}”失败：${result.stderr.split('\n').filter(Boolean).slice(-2).join(' ')}`, layer.name);
  }
  if (target.format === 'geojson' && isGcj02(layer, options.srid)) {
    const collection = JSON.parse(fs.readFileSync(target.file, 'utf8')) as { features: { geometry: { coordinates: Coordinates } | null }[] };
    for (const feature of collection.features) if (feature.geometry) feature.geometry.coordinates = coordinatesGcj02ToWgs84(feature.geometry.coordinates);
    fs.writeFileSync(target.file, JSON.stringify(collection));
  }
  return { ok: true };
}

/**
 * The CGCS2000 Gauss-Kruger EPSG code a layer loaded into staging is converted from in PostGIS,
 * else null (GDAL converts). GDAL spends about 10 µs a feature converting a projected 变更调查 to
 * EPSG:4490, most of a bare load, on the one core it runs on; PostGIS's ST_Transform, with the same
 * PROJ operation (the same datum: only the inverse projection), gives byte-identical coordinates at
 * about 1 µs a feature, batch by batch beside the check. A CRS known only by its WKT, another datum
 * (西安80, 北京54: PROJ chooses a datum operation, which GDAL and PostGIS might choose apart) and
 * GCJ-02 stay with GDAL.
 */
export function databaseReprojection(layer: PolygonLayer, srid: number | undefined): number | null {
  if (isGcj02(layer, srid)) return null;
  const source = srid ?? (layer.crs?.sourceWkt ? null : layer.crs?.srid ?? null);
  if (source === null || source === 4490) return null;
  const description = describeSrid(source);
  return description?.kind === 'gauss_kruger' && description.datum === 'cgcs2000' ? source : null;
}

/**
 * The encoding GDAL reads a shapefile's text in: the layer's, except for GBK text loaded into
 * staging (databaseDecoding), read as ISO-8859-1, byte for character, and decoded by PostgreSQL.
 */
function sourceEncoding(layer: PolygonLayer, target: PolygonLayerTarget): string {
  return target.format === 'postgres' && databaseDecoding(layer) ? 'ISO-8859-1' : GDAL_ENCODING_NAMES[layer.encoding!.encoding as TextEncoding];
}

/** The text fields of a staged layer (DBF character fields: GDAL's String). */
export function textFields(layer: PolygonLayer): string[] {
  return layer.fields.filter((field) => field.type === 'String').map((field) => field.name);
}

/**
 * The PostgreSQL encoding a shapefile layer loaded into staging has its text decoded from, batch by
 * batch beside the coordinates (import_decode_lenient), else null (GDAL decodes). GDAL recodes
 * each value through iconv, which took 3.7 of its 6.6 s on a 变更调查 of a million 图斑, on the one
 * core it runs on; carried as ISO-8859-1 (byte for character, without iconv) and decoded by
 * PostgreSQL it costs about 0.2 µs a value. Only GBK: PostgreSQL's table gives what glibc's CP936
 * gives for every two-byte sequence (tested); its GB18030 table differs from glibc's on 26
 * sequences, and Big5 was not compared. Field names are decoded by GDAL, so a layer whose field
 * names are not ASCII stays with GDAL: its staged columns must bear the names described.
 */
export function databaseDecoding(layer: PolygonLayer): 'GBK' | null {
  if (layer.format !== 'shapefile' || layer.encoding?.encoding !== 'gbk') return null;
  return layer.fields.every((field) => /^[\x20-\x7e]+$/.test(field.name)) ? 'GBK' : null;
}

/** Whether a layer is read as GCJ-02 (火星坐标): the user's choice, else its guessed CRS. */
export function isGcj02(layer: PolygonLayer, srid: number | undefined): boolean {
  return (srid ?? layer.crs?.srid) === GCJ02_SRID;
}
