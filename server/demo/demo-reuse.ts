import type { ReuseStepBodies } from '../../domain/api/reuse.schemas.js';
import { todayInChinaDate } from '../../domain/identification/working-days.js';
import type { ReuseActionStep } from '../../domain/reuse/steps.js';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { writeAs } from '../db/actor.js';

type Move = { [S in Exclude<ReuseActionStep, 'plan_submitted'>]: [string, S, ReuseStepBodies[S]] }[Exclude<ReuseActionStep, 'plan_submitted'>];

/** A plan as a 园区办 would enter it from the 用地单位's paper (附件4). */
export const DEMO_PLAN = {
  acquisitionBasis: '国有建设用地使用权出让合同', registration: '已办理不动产登记', uses: [{ use: '工业厂房', areaM2: 6800, user: '本单位' }],
  projectName: '五金制品', industryType: '金属制品业', indicators: [{ indicator: '容积率', agreed: '≥1.2', actual: '0.42' }],
  issues: ['below_agreed', 'vacant_buildings'], penalties: '无', method: 'self_renewal', workContent: '拆除旧厂房，新建多层标准厂房，引进智能装备项目',
  builder: '原土地使用权人', plannedInvestment: 5200, useAfter: '工业', industryAfter: '智能装备制造', floorAreaAfterM2: 18000, farAfter: 1.8,
  expectedOutput: 12000, benefits: '亩均税收由 0.9 万元提高到 25 万元', targetLandUse: '工业用地', targetPlannedFunction: '一类工业用地', targetFar: 1.8,
  targetDensity: 45, targetInvestmentIntensity: 350, targetOutputPerMu: 600, targetTaxPerMu: 25, reuseSubject: '原土地使用权人',
} as const;

/** The 调查表（验收） of the demo's accepted projects (附件1 figures after the 再利用). */
export const DEMO_ACCEPTANCE_SURVEY = { floorAreaRatio: 1.8, buildingCoverage: 0.46, floorAreaM2: 18000, investedAmount: 5200, outputPerMu: 610, taxPerMu: 26, meetsSafety: true, meetsEnvironment: true, meetsEnergy: true };

/**
 * Demo 再利用 (seed 003 三): notified demo cases carried on — one sent back for changes, one 批复, one
 * in 实施 with entries and a ledger, one with an approved 延期, one waiting for opinions, one in 验收
 * (waiting for the 核实), one accepted (核准书 sent, 已完成再开发), one failed (延期未获同意, on the
 * 信用异常名单) — through the reuse service with the demo accounts, as people would.
 */
export async function ensureDemoReuse(app: AppInstance, principals: Map<string, Principal>, cases: { caseId: number; office: string; depth: number }[]): Promise<number> {
  const today = todayInChinaDate();
  const year = today.slice(0, 4);
  let made = 0;
  for (const { caseId, office, depth } of cases) {
    const plan = await writeAs(app.db, { name: office }, (transaction) =>
      app.reuseProjects.takeStep(transaction, { caseId }, 'plan_submitted', { fields: { ...DEMO_PLAN, plannedCompletion: `${Number(year) + 1}-06` } as never, note: '第一版（演示）' }, principals.get(office)!));
    const unit = office === 'yuanqu' ? '湖园' : '湖街';
    const toApproved: Move[] = [
      ['fagai', 'opinion', { agree: true, opinion: '同意' }],
      ['gongxin', 'opinion', { agree: true, opinion: '同意，注意产业准入' }],
      [office, 'reviewed', { outcome: 'ready', opinion: '各部门同意' }],
      [office, 'confirmed', { agree: true, opinion: '用地单位书面确认' }],
      [office, 'requested', { number: `${unit}〔${year}〕${10 + made} 号`, date: today, contact: '李明 0592-5550000' }],
      ['zhengfu', 'approved', { decision: 'approve', number: `湖政〔${year}〕${40 + made} 号`, date: today }],
    ];
    const implementing: Move[] = [...toApproved, [office, 'signed', { signedOn: today }], [office, 'started', { startedOn: today }]];
    const applied: Move[] = [...implementing,
      [office, 'acceptance_applied', { appliedOn: today, completion: '新建多层标准厂房 18000 平方米，智能装备项目已投产（演示）', survey: DEMO_ACCEPTANCE_SURVEY }],
      ['fagai', 'acceptance_opinion', { agree: true, opinion: '投资已按方案到位' }], ['gongxin', 'acceptance_opinion', { agree: true, opinion: '项目已投产，符合产业准入' }]];
    const byDepth: Record<number, Move[]> = {
      0: [],
      1: [['fagai', 'opinion', { agree: false, opinion: '投资强度偏低，请补充资金来源' }], [office, 'reviewed', { outcome: 'revise', opinion: '请按发改意见修改后重新提交' }]],
      2: toApproved,
      3: implementing,
      4: [...toApproved, [office, 'signed', { signedOn: today, termMonths: 1 }], [office, 'started', { startedOn: today }],
        [office, 'extension_applied', { months: 2, reason: '设备到货延迟（演示）' }], [office, 'extension_decided', { approve: true, opinion: '同意延期2个月' }]],
      5: applied,
      6: [...applied, [office, 'acceptance_reviewed', { outcome: 'pass', opinion: '经核实，已完成再利用方案确定的目标任务' }],
        ['zhengfu', 'accepted', { decision: 'approve', date: today, opinion: '同意核准验收' }], [office, 'certificate_issued', { issuedOn: today }]],
      7: [...toApproved, [office, 'signed', { signedOn: today, termMonths: 1 }],
        [office, 'extension_applied', { months: 3, reason: '资金未到位（演示）' }], [office, 'extension_decided', { approve: false, opinion: '延期理由不充分（演示）' }],
        [office, 'acceptance_failed', { ground: 'extension_refused', opinion: '申请延期未获甲方同意，纳入信用异常名单（演示）' }]],
    };
    const moves = byDepth[depth] ?? [];
    for (const [account, step, body] of moves) {
      await writeAs(app.db, { name: account }, (transaction) => app.reuseProjects.takeStep(transaction, { projectId: plan.projectId }, step, body as never, principals.get(account)!));
    }
    if (depth === 3 || depth === 4) {
      const principal = principals.get(office)!;
      await writeAs(app.db, { name: office }, async (transaction) => {
        await app.reuseProjects.addTracking(transaction, plan.projectId, { kind: 'procedure', date: today, note: '已办理建设工程规划许可（演示）' }, principal);
        await app.reuseProjects.addTracking(transaction, plan.projectId, { kind: 'follow_up', date: today, note: '现场跟进：旧厂房拆除完成（演示）' }, principal);
        await app.reuseProjects.putLedger(transaction, plan.projectId, { period: `${year}-Q4`, outputWan: 850, taxWan: 42, investmentWan: 1600 }, principal);
      });
    }
    made++;
  }
  return made;
}
