import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { LegacyLandImportResult } from '../../domain/api/legacy-land.schemas.js';
import { sridLabel } from '../../domain/import/crs.js';
import { NO_LAYERS, NO_POLYGONS, TOO_LARGE, UNKNOWN_CRS, UNSUPPORTED_CRS, refusal } from '../../domain/import/refusals.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';
import { ApiError, RefusalError } from '../errors.js';
import { openPolygonLayers, readPolygonLayer, type PolygonLayer } from '../imports/polygon-layer.reader.js';
import { actorOf } from './legacy-land.routes.js';

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_FEATURES = 5000;

/** Field names a 历史遗留用地 layer carries (三调 names and Chinese headings), by what they fill. */
const FIELD_NAMES: Readonly<Record<string, readonly string[]>> = {
  surveyBsm: ['BSM', '标识码', '图斑标识码', '图斑BSM'],
  surveyYear: ['SJNF', 'DCND', '调查年度', '数据年份', '年度'],
  currentUse: ['XZYT', '现状用途', 'DLMC', '地类名称'],
  landUseCode: ['DLBM', '地类编码'],
  period: ['FSSQ', '发生时期', '时期'],
  name: ['MC', '名称', 'XMMC', '项目名称'],
  location: ['ZL', '坐落', 'ZLDWMC'],
  userName: ['SYR', '使用人', '用地单位', 'QSDWMC'],
  standard: ['RDBZ', '认定标准'],
  disposalPolicy: ['CZZC', '处置政策'],
  floorAreaM2: ['JZMJ', '建筑面积'],
};

function valueOf(properties: Record<string, unknown>, key: string): string | null {
  const names = FIELD_NAMES[key].map((name) => name.toLowerCase());
  for (const [field, value] of Object.entries(properties)) {
    if (names.includes(field.toLowerCase()) && value !== null && value !== undefined && String(value).trim() !== '') return String(value).trim();
  }
  return null;
}

/** The first polygon layer with a CRS the reader knows. */
function chosenLayer(layers: PolygonLayer[], fileName: string): { layer: PolygonLayer; sourceCrs: string } {
  const layer = layers.find((candidate) => !candidate.skipped);
  if (!layer) {
    const skipped = layers.find((candidate) => candidate.skipped)?.skipped;
    throw new RefusalError(skipped ? refusal(NO_POLYGONS, skipped.message) : refusal(NO_LAYERS, `“${fileName}”里没有可读取的面图层。`));
  }
  if (layer.crs?.refused) throw new RefusalError(refusal(UNSUPPORTED_CRS, layer.crs.refused.message, layer.name));
  if (layer.crs?.sourceWkt) return { layer, sourceCrs: layer.crs.label };
  if (!layer.crs || layer.crs.srid === null) throw new RefusalError(refusal(UNKNOWN_CRS, `无法识别“${layer.name}”的坐标系：Shapefile 请连同 .prj 打包，或提供 CGCS2000 经纬度的 GeoJSON。`, layer.name));
  return { layer, sourceCrs: sridLabel(layer.crs.srid) };
}

/**
 * POST /api/legacy-lands/import: 历史遗留用地 from a file, read as imports read files
 * (openPolygonLayers → readPolygonLayer: a zipped Shapefile with .prj, a File Geodatabase, a
 * GeoPackage or GeoJSON; 西安80/北京54 refused). Fields are taken by their usual names (BSM, SJNF,
 * XZYT/DLMC, DLBM, FSSQ, …); the form's `period` and `surveyYear` fill what the file lacks. Every
 * feature is checked as a drawn one (a known period, a current use, inside the importer's
 * districts); those that fail are listed and left out, the rest are written in one transaction.
 */
export async function legacyImportRoute(app: AppInstance): Promise<void> {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 4 } });

  app.post('/api/legacy-lands/import', {
    config: { permission: 'legacy:write', heavy: true },
    schema: {
      tags: ['stock'], summary: '历史遗留用地 from a Shapefile (zip) / File Geodatabase / GeoPackage / GeoJSON',
      consumes: ['multipart/form-data'], response: { 200: LegacyLandImportResult, 400: ErrorBody, 403: ErrorBody, 413: ErrorBody },
    },
  }, async (request) => {
    if (!request.isMultipart()) throw new ApiError(400, 'invalid_parameter', '请用 multipart/form-data 上传，文件字段名为 file。', { parameter: 'file' });
    const scope = scopeOf(request);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-legacy-'));
    try {
      const form: Record<string, string> = {};
      let upload: string | null = null;
      let fileName = '';
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          fileName = part.filename || 'legacy';
          const extension = (/\.(zip|geojson|json|gpkg)$/i.exec(fileName)?.[1] ?? 'zip').toLowerCase();
          upload = path.join(work, `upload.${extension}`);
          await pipeline(part.file, fs.createWriteStream(upload));
          if (part.file.truncated) throw new RefusalError(refusal(TOO_LARGE, `文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB：请分批导入。`));
        } else {
          form[part.fieldname] = String(part.value ?? '');
        }
      }
      if (!upload) throw new ApiError(400, 'invalid_parameter', '没有收到文件：字段名应为 file。', { parameter: 'file' });
      const defaultYear = form.surveyYear ? Number(form.surveyYear) : null;
      if (defaultYear !== null && !(Number.isInteger(defaultYear) && defaultYear >= 1990 && defaultYear <= 2100)) {
        throw new ApiError(400, 'invalid_parameter', `调查年度“${form.surveyYear}”应为 1990–2100 的年份。`, { parameter: 'surveyYear' });
      }
      const periods = await app.stockListsRepository.current('legacy_period');
      const periodCode = (value: string | null) => value === null ? null : (periods.items.find((item) => item.code === value || item.label === value)?.code ?? null);
      const defaultPeriod = form.period ? periodCode(form.period) : null;
      if (form.period && !defaultPeriod) {
        throw new ApiError(400, 'invalid_parameter', `发生时期“${form.period}”不在当前清单中；可选：${periods.items.map((item) => `${item.code}（${item.label}）`).join('、')}。`, { parameter: 'period' });
      }

      const opened = await openPolygonLayers([upload], path.join(work, 'unpacked'));
      if (!opened.ok) throw new RefusalError(opened);
      const { layer, sourceCrs } = chosenLayer(opened.layers, fileName);
      const geojson = path.join(work, 'legacy.geojson');
      const read = await readPolygonLayer(layer, { format: 'geojson', file: geojson }, { folder: work, timeoutMs: 120_000 });
      if (!read.ok) throw new RefusalError(read);
      const collection = JSON.parse(fs.readFileSync(geojson, 'utf8')) as { features: { properties: Record<string, unknown> | null; geometry: { type: string; coordinates: unknown } | null }[] };
      if (collection.features.length > MAX_FEATURES) {
        throw new ApiError(400, 'invalid_parameter', `“${layer.name}”有 ${collection.features.length} 个要素，一次最多导入 ${MAX_FEATURES} 个：请分批导入。`, { parameter: 'file' });
      }

      const skipped: { feature: number; reason: string }[] = [];
      const records: Parameters<typeof app.legacyLandRepository.create>[0] = [];
      for (const [index, feature] of collection.features.entries()) {
        const properties = feature.properties ?? {};
        const skip = (reason: string) => skipped.push({ feature: index + 1, reason });
        if (!feature.geometry || !/Polygon$/.test(feature.geometry.type)) { skip('没有面图形'); continue; }
        const currentUse = valueOf(properties, 'currentUse');
        if (!currentUse) { skip('缺少现状用途（XZYT/现状用途/DLMC）'); continue; }
        const written = valueOf(properties, 'period');
        const period = written ? periodCode(written) : defaultPeriod;
        if (!period) { skip(written ? `发生时期“${written}”不在当前清单中` : '缺少发生时期（FSSQ/发生时期），表单也未指定'); continue; }
        const yearText = valueOf(properties, 'surveyYear');
        const surveyYear = yearText ? Number.parseInt(yearText, 10) : defaultYear;
        if (surveyYear !== null && !(surveyYear >= 1990 && surveyYear <= 2100)) { skip(`调查年度“${yearText}”不是 1990–2100 的年份`); continue; }
        const district = await app.legacyLandRepository.districtOf(feature.geometry);
        if (!district) { skip('图形不在任何区县内'); continue; }
        if (!scope.covers(district.code)) { skip(`位于 ${district.name}，不在您的管辖范围内`); continue; }
        const floorArea = valueOf(properties, 'floorAreaM2');
        const landUseCode = valueOf(properties, 'landUseCode');
        records.push({
          districtCode: district.code, geometry: feature.geometry, currentUse: currentUse.slice(0, 200), period, periodVersion: periods.version,
          surveyYear, surveyBsm: valueOf(properties, 'surveyBsm')?.slice(0, 40) ?? null, landUseCode: landUseCode && /^[0-9A-Z]{2,6}$/.test(landUseCode) ? landUseCode : null,
          name: valueOf(properties, 'name')?.slice(0, 200) ?? null, location: valueOf(properties, 'location')?.slice(0, 300) ?? null,
          userName: valueOf(properties, 'userName')?.slice(0, 200) ?? null, standard: valueOf(properties, 'standard')?.slice(0, 2000) ?? null,
          disposalPolicy: valueOf(properties, 'disposalPolicy')?.slice(0, 2000) ?? null,
          floorAreaM2: floorArea && Number.isFinite(Number(floorArea)) && Number(floorArea) >= 0 ? Number(floorArea) : null, source: 'imported',
        });
      }
      const ids = records.length > 0 ? await app.legacyLandRepository.create(records, actorOf(request)) : [];
      return { layer: layer.name, sourceCrs, created: ids.length, skipped, ids };
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}
