import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import helmet from 'helmet';
import type { AppInstance } from './app-instance.js';
import type pg from 'pg';
import { settingsPlugin } from './config.plugin.js';
import { databasePlugin } from './db/database.plugin.js';
import { notificationsPlugin } from './db/notifications.plugin.js';
import { districtsRepositoryPlugin } from './districts/districts.repository.js';
import { auditRepositoryPlugin } from './admin/audit.repository.js';
import { usersRepositoryPlugin } from './auth/users.repository.js';
import { healthRepositoryPlugin } from './health/health.repository.js';
import { parcelsRepositoryPlugin } from './parcels/parcels.repository.js';
import { parcelLineageRepositoryPlugin } from './parcels/parcel-lineage.repository.js';
import { parcelTableRepositoryPlugin } from './parcel-table/parcel-table.repository.js';
import { parcelTableRoutes } from './parcel-table/parcel-table.routes.js';
import { searchRepositoryPlugin } from './search/search.repository.js';
import { searchRoutes } from './search/search.routes.js';
import { surveyRepositoryPlugin } from './survey/survey.repository.js';
import { REPOSITORY_ROOT, type Settings } from './config.js';
import type { DatabaseClient } from './db/database.js';
import type { ClassPools } from './db/pools.js';
import { heavyRequestsPlugin } from './system/heavy-requests.plugin.js';
import { auditRoutes } from './admin/audit.routes.js';
import { adminUsersRoutes } from './admin/users.routes.js';
import { authPlugin } from './auth/auth.plugin.js';
import { authRoutes } from './auth/auth.routes.js';
import { districtsRoutes } from './districts/districts.routes.js';
import { registerErrorHandler } from './errors.js';
import { registerRequestLimits } from './request-limits.js';
import { registerClient } from './static-client.js';
import { healthRoutes } from './health/health.routes.js';
import { importsRoutes } from './imports/imports.routes.js';
import { importServicePlugin } from './imports/imports.service.js';
import { parcelsRoutes } from './parcels/parcels.routes.js';
import { parcelLineageRoutes } from './parcels/parcel-lineage.routes.js';
import { parcelCardRoutes } from './parcels/parcel-card.routes.js';
import { settingsRoutes } from './settings/settings.routes.js';
import { surveyRoutes } from './survey/survey.routes.js';
import { glyphsRoutes } from './tiles/glyphs.routes.js';
import { tilesRoutes } from './tiles/tiles.routes.js';
import { checksRoutes } from './checks/checks.routes.js';
import { checksRepositoryPlugin } from './checks/checks.repository.js';
import { checksServicePlugin } from './checks/checks.service.js';
import { rulesRoutes } from './rules/rules.routes.js';
import { ruleSetsRepositoryPlugin } from './rules/rule-sets.repository.js';
import { areasRoutes } from './redevelopment-areas/areas.routes.js';
import { areasRepositoryPlugin } from './redevelopment-areas/areas.repository.js';
import { boundaryFromFileRoute } from './redevelopment-areas/boundary-file.js';
import { tileServicePlugin } from './tiles/tile-service.js';
import { exportsRepositoryPlugin } from './exports/exports.repository.js';
import { exportsRoutes } from './exports/exports.routes.js';
import { exportServicePlugin, type ExportWriters } from './exports/exports.service.js';
import { pdfRendererPlugin } from './exports/reports/pdf-renderer.js';
import { documentsRepositoryPlugin } from './documents/documents.repository.js';
import { documentsRoutes } from './documents/documents.routes.js';
import { criteriaRepositoryPlugin } from './criteria/criteria.repository.js';
import { criteriaServicePlugin } from './criteria/criteria.service.js';
import { criteriaRoutes } from './criteria/criteria.routes.js';
import { gradingRepositoryPlugin } from './grading/grading.repository.js';
import { gradingServicePlugin } from './grading/grading.service.js';
import { gradingRoutes } from './grading/grading.routes.js';
import { identificationRepositoryPlugin } from './identification/identification.repository.js';
import { identificationRoutes } from './identification/identification.routes.js';
import { identificationServicePlugin } from './identification/identification.service.js';
import { reuseRepositoryPlugin } from './reuse/reuse.repository.js';
import { reuseRoutes } from './reuse/reuse.routes.js';
import { reuseServicePlugin } from './reuse/reuse.service.js';
import { enterpriseRoutes } from './enterprise/enterprise.routes.js';
import { reportsRepositoryPlugin } from './reports/reports.repository.js';
import { reportsRoutes } from './reports/reports.routes.js';
import { reportsServicePlugin } from './reports/reports.service.js';
import { zhaoshangRepositoryPlugin } from './zhaoshang/zhaoshang.repository.js';
import { zhaoshangServicePlugin } from './zhaoshang/zhaoshang.service.js';
import { zhaoshangRoutes } from './zhaoshang/zhaoshang.routes.js';
import { zhaoshangPublicRoutes } from './zhaoshang/zhaoshang-public.routes.js';
import { stockListsRepositoryPlugin } from './stock-lists/stock-lists.repository.js';
import { stockListsRoutes } from './stock-lists/stock-lists.routes.js';
import { legacyLandRepositoryPlugin } from './legacy-land/legacy-land.repository.js';
import { legacyLandRoutes } from './legacy-land/legacy-land.routes.js';
import { legacyImportRoute } from './legacy-land/legacy-import.js';
import { problemsRepositoryPlugin } from './problems/problems.repository.js';
import { problemsRoutes } from './problems/problems.routes.js';
import { annualPlansRepositoryPlugin } from './annual-plans/annual-plans.repository.js';
import { annualPlansRoutes } from './annual-plans/annual-plans.routes.js';
import { stockPackagesRepositoryPlugin } from './stock-packages/stock-packages.repository.js';
import { stockPackagesRoutes } from './stock-packages/stock-packages.routes.js';


export interface AppOptions {
  db: DatabaseClient;
  pool: pg.Pool;
  /** Pools of the light, heavy and bulk request classes (server/db/pools.ts); default: all on `pool`. */
  pools?: ClassPools;
  settings: Settings;
  logger?: boolean | object;
  /** The built client (vite build). Served at `/` when present. */
  clientDirectory?: string;
  /** The connection GDAL uses to load imports into staging (the application's role). */
  gdal: { url: string; role?: string };
  /** The export writers by `${layer}:${format}` (default EXPORT_WRITERS); tests run the job machinery with their own. */
  exportWriters?: ExportWriters;
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

  registerErrorHandler(app);
  registerRequestLimits(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Core: settings, database handles, database notifications.
  await app.register(settingsPlugin, { settings: options.settings });
  await app.register(databasePlugin, { db: options.db, pool: options.pool, pools: options.pools });
  await app.register(notificationsPlugin);

  // Security headers on every answer. The middleware is built once: @fastify/helmet built it again
  // for each request (parsing the CSP each time), ~4 % of the server's CPU in a tile profile (issue 19).
  const securityHeaders = helmet({ contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY } });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  if (options.settings.corsOrigins.length > 0) {
    await app.register(fastifyCors, { origin: options.settings.corsOrigins, credentials: true });
  }
  await app.register(fastifyRateLimit, { global: false });
  // Sessions are resolved through the users repository.
  await app.register(usersRepositoryPlugin);
  await app.register(authPlugin);
  // After auth (it needs the user), before any route: limits on the routes marked `config.heavy`.
  await app.register(heavyRequestsPlugin);
  await app.register(fastifySwagger, { openapi: OPENAPI });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  // Repositories and services: plugins that declare what they decorate and what they need.
  await app.register(districtsRepositoryPlugin);
  await app.register(parcelsRepositoryPlugin);
  await app.register(parcelLineageRepositoryPlugin);
  await app.register(parcelTableRepositoryPlugin);
  await app.register(searchRepositoryPlugin);
  await app.register(auditRepositoryPlugin);
  await app.register(surveyRepositoryPlugin);
  await app.register(healthRepositoryPlugin);
  await app.register(tileServicePlugin);
  await app.register(ruleSetsRepositoryPlugin);
  await app.register(checksRepositoryPlugin);
  await app.register(checksServicePlugin);
  await app.register(areasRepositoryPlugin);
  await app.register(importServicePlugin, { gdal: options.gdal });
  await app.register(pdfRendererPlugin);
  await app.register(exportsRepositoryPlugin);
  await app.register(documentsRepositoryPlugin);
  await app.register(identificationRepositoryPlugin);
  await app.register(identificationServicePlugin);
  await app.register(reuseRepositoryPlugin);
  await app.register(reuseServicePlugin);
  await app.register(exportServicePlugin, { gdal: options.gdal, writers: options.exportWriters });
  await app.register(criteriaRepositoryPlugin);
  await app.register(criteriaServicePlugin);
  await app.register(gradingRepositoryPlugin);
  await app.register(gradingServicePlugin);
  await app.register(reportsRepositoryPlugin);
  await app.register(reportsServicePlugin);
  await app.register(zhaoshangRepositoryPlugin);
  await app.register(zhaoshangServicePlugin);
  await app.register(stockListsRepositoryPlugin);
  await app.register(legacyLandRepositoryPlugin);
  await app.register(problemsRepositoryPlugin);
  await app.register(annualPlansRepositoryPlugin);
  await app.register(stockPackagesRepositoryPlugin);

  // Routes, one module per capability.
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(adminUsersRoutes);
  await app.register(auditRoutes);
  await app.register(settingsRoutes);
  await app.register(districtsRoutes);
  await app.register(parcelsRoutes);
  await app.register(parcelLineageRoutes);
  await app.register(parcelCardRoutes);
  await app.register(parcelTableRoutes);
  await app.register(searchRoutes);
  await app.register(rulesRoutes);
  await app.register(checksRoutes);
  await app.register(areasRoutes);
  await app.register(boundaryFromFileRoute);
  await app.register(tilesRoutes);
  await app.register(importsRoutes);
  await app.register(exportsRoutes);
  await app.register(documentsRoutes);
  await app.register(identificationRoutes);
  await app.register(reuseRoutes);
  await app.register(enterpriseRoutes);
  await app.register(surveyRoutes);
  await app.register(glyphsRoutes);
  await app.register(criteriaRoutes);
  await app.register(gradingRoutes);
  await app.register(reportsRoutes);
  await app.register(zhaoshangRoutes);
  await app.register(zhaoshangPublicRoutes);
  await app.register(stockListsRoutes);
  await app.register(legacyLandRoutes);
  await app.register(legacyImportRoute);
  await app.register(problemsRoutes);
  await app.register(annualPlansRoutes);
  await app.register(stockPackagesRoutes);

  await registerClient(app, options.clientDirectory ?? path.join(REPOSITORY_ROOT, 'client', 'dist'));
  return app;
}

const OPENAPI = {
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
    { name: 'search', description: '搜索（宗地编号、权利人、合同号、证号、坐落、行政区、街道/园区）' },
    { name: 'tiles', description: '矢量瓦片' },
    { name: 'checks', description: '成片改造区域政策校验' },
    { name: 'rules', description: '规则集（政策限值，按版本保存）' },
    { name: 'areas', description: '成片改造区域' },
    { name: 'auth', description: '登录与账号' },
    { name: 'admin', description: '用户管理与审计' },
    { name: 'imports', description: '数据导入' },
    { name: 'identification', description: '认定案卷（列入清单 → 调查表 → 核实 → 初步认定 → 会审 → 审批 → 告知）' },
    { name: 'reports', description: '汇总表与报送（附件11 低效产业用地认定情况汇总表，每月25日前报送）' },
    { name: 'reuse', description: '再利用（方案 → 征求意见 → 确认 → 请示 → 批复 → 协议书 → 实施 → 延期）' },
    { name: 'documents', description: '一地一档（地块档案：合同、证书、照片、图纸）' },
    { name: 'criteria', description: '认定标准（按区、按版本）与初筛' },
    { name: 'grading', description: '综合评价分级 A/B/C/D' },
    { name: 'stock', description: '两库一清单：历史遗留用地数据库、问题清单及其可配置清单' },
    { name: 'enterprise', description: '用地单位（只看本单位的宗地与表单）' },
    { name: 'zhaoshang', description: '招商地图：招商地块（规划条件、专属招商方案，按版本）与投资意向' },
    { name: 'zhaoshang-public', description: '公众招商地图（无需登录，只读已发布内容；投资意向表单）' },
    { name: 'exports', description: '数据导出（GeoJSON、Shapefile、GeoPackage、File Geodatabase、Excel、CSV、PDF）' },
  ],
};

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
