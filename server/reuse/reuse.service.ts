import fs from 'node:fs';
import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import type {
  Acceptance, AcceptanceAppliedBody, CountRow, DistrictCounts, AcceptanceFailedBody, AcceptanceOpinionBody, AcceptanceReviewedBody, AcceptedBody, CertificateIssuedBody, CreditList,
  ApprovedBody, CaseReuse, ExtensionAppliedBody, ExtensionDecidedBody, LedgerBody, LinkedArea, OpinionBody, PlanCompare, PlanSnapshot, PlanSubmitBody,
  PlanVersion, RequestedBody, ReuseDetail, ReuseNextAction, ReuseStepBodies, ReuseSummary, ReuseTodo, ReviewedBody, SignedBody, StartedBody, TrackingBody,
} from '../../domain/api/reuse.schemas.js';
import { departmentLabel } from '../../domain/departments.js';
import { inefficiencyTypeLabel } from '../../domain/efficiency.js';
import { JOINT_REVIEW_DEPARTMENT_CODES, STEP_CODES, allowedNextSteps, dueStepOf, mayTakeStep, stepLabel as identificationStepLabel, type CaseStanding, type StepCode } from '../../domain/identification/steps.js';
import { WorkingDays, addMonths, todayInChinaDate, type WorkingCalendar } from '../../domain/identification/working-days.js';
import { parcelValueProblems } from '../../domain/parcel-card-validation.js';
import { ACCEPTANCE_FORMS, compareSurveys } from '../../domain/reuse/acceptance.js';
import { industryLabel } from '../../domain/industry-codes.js';
import { landUseLabel } from '../../domain/land-use.js';
import { recentYearsSummary } from '../../domain/parcel-yearly.js';
import { roleLabel } from '../../domain/permissions.js';
import { CERTIFICATE_WORKING_DAYS, DEFAULT_TERM_MONTHS, EXTENSION_RULE, extensionProblem, extensionWindow, reuseClocks, startDueOf, type Clock } from '../../domain/reuse/clocks.js';
import { PLAN_FIELDS, comparePlans } from '../../domain/reuse/plan-form.js';
import {
  ACCEPTANCE_GROUND, CREDIT_LISTED, EXTENSION_TOO_LONG, PLAN_NOT_OVERDUE, EXTENSION_USED, EXTENSION_WINDOW, REUSE_AREA_UNKNOWN, REUSE_NOT_A_DOCUMENT, REUSE_NOT_IMPLEMENTING, REUSE_NOT_NOTIFIED,
  REUSE_OPINIONS_MISSING, REUSE_OPINION_ENTERED, REUSE_STALE, REUSE_STEP_FORBIDDEN, REUSE_STEP_NOT_ALLOWED, agreementNumber, certificateNumber, reuseProjectNumber, type ReuseRefusal,
} from '../../domain/reuse/refusals.js';
import {
  FAILURE_GROUNDS, PLAN_OVERDUE_GROUND, REUSE_LOCAL_RULES, REUSE_STEP_CODES, allowedReuseSteps, documentNumberProblem, failureGroundLabel, failureGrounds, inImplementation, mayTakeReuseStep,
  officeOf, reuseStepLabel, reuseTakerOf, trackingKindLabel, type ReuseActionStep, type ReuseActor, type ReusePlace, type ReuseStanding, type ReuseStepCode,
} from '../../domain/reuse/steps.js';
import { roundTo, squareMetresToHectares } from '../../domain/units.js';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scope.js';
import type { Database } from '../db/schema.js';
import { WORKING_CALENDAR_FIXTURE, caseActorOf } from '../identification/identification.service.js';
import { GeometryError, InvalidParameterError, InvalidValuesError, NotFoundError, ReuseRefusalError, StaleVersionError } from '../errors.js';
import type { ProjectChanges } from './reuse.repository.js';
import type { NotifiedCaseRow, PlanVersionRow, ProjectRow, ReuseStepRow } from './reuse.sql.js';

function refuse(refusal: ReuseRefusal): never {
  throw new ReuseRefusalError(refusal);
}

export function reuseActorOf(principal: Principal): ReuseActor {
  return { role: principal.role, units: principal.units, department: principal.department, enterpriseParcelIds: principal.enterpriseParcelIds };
}

function placeOf(row: { parcelId: number; unitKind: 'park' | 'street'; unitCode: string | null; unitName: string | null }): ReusePlace {
  return { parcelId: Number(row.parcelId), unitKind: row.unitKind, unitCode: row.unitCode, unitName: row.unitName };
}

function standingOf(row: ProjectRow | undefined, today = todayInChinaDate()): ReuseStanding {
  if (!row) return { state: 'open', step: null, outcome: null, started: false, extension: 'none' };
  const due = row.extendedDue ?? row.completionDue;
  return { state: row.state, step: row.step as ReuseStepCode, outcome: row.outcome, started: row.startedOn !== null, extension: row.extensionState, pastDue: due !== null && today > due };
}

const numberOrNull = (value: unknown): number | null => (value === null || value === undefined || value === '' ? null : Number(value));

/** The completion deadline in force: the extended one after an approved 延期. */
export function completionDueOf(row: ProjectRow): string | null {
  return row.extendedDue ?? row.completionDue;
}

/** The district view's first 再利用 stage: a notified 认定案卷 whose 用地单位 has not yet submitted a plan. */
export const AWAITING_PLAN = 'awaiting_plan';

export interface StepOptions {
  /** The day the step is taken (YYYY-MM-DD, China time); default today. Tests of the clocks pass it. */
  today?: string;
}

export function createReuseService(app: AppInstance, calendar: WorkingCalendar) {
  const projects = app.reuseRepository;
  const days = new WorkingDays(calendar);

  function clocksOf(row: ProjectRow | undefined, caseRow: { noticeDate: string | null }, today: string): Clock[] {
    const noticeDate = row?.noticeDate ?? caseRow.noticeDate;
    if (!noticeDate) return [];
    return reuseClocks({
      noticeDate, firstPlanOn: row?.firstPlanOn ?? null, approvedOn: row?.approvalDate ?? null, signedOn: row?.signedOn ?? null,
      termMonths: row?.termMonths ?? null, startedOn: row?.startedOn ?? null, completionDue: row ? completionDueOf(row) : null, completedOn: row?.acceptanceAppliedOn ?? null,
      extensionAppliedOn: row?.extensionAppliedOn ?? null, closed: row !== undefined && row.state !== 'open',
      acceptedOn: row?.acceptanceDecidedOn ?? null, certificateDue: row?.certificateDue ?? null, certificateOn: row?.certificateDate ?? null,
    }, today);
  }

  /** What the card and the 认定案卷 give the plan, now. */
  async function snapshotOf(caseRow: NotifiedCaseRow): Promise<PlanSnapshot> {
    const [parcel, figures] = await Promise.all([app.parcelsRepository.find(caseRow.parcelId), app.parcelsRepository.yearlyFigures(caseRow.parcelId)]);
    const card = (parcel ?? {}) as Record<string, unknown>;
    const area = numberOrNull(card.registeredAreaM2) ?? numberOrNull(card.areaM2);
    const recent = recentYearsSummary(figures.map((figure) => ({ year: figure.year, outputWan: numberOrNull(figure.outputWan), taxWan: numberOrNull(figure.taxWan) })),
      { registeredAreaM2: numberOrNull(card.registeredAreaM2), areaM2: numberOrNull(card.areaM2) });
    const percent = (value: unknown) => { const number = numberOrNull(value); return number === null ? null : roundTo(number * 100, 2); };
    const text = (value: unknown) => (value === null || value === undefined || value === '' ? null : String(value));
    return {
      caseNumber: caseRow.number, noticeNumber: caseRow.noticeNumber, noticeDate: caseRow.noticeDate,
      location: text(card.location), areaHa: area === null ? null : roundTo(squareMetresToHectares(area), 4), owner: text(card.owner),
      certificateNo: text(card.certificateNo), contractNo: text(card.contractNo), landAcquiredAt: text(card.landAcquiredAt),
      landUse: card.landUseCode ? `${landUseLabel(String(card.landUseCode))}（${String(card.landUseCode)}）` : null,
      floorAreaM2: numberOrNull(card.floorAreaM2), floorAreaRatio: numberOrNull(card.floorAreaRatio), buildingCoverage: percent(card.buildingCoverage),
      industry: card.industryCode ? `${industryLabel(String(card.industryCode))}（${String(card.industryCode)}）` : null,
      fixedAssetInvestment: numberOrNull(card.fixedAssetInvestment),
      averageOutputPerMu: recent.outputPerMuAverage, averageTaxPerMu: recent.taxPerMuAverage,
      figureYears: recent.years.length > 0 ? [...recent.years].sort().join('、') : null,
      investmentAgreementNo: text(card.investmentAgreementNo), agreedFloorAreaRatio: numberOrNull(card.agreedFloorAreaRatio),
      agreedBuildingDensity: percent(card.agreedBuildingDensity), agreedInvestmentIntensity: numberOrNull(card.agreedInvestmentIntensity),
      agreedCompletionDate: text(card.agreedCompletionDate),
      inefficiencyTypes: caseRow.inefficiencyTypes.length > 0 ? caseRow.inefficiencyTypes.map(inefficiencyTypeLabel).join('、') : null,
    };
  }

  function versionOf(row: PlanVersionRow): PlanVersion {
    return {
      number: row.number, fields: row.fields, snapshot: row.snapshot as PlanSnapshot, via: row.via, note: row.note, submittedBy: row.submittedBy,
      submittedByName: row.submittedByName, submittedAt: row.submittedAt.toISOString(), confirmedBy: row.confirmedBy, confirmedByName: row.confirmedByName,
      confirmedAt: row.confirmedAt?.toISOString() ?? null,
    };
  }

  function stepOf(row: ReuseStepRow) {
    return {
      id: Number(row.id), step: row.step as ReuseStepCode,
      stepLabel: row.step === 'opinion' && row.department ? `部门意见（${departmentLabel(row.department)}）` : reuseStepLabel(row.step),
      outcome: row.outcome, actor: row.actor, actorName: row.actorName, role: row.role, roleLabel: roleLabel(row.role), department: row.department,
      at: row.at.toISOString(), opinion: row.opinion, details: row.details ?? {}, documentIds: row.documentIds.map(Number), planVersion: row.planVersion,
    };
  }

  async function linkedArea(areaId: unknown): Promise<LinkedArea | null> {
    if (typeof areaId !== 'number') return null;
    const row = await app.areasRepository.find(areaId);
    if (!row || row.deleted_at) return null;
    const saved = await app.areasRepository.version(row.id, row.version);
    const checks = (saved?.result?.checks ?? []).map((check) => ({
      id: check.id, label: check.name, pass: check.pass, applicable: check.applicable !== false, detail: check.notes?.join('；') ?? null,
    }));
    return { id: Number(row.id), name: row.name, status: row.status, version: row.version, pass: row.pass, checks };
  }

  function stepRefusal(row: ProjectRow | undefined, caseNumber: string, step: ReuseActionStep, place: ReusePlace, today: string): never {
    const standing = standingOf(row, today);
    const allowed = allowedReuseSteps(standing);
    const where = row ? `再利用项目 ${row.number} 当前为「${reuseStepLabel(row.step)}${row.outcome === 'revise' ? '：退回修改' : ''}」` : `案卷 ${caseNumber} 尚未提交再利用方案`;
    const next = allowed.length > 0
      ? `下一步可办理：${allowed.map((candidate) => `「${reuseStepLabel(candidate)}」（由${reuseTakerOf(candidate, place)}办理）`).join('、')}。`
      : `当前没有可办理的步骤（项目${row?.state === 'completed' ? '已完成再利用' : row?.state === 'failed' ? '已认定未完成再利用' : '等待其他步骤'}）。`;
    refuse({
      reason: REUSE_STEP_NOT_ALLOWED, parameter: 'step',
      message: `${where}，不能办理「${reuseStepLabel(step)}」。${next}`,
      details: { projectNumber: row?.number ?? null, currentStep: row?.step ?? null, allowed: allowed.map((candidate) => ({ step: candidate, label: reuseStepLabel(candidate), taker: reuseTakerOf(candidate, place) })) },
    });
  }

  async function assertDocuments(transaction: Transaction<Database>, parcelId: number, parcelCode: string, documentIds: readonly number[]): Promise<void> {
    const found = await projects.parcelDocumentIds(transaction, parcelId, documentIds);
    const missing = documentIds.filter((id) => !found.includes(id));
    if (missing.length > 0) {
      refuse({
        reason: REUSE_NOT_A_DOCUMENT, parameter: 'documentIds', details: { documentIds: missing },
        message: `附件 ${missing.join('、')} 不是地块 ${parcelCode} 的在档文件（或已移除）：请先在地块档案（一地一档）中上传，再选为附件。`,
      });
    }
  }

  function assertDate(parameter: string, date: string, today: string, notBefore: { date: string | null; what: string }[]): void {
    if (date > today) throw new InvalidParameterError(parameter, `日期 ${date} 晚于今天（${today}）：请填写实际日期。`);
    for (const bound of notBefore) {
      if (bound.date && date < bound.date) throw new InvalidParameterError(parameter, `日期 ${date} 早于${bound.what}（${bound.date}）：请检查日期。`);
    }
  }

  /** Sets the parcel's 效率状态 as the project's own write (the guard lets it through). */
  async function setStatus(transaction: Transaction<Database>, projectId: number, parcelId: number, status: string, actor: string): Promise<boolean> {
    await projects.actForProject(transaction, projectId);
    const parcel = await app.identificationRepository.parcel(transaction, parcelId, true);
    if (!parcel || parcel.status === status) return false;
    const outcome = await app.parcelsRepository.update(transaction, parcel.id, { status } as never, { expectedVersion: parcel.version, actor, scope: Scope.system() });
    if (outcome !== 'updated') {
      if ('conflicts' in outcome) throw new StaleVersionError(outcome.conflicts);
      throw new GeometryError(outcome.reason, 'geometry');
    }
    return true;
  }

  function assertCaseReadable(caseRow: { parcelId: number; number: string; districtCode: string; districtName: string }, principal: Principal): void {
    if (principal.role === 'enterprise') {
      if (!principal.enterpriseParcelIds.includes(Number(caseRow.parcelId))) {
        refuse({ reason: REUSE_STEP_FORBIDDEN, message: `案卷 ${caseRow.number} 不是本单位名下地块的案卷：用地单位只能查看本单位地块的再利用方案。` });
      }
      return;
    }
    Scope.of(principal).assertReadable({ code: caseRow.districtCode, name: caseRow.districtName }, `案卷 ${caseRow.number}`);
  }

  /** 验收 as the project page shows it: null before the 实施 phase has reached it. */
  async function acceptanceOf(row: ProjectRow, steps: ReuseStepRow[], today: string): Promise<Acceptance | null> {
    const applications = steps.filter((step) => step.step === 'acceptance_applied').reverse();
    const grounds = failureGrounds(standingOf(row, today));
    if (applications.length === 0 && grounds.length === 0 && !row.failureGround) return null;
    const identification = await projects.identificationSurvey(app.db, row.caseId);
    const latest = applications[0];
    const latestSurvey = (latest?.details.survey ?? null) as Record<string, unknown> | null;
    return {
      applications: applications.map((step) => ({
        stepId: Number(step.id), appliedOn: String(step.details.appliedOn), completion: String(step.details.completion ?? ''), via: step.outcome === 'online' ? 'online' : 'paper',
        actorName: step.actorName, survey: (step.details.survey ?? {}) as Record<string, unknown>,
      })),
      identificationSurvey: identification ? { submittedAt: identification.submittedAt.toISOString(), fields: identification.fields } : null,
      compare: latest ? compareSurveys(identification?.fields ?? null, latestSurvey) : [],
      decidedOn: row.acceptanceDecidedOn,
      certificate: row.certificateNumber && row.certificateDate && row.certificateDue
        ? { number: row.certificateNumber, date: row.certificateDate, due: row.certificateDue, late: row.certificateDate > row.certificateDue } : null,
      certificateDue: row.certificateDue,
      failure: row.failureGround && row.closedOn ? { ground: row.failureGround, label: failureGroundLabel(row.failureGround), on: row.closedOn } : null,
      failureGrounds: grounds.map((ground) => ({ ground, label: failureGroundLabel(ground) })),
      forms: ACCEPTANCE_FORMS.map((form) => ({
        code: form.code, title: `${form.attachment} ${form.title}`, url: `/api/reuse/projects/${row.id}/forms/${form.code}`,
        ready: form.needs === 'certificate_issued' ? row.certificateNumber !== null : applications.length > 0,
      })),
    };
  }

  const service = {
    assertCaseReadable,

    summary(row: ProjectRow, today = todayInChinaDate()): ReuseSummary {
      const clocks = clocksOf(row, row, today);
      return {
        id: Number(row.id), number: row.number, caseId: Number(row.caseId), caseNumber: row.caseNumber, parcelId: Number(row.parcelId), parcelCode: row.parcelCode,
        owner: row.owner, districtCode: row.districtCode, districtName: row.districtName, unitKind: row.unitKind, unitCode: row.unitCode, unitName: row.unitName,
        state: row.state, step: row.step as ReuseStepCode, stepLabel: reuseStepLabel(row.step), outcome: row.outcome, stepAt: row.stepAt.toISOString(),
        planVersion: row.planVersion, nextSteps: allowedReuseSteps(standingOf(row, today)), clocks, overdue: clocks.some((clock) => clock.state === 'overdue'), version: row.version,
      };
    },

    async detail(row: ProjectRow, principal: Principal): Promise<ReuseDetail> {
      const today = todayInChinaDate();
      const [versions, steps, tracking, ledger] = await Promise.all([
        projects.versions(app.db, row.id), projects.steps(app.db, row.id), projects.tracking(app.db, row.id), projects.ledger(app.db, row.id),
      ]);
      const actor = reuseActorOf(principal);
      const place = placeOf(row);
      const opinionsOnCurrent = new Set(steps.filter((step) => step.step === 'opinion' && step.planVersion === row.planVersion).map((step) => step.department));
      const lastApplied = [...steps].reverse().find((step) => step.step === 'acceptance_applied');
      const acceptanceOpinions = new Set(steps.filter((step) => step.step === 'acceptance_opinion' && lastApplied && Number(step.id) > Number(lastApplied.id)).map((step) => step.department));
      const nextActions: ReuseNextAction[] = allowedReuseSteps(standingOf(row, today)).map((step) => {
        const check = mayTakeReuseStep(step, actor, place);
        const already = actor.department !== null && ((step === 'opinion' && opinionsOnCurrent.has(actor.department)) || (step === 'acceptance_opinion' && acceptanceOpinions.has(actor.department)));
        return { step, label: reuseStepLabel(step), taker: reuseTakerOf(step, place), mayTake: check.ok && !already, reason: already ? (step === 'opinion' ? '本部门已对当前版本填写意见。' : '本部门已对本次验收申请填写意见。') : check.ok ? null : check.reason };
      });
      const due = completionDueOf(row);
      const current = versions[0];
      return {
        ...service.summary(row, today),
        noticeDate: row.noticeDate,
        request: row.requestNumber && row.requestDate ? { number: row.requestNumber, date: row.requestDate, contact: row.requestContact } : null,
        approval: row.approvalNumber && row.approvalDate ? { number: row.approvalNumber, date: row.approvalDate } : null,
        agreement: row.agreementNumber && row.signedOn && row.completionDue ? {
          number: row.agreementNumber, partyA: row.partyA ?? '', partyB: row.partyB ?? '', signedOn: row.signedOn, place: row.signingPlace ?? '',
          termMonths: row.termMonths ?? DEFAULT_TERM_MONTHS, termText: termText(row.termMonths ?? DEFAULT_TERM_MONTHS), completionDue: row.completionDue,
          extensionMonths: row.extensionMonths, extendedDue: row.extendedDue, extensionWindow: extensionWindow(due!),
        } : null,
        startedOn: row.startedOn, extensionState: row.extensionState,
        versions: versions.map(versionOf), steps: steps.map(stepOf),
        tracking: tracking.map((entry) => ({
          id: Number(entry.id), kind: entry.kind as 'follow_up', kindLabel: trackingKindLabel(entry.kind), date: entry.date, note: entry.note,
          documentIds: entry.documentIds.map(Number), actor: entry.actor, actorName: entry.actorName, at: entry.at.toISOString(),
        })),
        ledger: ledger.map((entry) => ({
          period: entry.period, outputWan: numberOrNull(entry.outputWan), taxWan: numberOrNull(entry.taxWan), investmentWan: numberOrNull(entry.investmentWan),
          note: entry.note, updatedBy: entry.updatedBy, updatedAt: entry.updatedAt.toISOString(),
        })),
        area: await linkedArea(current?.fields.areaId),
        nextActions,
        acceptance: await acceptanceOf(row, steps, today),
        mayTrack: inImplementation(standingOf(row, today)) && mayTakeReuseStep('started', actor, place).ok,
        localRules: [...REUSE_LOCAL_RULES],
      };
    },

    /** A 认定案卷's 再利用, with or without a project: what the plan will take from the card, the clocks, who may draft. */
    async ofCase(caseId: number, principal: Principal): Promise<CaseReuse> {
      const caseRow = await projects.notifiedCase(app.db, caseId);
      if (!caseRow) throw new NotFoundError(`没有编号为 ${caseId} 的认定案卷`, { parameter: 'caseId' });
      assertCaseReadable(caseRow, principal);
      const row = await projects.ofCase(app.db, caseId);
      const today = todayInChinaDate();
      const notified = caseRow.state === 'notified';
      const check = mayTakeReuseStep('plan_submitted', reuseActorOf(principal), placeOf(caseRow));
      const clocks = notified ? clocksOf(row, caseRow, today) : [];
      const mayListPlanOverdue = notified && !row && clocks[0]?.state === 'overdue' && principal.role !== 'enterprise'
        && mayTakeReuseStep('acceptance_failed', reuseActorOf(principal), placeOf(caseRow)).ok && !(await projects.isListed(app.db, caseId, PLAN_OVERDUE_GROUND.code));
      return {
        caseId: Number(caseRow.id), caseNumber: caseRow.number, caseState: caseRow.state, parcelId: Number(caseRow.parcelId), parcelCode: caseRow.parcelCode,
        noticeDate: caseRow.noticeDate,
        prefill: notified && caseRow.parcelExists ? await snapshotOf(caseRow) : null,
        clocks,
        mayDraft: notified && !row && check.ok,
        mayListPlanOverdue,
        draftReason: !notified ? '认定案卷尚未告知（未认定为低效产业用地），不能编制再利用方案。' : row ? null : check.ok ? null : check.reason,
        project: row ? await service.detail(row, principal) : null,
      };
    },

    async compare(row: ProjectRow, from: number, to: number): Promise<PlanCompare> {
      const versions = await projects.versions(app.db, row.id);
      const pick = (number: number, parameter: string) => {
        const version = versions.find((candidate) => candidate.number === number);
        if (!version) throw new NotFoundError(`再利用项目 ${row.number} 没有第 ${number} 版方案（共 ${versions.length} 版）`, { parameter });
        return version;
      };
      const rows = comparePlans(pick(from, 'from'), pick(to, 'to'));
      return { from, to, changed: rows.filter((entry) => entry.changed).length, rows };
    },

    /**
     * Takes a step inside the caller's transaction. `target` is the 认定案卷 for the plan (which opens
     * the project on its first version) and the project otherwise. In order: the case/project (404), an
     * enterprise's own parcel and the scope (403), the machine (409 naming the allowed steps), the role
     * and unit (403), the version read (409), the attachments (400), then the step's own rules.
     */
    async takeStep<S extends ReuseActionStep>(
      transaction: Transaction<Database>, target: { caseId: number } | { projectId: number }, step: S, body: ReuseStepBodies[S], principal: Principal, options: StepOptions = {},
    ): Promise<{ projectId: number; parcelChanged: boolean }> {
      const today = options.today ?? todayInChinaDate();
      let row: ProjectRow | undefined;
      let caseRow: NotifiedCaseRow | undefined;
      if ('caseId' in target) {
        caseRow = await projects.notifiedCase(transaction, target.caseId, true);
        if (!caseRow) throw new NotFoundError(`没有编号为 ${target.caseId} 的认定案卷`, { parameter: 'caseId' });
        row = await projects.ofCase(transaction, target.caseId, true);
      } else {
        row = await projects.lock(transaction, target.projectId);
        if (!row) throw new NotFoundError(`没有编号为 ${target.projectId} 的再利用项目`, { parameter: 'id' });
        caseRow = await projects.notifiedCase(transaction, row.caseId);
      }
      const subject = caseRow!;
      assertCaseReadable(subject, principal);
      if (principal.role !== 'enterprise') Scope.of(principal).assertWritable({ code: subject.districtCode, name: subject.districtName }, `案卷 ${subject.number}`, '办理');
      if (subject.state !== 'notified') {
        refuse({ reason: REUSE_NOT_NOTIFIED, parameter: 'caseId', message: `案卷 ${subject.number} 尚未告知（当前未认定为低效产业用地）：告知书发出后才能编制再利用方案。` });
      }
      const place = placeOf(subject);
      const standing = standingOf(row, today);
      if (step === 'extension_applied' && inImplementation(standing) && standing.extension !== 'none') {
        refuse({
          reason: EXTENSION_USED, parameter: 'step', details: { extensionState: standing.extension },
          message: `再利用项目 ${row!.number} 已申请过延期（${standing.extension === 'applied' ? '待甲方决定' : standing.extension === 'approved' ? '已同意' : '未获同意'}）：附件7 三规定可以延期1次，不能再次申请。`,
        });
      }
      if (!allowedReuseSteps(standing).includes(step)) stepRefusal(row, subject.number, step, place, today);
      const actor = reuseActorOf(principal);
      const check = mayTakeReuseStep(step, actor, place);
      if (!check.ok) refuse({ reason: REUSE_STEP_FORBIDDEN, message: check.reason, details: { step, taker: reuseTakerOf(step, place) } });
      if (row && body.projectVersion !== undefined && body.projectVersion !== row.version) {
        refuse({
          reason: REUSE_STALE, parameter: 'projectVersion', details: { projectVersion: row.version },
          message: `再利用项目 ${row.number} 已被他人更新（现为第 ${row.version} 版，您打开的是第 ${body.projectVersion} 版）：请刷新后再办理。`,
        });
      }
      const documentIds = body.documentIds ?? [];
      await assertDocuments(transaction, subject.parcelId, subject.parcelCode, documentIds);
      const base = {
        actor: principal.username, actorName: principal.displayName, role: principal.role,
        unitCode: principal.role === 'park_office' || principal.role === 'street_office' ? subject.unitCode : null,
        department: null as string | null, opinion: body.opinion?.trim() || null, documentIds,
      };
      const record = async (projectId: number, recorded: ReuseStepCode, outcome: string | null, details: Record<string, unknown>, changes: ProjectChanges = {}, planVersion: number | null = null) => {
        await projects.insertStep(transaction, { ...base, projectId, step: recorded, outcome, details, planVersion: planVersion ?? row?.planVersion ?? null });
        await projects.update(transaction, projectId, { step: recorded, outcome, ...changes });
      };
      let parcelChanged = false;

      switch (step) {
        case 'plan_submitted': {
          const { fields, note } = body as PlanSubmitBody;
          const missing = PLAN_FIELDS.filter((field) => field.required && (fields[field.key as keyof typeof fields] === undefined || fields[field.key as keyof typeof fields] === '' || fields[field.key as keyof typeof fields] === null));
          if (missing.length > 0) {
            throw new InvalidParameterError(`fields.${missing[0].key}`, `提交方案前请填写：${missing.map((field) => field.label).join('、')}（附件4 四、拟实施再利用情况）。`);
          }
          if (typeof fields.areaId === 'number') {
            const area = await app.areasRepository.find(fields.areaId);
            if (!area || area.deleted_at || area.district_code !== subject.districtCode) {
              refuse({ reason: REUSE_AREA_UNKNOWN, parameter: 'fields.areaId', message: `没有编号为 ${fields.areaId} 的${subject.districtName}成片改造区域（或已删除）：请从本区的成片改造区域中选择，或留空。` });
            }
          }
          const snapshot = await snapshotOf(subject);
          let projectId: number;
          if (!row) {
            const parcel = await app.identificationRepository.parcel(transaction, subject.parcelId);
            if (!parcel) throw new NotFoundError(`地块 ${subject.parcelCode} 已不存在（已分割或合并），不能编制再利用方案`, { parameter: 'caseId' });
            const year = Number(today.slice(0, 4));
            const sequence = await projects.nextNumber(transaction, subject.districtCode, year, 'project');
            projectId = await projects.insertProject(transaction, {
              number: reuseProjectNumber(subject.districtCode, year, sequence), caseId: subject.id, parcelId: subject.parcelId, parcelCode: subject.parcelCode,
              districtCode: subject.districtCode, year, sequence, unitCode: subject.unitCode, unitKind: subject.unitKind, noticeDate: subject.noticeDate!,
              statusBefore: parcel.status, openedBy: principal.username,
            });
          } else {
            projectId = Number(row.id);
          }
          const number = (row?.planVersion ?? 0) + 1;
          const via = check.ok && check.via ? check.via : 'paper';
          await projects.insertVersion(transaction, { projectId, number, fields, snapshot, via, note: note?.trim() || null, submittedBy: principal.username });
          await record(projectId, 'plan_submitted', via, { version: number, via }, { plan_version: number }, number);
          return { projectId, parcelChanged };
        }
        case 'opinion': {
          const { agree, opinion } = body as OpinionBody;
          const department = actor.department!;
          const earlier = (await projects.steps(transaction, row!.id)).find((entry) => entry.step === 'opinion' && entry.department === department && entry.planVersion === row!.planVersion);
          if (earlier) {
            refuse({
              reason: REUSE_OPINION_ENTERED, parameter: 'department', details: { department },
              message: `${departmentLabel(department)}已于 ${todayInChinaDate(earlier.at)} 由 ${earlier.actorName} 对第 ${row!.planVersion} 版方案填写意见；意见一经填写不能更改，如需补充请联系园区办/镇街在汇总中说明。`,
            });
          }
          await projects.insertStep(transaction, { ...base, projectId: row!.id, department, step: 'opinion', outcome: agree ? 'agree' : 'revise', opinion: opinion.trim(), details: { agree }, planVersion: row!.planVersion });
          await projects.update(transaction, row!.id, {});
          break;
        }
        case 'reviewed': {
          const { outcome, opinion } = body as ReviewedBody;
          const opinions = (await projects.steps(transaction, row!.id)).filter((entry) => entry.step === 'opinion' && entry.planVersion === row!.planVersion);
          if (opinions.length === 0) {
            refuse({
              reason: REUSE_OPINIONS_MISSING, parameter: 'step',
              message: `第 ${row!.planVersion} 版方案还没有任何部门的意见：请先征求相关部门意见（本地规则：至少一个部门填写意见后才能汇总）。`,
            });
          }
          const summary = opinions.map((entry) => ({ department: entry.department, agree: entry.outcome === 'agree' }));
          await record(row!.id, 'reviewed', outcome, { opinions: summary, version: row!.planVersion }, {});
          break;
        }
        case 'confirmed': {
          await projects.confirmVersion(transaction, row!.id, row!.planVersion, principal.username);
          await record(row!.id, 'confirmed', check.ok && check.via ? check.via : 'paper', { version: row!.planVersion, text: '同意按照上述方案实施。' });
          break;
        }
        case 'requested': {
          const { number, date, contact } = body as RequestedBody;
          const problem = documentNumberProblem(number, date);
          if (problem) throw new InvalidParameterError('number', `请示${problem}`);
          assertDate('date', date, today, [{ date: row!.noticeDate, what: '认定告知书日期' }]);
          await record(row!.id, 'requested', null, { number: number.trim(), date, contact: contact?.trim() || null }, { request_number: number.trim(), request_date: date });
          break;
        }
        case 'approved': {
          const { decision, number, date } = body as ApprovedBody;
          if (decision === 'reject') {
            if (!body.opinion?.trim()) throw new InvalidParameterError('opinion', '不予批准时请写明理由（opinion），方案将退回用地单位修改。');
            await record(row!.id, 'rejected', 'reject', {}, {});
            break;
          }
          if (!number) throw new InvalidParameterError('number', '批复同意时请填写批复文号（number），如“湖政〔2026〕12 号”。');
          if (!date) throw new InvalidParameterError('date', '批复同意时请填写批复日期（date）。');
          const problem = documentNumberProblem(number, date);
          if (problem) throw new InvalidParameterError('number', `批复${problem}`);
          assertDate('date', date, today, [{ date: row!.requestDate, what: '请示日期' }]);
          await record(row!.id, 'approved', 'approve', { number: number.trim(), date }, { approval_number: number.trim(), approval_date: date });
          break;
        }
        case 'signed': {
          const { signedOn, place: signingPlace, termMonths = DEFAULT_TERM_MONTHS, partyA, partyB } = body as SignedBody;
          assertDate('signedOn', signedOn, today, [{ date: row!.approvalDate, what: '区政府批复日期' }]);
          const year = Number(signedOn.slice(0, 4));
          const number = agreementNumber(subject.districtCode, year, await projects.nextNumber(transaction, subject.districtCode, year, 'agreement'));
          const completionDue = addMonths(signedOn, termMonths);
          const parties = {
            party_a: partyA?.trim() || `${subject.unitName ?? ''}${subject.unitKind === 'park' ? '管理办公室' : subject.unitName?.endsWith('镇') ? '人民政府' : '街道办事处'}`,
            party_b: partyB?.trim() || row!.owner || '（土地使用权人）',
          };
          await record(row!.id, 'signed', null, { number, signedOn, termMonths, completionDue, ...parties }, {
            agreement_number: number, signed_on: signedOn, signing_place: signingPlace?.trim() || `广东省汕头市${subject.districtName}`, term_months: termMonths,
            completion_due: completionDue, ...parties,
          });
          parcelChanged = await setStatus(transaction, row!.id, subject.parcelId, 'redeveloping', principal.username);
          break;
        }
        case 'started': {
          const { startedOn } = body as StartedBody;
          assertDate('startedOn', startedOn, today, [{ date: row!.signedOn, what: '协议书签订日期' }]);
          await record(row!.id, 'started', null, { startedOn, startDue: startDueOf(row!.approvalDate) }, { started_on: startedOn });
          break;
        }
        case 'extension_applied': {
          const { months, reason } = body as ExtensionAppliedBody;
          const due = completionDueOf(row!)!;
          const problem = extensionProblem({ due, appliedOn: today, months, alreadyApplied: row!.extensionState !== 'none' });
          if (problem?.reason === 'extension_too_long') {
            refuse({ reason: EXTENSION_TOO_LONG, parameter: 'months', details: { maxMonths: EXTENSION_RULE.maxMonths }, message: `延期不得超过 ${EXTENSION_RULE.maxMonths} 个月（附件7 三）：请把延期月数（months）改为 1 至 ${EXTENSION_RULE.maxMonths}。` });
          }
          if (problem?.reason === 'extension_window') {
            refuse({
              reason: EXTENSION_WINDOW, parameter: 'step', details: { window: problem.window, completionDue: due, today },
              message: `延期只能在完成期限届满前 1 个月内申请（附件7 三）：完成期限 ${due}，可申请期间 ${problem.window.from} 至 ${problem.window.to}；今天是 ${today}。`,
            });
          }
          await record(row!.id, 'extension_applied', null, { months, reason: reason.trim(), appliedOn: today, completionDue: due, window: extensionWindow(due) }, { extension_state: 'applied', extension_months: months });
          break;
        }
        case 'extension_decided': {
          const { approve } = body as ExtensionDecidedBody;
          if (!approve && !body.opinion?.trim()) throw new InvalidParameterError('opinion', '不同意延期时请写明理由（opinion）。');
          const extendedDue = approve ? addMonths(row!.completionDue!, row!.extensionMonths ?? 0) : null;
          await record(row!.id, 'extension_decided', approve ? 'approve' : 'refuse', { months: row!.extensionMonths, extendedDue },
            approve ? { extension_state: 'approved', extended_due: extendedDue! } : { extension_state: 'refused' });
          break;
        }
        case 'acceptance_applied': {
          const { appliedOn, completion, survey } = body as AcceptanceAppliedBody;
          assertDate('appliedOn', appliedOn, today, [{ date: row!.startedOn, what: '开始实施日期' }]);
          const current = await app.parcelsRepository.find(subject.parcelId);
          const problems = parcelValueProblems({ ...(current ?? {}), ...survey } as Record<string, unknown>, Object.keys(survey), today);
          if (problems.length > 0) throw new InvalidValuesError(problems.map((problem) => ({ ...problem, field: `survey.${problem.field}` })));
          const due = completionDueOf(row!);
          const via = check.ok && check.via ? check.via : 'paper';
          await record(row!.id, 'acceptance_applied', via, { appliedOn, completion: completion.trim(), survey, completionDue: due, late: due !== null && appliedOn > due, via },
            { acceptance_applied_on: appliedOn, acceptance_decided_on: null, certificate_due: null });
          break;
        }
        case 'acceptance_opinion': {
          const { agree, opinion } = body as AcceptanceOpinionBody;
          const department = actor.department!;
          const all = await projects.steps(transaction, row!.id);
          const applied = [...all].reverse().find((entry) => entry.step === 'acceptance_applied')!;
          const earlier = all.find((entry) => entry.step === 'acceptance_opinion' && entry.department === department && Number(entry.id) > Number(applied.id));
          if (earlier) {
            refuse({
              reason: REUSE_OPINION_ENTERED, parameter: 'department', details: { department },
              message: `${departmentLabel(department)}已于 ${todayInChinaDate(earlier.at)} 由 ${earlier.actorName} 对本次验收申请填写意见；意见一经填写不能更改。`,
            });
          }
          await projects.insertStep(transaction, { ...base, projectId: row!.id, department, step: 'acceptance_opinion', outcome: agree ? 'agree' : 'disagree', opinion: opinion.trim(), details: { agree, applicationStepId: Number(applied.id) }, planVersion: row!.planVersion });
          await projects.update(transaction, row!.id, {});
          break;
        }
        case 'acceptance_reviewed': {
          const { outcome, opinion } = body as AcceptanceReviewedBody;
          const all = await projects.steps(transaction, row!.id);
          const applied = [...all].reverse().find((entry) => entry.step === 'acceptance_applied')!;
          const opinions = all.filter((entry) => entry.step === 'acceptance_opinion' && Number(entry.id) > Number(applied.id));
          if (opinions.length === 0) {
            refuse({
              reason: REUSE_OPINIONS_MISSING, parameter: 'step',
              message: '本次验收申请还没有任何部门的验收意见：请先会同区相关部门验收（本地规则：至少一个部门填写意见后才能录入核实意见）。',
            });
          }
          await record(row!.id, 'acceptance_reviewed', outcome, { opinions: opinions.map((entry) => ({ department: entry.department, agree: entry.outcome === 'agree' })), opinion: opinion.trim() });
          break;
        }
        case 'accepted': {
          const { decision, date } = body as AcceptedBody;
          if (decision === 'reject') {
            if (!body.opinion?.trim()) throw new InvalidParameterError('opinion', '不予核准验收时请写明理由（opinion）。');
            await record(row!.id, 'acceptance_refused', 'reject', {});
            break;
          }
          if (!date) throw new InvalidParameterError('date', '核准验收时请填写核准日期（date）：验收核准书须于其后 3 个工作日内发出。');
          assertDate('date', date, today, [{ date: row!.acceptanceAppliedOn, what: '验收申请日期' }]);
          const due = days.addWorkingDays(date, CERTIFICATE_WORKING_DAYS);
          await record(row!.id, 'accepted', 'approve', { date, certificateDue: due.date, calendarCovered: due.covered }, { acceptance_decided_on: date, certificate_due: due.date });
          break;
        }
        case 'certificate_issued': {
          const { issuedOn } = body as CertificateIssuedBody;
          assertDate('issuedOn', issuedOn, today, [{ date: row!.acceptanceDecidedOn, what: '区政府核准验收日期' }]);
          const year = Number(issuedOn.slice(0, 4));
          const number = certificateNumber(subject.districtCode, year, await projects.nextNumber(transaction, subject.districtCode, year, 'certificate'));
          await record(row!.id, 'certificate_issued', null, { number, issuedOn, due: row!.certificateDue, late: row!.certificateDue !== null && issuedOn > row!.certificateDue, copies: ['区自然资源局', '区工信局'] },
            { state: 'completed', certificate_number: number, certificate_date: issuedOn, closed_on: issuedOn });
          parcelChanged = await setStatus(transaction, row!.id, subject.parcelId, 'redeveloped', principal.username);
          break;
        }
        case 'acceptance_failed': {
          const { ground, opinion } = body as AcceptanceFailedBody;
          const grounds = failureGrounds(standing);
          if (!grounds.includes(ground)) {
            refuse({
              reason: ACCEPTANCE_GROUND, parameter: 'ground', details: { ground, grounds },
              message: `再利用项目 ${row!.number} 现在不能以“${failureGroundLabel(ground)}”认定未完成：${grounds.length > 0 ? `可选的理由为 ${grounds.map(failureGroundLabel).join('、')}` : '没有可选的理由'}（附件7 五；逾期须在完成期限 ${completionDueOf(row!) ?? '—'} 之后）。`,
            });
          }
          const definition = FAILURE_GROUNDS.find((entry) => entry.code === ground)!;
          await record(row!.id, 'acceptance_failed', ground, { ground, completionDue: completionDueOf(row!) }, { state: 'failed', failure_ground: ground, closed_on: today });
          await projects.insertCreditListing(transaction, {
            districtCode: subject.districtCode, enterprise: row!.partyB ?? row!.owner ?? '（土地使用权人）', parcelId: subject.parcelId, parcelCode: subject.parcelCode,
            caseId: subject.id, projectId: row!.id, ground, listedOn: today, reason: opinion.trim(), source: definition.source, listedBy: principal.username, listedByName: principal.displayName,
          });
          parcelChanged = await setStatus(transaction, row!.id, subject.parcelId, row!.statusBefore, principal.username);
          break;
        }
      }
      return { projectId: Number(row!.id), parcelChanged };
    },

    /** 实施跟踪 and the ledger: only in the 实施 phase, by the 甲方 (the office of the unit). */
    async assertTracking(transaction: Transaction<Database>, projectId: number, principal: Principal): Promise<ProjectRow> {
      const row = await projects.lock(transaction, projectId);
      if (!row) throw new NotFoundError(`没有编号为 ${projectId} 的再利用项目`, { parameter: 'id' });
      Scope.of(principal).assertWritable({ code: row.districtCode, name: row.districtName }, `再利用项目 ${row.number}`, '办理');
      if (!inImplementation(standingOf(row))) {
        refuse({
          reason: REUSE_NOT_IMPLEMENTING, parameter: 'id', details: { currentStep: row.step },
          message: `再利用项目 ${row.number} 当前为「${reuseStepLabel(row.step)}」：实施跟踪和经济数据台账在签订协议书后（实施阶段）才能登记。`,
        });
      }
      const check = mayTakeReuseStep('started', reuseActorOf(principal), placeOf(row));
      if (!check.ok) refuse({ reason: REUSE_STEP_FORBIDDEN, message: check.reason });
      return row;
    },

    async addTracking(transaction: Transaction<Database>, projectId: number, body: TrackingBody, principal: Principal, options: StepOptions = {}): Promise<void> {
      const row = await service.assertTracking(transaction, projectId, principal);
      assertDate('date', body.date, options.today ?? todayInChinaDate(), [{ date: row.signedOn, what: '协议书签订日期' }]);
      await assertDocuments(transaction, row.parcelId, row.parcelCode, body.documentIds ?? []);
      await projects.insertTracking(transaction, {
        projectId: row.id, kind: body.kind, date: body.date, note: body.note.trim(), documentIds: body.documentIds ?? [], actor: principal.username, actorName: principal.displayName,
      });
      await projects.update(transaction, row.id, {});
    },

    async putLedger(transaction: Transaction<Database>, projectId: number, body: LedgerBody, principal: Principal): Promise<void> {
      const row = await service.assertTracking(transaction, projectId, principal);
      for (const key of ['outputWan', 'taxWan', 'investmentWan'] as const) {
        const value = body[key];
        if (value !== null && (!Number.isFinite(value) || value < 0)) throw new InvalidParameterError(key, `${key} 应为不小于 0 的数（万元）。`);
      }
      await projects.upsertLedger(transaction, row.id, { period: body.period, outputWan: body.outputWan, taxWan: body.taxWan, investmentWan: body.investmentWan, note: body.note?.trim() || null, actor: principal.username });
      await projects.update(transaction, row.id, {});
    },

    /** 信用异常名单 in the reader's districts. */
    async creditList(principal: Principal, district: string | undefined): Promise<CreditList> {
      const rows = await projects.creditList(Scope.of(principal), district);
      const items = rows.map((entry) => ({
        ...entry, id: Number(entry.id), parcelId: Number(entry.parcelId), caseId: Number(entry.caseId), projectId: entry.projectId === null ? null : Number(entry.projectId),
        groundLabel: failureGroundLabel(entry.ground),
      }));
      return { items, total: items.length };
    },

    /**
     * 附件3 "逾期未报送的，将纳入汕头市土地市场信用异常名单": the 甲方 (the case's 园区办/镇街) lists the 用地单位
     * of a notified case whose 方案 clock is overdue and that has no plan yet; once per case.
     */
    async listPlanOverdue(transaction: Transaction<Database>, caseId: number, reason: string, principal: Principal, today = todayInChinaDate()): Promise<void> {
      const caseRow = await projects.notifiedCase(transaction, caseId, true);
      if (!caseRow) throw new NotFoundError(`没有编号为 ${caseId} 的认定案卷`, { parameter: 'caseId' });
      assertCaseReadable(caseRow, principal);
      Scope.of(principal).assertWritable({ code: caseRow.districtCode, name: caseRow.districtName }, `案卷 ${caseRow.number}`, '办理');
      const check = mayTakeReuseStep('acceptance_failed', reuseActorOf(principal), placeOf(caseRow));
      if (!check.ok) refuse({ reason: REUSE_STEP_FORBIDDEN, message: check.reason, details: { taker: officeOf(placeOf(caseRow)) } });
      if (caseRow.state !== 'notified' || !caseRow.noticeDate) {
        refuse({ reason: REUSE_NOT_NOTIFIED, parameter: 'caseId', message: `案卷 ${caseRow.number} 尚未告知：告知书发出后才有再利用方案期限。` });
      }
      const [clock] = clocksOf(undefined, caseRow, today);
      const project = await projects.ofCase(transaction, caseId);
      if (project || clock.state !== 'overdue') {
        refuse({
          reason: PLAN_NOT_OVERDUE, parameter: 'caseId', details: { dueDate: clock.dueDate, projectNumber: project?.number ?? null },
          message: project
            ? `案卷 ${caseRow.number} 已提交再利用方案（项目 ${project.number}），不属“逾期未报送”（附件3）。`
            : `再利用方案期限为 ${clock.dueDate}（告知书日期起 1 个月），今天 ${today} 尚未逾期，不能以“逾期未报送”列入信用异常名单。`,
        });
      }
      if (await projects.isListed(transaction, caseId, PLAN_OVERDUE_GROUND.code)) {
        refuse({ reason: CREDIT_LISTED, parameter: 'caseId', message: `案卷 ${caseRow.number} 的用地单位已因“${PLAN_OVERDUE_GROUND.label}”列入信用异常名单，不能重复列入。` });
      }
      await projects.insertCreditListing(transaction, {
        districtCode: caseRow.districtCode, enterprise: caseRow.owner ?? '（土地使用权人）', parcelId: Number(caseRow.parcelId), parcelCode: caseRow.parcelCode,
        caseId: Number(caseRow.id), projectId: null, ground: PLAN_OVERDUE_GROUND.code, listedOn: today, reason: reason.trim(), source: PLAN_OVERDUE_GROUND.source,
        listedBy: principal.username, listedByName: principal.displayName,
      });
    },

    /** An official takes a 用地单位 off the 信用异常名单 (附件7 五 "直至乙方改正为止"), with the reason; once. */
    async removeListing(transaction: Transaction<Database>, id: number, reason: string, principal: Principal, today = todayInChinaDate()): Promise<void> {
      const listing = await projects.creditListing(transaction, id);
      if (!listing) throw new NotFoundError(`信用异常名单中没有编号为 ${id} 的条目`, { parameter: 'id' });
      Scope.of(principal).assertWritable({ code: listing.districtCode, name: listing.districtName }, `名单条目 ${id}`, '移出');
      const removed = !listing.removal && await projects.insertCreditRemoval(transaction, { listingId: id, removedOn: today, reason: reason.trim(), removedBy: principal.username, removedByName: principal.displayName });
      if (!removed) {
        const by = listing.removal ? `已于 ${listing.removal.on} 由 ${listing.removal.byName} ` : '已';
        refuse({ reason: CREDIT_LISTED, parameter: 'id', details: { removal: listing.removal }, message: `${listing.enterprise} ${by}移出信用异常名单，不能再次移出。` });
      }
    },

    /**
     * The district view: 认定案卷 and 再利用项目 per district, step and deadline state, with the city's
     * totals. A 再利用 project is overdue when one of its clocks is; a notified case without a project
     * stands at 待提交方案 on its 方案 clock.
     */
    async districtCounts(scope: Scope, today = todayInChinaDate()): Promise<DistrictCounts> {
      const [identification, { projects: all, cases }] = await Promise.all([
        app.identificationRepository.countsByDistrict(scope, today),
        projects.openWork(scope, null, true),
      ]);
      const table = (steps: readonly { code: string; label: string }[]) => {
        const rows = new Map<string, CountRow>();
        const city: CountRow = { districtCode: null, districtName: '全部', total: 0, byStep: {}, byState: { overdue: 0, due: 0, none: 0, finished: 0 } };
        const add = (districtCode: string, districtName: string, step: string, bucket: keyof CountRow['byState'], count: number) => {
          let row = rows.get(districtCode);
          if (!row) rows.set(districtCode, row = { districtCode, districtName, total: 0, byStep: {}, byState: { overdue: 0, due: 0, none: 0, finished: 0 } });
          for (const target of [row, city]) {
            target.total += count;
            target.byStep[step] = (target.byStep[step] ?? 0) + count;
            target.byState[bucket] += count;
          }
        };
        return { add, done: () => ({ steps: [...steps], rows: [...rows.values()].sort((a, b) => (a.districtCode ?? '').localeCompare(b.districtCode ?? '')), city }) };
      };
      const ident = table(STEP_CODES.map((code) => ({ code, label: identificationStepLabel(code) })));
      for (const row of identification) ident.add(row.districtCode, row.districtName, row.step, row.bucket, row.count);
      const reuse = table([{ code: AWAITING_PLAN, label: '待提交方案' }, ...REUSE_STEP_CODES.filter((code) => code !== 'opinion' && code !== 'acceptance_opinion').map((code) => ({ code, label: reuseStepLabel(code) }))]);
      const bucketOf = (clocks: Clock[], open: boolean): keyof CountRow['byState'] => {
        if (!open) return 'finished';
        if (clocks.some((clock) => clock.state === 'overdue')) return 'overdue';
        return clocks.some((clock) => clock.state === 'running' && clock.code !== 'extension') ? 'due' : 'none';
      };
      for (const caseRow of cases) {
        if (caseRow.noticeDate) reuse.add(caseRow.districtCode, caseRow.districtName, AWAITING_PLAN, bucketOf(clocksOf(undefined, caseRow, today), true), 1);
      }
      for (const row of all) reuse.add(row.districtCode, row.districtName, row.step, bucketOf(clocksOf(row, row, today), row.state === 'open'), 1);
      return { today, identification: ident.done(), reuse: reuse.done() };
    },

    /**
     * 待办: for the reader, what they are to take next in the 认定案卷 and the 再利用/验收 projects of
     * their scope (a 用地单位: its own parcels), overdue first, then by due date.
     */
    async todo(principal: Principal, today = todayInChinaDate()): Promise<ReuseTodo> {
      const scope = principal.role === 'enterprise' ? Scope.system() : Scope.of(principal);
      const parcelIds = principal.role === 'enterprise' ? principal.enterpriseParcelIds : null;
      const [{ projects: open, cases }, openCases] = await Promise.all([
        projects.openWork(scope, parcelIds),
        app.identificationRepository.openWork(scope, parcelIds),
      ]);
      const actor = reuseActorOf(principal);
      const caseActor = caseActorOf(principal);
      const items: ReuseTodo['items'] = [];
      const where = (row: { districtName: string; unitName: string | null }) => ({ districtName: row.districtName, unitName: row.unitName });
      for (const row of openCases) {
        const standing: CaseStanding = { state: row.state, step: row.step as StepCode, outcome: row.outcome };
        const mine = allowedNextSteps(standing).filter((step) => mayTakeStep(step, caseActor, placeOf(row)).ok
          // A return already in: the office verifies, the 用地单位 has nothing left to do; a department once.
          && !(step === 'survey_returned' && row.step === 'survey_returned')
          && !(step === 'review_opinion' && (caseActor.department === null || row.opinionDepartments.includes(caseActor.department)))
          // The 会审结论 waits for the five opinions (a local rule of the 认定 procedure).
          && !(step === 'joint_review' && !JOINT_REVIEW_DEPARTMENT_CODES.every((code) => row.opinionDepartments.includes(code))));
        if (mine.length === 0) continue;
        const dueStep = dueStepOf(standing);
        items.push({
          kind: 'identification', caseId: Number(row.id), caseNumber: row.number, projectId: null, projectNumber: null, parcelCode: row.parcelCode, owner: row.owner, ...where(row),
          stepLabel: identificationStepLabel(row.step), action: mine.map(identificationStepLabel).join('、'),
          dueDate: row.dueDate, dueLabel: row.dueDate && dueStep ? `${identificationStepLabel(dueStep)}期限` : null, overdue: row.dueDate !== null && row.dueDate < today,
        });
      }
      for (const caseRow of cases) {
        if (!mayTakeReuseStep('plan_submitted', actor, placeOf(caseRow)).ok || !caseRow.noticeDate) continue;
        const [clock] = clocksOf(undefined, caseRow, today);
        items.push({
          kind: 'reuse', caseId: Number(caseRow.id), caseNumber: caseRow.number, projectId: null, projectNumber: null, parcelCode: caseRow.parcelCode, owner: caseRow.owner,
          ...where(caseRow), stepLabel: '已告知（待提交方案）', action: '提交再利用方案（附件4）', dueDate: clock.dueDate, dueLabel: clock.label, overdue: clock.state === 'overdue',
        });
      }
      for (const row of open) {
        const clocks = clocksOf(row, row, today);
        const running = clocks.filter((clock) => clock.code !== 'extension' && (clock.state === 'running' || clock.state === 'overdue'));
        const mine = allowedReuseSteps(standingOf(row, today)).filter((step) => mayTakeReuseStep(step, actor, placeOf(row)).ok && step !== 'extension_applied' && !(step === 'acceptance_applied' && actor.role !== 'enterprise'));
        if (mine.length === 0) continue;
        const clock = running.sort((a, b) => Number(b.state === 'overdue') - Number(a.state === 'overdue') || (a.dueDate ?? '').localeCompare(b.dueDate ?? ''))[0];
        items.push({
          kind: 'reuse', caseId: Number(row.caseId), caseNumber: row.caseNumber, projectId: Number(row.id), projectNumber: row.number, parcelCode: row.parcelCode, owner: row.owner,
          ...where(row), stepLabel: reuseStepLabel(row.step), action: mine.map(reuseStepLabel).join('、'),
          dueDate: clock?.dueDate ?? null, dueLabel: clock?.label ?? null, overdue: clock?.state === 'overdue',
        });
      }
      items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.caseNumber.localeCompare(b.caseNumber));
      return { items, overdue: items.filter((item) => item.overdue).length };
    },

  };
  return service;
}

/** 附件7 三: "签订1年内（或者XX个月内）". */
export function termText(months: number): string {
  return months % 12 === 0 ? `签订${months / 12}年内` : `签订 ${months} 个月内`;
}

export type ReuseService = ReturnType<typeof createReuseService>;

declare module 'fastify' {
  interface FastifyInstance {
    reuseProjects: ReuseService;
  }
}

/** The 再利用 procedure (app.reuseProjects): plan versions, review, approval, agreement, 实施, clocks. */
export const reuseServicePlugin = fp(async (app: AppInstance) => {
  const calendar = JSON.parse(fs.readFileSync(WORKING_CALENDAR_FIXTURE, 'utf8')) as WorkingCalendar;
  app.decorate('reuseProjects', createReuseService(app, calendar));
}, { name: 'reuse-service', dependencies: ['reuse-repository', 'parcels-repository', 'identification-repository'] });
