import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import type {
  ApprovalBody, CaseDetail, CaseStep, CaseSummary, JointReviewBody, NextAction, NotifiedBody, PreliminaryBody, ReviewOpinionBody,
  StepBodies, SurveyReturnedBody, SurveySentBody, SurveySubmission, VerifiedBody, ApplySubmissionBody,
} from '../../domain/api/identification.schemas.js';
import { parcelValueProblems } from '../../domain/parcel-card-validation.js';
import { roleLabel } from '../../domain/permissions.js';
import { caseNumber, noticeNumber } from '../../domain/identification/numbers.js';
import {
  CASE_OPEN, CASE_STALE, DISSENT_UNEXPLAINED, NOT_A_CASE_DOCUMENT, OPINIONS_MISSING, OPINION_ENTERED, STEP_FORBIDDEN, STEP_NOT_ALLOWED,
  SUBMISSION_APPLIED, type IdentificationRefusal,
} from '../../domain/identification/refusals.js';
import {
  JOINT_REVIEW_DEPARTMENTS, LOCAL_RULES, NOTICE_REQUIRED_COPIES, PLAN_DUE_MONTHS, STEP_DEADLINES, allowedNextSteps, departmentLabel, dueStepOf,
  jointReviewProblem, mayOpenCase, mayTakeStep, stepLabel, takerOf, type ActionStep, type CaseActor, type CasePlace, type CaseStanding, type StepCode,
} from '../../domain/identification/steps.js';
import { SURVEY_FORM_KEYS } from '../../domain/identification/survey-form.js';
import { WorkingDays, addMonths, todayInChinaDate, type WorkingCalendar } from '../../domain/identification/working-days.js';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scope.js';
import { REPOSITORY_ROOT } from '../config.js';
import type { Database } from '../db/schema.js';
import { GeometryError, IdentificationRefusalError, InvalidParameterError, InvalidValuesError, NotFoundError, StaleVersionError } from '../errors.js';
import type { ParcelChanges } from '../parcels/parcels.repository.js';
import type { CaseChanges } from './identification.repository.js';
import type { CaseRow, StepRow, SubmissionRow } from './identification.sql.js';

export const WORKING_CALENDAR_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'working-calendar.json');

/** What a write did to the parcel, so the caller can refresh the map's tiles after the commit. */
export interface StepResult {
  caseId: number;
  parcelChanged: boolean;
}

function refuse(refusal: IdentificationRefusal): never {
  throw new IdentificationRefusalError(refusal);
}

/** The person as the step machine sees them (role, 园区/街道 units, department, the enterprise's parcels). */
export function caseActorOf(principal: Principal): CaseActor {
  return { role: principal.role, units: principal.units, department: principal.department, enterpriseParcelIds: principal.enterpriseParcelIds };
}

function placeOf(row: CaseRow): CasePlace {
  return { parcelId: row.parcelId, unitKind: row.unitKind, unitCode: row.unitCode, unitName: row.unitName };
}

function standingOf(row: CaseRow): CaseStanding {
  return { state: row.state, step: row.step as StepCode, outcome: row.outcome };
}

export function createIdentificationService(app: AppInstance, calendar: WorkingCalendar) {
  const cases = app.identificationRepository;
  const parcels = app.parcelsRepository;
  const days = new WorkingDays(calendar);

  /** The due date of the step that follows `standing`, counted from `from` (YYYY-MM-DD). */
  function dueAfter(standing: CaseStanding, from: string): string | null {
    const step = dueStepOf(standing);
    const deadline = step ? STEP_DEADLINES[step] : undefined;
    return deadline ? days.addWorkingDays(from, deadline.workingDays).date : null;
  }

  /** Sets the parcel's 认定 fields as the case's own write (the guard lets it through), with the version guard. */
  async function setParcel(transaction: Transaction<Database>, row: CaseRow, changes: ParcelChanges, actor: string): Promise<boolean> {
    await cases.actForCase(transaction, row.id);
    const parcel = await cases.parcel(transaction, row.parcelId, true);
    if (!parcel) return false;
    const outcome = await parcels.update(transaction, parcel.id, changes, { expectedVersion: parcel.version, actor, scope: Scope.system() });
    if (outcome !== 'updated') {
      if ('conflicts' in outcome) throw new StaleVersionError(outcome.conflicts);
      throw new GeometryError(outcome.reason, 'geometry');
    }
    return true;
  }

  function stepRefusal(row: CaseRow, step: ActionStep): never {
    const allowed = allowedNextSteps(standingOf(row));
    const place = placeOf(row);
    const state = row.state === 'open' ? `当前为「${stepLabel(row.step)}」` : row.state === 'notified' ? '已告知（认定已完成）' : `已结案（${stepLabel(row.step)}）`;
    const next = allowed.length > 0
      ? `下一步可办理：${allowed.map((candidate) => `「${stepLabel(candidate)}」（由${takerOf(candidate, place)}办理）`).join('、')}。`
      : '案卷已结束，不能再办理任何步骤；如需重新认定，请由区自然资源部门重新列入清单。';
    refuse({
      reason: STEP_NOT_ALLOWED, parameter: 'step',
      message: `案卷 ${row.number} ${state}，不能办理「${stepLabel(step)}」。${next}`,
      details: { caseNumber: row.number, currentStep: row.step, allowed: allowed.map((candidate) => ({ step: candidate, label: stepLabel(candidate), taker: takerOf(candidate, place) })) },
    });
  }

  function stepOf(row: StepRow): CaseStep {
    const at = row.at.toISOString();
    const takenOn = todayInChinaDate(row.at);
    return {
      id: Number(row.id), step: row.step as StepCode, stepLabel: row.step === 'review_opinion' && row.department ? `会审意见（${departmentLabel(row.department)}）` : stepLabel(row.step),
      outcome: row.outcome, actor: row.actor, actorName: row.actorName, role: row.role, roleLabel: roleLabel(row.role), unitCode: row.unitCode,
      department: row.department, at, opinion: row.opinion, details: row.details ?? {}, documentIds: row.documentIds.map(Number), dueDate: row.dueDate,
      late: row.dueDate !== null && takenOn > row.dueDate,
    };
  }

  function submissionOf(row: SubmissionRow): SurveySubmission {
    return {
      id: Number(row.id), caseId: Number(row.caseId), parcelId: Number(row.parcelId), via: row.via, submittedBy: row.submittedBy,
      submittedByName: row.submittedByName, submittedAt: row.submittedAt.toISOString(), fields: row.fields,
      appliedBy: row.appliedBy, appliedAt: row.appliedAt?.toISOString() ?? null,
    };
  }

  const service = {
    days,

    /** A case as the list shows it: where it stands, what may follow, its deadline and whether it is overdue. */
    summary(row: CaseRow, today = todayInChinaDate()): CaseSummary {
      const standing = standingOf(row);
      return {
        id: Number(row.id), number: row.number, parcelId: Number(row.parcelId), parcelCode: row.parcelCode, owner: row.owner,
        districtCode: row.districtCode, districtName: row.districtName, subdistrictCode: row.subdistrictCode, parkCode: row.parkCode,
        unitKind: row.unitKind, unitCode: row.unitCode, unitName: row.unitName, state: row.state, step: row.step as StepCode,
        stepLabel: stepLabel(row.step), stepAt: row.stepAt.toISOString(), nextSteps: allowedNextSteps(standing),
        dueStep: row.state === 'open' ? dueStepOf(standing) : null, dueDate: row.state === 'open' ? row.dueDate : null,
        overdue: row.state === 'open' && row.dueDate !== null && row.dueDate < today,
        inefficiencyTypes: row.inefficiencyTypes, noticeNumber: row.noticeNumber, noticeDate: row.noticeDate, planDueDate: row.planDueDate,
        openedAt: row.openedAt.toISOString(), openedBy: row.openedBy, version: row.version,
      };
    },

    /** A case with its timeline, submissions and what the reader may do next. */
    async detail(row: CaseRow, principal: Principal): Promise<CaseDetail> {
      const today = todayInChinaDate();
      const [steps, submissions] = await Promise.all([cases.steps(app.db, row.id), cases.submissions(app.db, row.id)]);
      const actor = caseActorOf(principal);
      const place = placeOf(row);
      const entered = new Set(steps.filter((step) => step.step === 'review_opinion').map((step) => step.department));
      const nextActions: NextAction[] = allowedNextSteps(standingOf(row)).map((step) => {
        const check = mayTakeStep(step, actor, place);
        const already = step === 'review_opinion' && actor.department !== null && entered.has(actor.department);
        return {
          step, label: stepLabel(step), taker: takerOf(step, place),
          mayTake: check.ok && !already, reason: already ? '本部门已填写会审意见。' : check.ok ? null : check.reason,
        };
      });
      return {
        ...service.summary(row, today), closedReason: row.closedReason, note: row.note, sourceRunId: row.sourceRunId === null ? null : Number(row.sourceRunId),
        steps: steps.map(stepOf), submissions: submissions.map(submissionOf), nextActions, localRules: [...LOCAL_RULES],
      };
    },

    /**
     * Opens a case (step 1, 列入清单) inside the caller's transaction, which names the actor: the
     * parcel's place (园区内 → its 园区办, 园区外 → its 街道/镇) decides the unit. For h-criteria's run
     * decisions as for the list page. Refused: another open case (409 case_open), a role that may
     * not list (403), a parcel outside the scope (403 out_of_scope).
     */
    async open(transaction: Transaction<Database>, input: { parcelId: number; principal: Principal; sourceRunId?: number; note?: string }): Promise<CaseRow> {
      const check = mayOpenCase(input.principal);
      if (!check.ok) refuse({ reason: STEP_FORBIDDEN, message: check.reason });
      const parcel = await cases.parcel(transaction, input.parcelId, true);
      if (!parcel) throw new NotFoundError(`没有编号为 ${input.parcelId} 的地块`, { parameter: 'parcelId' });
      Scope.of(input.principal).assertWritable({ code: parcel.districtCode, name: parcel.districtName }, '该地块', '列入清单');
      const existing = await cases.openCaseOf(transaction, parcel.id);
      if (existing) {
        refuse({
          reason: CASE_OPEN, parameter: 'parcelId', details: { caseNumber: existing.number, caseId: Number(existing.id) },
          message: `地块 ${parcel.code} 已有进行中的认定案卷 ${existing.number}（${stepLabel(existing.step)}），一宗地同时只能有一个进行中的案卷。`,
        });
      }
      const today = todayInChinaDate();
      const year = Number(today.slice(0, 4));
      const sequence = await cases.nextNumber(transaction, parcel.districtCode, year, 'case');
      const unitKind = parcel.parkCode ? 'park' as const : 'street' as const;
      const unitCode = parcel.parkCode ?? parcel.subdistrictCode;
      const id = await cases.insertCase(transaction, {
        number: caseNumber(parcel.districtCode, year, sequence), districtCode: parcel.districtCode, year, sequence, parcelId: parcel.id,
        parcelCode: parcel.code, subdistrictCode: parcel.subdistrictCode, parkCode: parcel.parkCode, unitCode, unitKind,
        dueDate: dueAfter({ state: 'open', step: 'listed', outcome: null }, today), statusBefore: parcel.status,
        inefficiencyTypeBefore: parcel.inefficiencyType, sourceRunId: input.sourceRunId ?? null, note: input.note?.trim() || null, openedBy: input.principal.username,
      });
      await cases.insertStep(transaction, {
        caseId: id, step: 'listed', outcome: null, actor: input.principal.username, actorName: input.principal.displayName, role: input.principal.role,
        unitCode: null, department: null, opinion: input.note?.trim() || null, documentIds: [], dueDate: null,
        details: { list: unitKind === 'park' ? '园区内' : '园区外', parkCode: parcel.parkCode, subdistrictCode: parcel.subdistrictCode, sourceRunId: input.sourceRunId ?? null },
      });
      return (await cases.lockCase(transaction, id))!;
    },

    /**
     * Takes a step of a case inside the caller's transaction (which names the actor). In order: the
     * case (404), an enterprise's own parcel (403), the district scope (403 out_of_scope), the step
     * machine (409 step_not_allowed naming the allowed steps and who takes them), the role and unit
     * (403 step_forbidden with the reason), the case version read (409), the attachments (400), then
     * the step's own rules.
     */
    async takeStep<S extends ActionStep>(transaction: Transaction<Database>, caseId: number, step: S, body: StepBodies[S], principal: Principal): Promise<StepResult> {
      const row = await cases.lockCase(transaction, caseId);
      if (!row) throw new NotFoundError(`没有编号为 ${caseId} 的认定案卷`, { parameter: 'id' });
      const actor = caseActorOf(principal);
      service.assertCaseReadable(row, principal);
      if (principal.role !== 'enterprise') Scope.of(principal).assertWritable({ code: row.districtCode, name: row.districtName }, `案卷 ${row.number}`, '办理');
      const standing = standingOf(row);
      if (!allowedNextSteps(standing).includes(step)) stepRefusal(row, step);
      const check = mayTakeStep(step, actor, placeOf(row));
      if (!check.ok) refuse({ reason: STEP_FORBIDDEN, message: check.reason, details: { step, taker: takerOf(step, placeOf(row)) } });
      if (body.caseVersion !== undefined && body.caseVersion !== row.version) {
        refuse({
          reason: CASE_STALE, parameter: 'caseVersion', details: { caseVersion: row.version },
          message: `案卷 ${row.number} 已被他人更新（现为第 ${row.version} 版，您打开的是第 ${body.caseVersion} 版）：请刷新后再办理。`,
        });
      }
      const documentIds = body.documentIds ?? [];
      const found = await cases.parcelDocumentIds(transaction, row.parcelId, documentIds);
      const missing = documentIds.filter((id) => !found.includes(id));
      if (missing.length > 0) {
        refuse({
          reason: NOT_A_CASE_DOCUMENT, parameter: 'documentIds', details: { documentIds: missing },
          message: `附件 ${missing.join('、')} 不是地块 ${row.parcelCode} 的在档文件（或已移除）：请先在地块档案（一地一档）中上传，再选为附件。`,
        });
      }
      const today = todayInChinaDate();
      const dueStep = dueStepOf(standing);
      const base = {
        caseId: row.id, actor: principal.username, actorName: principal.displayName, role: principal.role,
        unitCode: principal.role === 'park_office' || principal.role === 'street_office' ? row.unitCode : null,
        department: null as string | null, opinion: body.opinion?.trim() || null, documentIds, dueDate: dueStep === step ? row.dueDate : null,
      };
      const advance = async (recorded: StepCode, outcome: string | null, details: Record<string, unknown>, changes: CaseChanges = {}) => {
        await cases.insertStep(transaction, { ...base, step: recorded, outcome, details });
        const next: CaseStanding = { state: changes.state ?? 'open', step: recorded, outcome };
        await cases.updateCase(transaction, row.id, { step: recorded, outcome, dueDate: next.state === 'open' ? dueAfter(next, today) : null, ...changes });
      };
      const restore = () => setParcel(transaction, row, { status: row.statusBefore, inefficiencyType: row.inefficiencyTypeBefore }, principal.username);
      let parcelChanged = false;

      switch (step) {
        case 'survey_sent':
          await advance('survey_sent', null, {});
          break;
        case 'survey_returned': {
          const { fields } = body as SurveyReturnedBody;
          const current = await parcels.find(row.parcelId);
          const problems = parcelValueProblems({ ...(current ?? {}), ...fields } as Record<string, unknown>, Object.keys(fields), today);
          if (problems.length > 0) throw new InvalidValuesError(problems.map((problem) => ({ ...problem, field: `fields.${problem.field}` })));
          const via = check.ok && check.via ? check.via : 'paper';
          const submissionId = await cases.insertSubmission(transaction, { caseId: row.id, parcelId: row.parcelId, via, submittedBy: principal.username, fields });
          await advance('survey_returned', via, { submissionId, via, fieldCount: Object.keys(fields).length });
          break;
        }
        case 'verified': {
          const { outcome, materials = [], departments = [] } = body as VerifiedBody;
          if (outcome === 'sent_back' && materials.length === 0) {
            throw new InvalidParameterError('materials', '一次告知退回时请列明需要用地单位补充的佐证材料（materials，至少一项）。');
          }
          await advance('verified', outcome, { materials, departments });
          break;
        }
        case 'preliminary': {
          const { inefficient, reasons, types = [], measures = [], measureNote } = body as PreliminaryBody;
          if (!reasons?.trim()) throw new InvalidParameterError('reasons', '请列明初步认定的原因（reasons）：属低效的，写明低效利用情况；不属低效的，写明理由。');
          if (!inefficient) {
            await advance('closed_not_inefficient', 'not_inefficient', { reasons: reasons.trim() }, { state: 'closed', closedReason: reasons.trim() });
            parcelChanged = await setParcel(transaction, row, { status: 'efficient', inefficiencyType: null }, principal.username);
            break;
          }
          if (types.length === 0) throw new InvalidParameterError('types', '请选择至少一个低效类型（types），可多选。');
          if (measures.length === 0) throw new InvalidParameterError('measures', '请选择至少一项再利用适用措施（measures）。');
          await advance('preliminary', 'inefficient', { reasons: reasons.trim(), types, measures, measureNote: measureNote?.trim() || null }, { inefficiencyTypes: types });
          parcelChanged = await setParcel(transaction, row, { status: 'suspected', inefficiencyType: types[0] }, principal.username);
          break;
        }
        case 'review_opinion': {
          const { agree, opinion } = body as ReviewOpinionBody;
          const department = actor.department;
          if (!department) throw new InvalidParameterError('department', '请用会审部门的账号填写本部门意见（账号未设置部门）。');
          const opinions = (await cases.steps(transaction, row.id)).filter((entry) => entry.step === 'review_opinion');
          const earlier = opinions.find((entry) => entry.department === department);
          if (earlier) {
            refuse({
              reason: OPINION_ENTERED, parameter: 'department', details: { department },
              message: `${departmentLabel(department)}已于 ${todayInChinaDate(earlier.at)} 由 ${earlier.actorName} 填写会审意见，意见一经填写不能更改；如需补充，请联系园区办/镇街在会审结论中说明。`,
            });
          }
          await cases.insertStep(transaction, { ...base, dueDate: null, department, step: 'review_opinion', outcome: agree ? 'agree' : 'disagree', opinion: opinion.trim(), details: { agree } });
          break;
        }
        case 'joint_review': {
          const { meets, opinion } = body as JointReviewBody;
          const opinions = (await cases.steps(transaction, row.id)).filter((entry) => entry.step === 'review_opinion' && entry.department)
            .map((entry) => ({ department: entry.department!, agree: entry.outcome === 'agree', text: entry.opinion ?? '' }));
          const problem = jointReviewProblem(opinions, { meets, text: opinion });
          if (problem?.reason === 'opinions_missing') {
            const labels = problem.missing.map(departmentLabel);
            refuse({
              reason: OPINIONS_MISSING, parameter: 'step', details: { missing: problem.missing },
              message: `会审意见未到齐：还缺 ${labels.join('、')} 的意见。本地规则：五个会审部门均填写意见后才能录入会审结论。`,
            });
          }
          if (problem?.reason === 'dissent_unexplained') {
            refuse({
              reason: DISSENT_UNEXPLAINED, parameter: 'opinion', details: { dissenting: problem.dissenting },
              message: `${problem.dissenting.map(departmentLabel).join('、')}不同意；本地规则：结论为“符合”时须在会审结论中说明理由（至少 10 字）。`,
            });
          }
          const summary = JOINT_REVIEW_DEPARTMENTS.map((department) => ({ department: department.code, agree: opinions.find((entry) => entry.department === department.code)?.agree ?? null }));
          if (meets) {
            await advance('joint_review', 'meets', { opinions: summary });
          } else {
            await advance('joint_review', 'not_met', { opinions: summary }, { state: 'closed', closedReason: opinion.trim() });
            parcelChanged = await restore();
          }
          break;
        }
        case 'approved': {
          const { decision } = body as ApprovalBody;
          if (decision === 'approve') {
            await advance('approved', 'approve', {});
          } else {
            if (!body.opinion?.trim()) throw new InvalidParameterError('opinion', '区政府不同意时请写明理由（opinion）。');
            await advance('rejected', 'reject', {}, { state: 'closed', closedReason: body.opinion.trim() });
            parcelChanged = await restore();
          }
          break;
        }
        case 'notified': {
          const { noticeDate = today, copies = [...NOTICE_REQUIRED_COPIES] } = body as NotifiedBody;
          const lacking = NOTICE_REQUIRED_COPIES.filter((required) => !copies.includes(required));
          if (lacking.length > 0) throw new InvalidParameterError('copies', `告知书须同时抄送区自然资源、工信部门（汕府办〔2019〕6号二.6）：抄送中缺少 ${lacking.join('、')}。`);
          if (noticeDate > today) throw new InvalidParameterError('noticeDate', `告知书日期 ${noticeDate} 晚于今天（${today}）：请填写实际发出日期。`);
          const approvedOn = todayInChinaDate(row.stepAt);
          if (noticeDate < approvedOn) throw new InvalidParameterError('noticeDate', `告知书日期 ${noticeDate} 早于区政府审批同意的日期 ${approvedOn}：请检查日期。`);
          const year = Number(noticeDate.slice(0, 4));
          const number = noticeNumber(row.districtCode, year, await cases.nextNumber(transaction, row.districtCode, year, 'notice'));
          const planDueDate = addMonths(noticeDate, PLAN_DUE_MONTHS);
          const onTime = row.dueDate === null || noticeDate <= row.dueDate;
          await advance('notified', onTime ? 'on_time' : 'late', { noticeNumber: number, noticeDate, copies, planDueDate, dueDate: row.dueDate, onTime }, {
            state: 'notified', noticeNumber: number, noticeDate, planDueDate,
          });
          parcelChanged = await setParcel(transaction, row, { status: 'identified', inefficiencyType: row.inefficiencyTypes[0] ?? null, identifiedAt: noticeDate }, principal.username);
          break;
        }
      }
      return { caseId: row.id, parcelChanged };
    },

    /**
     * Applies a 附件1 submission to the parcel card: one parcel update (history kept) with the version
     * guard (409 stale_version), only the fields asked (default: all the submission filled), once.
     */
    async applySubmission(transaction: Transaction<Database>, caseId: number, submissionId: number, body: ApplySubmissionBody, principal: Principal): Promise<void> {
      const row = await cases.lockCase(transaction, caseId);
      if (!row) throw new NotFoundError(`没有编号为 ${caseId} 的认定案卷`, { parameter: 'id' });
      Scope.of(principal).assertWritable({ code: row.districtCode, name: row.districtName }, `案卷 ${row.number}`, '办理');
      // Entering the form into the card is the office's work of 核实 (seed 003 二.3).
      const check = mayTakeStep('verified', caseActorOf(principal), placeOf(row));
      if (!check.ok) refuse({ reason: STEP_FORBIDDEN, message: check.reason });
      const submission = await cases.lockSubmission(transaction, caseId, submissionId);
      if (!submission) throw new NotFoundError(`案卷 ${row.number} 没有编号为 ${submissionId} 的调查表`, { parameter: 'submissionId' });
      if (submission.appliedAt) {
        refuse({
          reason: SUBMISSION_APPLIED, parameter: 'submissionId',
          message: `该调查表已于 ${todayInChinaDate(submission.appliedAt)} 由 ${submission.appliedBy} 写入地块卡片，不能重复写入。`,
        });
      }
      const keys = (body.fields ?? Object.keys(submission.fields)).filter((key) => (SURVEY_FORM_KEYS as readonly string[]).includes(key) && key in submission.fields);
      if (keys.length === 0) throw new InvalidParameterError('fields', '所选字段在该调查表中均未填写：请选择调查表已填写的字段。');
      const changes = Object.fromEntries(keys.map((key) => [key, submission.fields[key]])) as ParcelChanges;
      const current = await parcels.find(row.parcelId);
      if (!current) throw new NotFoundError(`地块 ${row.parcelCode} 已不存在（已分割或合并），不能写入`, { parameter: 'id' });
      const problems = parcelValueProblems({ ...current, ...changes } as Record<string, unknown>, keys);
      if (problems.length > 0) throw new InvalidValuesError(problems);
      const outcome = await parcels.update(transaction, row.parcelId, changes, { expectedVersion: body.expectedVersion, actor: principal.username, scope: Scope.of(principal) });
      if (outcome !== 'updated') {
        if ('conflicts' in outcome) throw new StaleVersionError(outcome.conflicts);
        throw new GeometryError(outcome.reason, 'geometry');
      }
      await cases.markApplied(transaction, submission.id, principal.username);
    },

    /**
     * Whether the user may read the case: an enterprise only its own parcels' (403), others with
     * `cases:read` in their districts (the route's permission and scope).
     */
    assertCaseReadable(row: CaseRow, principal: Principal): void {
      if (principal.role !== 'enterprise') return;
      if (!caseActorOf(principal).enterpriseParcelIds.includes(Number(row.parcelId))) {
        refuse({ reason: STEP_FORBIDDEN, message: `案卷 ${row.number} 不是本单位名下地块的案卷：用地单位只能查看本单位地块的案卷。` });
      }
    },
  };
  return service;
}

export type IdentificationService = ReturnType<typeof createIdentificationService>;

declare module 'fastify' {
  interface FastifyInstance {
    identificationCases: IdentificationService;
  }
}

/** The 认定 procedure (app.identificationCases): opening cases and taking their steps, the working-day calendar. */
export const identificationServicePlugin = fp(async (app: AppInstance) => {
  const calendar = JSON.parse(fs.readFileSync(WORKING_CALENDAR_FIXTURE, 'utf8')) as WorkingCalendar;
  app.decorate('identificationCases', createIdentificationService(app, calendar));
}, { name: 'identification-service', dependencies: ['identification-repository', 'parcels-repository'] });
