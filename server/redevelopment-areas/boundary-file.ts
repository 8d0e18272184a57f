import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import { BoundaryFromFile } from '../../domain/api/areas.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { sridLabel } from '../../domain/import/crs.js';
import {
  EMPTY_BOUNDARY, MISSING_PRJ, NO_LAYERS, NO_POLYGONS, NOT_A_ZIP, TOO_LARGE, UNKNOWN_CRS, UNSUPPORTED_CRS, refusal, type Refused,
} from '../../domain/import/refusals.js';
import type { AppInstance } from '../app-instance.js';
import { ApiError, RefusalError } from '../errors.js';
import { openPolygonLayers, readPolygonLayer, type PolygonLayer } from '../imports/polygon-layer.reader.js';

/** A boundary file is small: a red line, not a survey. */
const MAX_BOUNDARY_FILE_BYTES = 20 * 1024 * 1024;

const ZIP_MAGIC = 0x04034b50;

/** The boundary layer of an opened file: its first readable polygon layer of a Shapefile or File Geodatabase, with a declared CRS. */
function boundaryLayer(layers: PolygonLayer[], fileName: string): Refused<{ layer: PolygonLayer; sourceCrs: string }> {
  const candidates = layers.filter((layer) => layer.format === 'shapefile' || layer.format === 'filegdb');
  const layer = candidates.find((candidate) => !candidate.skipped);
  if (!layer) {
    const skipped = candidates[0]?.skipped ?? layers.find((candidate) => candidate.skipped)?.skipped;
    return skipped ? refusal(NO_POLYGONS, skipped.message) : refusal(NO_LAYERS, `“${fileName}”里没有 Shapefile 或 File Geodatabase。`);
  }
  const crs = layer.crs;
  if (crs?.refused) return refusal(UNSUPPORTED_CRS, crs.refused.message, layer.name);
  if (layer.format === 'shapefile' && crs?.source !== 'prj') {
    return refusal(MISSING_PRJ, `“${layer.name}”缺少 .prj 坐标系文件：请一并打包，或改用部标 txt（可在页面中选择坐标系）。`, layer.name);
  }
  if (crs?.sourceWkt) return { ok: true, layer, sourceCrs: crs.label };
  if (!crs || crs.srid === null || crs.source === 'coordinates') {
    return refusal(UNKNOWN_CRS, `无法识别“${layer.name}”的坐标系（${crs?.reason ?? '文件未声明坐标系'}）：请提供 CGCS2000 坐标的文件。`, layer.name);
  }
  return { ok: true, layer, sourceCrs: layer.format === 'shapefile' ? sridLabel(crs.srid) : '文件自带坐标系' };
}

/**
 * POST /api/areas/boundary-from-file: a 成片改造区域 boundary from a zipped Shapefile or File
 * Geodatabase, read as imports read files (`readPolygonLayer`: its .prj or GDB CRS, 西安80/北京54
 * refused), answered as one GeoJSON MultiPolygon in EPSG:4326: the union of the file's polygons.
 * 部标 txt and GeoJSON are read in the browser. Nothing is kept: the upload lives in a temporary
 * folder.
 */
export async function boundaryFromFileRoute(app: AppInstance): Promise<void> {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_BOUNDARY_FILE_BYTES, files: 1, fields: 2 } });

  app.post('/api/areas/boundary-from-file', {
    config: { permission: 'areas:write', heavy: true },
    schema: {
      tags: ['areas'],
      summary: 'Boundary from a zipped Shapefile / File Geodatabase → GeoJSON MultiPolygon (EPSG:4326), the union of its polygons',
      consumes: ['multipart/form-data'],
      response: { 200: BoundaryFromFile, 400: ErrorBody, 413: ErrorBody },
    },
  }, async (request) => {
    if (!request.isMultipart()) throw new ApiError(400, 'invalid_parameter', '请用 multipart/form-data 上传，文件字段名为 file。', { parameter: 'file' });
    const file = await request.file();
    if (!file) throw new ApiError(400, 'invalid_parameter', '没有收到文件：字段名应为 file。', { parameter: 'file' });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-boundary-'));
    try {
      const stem = path.basename(file.filename || 'boundary').replace(/\.zip$/i, '').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'boundary';
      const upload = path.join(work, `${stem}.zip`);
      await pipeline(file.file, fs.createWriteStream(upload));
      if (file.file.truncated) throw new RefusalError(refusal(TOO_LARGE, `文件超过 ${MAX_BOUNDARY_FILE_BYTES / 1024 / 1024} MB：红线文件不应这么大，请只上传边界图层。`));
      const head = Buffer.alloc(4);
      const descriptor = fs.openSync(upload, 'r');
      fs.readSync(descriptor, head, 0, 4, 0);
      fs.closeSync(descriptor);
      if (head.readUInt32LE(0) !== ZIP_MAGIC) {
        throw new RefusalError(refusal(NOT_A_ZIP, `“${file.filename}”不是 zip 压缩包：Shapefile 请连同 .shp/.shx/.dbf/.prj 打包成 zip 上传；部标 txt 和 GeoJSON 请直接在页面中打开。`));
      }
      const opened = await openPolygonLayers([upload], path.join(work, 'unzipped'));
      if (!opened.ok) throw new RefusalError(opened.reason === NO_LAYERS ? refusal(NO_LAYERS, `“${file.filename}”里没有 Shapefile 或 File Geodatabase。`) : opened);
      const chosen = boundaryLayer(opened.layers, file.filename);
      if (!chosen.ok) throw new RefusalError(chosen);
      const geojson = path.join(work, 'boundary.geojson');
      const read = await readPolygonLayer(chosen.layer, { format: 'geojson', file: geojson }, { folder: work, timeoutMs: 60_000 });
      if (!read.ok) throw new RefusalError(read);
      const collection = JSON.parse(fs.readFileSync(geojson, 'utf8')) as { features: { geometry: { type: string } | null }[] };
      const polygons = collection.features.map((feature) => feature.geometry).filter((geometry) => geometry && /Polygon$/.test(geometry.type));
      if (polygons.length === 0) throw new RefusalError(refusal(NO_POLYGONS, `“${chosen.layer.name}”里没有面要素（多边形）：边界需要面图层。`));
      const boundary = await app.areasRepository.unionOf(polygons as object[]);
      if (!boundary) throw new RefusalError(refusal(EMPTY_BOUNDARY, `“${chosen.layer.name}”的面要素合并后为空。`));
      return { boundary, features: polygons.length, sourceCrs: chosen.sourceCrs, layer: chosen.layer.name };
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}
