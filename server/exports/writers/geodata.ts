import fs from 'node:fs';
import path from 'node:path';
import { chooseGaussKrugerZone } from '../../../domain/exports/gauss-kruger.js';
import { dbfFieldNames, encodedLength } from '../../../domain/exports/dbf-field-names.js';
import { exportFileName } from '../../../domain/exports/export-names.js';
import { exportLayerOf, type ExportEncoding } from '../../../domain/exports/export-kinds.js';
import { progressFromOutput, runGdal } from '../../imports/gdal.js';
import { EXPORT_EMPTY, EXPORT_NOT_FOUND, type ExportJobContext, type ExportOutput, type ExportRefusal, type ExportWriter } from '../export-writer.js';
import { FIELD_SHEET_FILE, writeFieldSheet, type FieldSheetRow } from '../field-sheet.js';
import { jobCaption } from '../export-captions.js';
import { createTablesExportsRepository } from '../tables.repository.js';
import { createGeodataExportsRepository, type GeodataExportsRepository, type GeodataExtent } from '../geodata.repository.js';
import { SURELY_GBK, areaQueries, parcelsQuery, selectSql, surveyQuery, type GeodataLayerQuery } from '../geodata.sql.js';
import { writeZip } from '../zip-file.js';
import { packageGeodataSelection } from '../../stock-packages/package-export.js';

export type GeodataFormat = 'geojson' | 'shapefile' | 'gpkg' | 'filegdb';

/** GDAL's name of each format's driver. */
const DRIVERS: Record<GeodataFormat, string> = { geojson: 'GeoJSON', shapefile: 'ESRI Shapefile', gpkg: 'GPKG', filegdb: 'OpenFileGDB' };

/** What a geodata export holds: its layers (the first decides "empty") and the words of its file name. */
interface GeodataSelection {
  layers: GeodataLayerQuery[];
  qualifiers: string[];
  /** The place the file name starts with, when the layer's caption already named it. */
  place?: string;
}

async function selectionOf(job: ExportJobContext, repository: GeodataExportsRepository): Promise<GeodataSelection | ExportRefusal> {
  const { filters, scope } = job;
  if (job.layer === 'parcels') {
    // The words of the file name are those of every parcel export (export-captions.ts), tables too.
    const caption = await jobCaption(job, createTablesExportsRepository(job.app.db).places);
    return { layers: [parcelsQuery(filters, scope)], qualifiers: caption.qualifiers, place: caption.place };
  }
  if (job.layer === 'survey') {
    const layer = await repository.currentSurveyLayer(filters.year);
    if (!layer) {
      return {
        ok: false, reason: EXPORT_NOT_FOUND,
        message: filters.year
          ? `没有 ${filters.year} 年度的变更调查图层 / no survey layer for ${filters.year}：请先在“数据导入”中导入该年度的图斑，或选择已有的年度。`
          : '还没有任何变更调查图层 / no survey layer yet：请先在“数据导入”中导入图斑。',
      };
    }
    const query = surveyQuery(layer.id, filters);
    return { layers: [{ ...query, name: `dltb_${layer.year}`, title: `${layer.year}年度变更调查地类图斑` }], qualifiers: [`${layer.year}年度`, filters.bbox ? '框选' : ''] };
  }
  // 上图入库成果包: its frozen parcels and 历史遗留用地 (server/stock-packages/package-export.ts).
  if (job.layer === 'stock-package') return packageGeodataSelection(job);
  if (job.layer === 'areas') {
    const name = filters.areaId ? await repository.areaName(filters.areaId) : null;
    return { layers: areaQueries(filters, scope), qualifiers: name ? [name] : [] };
  }
  throw new Error(`no geodata for layer ${job.layer}`);
}

/** How each layer's fields are named in the file, and the field-name sheet's rows (Shapefile). */
export function fieldNames(layer: GeodataLayerQuery, format: GeodataFormat, encoding: ExportEncoding): { names: string[]; sheet: FieldSheetRow[]; renamed: number } {
  if (format === 'geojson') return { names: layer.fields.map((field) => field.key), sheet: [], renamed: 0 };
  if (format !== 'shapefile') return { names: layer.fields.map((field) => field.name), sheet: [], renamed: 0 };
  const dbf = dbfFieldNames(layer.fields, encoding);
  const sheet = layer.fields.map((field, index) => ({
    layer: `${layer.name}.shp（${layer.title}）`,
    exportedName: dbf[index].name,
    fullName: field.label,
    unit: field.unit ?? '',
    type: field.type,
    note: dbf[index].renamed
      ? `“${field.name}”按 ${encoding} 计 ${encodedLength(field.name, encoding)} 字节，超过 dBASE 字段名 10 字节上限，改名为“${dbf[index].name}”`
      : '',
  }));
  return { names: dbf.map((name) => name.name), sheet, renamed: dbf.filter((name) => name.renamed).length };
}

/** A Shapefile refused because a text is longer than a DBF field can hold. */
export const EXPORT_TOO_LONG_FOR_DBF = 'value_too_long_for_dbf';

/** GDAL could not recode a text into the DBF's encoding (GBK): the Shapefile is written again in UTF-8. */
const NOT_CONVERTED = /couldn't be converted/i;
class NotConvertedError extends Error {}

/** GDAL messages that mean a value was altered on the way out: the export fails rather than ship it. */
const ALTERED = /couldn't be converted|laundered|truncated|Value .* of field .* not successfully written/i;

/** Text in an XML element or attribute. */
function xmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/**
 * The layer GDAL reads: the SELECT on the database, wrapped in a one-layer OGR VRT that states its
 * row count (the extent pass counted it). With `-sql` straight on PostgreSQL, `-progress` makes GDAL
 * first run `SELECT count(*) FROM (<the whole statement>)` — a second full pass before the first
 * row (about 2 s on 1 M parcels); a VRT layer with <FeatureCount> answers the count at once, and
 * passes the statement's fields and geometry through unchanged. No password in the file (PGPASSWORD
 * in GDAL's environment carries it).
 */
function countedSource(job: ExportJobContext, name: string, statement: string, count: number): string {
  const file = path.join(job.directory, `${name}.source.vrt`);
  fs.writeFileSync(file, '<OGRVRTDataSource><OGRVRTLayer name="rows">'
    + `<SrcDataSource>${xmlText(job.gdal.dataset)}</SrcDataSource><SrcSQL>${xmlText(statement)}</SrcSQL>`
    + `<FeatureCount>${Math.max(0, Math.trunc(count))}</FeatureCount></OGRVRTLayer></OGRVRTDataSource>\n`);
  return file;
}

async function ogr2ogr(job: ExportJobContext, args: string[], onProgress: (fraction: number) => void): Promise<void> {
  let seen = '';
  const result = await runGdal('ogr2ogr', ['-progress', ...args], {
    env: job.gdal.env,
    signal: job.signal,
    onStdout: (chunk) => {
      seen = (seen + chunk).slice(-200);
      onProgress(progressFromOutput(seen));
    },
  });
  if (result.code !== 0) throw new Error(`ogr2ogr 写出失败 / ogr2ogr failed: ${result.stderr.trim().slice(0, 2000)}`);
  if (result.stderr.split('\n').some((line) => NOT_CONVERTED.test(line))) throw new NotConvertedError();
  const altered = result.stderr.split('\n').find((line) => ALTERED.test(line));
  if (altered) throw new Error(`GDAL 改动了导出的值，已停止导出 / GDAL altered a value: ${altered.trim()}`);
}

const SURELY_GBK_CHARACTER = new RegExp(SURELY_GBK.replace('*$', '$'), 'u');

/** Where a text leaves GBK, for the note: the characters in doubt and the words around the first. */
function describeOutsideGbk(text: string): string {
  const characters = Array.from(text);
  const first = characters.findIndex((character) => !SURELY_GBK_CHARACTER.test(character));
  if (first === -1) return `如“${characters.slice(0, 30).join('')}”`;
  const doubtful = [...new Set(characters.filter((character) => !SURELY_GBK_CHARACTER.test(character)))].slice(0, 5);
  return `如“${doubtful.join('”“')}”，见“${characters.slice(Math.max(0, first - 10), first + 10).join('')}”`;
}

/** The writer of one geodata format, for the layers parcels, survey and areas. */
export function geodataWriter(format: GeodataFormat): ExportWriter {
  return async (job) => {
    const repository = createGeodataExportsRepository(job.app.db);
    const selection = await selectionOf(job, repository);
    if ('ok' in selection) return selection;
    const layerLabel = exportLayerOf(job.layer)?.label ?? job.layer;
    const extents: GeodataExtent[] = [];
    for (const layer of selection.layers) extents.push(await repository.extent(layer, format === 'shapefile'));
    job.progress(0.02);
    if (extents[0].count === 0) {
      return {
        ok: false, reason: EXPORT_EMPTY,
        message: `没有符合条件的${layerLabel}可导出 / nothing to export：请放宽筛选条件（行政区、状态、低效类型、框选范围等），或确认这些数据在您的管辖范围内。`,
      };
    }
    const notes: string[] = [];

    // Coordinate system: GeoJSON is WGS84 by RFC 7946; the rest a GK zone from the extent, or 4490 on request.
    let epsg = 4490;
    if (format === 'geojson') epsg = 4326;
    else if (job.crs === 'gauss-kruger') {
      const minLon = Math.min(...extents.filter((extent) => extent.count > 0).map((extent) => extent.minLon!));
      const maxLon = Math.max(...extents.filter((extent) => extent.count > 0).map((extent) => extent.maxLon!));
      const choice = chooseGaussKrugerZone(minLon, maxLon);
      epsg = choice.epsg;
      if (choice.note) notes.push(choice.note);
    }

    /** Writes every layer in `encoding` into the job's folder (a fresh `out/` each time). */
    const writeLayers = async (encoding: ExportEncoding) => {
      fs.rmSync(path.join(job.directory, 'out'), { recursive: true, force: true });
      fs.rmSync(path.join(job.directory, `${job.id}.gpkg`), { force: true });
      // A DBF text field holds at most 254 bytes: a longer value would be cut, so the Shapefile is refused, naming it.
      const DBF_TEXT_BYTES = 254;
      for (const [index, layer] of selection.layers.entries()) {
        for (const measured of extents[index].textBytes) {
          const bytes = encoding === 'GBK' ? measured.gbk : measured.utf8;
          if (bytes > DBF_TEXT_BYTES) {
            const field = layer.fields.find((candidate) => candidate.key === measured.key)!;
            return {
              ok: false as const, reason: EXPORT_TOO_LONG_FOR_DBF,
              message: `“${field.label}”有长达 ${bytes} 字节（${encoding}）的值，超过 Shapefile（dBASE）文本字段 254 字节的上限，导出会截断它 / a value is too long for a DBF field：`
                + '请改用 GeoPackage 或 File Geodatabase 导出（字段长度不限），或缩小范围避开该记录。',
            };
          }
        }
      }

      const total = extents.reduce((sum, extent) => sum + extent.count, 0);
      const work = path.join(job.directory, 'out');
      fs.mkdirSync(work, { recursive: true });
      const place = selection.place ?? await repository.placeName(job.filters.district, job.scope);
      const stem = exportFileName([place, layerLabel, ...selection.qualifiers], job.stamp, '');
      const gdbName = `${stem}.gdb`;
      const gpkgFile = path.join(job.directory, `${job.id}.gpkg`);
      const sheet: FieldSheetRow[] = [];
      let renamed = 0;
      let done = 0;
      let first = true;
      for (const [index, layer] of selection.layers.entries()) {
        const count = extents[index].count;
        if (count === 0 && index > 0 && format !== 'gpkg' && format !== 'filegdb') continue;
        const named = fieldNames(layer, format, encoding);
        sheet.push(...named.sheet);
        renamed += named.renamed;
        const widths = format === 'shapefile'
          ? new Map(extents[index].textBytes.map((measured) => [measured.key, encoding === 'GBK' ? measured.gbk : measured.utf8]))
          : undefined;
        const statement = selectSql(layer, named.names, epsg, widths);
        // GeoJSON keeps -sql: through a VRT a NULL arrives as an unset field, which GeoJSON leaves out
        // instead of writing null (the other formats store both as NULL, the file is the same).
        const source = format === 'geojson' ? [job.gdal.dataset, '-sql', statement] : [countedSource(job, layer.name, statement, count)];
        const common = ['-nln', layer.name, '-nlt', 'MULTIPOLYGON', '-a_srs', `EPSG:${epsg}`];
        let target: string;
        const options: string[] = [];
        if (format === 'geojson') {
          target = path.join(work, `${layer.name}.geojson`);
          options.push('-lco', 'RFC7946=YES', '-lco', 'COORDINATE_PRECISION=8', '-lco', 'WRITE_NAME=NO');
        } else if (format === 'shapefile') {
          target = path.join(work, `${layer.name}.shp`);
          // GBK: the DBF's language driver 0x4D (code page 936, which every ArcGIS reads) and a .cpg saying 936.
          options.push('-lco', `ENCODING=${encoding === 'GBK' ? 'LDID/77' : 'UTF-8'}`);
        } else if (format === 'gpkg') {
          target = gpkgFile;
          options.push('-lco', `IDENTIFIER=${layer.title}`, '-lco', `DESCRIPTION=${layer.title}（标图建库导出）`, '-gt', '65536');
          if (!first) options.push('-update');
        } else {
          target = path.join(work, gdbName);
          options.push('-lco', `LAYER_ALIAS=${layer.title}`, '-gt', '65536');
          if (!first) options.push('-update');
        }
        first = false;
        const weight = count / total;
        await ogr2ogr(job, ['-f', DRIVERS[format], target, ...source, ...common, ...options], (fraction) => {
          job.progress(0.05 + 0.85 * (done + weight * fraction));
        });
        done += weight;
        if (format === 'shapefile' && encoding === 'GBK') fs.writeFileSync(path.join(work, `${layer.name}.cpg`), '936');
      }
      return { ok: true as const, encoding, sheet, renamed, total, place, stem, work, gdbName, gpkgFile };
    };

    // Encoding: only a Shapefile has a choice. GBK is written as asked; when GDAL reports a text GBK
    // cannot hold (a rare character in an owner's name, an emoji…), the Shapefile is written again in
    // UTF-8, said in a note with an example. The common case pays no scan for it.
    const asked: ExportEncoding = format === 'shapefile' && job.encoding === 'GBK' ? 'GBK' : 'UTF-8';
    job.progress(0.05);
    const written = await writeLayers(asked).catch(async (error: unknown) => {
      if (!(error instanceof NotConvertedError)) throw error;
      for (const layer of selection.layers) {
        const outside = await repository.outsideGbk(layer);
        if (outside.count > 0) {
          notes.push(`有 ${outside.count} 条${layer.title}记录含 GBK 无法表示的字符（${describeOutsideGbk(outside.examples[0] ?? '')}），`
            + '为避免乱码，本文件改用 UTF-8 编码（.cpg 已注明 UTF-8，ArcGIS 10.2 及以上、ArcGIS Pro、QGIS 可正确读取）。');
          break;
        }
      }
      return writeLayers('UTF-8');
    });
    if (!written.ok) return written;
    const { encoding, sheet, renamed, total, place, stem, work, gdbName, gpkgFile } = written;
    if (renamed > 0) notes.push(`有 ${renamed} 个字段名超过 Shapefile（dBASE）字段名 10 字节上限（${encoding} 编码），已改短；完整名称、单位和类型见压缩包内的 ${FIELD_SHEET_FILE}。`);


    let file: string;
    let fileName: string;
    const zipOf = async (entries: { name: string; file: string }[], name: string) => {
      file = path.join(job.directory, `${job.id}.zip`);
      fileName = name;
      await writeZip(file, entries, job.signal);
    };
    const filesIn = (folder: string, prefix = '') => fs.readdirSync(folder).sort().map((entry) => ({ name: `${prefix}${entry}`, file: path.join(folder, entry) }));
    if (format === 'gpkg') {
      file = gpkgFile;
      fileName = `${stem}.gpkg`;
    } else if (format === 'geojson' && selection.layers.length === 1) {
      file = path.join(work, `${selection.layers[0].name}.geojson`);
      fileName = `${stem}.geojson`;
    } else if (format === 'geojson') {
      await zipOf(filesIn(work), `${stem}_GeoJSON.zip`);
    } else if (format === 'shapefile') {
      const sheetFile = path.join(work, FIELD_SHEET_FILE);
      await writeFieldSheet(sheetFile, sheet, `${place}${layerLabel} Shapefile 字段对照表（DBF 编码 ${encoding}，坐标系 EPSG:${epsg}）`);
      await zipOf(filesIn(work), `${stem}.zip`);
    } else {
      await zipOf(filesIn(path.join(work, gdbName), `${gdbName}/`), `${stem}.gdb.zip`);
    }
    job.progress(1);
    const output: ExportOutput = {
      ok: true,
      file: file!,
      fileName: fileName!,
      rowCount: total,
      crs: `EPSG:${epsg}`,
      encoding: format === 'shapefile' ? encoding : null,
      notes,
    };
    return output;
  };
}
