import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import type { ReportOverview, ReportPeriodStatus, ReportSubmission, SubmitReportBody } from '../../domain/api/reports.schemas.js';
import { exportFileName, exportStamp } from '../../domain/exports/export-names.js';
import { todayInChinaDate } from '../../domain/identification/working-days.js';
import { roleCan } from '../../domain/permissions.js';
import {
  PERIOD_STATE_LABELS, parsePeriod, periodOfDate, periodState, periodsBetween, type ReportCode, type ReportPeriod, type ReportSchedule, type ReportSchedules,
} from '../../domain/reports/report-schedules.js';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scope.js';
import { REPOSITORY_ROOT } from '../config.js';
import type { Database } from '../db/schema.js';
import { ApiError, InvalidParameterError, NotFoundError } from '../errors.js';
import { ANNEX11_SPEC } from './annex11-workbook.js';
import type { SubmissionRow } from './reports.sql.js';
import { ANNEX12_SPEC, ANNEX13_SPEC } from './reuse-summaries.js';
import { writeSummaryWorkbook, type SummaryFigures, type SummarySheet, type SummaryTableSpec } from './summary-workbook.js';

export const REPORT_SCHEDULES_FIXTURE = path.join(REPOSITORY_ROOT, 'fixtures', 'report-schedules.json');
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A report as generated: the file, its name and what it adds up to. */
export interface GeneratedReport {
  buffer: Buffer;
  fileName: string;
  mediaType: string;
  figures: SummaryFigures;
}

interface Place { code: string; name: string; level: string; parentCode: string | null }

/** A district's name as the forms write it: 厦门市湖里区. */
function fullName(place: Place, city: Place | undefined): string {
  return place.level === 'city' || !city ? place.name : `${city.name}${place.name}`;
}

/**
 * Periodic reports filed upward (seed 003 四（一）): generating each report's workbook for a district
 * or the city and a period, the periods a district owes with their states, and submissions that
 * freeze the file. One generator per report code (附件11, 附件12, 附件13), all on the shared 汇总表 builder.
 */
export function createReportsService(app: AppInstance, schedules: ReportSchedules) {
  const reports = app.reportsRepository;

  function scheduleOf(code: ReportCode): ReportSchedule {
    const schedule = schedules.reports[code];
    if (!schedule) throw new NotFoundError(`报送计划中没有报表 ${code}（fixtures/report-schedules.json）`, { parameter: 'report' });
    return schedule;
  }

  function periodOf(schedule: ReportSchedule, text: string | undefined, today: string): ReportPeriod {
    if (text === undefined) return periodOfDate(schedule, today);
    const period = parsePeriod(schedule, text);
    const example = schedule.frequency === 'month' ? '2026-11' : '2026-Q4';
    if (!period) throw new InvalidParameterError('period', `报告期 ${text} 无效：${schedule.annex}${schedule.frequency === 'month' ? '按月' : '按季度'}报送，请写成 ${example} 这样的形式。`);
    if (period.start > today) throw new InvalidParameterError('period', `报告期${period.label}尚未开始（今天是 ${today}）：请选择已开始的报告期。`);
    return period;
  }

  async function places(): Promise<{ all: Place[]; city: Place | undefined }> {
    const all = (await app.districtsRepository.list()).map((entry) => ({ code: entry.code, name: entry.name, level: entry.level, parentCode: entry.parentCode }));
    return { all, city: all.find((entry) => entry.level === 'city') };
  }

  /** The districts a reader may read, in code order. */
  function readableDistricts(all: Place[], scope: Scope): Place[] {
    return all.filter((entry) => entry.level !== 'city' && scope.covers(entry.code)).sort((a, b) => a.code.localeCompare(b.code));
  }

  /** A 汇总表 for a district (one sheet) or the city (全市 with each district's 小计, then a sheet per district). */
  async function summary<Row extends { districtCode: string }>(
    code: ReportCode, spec: SummaryTableSpec<Row>, rowsOf: (districts: readonly string[], until: string, scope: Scope) => Promise<Row[]>,
    districtCode: string, period: ReportPeriod, scope: Scope, creator: string, today: string,
  ): Promise<GeneratedReport> {
    const schedule = scheduleOf(code);
    const { all, city } = await places();
    const requested = all.find((entry) => entry.code === districtCode);
    if (!requested) throw new NotFoundError(`没有行政区 ${districtCode}；请从行政区列表中选择。`, { parameter: 'district' });
    const isCity = requested.level === 'city';
    if (!isCity) scope.assertReadable({ code: requested.code, name: requested.name }, `${requested.name}的${schedule.title}`);
    const districts = isCity ? readableDistricts(all, scope).filter((entry) => entry.parentCode === requested.code) : [requested];
    if (districts.length === 0) {
      throw new ApiError(403, 'out_of_scope', `${requested.name}没有在您管辖范围内的区县，没有可查看的${schedule.title}。请联系系统管理员调整管辖范围。`);
    }
    const until = period.end < today ? period.end : today;
    const rows = await rowsOf(districts.map((entry) => entry.code), until, scope);
    const cityOf = (place: Place) => all.find((entry) => entry.code === place.parentCode) ?? city;
    const districtSheet = (place: Place): SummarySheet<Row> => ({
      name: place.name,
      title: `${fullName(place, cityOf(place))}${schedule.title}`,
      unitLine: `填报单位（盖章）：${fullName(place, cityOf(place))}人民政府`,
      groups: [{ label: place.name, rows: rows.filter((row) => row.districtCode === place.code) }],
    });
    const sheets: SummarySheet<Row>[] = isCity
      ? [{
        name: '全市汇总',
        title: `${requested.name}${schedule.title}`,
        unitLine: `汇总范围：${districts.map((entry) => entry.name).join('、')}${scope.unrestricted ? '' : '（管辖范围内）'}`,
        groups: districts.map((place) => ({ label: place.name, rows: rows.filter((row) => row.districtCode === place.code) })).filter((group) => group.rows.length > 0),
      }, ...districts.map(districtSheet)]
      : [districtSheet(requested)];
    const { buffer, figures } = await writeSummaryWorkbook(spec, { period, filledOn: today, creator, sheets });
    const place = isCity ? requested.name : fullName(requested, cityOf(requested));
    return {
      buffer, figures, mediaType: XLSX_MEDIA_TYPE,
      fileName: exportFileName([place, `${schedule.annex}${schedule.title}`, period.label], exportStamp(new Date()), '.xlsx'),
    };
  }

  type Generator = (districtCode: string, period: ReportPeriod, scope: Scope, creator: string, today: string) => Promise<GeneratedReport>;
  const generators: Record<ReportCode, Generator> = {
    annex11: (...args) => summary('annex11', ANNEX11_SPEC, (districts, until, scope) => reports.annex11Rows(districts, until, scope), ...args),
    annex12: (...args) => summary('annex12', ANNEX12_SPEC, (districts, until, scope) => reports.reuseRows('approved', districts, until, scope), ...args),
    annex13: (...args) => summary('annex13', ANNEX13_SPEC, (districts, until, scope) => reports.reuseRows('accepted', districts, until, scope), ...args),
  };

  function submissionOf(row: SubmissionRow, schedule: ReportSchedule): ReportSubmission {
    const summary = row.summary as Partial<SummaryFigures>;
    return {
      id: row.id, report: row.reportCode, districtCode: row.districtCode, districtName: row.districtName, period: row.period,
      periodLabel: parsePeriod(schedule, row.period)?.label ?? row.period, periodStart: row.periodStart, periodEnd: row.periodEnd,
      dueDate: row.dueDate, status: row.status, supersededBy: row.supersededBy, submittedBy: row.submittedBy, submittedByName: row.submittedByName,
      submittedAt: row.submittedAt.toISOString(), onTime: row.onTime, recipients: row.recipients, fileName: row.fileName, byteSize: Number(row.byteSize),
      sha256: row.sha256, rowCount: row.rowCount, newCount: Number(summary.newCount ?? 0), areaMu: Number(summary.areaMu ?? 0), note: row.note,
      downloadUrl: `/api/reports/submissions/${row.id}/file`,
    };
  }

  return {
    scheduleOf,

    /** The workbook of a report for a district or the city and a period (default: the current one), read in the reader's scope. */
    async generate(code: ReportCode, districtCode: string, periodText: string | undefined, principal: Principal): Promise<GeneratedReport> {
      const today = todayInChinaDate();
      const period = periodOf(scheduleOf(code), periodText, today);
      return generators[code](districtCode, period, Scope.of(principal), principal.displayName, today);
    },

    /** A district's periods (newest first) with where each stands, and its submissions. */
    async overview(code: ReportCode, districtCode: string | undefined, principal: Principal): Promise<ReportOverview> {
      const schedule = scheduleOf(code);
      const scope = Scope.of(principal);
      const today = todayInChinaDate();
      const { all, city } = await places();
      const readable = readableDistricts(all, scope);
      let district: Place | undefined;
      if (districtCode) {
        district = all.find((entry) => entry.code === districtCode);
        if (!district) throw new NotFoundError(`没有行政区 ${districtCode}；请从行政区列表中选择。`, { parameter: 'district' });
        if (district.level === 'city') throw new InvalidParameterError('district', `${district.name}是市：汇总表按区县报送，请选择一个区县（全市汇总表可直接下载）。`);
        scope.assertReadable({ code: district.code, name: district.name }, `${district.name}的报送记录`);
      } else {
        district = readable[0];
      }
      const current = periodOfDate(schedule, today);
      const base = {
        report: {
          code, title: schedule.title, annex: schedule.annex, frequency: schedule.frequency,
          dueRule: schedule.frequency === 'month'
            ? `每月报送上月情况，次月${schedule.due.day}日前（含）报送`
            : `每季度报送，季度第${schedule.due.monthsAfterPeriodStart + 1}个月${schedule.due.day}日前（含）报送`,
          recipients: schedule.recipients, source: schedule.source, localRules: schedule.localRules,
        },
        districts: readable.map((entry) => ({ code: entry.code, name: entry.name })),
        city: city ? { code: city.code, name: city.name } : null,
        today, currentPeriod: current.period,
      };
      if (!district) return { ...base, district: null, maySubmit: false, periods: [], submissions: [] };
      const rows = await reports.submissions(code, district.code);
      const firstNotice = await reports.firstNoticeDate(district.code);
      const starts = [firstNotice, ...rows.map((row) => row.periodStart)].filter((date): date is string => date !== null).sort();
      const periods: ReportPeriodStatus[] = periodsBetween(schedule, starts[0] ?? today, today).reverse().map((period) => {
        const row = rows.find((entry) => entry.period === period.period && entry.status === 'submitted');
        const state = periodState(period, today, row ? { onTime: row.onTime } : null);
        return {
          period: period.period, label: period.label, start: period.start, end: period.end, dueDate: period.dueDate,
          state, stateLabel: PERIOD_STATE_LABELS[state], submission: row ? submissionOf(row, schedule) : null,
        };
      });
      return {
        ...base, district: { code: district.code, name: district.name },
        maySubmit: roleCan(principal.role, 'reports:submit') && scope.covers(district.code),
        periods, submissions: rows.map((row) => submissionOf(row, schedule)),
      };
    },

    /**
     * Submits a district's report for a period inside the caller's transaction (which names the
     * actor: the audit log records it): the workbook is generated now and frozen with who and when;
     * an earlier submission of the period is superseded.
     */
    async submit(transaction: Transaction<Database>, code: ReportCode, body: SubmitReportBody, principal: Principal): Promise<number> {
      const schedule = scheduleOf(code);
      const { all } = await places();
      const district = all.find((entry) => entry.code === body.district);
      if (!district) throw new NotFoundError(`没有行政区 ${body.district}；请从行政区列表中选择。`, { parameter: 'district' });
      if (district.level === 'city') throw new InvalidParameterError('district', `${district.name}是市：${schedule.title}由各区县报送，请选择一个区县。`);
      Scope.of(principal).assertWritable({ code: district.code, name: district.name }, `${district.name}的${schedule.title}`, '报送');
      const today = todayInChinaDate();
      const period = periodOf(schedule, body.period, today);
      const generated = await generators[code](district.code, period, Scope.of(principal), principal.displayName, today);
      const { id } = await reports.insertSubmission(transaction, {
        reportCode: code, districtCode: district.code, period: period.period, periodStart: period.start, periodEnd: period.end, dueDate: period.dueDate,
        submittedBy: principal.username, submittedByName: principal.displayName, submittedRole: principal.role, onTime: today <= period.dueDate,
        recipients: schedule.recipients, fileName: generated.fileName, mediaType: generated.mediaType,
        sha256: createHash('sha256').update(generated.buffer).digest('hex'), rowCount: generated.figures.rowCount,
        summary: { ...generated.figures, areaMu: Math.round(generated.figures.areaMu * 100) / 100 }, note: body.note?.trim() || null, content: generated.buffer,
      });
      return id;
    },

    /** A submission as the API shows it. */
    async submission(id: number): Promise<ReportSubmission | undefined> {
      const row = await reports.find(id);
      return row && submissionOf(row, scheduleOf(row.reportCode as ReportCode));
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;

declare module 'fastify' {
  interface FastifyInstance {
    reportsService: ReportsService;
  }
}

/** Periodic reports (app.reportsService), with the schedules of fixtures/report-schedules.json. */
export const reportsServicePlugin = fp(async (app: AppInstance) => {
  const schedules = JSON.parse(fs.readFileSync(REPORT_SCHEDULES_FIXTURE, 'utf8')) as ReportSchedules;
  app.decorate('reportsService', createReportsService(app, schedules));
}, { name: 'reports-service', dependencies: ['reports-repository', 'districts-repository'] });
