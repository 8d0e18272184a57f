import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import { Type } from 'typebox';
import { crsFromPrj, sridLabel } from '../../domain/import/crs.js';
import type { AppInstance } from '../app-instance.js';
import { ApiError } from '../errors.js';
import { extractZip } from '../imports/archive.js';
import { runGdal } from '../imports/gdal.js';
import { ImportRefusal } from '../imports/import-errors.js';
import { findSources } from '../imports/layers.js';

/** A boundary file is small: a red line, not a survey. */
const MAX_BOUNDARY_FILE_BYTES = 20 * 1024 * 1024;

const refuse = (message: string) => new ApiError(400, 'invalid_boundary_file', message, { parameter: 'file' });

/**
 * POST /api/areas/boundary-from-file: a 成片改造区域 boundary from a zipped Shapefile or File
 * Geodatabase (read by GDAL; its .prj or GDB CRS, 西安80/北京54 refused as on import), answered
 * as one GeoJSON MultiPolygon in EPSG:4326: the union of the file's polygons. 部标 txt and
 * GeoJSON are read in the browser. Nothing is kept: the upload lives in a temporary folder.
 */
export async function boundaryFromFileRoute(app: AppInstance): Promise<void> {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_BOUNDARY_FILE_BYTES, files: 1, fields: 2 } });

  app.post('/api/areas/boundary-from-file', {
    config: { permission: 'areas:write' },
    schema: {
      tags: ['areas'],
      summary: 'Boundary from a zipped Shapefile / File Geodatabase → GeoJSON MultiPolygon (EPSG:4326), the union of its polygons',
      consumes: ['multipart/form-data'],
      response: { 200: Type.Object({ boundary: Type.Record(Type.String(), Type.Unknown()), features: Type.Integer(), sourceCrs: Type.String(), layer: Type.String() }) },
    },
  }, async (request) => {
    if (!request.isMultipart()) throw refuse('请用 multipart/form-data 上传，文件字段名为 file。');
    const file = await request.file();
    if (!file) throw refuse('没有收到文件：字段名应为 file。');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-boundary-'));
    try {
      const upload = path.join(work, 'upload.bin');
      await pipeline(file.file, fs.createWriteStream(upload));
      if (file.file.truncated) throw refuse(`文件超过 ${MAX_BOUNDARY_FILE_BYTES / 1024 / 1024} MB：红线文件不应这么大，请只上传边界图层。`);
      const head = Buffer.alloc(4);
      const descriptor = fs.openSync(upload, 'r');
      fs.readSync(descriptor, head, 0, 4, 0);
      fs.closeSync(descriptor);
      if (head.readUInt32LE(0) !== 0x04034b50) {
        throw refuse(`“${file.filename}”不是 zip 压缩包：Shapefile 请连同 .shp/.shx/.dbf/.prj 打包成 zip 上传；部标 txt 和 GeoJSON 请直接在页面中打开。`);
      }
      const root = path.join(work, 'unzipped');
      try {
        await extractZip(upload, root);
      } catch (error) {
        throw refuse(error instanceof ImportRefusal ? error.message : `无法解压“${file.filename}”：${(error as Error).message}`);
      }
      const { sources, refused } = findSources(root);
      const source = sources.find((candidate) => candidate.format === 'shapefile' || candidate.format === 'filegdb');
      if (!source) throw refuse(refused[0]?.message ?? `“${file.filename}”里没有 Shapefile 或 File Geodatabase。`);
      let sourceSrs: string[] = [];
      let sourceCrs = '文件自带坐标系';
      if (source.format === 'shapefile') {
        const prj = source.siblings['.prj'];
        if (!prj) throw refuse(`“${source.name}”缺少 .prj 坐标系文件：请一并打包，或改用部标 txt（可在页面中选择坐标系）。`);
        const crs = crsFromPrj(fs.readFileSync(prj, 'utf8'));
        if (crs.refused) throw refuse(crs.refused.message);
        if (crs.srid === null) throw refuse(`无法识别“${source.name}”的坐标系（${crs.reason}）：请提供 CGCS2000 坐标的文件。`);
        sourceSrs = ['-s_srs', `EPSG:${crs.srid}`];
        sourceCrs = sridLabel(crs.srid);
      }
      const result = await runGdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source.path, ...sourceSrs, '-t_srs', 'EPSG:4326', '-nlt', 'MULTIPOLYGON', '-lco', 'COORDINATE_PRECISION=9'], { timeoutMs: 60_000 });
      if (result.code !== 0) throw refuse(`GDAL 无法读取“${source.name}”：${result.stderr.trim().split('\n').at(-1) ?? ''}`);
      const collection = JSON.parse(result.stdout) as { features: { geometry: { type: string } | null }[] };
      const polygons = collection.features.map((feature) => feature.geometry).filter((geometry) => geometry && /Polygon$/.test(geometry.type));
      if (polygons.length === 0) throw refuse(`“${source.name}”里没有面要素（多边形）：边界需要面图层。`);
      const { rows: [row] } = await app.pool.query<{ boundary: Record<string, unknown> | null }>(
        `SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_CollectionExtract(ST_MakeValid(ST_GeomFromGeoJSON(g)), 3))), 3)), 9)::json AS boundary
         FROM unnest($1::text[]) g`, [polygons.map((geometry) => JSON.stringify(geometry))]);
      if (!row.boundary) throw refuse(`“${source.name}”的面要素合并后为空。`);
      return { boundary: row.boundary, features: polygons.length, sourceCrs, layer: source.name };
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}
