import { sql } from 'kysely';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { writeAs } from '../db/actor.js';
import { ensureDemoReuse } from './demo-reuse.js';
import type { StepBodies } from '../../domain/api/identification.schemas.js';
import type { ActionStep } from '../../domain/identification/steps.js';
import { periodOfDate } from '../../domain/reports/report-schedules.js';
import { todayInChinaDate } from '../../domain/identification/working-days.js';

/** The note every demo case carries: a database with one has its demo cases. */
export const DEMO_CASE_NOTE = '演示数据：认定程序示例案卷';

type Account = 'ziranziyuan' | 'yuanqu' | 'jiedao' | 'qiye' | 'fagai' | 'gongxin' | 'keji' | 'shengtai' | 'zrzy-huishen' | 'zhengfu';
type Move = { [S in ActionStep]: [Account, S, StepBodies[S]] }[ActionStep];

const FORM = { floorAreaRatio: 0.42, buildingCoverage: 0.28, taxPerMu: 0.9, outputPerMu: 48, investedAmount: 900, meetsSafety: true, meetsEnvironment: true, meetsEnergy: true };
const OFFICE_TO_PRELIMINARY = (office: Account, via: Account): Move[] => [
  [office, 'survey_sent', { opinion: '已向用地单位发出调查表（附件1）' }],
  [via, 'survey_returned', { fields: FORM }],
  [office, 'verified', { outcome: 'confirmed', departments: ['fagai', 'ziranziyuan', 'gongxin', 'shuiwu'], opinion: '会同发改、自然资源、工信、税务核实无误' }],
  [office, 'preliminary', { inefficient: true, reasons: '容积率0.42、亩均税收0.9万元，低于本区认定标准（示例）', types: ['low_output', 'idle'], measures: ['self_renewal', 'cooperation'] }],
];
const OPINIONS: Move[] = (['fagai', 'gongxin', 'keji', 'shengtai', 'zrzy-huishen'] as const).map((account) => [account, 'review_opinion', { agree: true, opinion: '同意认定为低效产业用地' }]);

/**
 * Demo data of the 认定 procedure: a few cases of the demo 园区 and 街道 in every step (列入清单 to
 * 告知, a case sent back, one closed as 不属低效, one 不同意 by the 区政府), so that a new user sees the
 * procedure populated. Built through the identification service with the demo accounts, as people
 * would; nothing is written when the accounts are missing or demo cases exist already.
 */
export async function ensureDemoCases(app: AppInstance, log: (line: string) => void = console.log): Promise<number> {
  const exists = await app.db.selectFrom('identification_cases').select('id').where('note', '=', DEMO_CASE_NOTE).executeTakeFirst();
  if (exists) return 0;
  const principals = new Map<Account, Principal>();
  for (const username of ['ziranziyuan', 'yuanqu', 'jiedao', 'qiye', 'fagai', 'gongxin', 'keji', 'shengtai', 'zrzy-huishen', 'zhengfu'] as Account[]) {
    const user = await app.usersRepository.findByUsername(username);
    const principal = user && await app.usersRepository.principal(Number(user.id));
    if (!principal) return 0;
    principals.set(username, principal);
  }
  const park = principals.get('yuanqu')!.units[0];
  const street = principals.get('jiedao')!.units[0];
  const enterpriseParcels = principals.get('qiye')!.enterpriseParcelIds;
  if (!park || !street) return 0;
  // Parcels of the units without a case, away from the first and last ids (tests and benchmarks pick those).
  const pick = async (where: ReturnType<typeof sql>, count: number) => (await sql<{ id: number }>`
    SELECT p.id FROM parcels p WHERE ${where} AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      AND NOT (p.id = ANY(${enterpriseParcels}::bigint[]))
    ORDER BY p.id OFFSET 10 LIMIT ${count}`.execute(app.db)).rows.map((row) => Number(row.id));
  const parkParcels = await pick(sql`p.park_code = ${park}`, 13);
  const [enterpriseParcel] = (await sql<{ id: number }>`
    SELECT p.id FROM parcels p WHERE p.id = ANY(${enterpriseParcels}::bigint[])
      AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      AND p.id > (SELECT min(id) FROM parcels WHERE district_code = p.district_code)
      AND p.id < (SELECT max(id) FROM parcels WHERE district_code = p.district_code)
    ORDER BY p.id DESC LIMIT 1`.execute(app.db)).rows.map((row) => Number(row.id));
  const streetParcels = await pick(sql`p.park_code IS NULL AND p.subdistrict_code = ${street}`, 4);
  const plans: { parcelId: number | undefined; moves: Move[] }[] = [
    { parcelId: enterpriseParcel, moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'qiye'), ...OPINIONS.slice(0, 3)] },
    { parcelId: parkParcels[0], moves: [] },
    { parcelId: parkParcels[1], moves: [['yuanqu', 'survey_sent', { opinion: '已发出调查表' }]] },
    { parcelId: parkParcels[2], moves: [['yuanqu', 'survey_sent', {}], ['yuanqu', 'survey_returned', { fields: FORM }], ['yuanqu', 'verified', { outcome: 'sent_back', materials: ['近三年纳税证明', '停产情况说明'] }]] },
    { parcelId: parkParcels[3], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意，符合认定标准，报区政府审批' }]] },
    { parcelId: parkParcels[4], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve', opinion: '同意' }]] },
    { parcelId: parkParcels[5], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}]] },
    // Notified, then carried into 再利用 (demo-reuse.ts).
    { parcelId: parkParcels[6], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}]] },
    { parcelId: parkParcels[7], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}]] },
    { parcelId: parkParcels[8], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}]] },
    { parcelId: parkParcels[10], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}]] },
    { parcelId: parkParcels[11], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}]] },
    { parcelId: parkParcels[12], moves: [...OFFICE_TO_PRELIMINARY('yuanqu', 'yuanqu'), ...OPINIONS, ['yuanqu', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}]] },
    { parcelId: streetParcels[0], moves: [['jiedao', 'survey_sent', {}], ['jiedao', 'survey_returned', { fields: FORM }]] },
    { parcelId: streetParcels[1], moves: [['jiedao', 'survey_sent', {}], ['jiedao', 'survey_returned', { fields: { ...FORM, taxPerMu: 15 } }], ['jiedao', 'verified', { outcome: 'confirmed' }], ['jiedao', 'preliminary', { inefficient: false, reasons: '亩均税收15万元，高于本区标准，不属低效（示例）' }]] },
    { parcelId: streetParcels[2], moves: [...OFFICE_TO_PRELIMINARY('jiedao', 'jiedao'), ...OPINIONS, ['jiedao', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'reject', opinion: '企业已启动技术改造，待改造完成后复核（示例）' }]] },
    { parcelId: streetParcels[3], moves: [...OFFICE_TO_PRELIMINARY('jiedao', 'jiedao'), ...OPINIONS, ['jiedao', 'joint_review', { meets: true, opinion: '五部门均同意' }], ['zhengfu', 'approved', { decision: 'approve' }], ['jiedao', 'notified', {}]] },
  ];
  let made = 0;
  const notified = new Map<number, number>();
  for (const plan of plans) {
    if (plan.parcelId === undefined) continue;
    const opener = principals.get('ziranziyuan')!;
    const opened = await writeAs(app.db, { name: opener.username }, (transaction) =>
      app.identificationCases.open(transaction, { parcelId: plan.parcelId!, principal: opener, note: DEMO_CASE_NOTE }));
    for (const [account, step, body] of plan.moves) {
      const principal = principals.get(account)!;
      await writeAs(app.db, { name: principal.username }, (transaction) => app.identificationCases.takeStep(transaction, Number(opened.id), step, body as never, principal));
    }
    if (plan.parcelId !== undefined && plan.moves.at(-1)?.[1] === 'notified') notified.set(plan.parcelId, Number(opened.id));
    made++;
  }
  log(`演示认定案卷 / demo identification cases: ${made}`);
  // 再利用 of the notified cases: one sent back for changes, one 批复, one in 实施, one with a 延期, one waiting for opinions, one in 验收, one accepted, one failed.
  const carried = [
    { parcelId: parkParcels[6], office: 'yuanqu', depth: 1 }, { parcelId: parkParcels[7], office: 'yuanqu', depth: 2 },
    { parcelId: parkParcels[8], office: 'yuanqu', depth: 3 }, { parcelId: parkParcels[5], office: 'yuanqu', depth: 4 },
    { parcelId: streetParcels[3], office: 'jiedao', depth: 0 },
    { parcelId: parkParcels[10], office: 'yuanqu', depth: 5 }, { parcelId: parkParcels[11], office: 'yuanqu', depth: 6 },
    { parcelId: parkParcels[12], office: 'yuanqu', depth: 7 },
  ].flatMap((entry) => (entry.parcelId !== undefined && notified.has(entry.parcelId) ? [{ caseId: notified.get(entry.parcelId)!, office: entry.office, depth: entry.depth }] : []));
  const projects = await ensureDemoReuse(app, principals as Map<string, Principal>, carried);
  log(`演示再利用项目 / demo reuse projects: ${projects}`);
  return made;
}

/** The note of the demo's 附件11 submission. */
export const DEMO_SUBMISSION_NOTE = '演示数据：附件11报送示例';

/**
 * The demo's 附件11 submission: the 区自然资源部门 (ziranziyuan) files its district's 汇总表 for the
 * current period, with the demo's notified cases in it, so that the 汇总表 tab shows a record with
 * who, when and the file. Nothing is written without the account or when the district has filed one.
 */
export async function ensureDemoReportSubmission(app: AppInstance, log: (line: string) => void = console.log): Promise<number> {
  const user = await app.usersRepository.findByUsername('ziranziyuan');
  const principal = user && await app.usersRepository.principal(Number(user.id));
  const district = principal?.allowedDistricts[0];
  if (!principal || !district) return 0;
  const filed = await app.db.selectFrom('report_submissions').select('id').where('report_code', '=', 'annex11').where('district_code', '=', district).executeTakeFirst();
  if (filed) return 0;
  const period = periodOfDate(app.reportsService.scheduleOf('annex11'), todayInChinaDate()).period;
  await writeAs(app.db, { name: principal.username }, (transaction) =>
    app.reportsService.submit(transaction, 'annex11', { district, period, note: DEMO_SUBMISSION_NOTE }, principal));
  log(`演示附件11报送记录 / demo 附件11 submission: ${district} ${period}`);
  return 1;
}
