import { createHash } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { DocumentFileBody } from '../../domain/api/documents.schemas.js';
import {
  StockPackageCompareQuery, StockPackageComparison, StockPackageCreate, StockPackageDetail, StockPackageItems, StockPackageItemsQuery,
  StockPackageList, StockPackageListQuery, StockPackageParams, StockPackageReview, StockPackageStepBody,
} from '../../domain/api/stock-packages.schemas.js';
import { detectMediaType, documentFileName } from '../../domain/documents.js';
import { parcelFieldLabel } from '../../domain/permissions.js';
import { PARCEL_CODE_LABELS, PARCEL_FIELDS, columnName } from '../../domain/parcel-fields.js';
import { stockDepartmentName } from '../../domain/departments.js';
import { legacyStatusLabel } from '../../domain/legacy-land.js';
import { problemStatusLabel } from '../../domain/problems.js';
import {
  PACKAGE_STEPS, SNAPSHOT_COLUMN_LABELS, allowedStepsText, packageItemKindLabel, packageNextStatuses, packageStatusLabel, type PackageStatus,
} from '../../domain/stock-packages.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { OUT_OF_SCOPE, type Scope } from '../auth/scope.js';
import { ApiError, InvalidParameterError, NotFoundError } from '../errors.js';
import { contentDisposition } from '../content-disposition.js';
import { readFormWithFile } from '../multipart-form.js';
import { packageDetail, packageView } from './package-view.js';
import type { ConsentFacts, PackageRow } from './stock-packages.repository.js';

const REFUSALS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** Reasons of refusals (4xx `error`). */
export const PACKAGE_ILLEGAL_STEP = 'invalid_transition';
export const PACKAGE_OPEN_EXISTS = 'package_open';
export const PACKAGE_FROZEN = 'package_frozen';
/** The most differences a comparison lists (its counts are complete). */
const MAX_DIFFERENCES = 2000;
/** The largest consent document accepted (a scanned 批复 fits easily). */
const CONSENT_MAX_BYTES = 20 * 1024 * 1024;

const actorOf = (request: FastifyRequest) => {
  const principal = principalOf(request);
  return { name: principal.username, displayName: principal.displayName, requestId: request.id };
};


/** How a column of a snapshot is named in a comparison: the parcel field's label, or the record's. */
function columnLabel(kind: string, column: string): string {
  if (kind === 'parcel') {
    const field = PARCEL_FIELDS.find((candidate) => columnName(candidate.key) === column);
    if (field) return field.label;
    if (column === 'geometry') return parcelFieldLabel('geometry');
  }
  return SNAPSHOT_COLUMN_LABELS[column] ?? column;
}

/** A coded value of a snapshot as users read it (效率状态, 类别, 遗留用地状态, 问题状态, 责任部门…); others as stored. */
function valueLabel(kind: string, column: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (kind === 'parcel') {
    const field = PARCEL_FIELDS.find((candidate) => columnName(candidate.key) === column);
    const list = field ? PARCEL_CODE_LABELS[field.key] : undefined;
    return list?.find((entry) => entry.code === value)?.label ?? value;
  }
  if (column === 'status') return kind === 'legacy' ? legacyStatusLabel(value) : problemStatusLabel(value);
  if (column === 'department') return stockDepartmentName(value);
  return value;
}

/**
 * 底数上图入库 (seed 004 五(二)): a district's packages, assembled, reported to the 区政府, consented,
 * submitted to the city and reviewed there; the snapshot, its figures, the comparison of two versions.
 */
export async function stockPackagesRoutes(app: AppInstance): Promise<void> {
  await app.register(fastifyMultipart, { limits: { fileSize: CONSENT_MAX_BYTES, files: 1, fields: 4, fieldSize: 8000, parts: 6 } });
  const packages = app.stockPackagesRepository;
  const lists = app.stockListsRepository;

  async function readable(scope: Scope, id: number): Promise<PackageRow> {
    const row = await packages.find(id);
    if (!row) throw new NotFoundError(`没有编号为 ${id} 的上图入库成果包`);
    scope.assertReadable({ code: row.districtCode, name: row.districtName }, '该成果包');
    return row;
  }

  const detail = (id: number) => packageDetail(packages, lists, id);
  const view = packageView;

  /** One step of the state machine: allowed from the package's state (409 naming the allowed steps otherwise), recorded with who, when and why. */
  async function move(request: FastifyRequest, id: number, to: PackageStatus, reason: string | null, extra: { consent?: ConsentFacts; remarks?: string } = {}) {
    const scope = scopeOf(request);
    const row = await readable(scope, id);
    if (to === 'approved' || to === 'returned') assertCityReviewer(request, row);
    else scope.assertWritable({ code: row.districtCode, name: row.districtName }, '该成果包', PACKAGE_STEPS[to].verb);
    const refuse = (status: string) => new ApiError(409, PACKAGE_ILLEGAL_STEP,
      `该成果包是“${packageStatusLabel(status)}”，不能“${PACKAGE_STEPS[to].verb}”；现在可进行：${allowedStepsText(status)}。`,
      { status, allowed: [...packageNextStatuses(status)] });
    if (!packageNextStatuses(row.status).includes(to)) throw refuse(row.status);
    const moved = await packages.transition(id, row.status, to, reason, actorOf(request), extra);
    if (!moved.ok) throw refuse(moved.status);
    return detail(id);
  }

  /** LOCAL RULE: the city reviews: a reviewer's scope must be the package's city (or everything), not its district. */
  function assertCityReviewer(request: FastifyRequest, row: PackageRow): void {
    const principal = principalOf(request);
    if (principal.unrestricted || (row.districtParent && principal.scopes.some((entry) => entry.code === row.districtParent))) return;
    throw new ApiError(403, OUT_OF_SCOPE,
      `上图入库成果包由市规划资源局审核：需要管辖范围为整个市（${row.districtParent ?? '市级'}）的审核账号；您的账号只管辖 ${principal.scopes.map((entry) => entry.name).join('、') || '（无）'}。`,
      { district: { code: row.districtCode, name: row.districtName } });
  }

  app.get('/api/stock-packages', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: '上图入库成果包 of the reader\'s districts, newest version first per district', querystring: StockPackageListQuery, response: { 200: StockPackageList, 400: ErrorBody } },
  }, async (request) => ({ items: (await packages.list(request.query, scopeOf(request))).map(view) }));

  app.post('/api/stock-packages', {
    config: { permission: 'packages:assemble' },
    schema: {
      tags: ['stock'], summary: 'Assembles the district\'s 两库一清单 as its next package (编制中): a snapshot of every 低效用地 parcel, 历史遗留用地 and problem',
      body: StockPackageCreate, response: { 201: StockPackageDetail, ...REFUSALS },
    },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const district = await packages.district(request.body.districtCode);
    if (!district || district.level !== 'district') throw new InvalidParameterError('districtCode', `没有行政区划代码为 ${request.body.districtCode} 的区县：成果包按区县汇集，请选择一个区县。`);
    scope.assertWritable(district, `${district.name}的成果包`, '汇集');
    const title = request.body.title?.trim() || `${district.name}低效用地底数和历史遗留用地上图入库成果（第 {version} 版）`;
    const created = await packages.create(district.code, title, actorOf(request));
    if (!created.ok) {
      throw new ApiError(409, PACKAGE_OPEN_EXISTS,
        `${district.name}已有一个“${packageStatusLabel(created.openStatus)}”的成果包（第 ${created.openVersion} 版）：请先完成它（报区政府、登记同意并提交市局），或在“编制中”时重新汇集它。`,
        { openId: created.openId, status: created.openStatus });
    }
    reply.code(201);
    return detail(created.id);
  });

  app.get('/api/stock-packages/:id', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: 'One package: counts and ellipsoidal areas per category, state, period and department; every step (who, when, why)', params: StockPackageParams, response: { 200: StockPackageDetail, ...REFUSALS } },
  }, async (request) => {
    await readable(scopeOf(request), request.params.id);
    return detail(request.params.id);
  });

  app.post('/api/stock-packages/:id/reassemble', {
    config: { permission: 'packages:assemble' },
    schema: { tags: ['stock'], summary: 'Takes the snapshot of a 编制中 package again (409 once it has left 编制中: frozen)', params: StockPackageParams, response: { 200: StockPackageDetail, ...REFUSALS } },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    scope.assertWritable({ code: row.districtCode, name: row.districtName }, '该成果包', '重新汇集');
    const frozen = (status: string) => new ApiError(409, PACKAGE_FROZEN,
      `该成果包是“${packageStatusLabel(status)}”：报区政府后内容已冻结，不能重新汇集；现在可进行：${allowedStepsText(status)}。如需更新，请待其通过或退回后汇集新版本。`,
      { status, allowed: [...packageNextStatuses(status)] });
    if (row.status !== 'draft') throw frozen(row.status);
    const done = await packages.reassemble(row.id, actorOf(request));
    if (!done.ok) throw frozen(done.status);
    return detail(row.id);
  });

  const stepRoute = (route: string, to: PackageStatus, summary: string, reasonRequired: boolean) => {
    app.post(`/api/stock-packages/:id/${route}`, {
      config: { permission: PACKAGE_STEPS[to].action },
      schema: { tags: ['stock'], summary, params: StockPackageParams, body: StockPackageStepBody, response: { 200: StockPackageDetail, ...REFUSALS } },
    }, async (request) => {
      const reason = request.body?.reason?.trim() || null;
      if (reasonRequired && !reason) throw new InvalidParameterError('reason', `请填写理由 (reason)：${PACKAGE_STEPS[to].verb}需要说明原因。`);
      return move(request, request.params.id, to, reason);
    });
  };
  stepRoute('report', 'reported', '编制中 → 已报区政府 (the snapshot is frozen from here)', false);
  stepRoute('decline', 'draft', '已报区政府 → 编制中: the 区政府 did not agree (reason required; local rule)', true);
  stepRoute('submit', 'submitted', '区政府已同意 → 已提交市局', false);

  app.post('/api/stock-packages/:id/consent', {
    config: { permission: 'packages:submit' },
    schema: {
      tags: ['stock'], summary: '已报区政府 → 区政府已同意: the consent\'s 文号 (documentNo), date and document (multipart: documentNo, date, note, then file)',
      consumes: ['multipart/form-data'], params: StockPackageParams, response: { 200: StockPackageDetail, 413: ErrorBody, ...REFUSALS },
    },
  }, async (request) => {
    await readable(scopeOf(request), request.params.id);
    if (!request.isMultipart()) throw new InvalidParameterError('file', '请用 multipart/form-data 提交：文号 documentNo、日期 date、说明 note，然后文件 file（区人民政府同意的文件）。');
    const { fields, upload } = await readFormWithFile(request,
      () => new ApiError(413, 'too_large', `同意文件超过 ${CONSENT_MAX_BYTES / 1024 / 1024} MB：请压缩扫描件后重试。`, { parameter: 'file' }));
    const documentNo = (fields.documentNo ?? '').trim();
    if (!documentNo || documentNo.length > 100) throw new InvalidParameterError('documentNo', '请填写区人民政府同意的文号 (documentNo)，如“河东政函〔2024〕12号”，最多 100 字。');
    const date = (fields.date ?? '').trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new InvalidParameterError('date', '请填写同意日期 (date)，格式 YYYY-MM-DD。');
    const note = (fields.note ?? '').trim();
    if (note.length > 2000) throw new InvalidParameterError('note', `说明最多 2000 字（现 ${note.length} 字）。`);
    if (!upload || upload.content.length === 0) throw new InvalidParameterError('file', '请附上区人民政府同意的文件 (file)：PDF 或扫描图片。');
    const detected = detectMediaType(upload.content);
    if (!detected.ok) throw new InvalidParameterError('file', '同意文件应为 PDF、图片（JPEG、PNG 等）或 Word/Excel 文件：请上传盖章文件的 PDF 或扫描件。');
    const consent: ConsentFacts = {
      documentNo, date, note: note || null, fileName: documentFileName(upload.name, detected.mediaType), mediaType: detected.mediaType,
      sha256: createHash('sha256').update(upload.content).digest('hex'), content: upload.content,
    };
    return move(request, request.params.id, 'consented', `区人民政府同意（${documentNo}，${date}）`, { consent });
  });

  app.post('/api/stock-packages/:id/review', {
    config: { permission: 'packages:review' },
    schema: {
      tags: ['stock'], summary: '已提交市局 → 通过 / 退回 (remarks required when 退回): the city\'s review', params: StockPackageParams, body: StockPackageReview,
      response: { 200: StockPackageDetail, ...REFUSALS },
    },
  }, async (request) => {
    const remarks = request.body.remarks?.trim() || null;
    if (request.body.decision === 'returned' && !remarks) throw new InvalidParameterError('remarks', '退回时请填写审核意见 (remarks)：写明需要区县修改的内容。');
    return move(request, request.params.id, request.body.decision, remarks, remarks ? { remarks } : {});
  });

  app.get('/api/stock-packages/:id/consent-document', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: 'The 区人民政府 consent document as uploaded', params: StockPackageParams, response: { 200: DocumentFileBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request, reply) => {
    const row = await readable(scopeOf(request), request.params.id);
    const content = row.consentFileName ? await packages.consentFile(row.id) : undefined;
    if (!content) throw new NotFoundError('该成果包还没有登记区人民政府同意的文件。');
    return reply.header('content-type', row.consentMediaType ?? 'application/octet-stream')
      .header('content-disposition', contentDisposition('attachment', row.consentFileName!))
      .send(content);
  });

  app.get('/api/stock-packages/:id/items', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: 'The snapshot: records of one kind as they stood when the package was assembled', params: StockPackageParams, querystring: StockPackageItemsQuery, response: { 200: StockPackageItems, ...REFUSALS } },
  }, async (request) => {
    await readable(scopeOf(request), request.params.id);
    const pageSize = request.query.pageSize ?? 100;
    return packages.items(request.params.id, request.query.kind, pageSize, ((request.query.page ?? 1) - 1) * pageSize) as Promise<StockPackageItems>;
  });

  app.get('/api/stock-packages/:id/compare', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['stock'], summary: 'What changed since an earlier package (default: the one this follows): records added, removed, changed with the changed fields',
      params: StockPackageParams, querystring: StockPackageCompareQuery, response: { 200: StockPackageComparison, ...REFUSALS },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const to = await readable(scope, request.params.id);
    const fromId = request.query.with ?? to.previousId;
    if (!fromId) throw new InvalidParameterError('with', '这是该区县的第一个成果包，没有可比较的前一版本：请用 with 指定要比较的成果包。');
    const from = await readable(scope, fromId);
    if (from.districtCode !== to.districtCode) throw new InvalidParameterError('with', `只能比较同一区县的成果包：第 ${fromId} 号属于${from.districtName}，而该成果包属于${to.districtName}。`);
    const { rows, counts, total } = await packages.compare(from.id, to.id, MAX_DIFFERENCES);
    const ref = (row: PackageRow) => ({ id: row.id, version: row.version, asOf: row.asOf, status: row.status });
    return {
      from: ref(from), to: ref(to),
      counts: (['parcel', 'legacy', 'problem'] as const).map((kind) => {
        const found = counts.find((entry) => entry.kind === kind);
        return { kind, kindLabel: packageItemKindLabel(kind), added: found?.added ?? 0, removed: found?.removed ?? 0, changed: found?.changed ?? 0 };
      }),
      differences: rows.map(({ total: _total, ...row }) => ({
        ...row, kind: row.kind as 'parcel', fields: row.fields.map((change) => ({
          field: change.field, label: columnLabel(row.kind, change.field),
          before: valueLabel(row.kind, change.field, change.before), after: valueLabel(row.kind, change.field, change.after),
        })),
      })),
      truncated: total > rows.length,
    };
  });
}
