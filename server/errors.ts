import type { FastifyError, FastifyInstance } from 'fastify';
import type { RuleSetProblem } from '../domain/rules/rule-set.validation.js';
import {
  CHECK_BOUNDARY_EMPTY, CHECK_BOUNDARY_TOO_LARGE, CHECK_GEOMETRY_INVALID, CHECK_GEOMETRY_UNREADABLE, CHECK_TOO_MANY_VERTICES,
  CHECK_UNKNOWN_RULE_SET, MAX_AREA_M2, MAX_VERTICES, geosReasonInChinese, type CheckInputProblem, type CheckStep,
} from './checks/check-input.validation.js';
import { DISK_FULL, TOO_LARGE, type Refusal, type RefusalReason } from '../domain/import/refusals.js';
import { DATABASE_BUSY, DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, databaseFault, type DatabaseFault } from './db/availability.js';
import { forbiddenFieldsMessage } from '../domain/permissions.js';
import {
  CRITERIA_SET_NOT_DRAFT, ILLEGAL_STEP, NO_GRADING_SCHEME, NO_PUBLISHED_CRITERIA, STALE_CRITERIA_VERSION, criteriaSetStateLabel, type CriteriaRefusal,
} from '../domain/identification/criteria.js';
import { isQueryCanceled } from './db/pools.js';
import type { VersionConflict } from '../domain/api/parcels.schemas.js';
import { MAX_INPUT_VERTICES } from '../domain/geometry-input.validation.js';
import {
  DOCUMENT_ALREADY_REMOVED, DOCUMENT_DUPLICATE, DOCUMENT_EMPTY, DOCUMENT_NOT_PREVIEWABLE, DOCUMENT_REMOVED, DOCUMENT_TOO_LARGE, DOCUMENT_TYPE_REFUSED,
  type DocumentRefusal, type DocumentRefusalReason,
} from '../domain/documents.js';
import {
  AREA_TOLERANCE_M2, LINEAGE_AREA_MISMATCH, MERGE_CONDITIONS_UNMET, MERGE_OVERLAP, PARCEL_CODE_TAKEN, PARCEL_RETIRED, SPLIT_CODES_COUNT,
  SPLIT_LINE_DOES_NOT_DIVIDE, SPLIT_LINE_ENDS_INSIDE, SPLIT_LINE_INVALID, SPLIT_LINE_MISSES_PARCEL, SPLIT_MAX_PARTS, SPLIT_MIN_PART_M2,
  SPLIT_SLIVER, SPLIT_TOO_MANY_PARTS, type LineageRefusal,
} from '../domain/parcel-lineage.js';
import { CASE_OPEN, IDENTIFICATION_REFUSAL_STATUS, caseOpenMessage, type IdentificationRefusal } from '../domain/identification/refusals.js';
import { ZHAOSHANG_REFUSAL_STATUS, type ZhaoshangRefusal } from '../domain/zhaoshang.js';
import { REUSE_OPEN, REUSE_REFUSAL_STATUS, reuseOpenMessage, type ReuseRefusal } from '../domain/reuse/refusals.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The message of a body value the schema refused, by parameter (`floorAreaRatio`, `items.0.taxWan`); undefined → the generic one. */
    explainInvalid?: (parameter: string) => string | undefined;
  }
}

/**
 * Errors the modules throw on purpose. The single error handler below maps them to HTTP; every 4xx
 * body says what was wrong and how to fix it, in Chinese first.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The reason of a 429: a rate limit (per client address on login) was reached. */
export const RATE_LIMITED = 'rate_limited';

export class NotFoundError extends ApiError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(404, 'not_found', message, details);
  }
}

export class InvalidParameterError extends ApiError {
  constructor(parameter: string, message: string) {
    super(400, 'invalid_parameter', message, { parameter });
  }
}

interface ValidationIssue {
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** Names the parameter of a schema validation failure: `page`, `code`, `body.boundary`… */
export function parameterOf(issue: ValidationIssue): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params?.missingProperty;
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing;
  const additional = issue.params?.additionalProperty;
  if (typeof additional === 'string') return path ? `${path}.${additional}` : additional;
  return path || '(body)';
}

/** The 503 of a database that is away or busy (server/db/availability.ts): what happened and when to retry. */
const DATABASE_FAULT_MESSAGES: Record<DatabaseFault, (seconds: number) => string> = {
  [DATABASE_UNAVAILABLE]: (seconds) =>
    `数据库暂时不可用（可能正在重启或维护），请 ${seconds} 秒后重试；如几分钟后仍不可用，请联系管理员检查数据库服务。/ The database is temporarily unavailable: retry in ${seconds} s.`,
  [DATABASE_BUSY]: (seconds) =>
    `服务繁忙，数据库连接已全部占用，请 ${seconds} 秒后重试。/ All database connections are busy: retry in ${seconds} s.`,
};

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation && error.validation.length > 0) {
      const issue = error.validation[0] as ValidationIssue;
      const parameter = parameterOf(issue);
      const where = error.validationContext ?? 'request';
      // A route may say in words what a field takes (e.g. the parcel card's fields, with range and unit).
      const explained = where === 'body' ? request.routeOptions.config?.explainInvalid?.(parameter) : undefined;
      return reply.code(400).send({
        error: 'invalid_parameter',
        parameter,
        message: explained ?? `参数 ${parameter} 无效 (${where}): ${issue.message ?? 'invalid'}。请检查该参数后重试。`,
      });
    }
    if (error instanceof RetryLaterError) reply.header('retry-after', String(error.retryAfterSeconds));
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).send({ error: error.code, message: error.message, ...error.details });
    }
    const caseOpen = caseOpenRefusal(error);
    if (caseOpen) {
      return reply.code(caseOpen.statusCode).send({ error: caseOpen.code, message: caseOpen.message, ...caseOpen.details });
    }
    const fault = databaseFault(error);
    if (fault) {
      // Logged once per outage by the tracker (when it starts and when it ends), not per request.
      request.server.databaseAvailability?.refused(error);
      const seconds = RETRY_AFTER_SECONDS[fault];
      return reply.code(503).header('retry-after', String(seconds)).send({
        error: fault, message: DATABASE_FAULT_MESSAGES[fault](seconds), retryAfterSeconds: seconds, requestId: request.id,
      });
    }
    if (isQueryCanceled(error)) {
      // statement_timeout of the request's class (server/db/pools.ts): too much work, not a fault.
      request.log.warn({ requestId: request.id, url: request.url }, 'statement cancelled (statement_timeout)');
      return reply.code(503).header('retry-after', String(QUERY_TIMEOUT_RETRY_SECONDS)).send({
        error: 'query_timeout',
        message: '请求过于复杂，查询超时：请缩小范围或简化图形后重试 / the query took too long: narrow the request and try again.',
        retryAfterSeconds: QUERY_TIMEOUT_RETRY_SECONDS,
        requestId: request.id,
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limitMb = ((request.routeOptions.bodyLimit ?? 0) / 1024 / 1024).toFixed(0);
      const fix = request.routeOptions.config?.heavy ? `请简化图形（每个图形最多 ${MAX_INPUT_VERTICES} 个折点）或分批提交` : '请减少内容或分批提交';
      return reply.code(413).send({ error: 'body_too_large', parameter: '(body)', message: `请求体超过 ${limitMb} MB 的上限：${fix} / the body is over ${limitMb} MB.` });
    }
    if (BROKEN_MULTIPART.test(error.message ?? '') && !error.statusCode) {
      return reply.code(400).send({ error: 'invalid_multipart', parameter: 'file', message: '上传的表单数据不完整或格式有误（multipart）：请重新选择文件上传 / broken multipart body' });
    }
    const refusal = databaseRefusal(error);
    if (refusal) {
      // The contract should have refused the value first: logged so the schema can be tightened.
      request.log.warn({ err: error, requestId: request.id }, 'database refused a request value');
      return reply.code(400).send(refusal);
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      // @fastify/rate-limit: its Retry-After header says when to come back.
      const seconds = Number(reply.getHeader('retry-after')) || 60;
      return reply.code(429).send({
        error: RATE_LIMITED,
        message: `请求过于频繁，请 ${seconds} 秒后再试 / too many requests, retry in ${seconds} s。`,
        retryAfterSeconds: seconds,
      });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: error.code ?? 'bad_request', message: error.message });
    }
    request.log.error({ err: error, requestId: request.id }, 'unhandled error');
    return reply.code(500).send({
      error: 'internal_error',
      message: '服务器内部错误，请稍后重试；如持续出现，请把请求编号告知管理员。',
      requestId: request.id,
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', message: `没有这个地址 / no route: ${request.method} ${request.url.split('?')[0]}` });
  });
}

/** Retry-After of a 503 for a statement cancelled by its timeout. */
const QUERY_TIMEOUT_RETRY_SECONDS = 10;

/** A refusal for load (429 too many requests): answered with `Retry-After`. */
export class RetryLaterError extends ApiError {
  constructor(statusCode: number, code: string, message: string, readonly retryAfterSeconds: number, details: Record<string, unknown> = {}) {
    super(statusCode, code, message, { ...details, retryAfterSeconds });
  }
}

/** busboy's errors for a multipart body that ends early or is malformed, or whose boundary is over 256 characters (RFC 2046 allows 70): the upload routes read with it. */
const BROKEN_MULTIPART = /^(Unexpected end of (multipart data|form)|Malformed part header|Multipart: Boundary not found|Part terminated early|Malformed urlencoded form|The needle cannot have a length bigger than)/;

/**
 * PostgreSQL errors that only a request's own values cause — a number or date the column cannot
 * hold, text that is no number, a geometry GEOS cannot overlay — answered as the 400 they are. The
 * contract schemas (domain/api/*.schemas.ts) and the geometry checks refuse such values first and
 * name the field; this is the net behind them, so that a value they let through is never a 500.
 */
const DATABASE_REFUSALS: Record<string, string> = {
  '22003': '请求中的数值超出数据库可存储的范围：请检查数值的大小 / a number is out of range',
  '22008': '请求中的日期或时间超出范围：请使用 1900–2999 年之间的真实日期 / a date is out of range',
  '22007': '请求中的日期或时间格式无效：请使用 YYYY-MM-DD / invalid date',
  '22P02': '请求中的值格式无效（例如应为数字处给了文字）：请检查后重试 / invalid value',
  '22021': '请求中的文本含有无法保存的字符（如 NUL \\u0000）：请删除后重试 / invalid character',
};

export function databaseRefusal(error: unknown): { error: string; message: string } | null {
  const { code, severity, message } = error as { code?: unknown; severity?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof severity !== 'string') return null;
  if (DATABASE_REFUSALS[code]) return { error: 'invalid_parameter', message: DATABASE_REFUSALS[code] };
  if (code === 'XX000' && typeof message === 'string' && /TopologyException|GEOS/i.test(message)) {
    return { error: 'invalid_geometry', message: `图形无效，PostGIS 无法计算（${message.slice(0, 160)}）：请检查是否自相交或有重复的折点后重新提交` };
  }
  return null;
}

/** Geometry that cannot be stored: invalid, empty, of the wrong type, or in the wrong place. */
export class GeometryError extends ApiError {
  constructor(reason: string, parameter: string) {
    super(400, 'invalid_geometry', `图形无效 (${parameter})：${reason}。请修复后重新提交。`, { parameter, reason });
  }
}

/** A refused check body (server/checks/check-input.validation.ts) as the 400 that says what to fix. */
export function checkInputError(problem: CheckInputProblem): ApiError {
  switch (problem.reason) {
    case CHECK_TOO_MANY_VERTICES:
      return new GeometryError(`折点过多（${problem.vertices} 个，上限 ${MAX_VERTICES}）：请简化边界`, problem.where);
    case CHECK_UNKNOWN_RULE_SET:
      return new ApiError(400, 'unknown_rule_set',
        `没有规则集 ${problem.ruleSet}${problem.ruleSetVersion ? ` 的第 ${problem.ruleSetVersion} 版` : ''}；可用: ${problem.known.join(', ')}`, { parameter: problem.where });
    case CHECK_GEOMETRY_UNREADABLE:
      return new GeometryError(`PostGIS 无法读取图形：${problem.detail}`, problem.where);
    case CHECK_GEOMETRY_INVALID:
      return new GeometryError(`${geosReasonInChinese(problem.geosReason)}（${problem.geosReason}）`, problem.where);
    case CHECK_BOUNDARY_TOO_LARGE:
      return new GeometryError(`边界面积 ${(problem.areaM2 / 1e6).toFixed(1)} 平方千米，超过 ${MAX_AREA_M2 / 1e6} 平方千米的上限：请检查坐标或分片提交`, problem.where);
    case CHECK_BOUNDARY_EMPTY:
      return new GeometryError('边界面积为 0：请检查坐标顺序是否为 [经度, 纬度]', problem.where);
  }
}

/** A check step's value, or its refusal thrown as HTTP. */
export function unlessRefused<T>(step: CheckStep<T>): T {
  if (!step.ok) throw checkInputError(step);
  return step;
}

/** An administrator's rule set with problems (domain/rules/rule-set.validation.ts): 400 listing each. */
export function ruleSetError(problems: readonly RuleSetProblem[]): ApiError {
  const messages = problems.map((problem) => problem.message);
  return new ApiError(400, 'invalid_rule_set', `规则集有误：${messages.join('；')}`, {
    problems: messages,
    reasons: problems.map(({ reason, where }) => ({ reason, where })),
  });
}

/** A criteria set or grading refusal (domain/identification/criteria.ts): 409, saying what to do. */
export function criteriaRefusalError(refusal: CriteriaRefusal): ApiError {
  switch (refusal.reason) {
    case ILLEGAL_STEP: {
      const allowed = refusal.allowed.map(criteriaSetStateLabel);
      return new ApiError(409, ILLEGAL_STEP,
        `${refusal.subject}当前为“${criteriaSetStateLabel(refusal.from)}”，不能改为“${criteriaSetStateLabel(refusal.to)}”。${allowed.length > 0 ? `可以改为：${allowed.join('、')}。` : '已废止的标准不能再改变状态，请新建草案。'} / Allowed steps: ${refusal.allowed.join(', ') || 'none'}.`,
        { from: refusal.from, to: refusal.to, allowed: [...refusal.allowed] });
    }
    case CRITERIA_SET_NOT_DRAFT:
      return new ApiError(409, CRITERIA_SET_NOT_DRAFT,
        `只有草案可以修改；该标准当前为“${criteriaSetStateLabel(refusal.state)}”。请以它为底新建一份草案，修改后再报批。/ Only a draft can be edited.`, { state: refusal.state });
    case STALE_CRITERIA_VERSION:
      return new ApiError(409, STALE_CRITERIA_VERSION,
        `该标准已被他人修改（当前为第 ${refusal.current} 版，您修改的是第 ${refusal.given} 版）。请刷新后在最新版本上修改。`, { current: refusal.current, given: refusal.given, parameter: 'version' });
    case NO_PUBLISHED_CRITERIA:
      return new ApiError(409, NO_PUBLISHED_CRITERIA,
        `${refusal.district} 没有已发布的认定标准，不能初筛。请先在“认定标准”中批准并发布一份标准。/ The district has no published criteria set.`, { district: refusal.district });
    case NO_GRADING_SCHEME:
      return new ApiError(409, NO_GRADING_SCHEME,
        `${refusal.district} 还没有综合评价分级方案。请先在“分级方案”中保存一份方案。/ The district has no grading scheme.`, { district: refusal.district });
  }
}

/** HTTP status of an upload refusal: 413 for a file over the limit, 507 when the disk is short, 400 for everything else. */
const REFUSAL_STATUS: Partial<Record<RefusalReason, number>> = { [TOO_LARGE]: 413, [DISK_FULL]: 507 };

/**
 * An upload refused as a whole (an import or a 成片改造区域 boundary file), from the refusal value
 * the reader returned: the reason is the error code, the message is kept as written.
 */
export class RefusalError extends ApiError {
  constructor(refusal: Refusal) {
    super(REFUSAL_STATUS[refusal.reason] ?? 400, refusal.reason, refusal.message, { parameter: 'file' });
  }
}

/**
 * Values of a parcel edit that break a rule across fields (domain/parcel-card-validation.ts: dates in
 * order, nothing happened in the future…): 400 naming the first field, every problem listed.
 */
export class InvalidValuesError extends ApiError {
  constructor(problems: readonly { field: string; message: string }[]) {
    super(400, 'invalid_parameter', problems.map((problem) => problem.message).join(' '), { parameter: problems[0].field, problems: [...problems] });
  }
}

/** Parcel fields the user's role may not set (PARCEL_FIELD_ACTIONS), named by their labels. */
export class ForbiddenFieldsError extends ApiError {
  constructor(role: string, fields: readonly string[], hint = '') {
    super(403, 'forbidden_fields', `${forbiddenFieldsMessage(role, fields)}${hint}`, { fields: [...fields] });
  }
}

/** A parcel retired by a split or merge (410 Gone): when, how, and the live parcels it became. */
export class RetiredParcelError extends ApiError {
  constructor(retired: { id: number; code: string; retiredAt: string; reason: 'split' | 'merge'; successors: readonly { id: number; code: string }[] }) {
    const how = retired.reason === 'split' ? '分割为' : '并入';
    const successors = retired.successors.map((successor) => successor.code).join('、') || '（无）';
    super(410, PARCEL_RETIRED,
      `地块 ${retired.code} 已于 ${retired.retiredAt.slice(0, 10)} ${how} ${successors}，已注销（存档可查）：请打开${retired.successors.length > 1 ? '其后继地块' : '地块 ' + successors}。`,
      { id: retired.id, code: retired.code, retiredAt: retired.retiredAt, kind: retired.reason, successors: [...retired.successors] });
  }
}

const LINEAGE_REFUSAL_STATUS: Partial<Record<LineageRefusal['reason'], number>> = { [PARCEL_CODE_TAKEN]: 409 };

/** A refused split or merge (domain/parcel-lineage.ts) as the 4xx that says what to fix. */
export function lineageRefusalError(refusal: LineageRefusal): ApiError {
  const status = LINEAGE_REFUSAL_STATUS[refusal.reason] ?? 422;
  const refuse = (message: string, details: Record<string, unknown>) => new ApiError(status, refusal.reason, message, details);
  switch (refusal.reason) {
    case SPLIT_LINE_INVALID:
      return refuse(`分割线无效（${refusal.detail}）：请重新绘制分割线 / the line is invalid`, { parameter: 'line' });
    case SPLIT_LINE_MISSES_PARCEL:
      return refuse('分割线没有穿过该地块：请从地块外一侧画线，穿过地块到另一侧 / the line does not cross the parcel', { parameter: 'line' });
    case SPLIT_LINE_ENDS_INSIDE:
      return refuse(`分割线的${refusal.ends.map((end) => (end === 'start' ? '起点' : '终点')).join('和')}落在地块内部：分割线须完整穿过地块，起点和终点都在地块之外 / the line must start and end outside the parcel`, { parameter: 'line', ends: refusal.ends });
    case SPLIT_LINE_DOES_NOT_DIVIDE:
      return refuse('分割线没有把地块分成两块或更多（可能只沿边界擦过）：请让分割线完整穿过地块 / the line does not divide the parcel', { parameter: 'line' });
    case SPLIT_SLIVER:
      return refuse(`分割后第 ${refusal.part} 块（自西向东）面积仅 ${refusal.areaM2.toFixed(2)} m²，小于 ${SPLIT_MIN_PART_M2} m²：请移动分割线，不要切出碎片 / part ${refusal.part} would be a sliver`, { parameter: 'line', part: refusal.part, areaM2: refusal.areaM2 });
    case SPLIT_TOO_MANY_PARTS:
      return refuse(`分割线把地块分成了 ${refusal.parts} 块，超过 ${SPLIT_MAX_PARTS} 块的上限：请简化分割线 / too many parts`, { parameter: 'line', parts: refusal.parts });
    case SPLIT_CODES_COUNT:
      return refuse(`给出了 ${refusal.codes} 个宗地编号，但分割后有 ${refusal.parts} 块：请为每一块（自西向东）给出一个编号，或不填由系统生成 / one code per part`, { parameter: 'codes', parts: refusal.parts });
    case PARCEL_CODE_TAKEN:
      return refuse(`宗地编号 ${refusal.codes.join('、')} 已被使用（或重复，含已注销的地块）：请换一个编号 / code already used`, { parameter: 'codes', codes: refusal.codes });
    case MERGE_CONDITIONS_UNMET: {
      const failed = refusal.conditions.filter((condition) => !condition.pass);
      return refuse(`不符合并宗条件：${failed.map((condition) => `【${condition.label}】${condition.message}`).join('；')} / merge conditions not met: ${failed.map((condition) => condition.key).join(', ')}`,
        { parameter: 'parcels', failed: failed.map((condition) => condition.key), conditions: refusal.conditions });
    }
    case MERGE_OVERLAP:
      return refuse(`所选地块之间有 ${refusal.overlapM2.toFixed(2)} m² 的重叠，合并后面积将小于各地块之和：请先修正图形再合并 / the parcels overlap`, { parameter: 'parcels', overlapM2: refusal.overlapM2 });
    case LINEAGE_AREA_MISMATCH:
      return refuse(`面积不闭合：各块椭球面积之和 ${refusal.partsM2.toFixed(2)} m² 与整体 ${refusal.wholeM2.toFixed(2)} m² 相差超过 ${AREA_TOLERANCE_M2} m²：请调整后重试 / areas do not add up`, { wholeM2: refusal.wholeM2, partsM2: refusal.partsM2 });
  }
}

/** A parcel write that did not say which version it started from (428 Precondition Required). */
export class VersionRequiredError extends ApiError {
  constructor(parameter = 'expectedVersion') {
    super(428, 'version_required',
      `请说明修改所依据的地块版本：在请求中给出 ${parameter}（即读取地块时的 version），或使用请求头 If-Match: "<version>"。这样他人在此期间的修改不会被悄悄覆盖。`,
      { parameter });
  }
}

/**
 * A write that started from a version of a parcel that is no longer current (409 stale_version):
 * each parcel with both versions and the fields changed since, so the editor can show them side by side.
 */
export class StaleVersionError extends ApiError {
  constructor(conflicts: readonly VersionConflict[], parameter = 'expectedVersion') {
    const named = conflicts.slice(0, 5).map((conflict) => conflict.currentVersion === null
      ? `${conflict.code ?? `#${conflict.id}`} 已不存在（已分割或合并）`
      : `${conflict.code ?? `#${conflict.id}`} 已由 ${conflict.updatedBy ?? '他人'} 改为第 ${conflict.currentVersion} 版（您依据的是第 ${conflict.yourVersion} 版）`);
    const more = conflicts.length > 5 ? ` 等 ${conflicts.length} 宗` : '';
    const next = parameter === 'import'
      ? '这些修改发生在导入校验之后：请核对（见 conflicts），再次提交将以导入数据覆盖它们。'
      : '请对照双方的值选择保留哪一个，再依据最新版本重新提交。';
    super(409, 'stale_version', `地块在您编辑期间已被修改：${named.join('；')}${more}。${next}`,
      { parameter, conflicts: [...conflicts] });
  }
}

/** A yearly 产值/税收 series changed by someone else since the revision the edit was made on. */
export class StaleYearlySeriesError extends ApiError {
  constructor(currentRevision: string, current: readonly { year: number; outputWan: number | null; taxWan: number | null }[]) {
    const wan = (value: number | null) => (value === null ? '—' : String(value));
    const stored = current.length === 0 ? '现已没有任何年度' : `现为 ${[...current].sort((a, b) => b.year - a.year).slice(0, 5)
      .map((item) => `${item.year} 年 产值 ${wan(item.outputWan)}、税收 ${wan(item.taxWan)}`).join('；')}${current.length > 5 ? ` 等 ${current.length} 个年度` : ''}（万元）`;
    super(409, 'stale_version',
      `该地块的年度产值、税收在您编辑期间已被他人修改：${stored}。请对照后重新保存（将以您保存的整个序列为准）。`,
      { parameter: 'expectedRevision', currentRevision, current: [...current] });
  }
}

/** HTTP status of each refusal of a parcel document (一地一档, domain/documents.ts). */
const DOCUMENT_REFUSAL_STATUS: Record<DocumentRefusalReason, number> = {
  [DOCUMENT_EMPTY]: 400,
  [DOCUMENT_TOO_LARGE]: 413,
  [DOCUMENT_TYPE_REFUSED]: 415,
  [DOCUMENT_DUPLICATE]: 409,
  [DOCUMENT_REMOVED]: 410,
  [DOCUMENT_NOT_PREVIEWABLE]: 415,
  [DOCUMENT_ALREADY_REMOVED]: 409,
};

/** A refused document upload or read, as the 4xx of its reason, with the field at fault and the message as written. */
export class DocumentRefusalError extends ApiError {
  constructor(refusal: DocumentRefusal) {
    super(DOCUMENT_REFUSAL_STATUS[refusal.reason], refusal.reason, refusal.message, { parameter: refusal.parameter, ...refusal.details });
  }
}

/** A refusal of the 认定 procedure (domain/identification/refusals.ts): its reason is the error code. */
export class IdentificationRefusalError extends ApiError {
  constructor(refusal: IdentificationRefusal) {
    super(IDENTIFICATION_REFUSAL_STATUS[refusal.reason], refusal.reason, refusal.message, { ...(refusal.parameter ? { parameter: refusal.parameter } : {}), ...refusal.details });
  }
}

/** A refusal of the 招商地图 (domain/zhaoshang.ts): its reason is the error code, its message says what to do. */
export class ZhaoshangRefusalError extends ApiError {
  constructor(refusal: ZhaoshangRefusal) {
    super(ZHAOSHANG_REFUSAL_STATUS[refusal.reason], refusal.reason, refusal.message, { ...(refusal.parameter ? { parameter: refusal.parameter } : {}), ...refusal.details });
  }
}

/**
 * The database's refusal of a hand edit of a parcel's 效率状态/低效类型/认定时间 while a 认定案卷 is open
 * (trigger parcels_case_guard, SQLSTATE BT409, DETAIL the case number, HINT the 宗地编号): PATCH,
 * bulk edit and imports all meet it.
 */
export function caseOpenRefusal(error: unknown): IdentificationRefusalError | ReuseRefusalError | null {
  const { code, detail, hint, message } = error as { code?: unknown; detail?: unknown; hint?: unknown; message?: unknown };
  if (code !== 'BT409' || typeof detail !== 'string') return null;
  if (message === REUSE_OPEN) {
    return new ReuseRefusalError({
      reason: REUSE_OPEN, parameter: 'status', message: reuseOpenMessage(detail, typeof hint === 'string' ? hint : null), details: { projectNumber: detail },
    });
  }
  return new IdentificationRefusalError({
    reason: CASE_OPEN, parameter: 'status', message: caseOpenMessage(detail, typeof hint === 'string' ? hint : null), details: { caseNumber: detail },
  });
}

/** A refusal of the 再利用 procedure (domain/reuse/refusals.ts): its reason is the error code. */
export class ReuseRefusalError extends ApiError {
  constructor(refusal: ReuseRefusal) {
    super(REUSE_REFUSAL_STATUS[refusal.reason], refusal.reason, refusal.message, { ...(refusal.parameter ? { parameter: refusal.parameter } : {}), ...refusal.details });
  }
}
