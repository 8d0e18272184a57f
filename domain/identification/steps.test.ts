import { describe, expect, it } from 'vitest';
import {
  ACTION_STEPS, JOINT_REVIEW_DEPARTMENT_CODES, STEPS, STEP_DEADLINES, allowedNextSteps, dueStepOf, jointReviewProblem, mayTakeStep,
  type CaseActor, type CasePlace,
} from './steps.js';

const park: CasePlace = { parcelId: 7, unitKind: 'park', unitCode: '350206501', unitName: '火炬园' };
const street: CasePlace = { parcelId: 8, unitKind: 'street', unitCode: '350206003', unitName: '殿前街道' };
const actor = (role: string, extra: Partial<CaseActor> = {}): CaseActor => ({ role, units: [], department: null, enterpriseParcelIds: [], ...extra });

describe('认定 step machine', () => {
  it('walks 列入清单 → 告知 in the seed\'s order, with 核实 able to send back to 调查表回收', () => {
    const open = (step: (typeof STEPS)[number]['code'], outcome: string | null = null) => allowedNextSteps({ state: 'open', step, outcome });
    expect(open('listed')).toEqual(['survey_sent']);
    expect(open('survey_sent')).toEqual(['survey_returned']);
    expect(open('survey_returned')).toEqual(['survey_returned', 'verified']);
    expect(open('verified', 'confirmed')).toEqual(['preliminary']);
    expect(open('verified', 'sent_back')).toEqual(['survey_returned']);
    expect(open('preliminary')).toEqual(['review_opinion', 'joint_review']);
    expect(open('joint_review')).toEqual(['approved']);
    expect(open('approved')).toEqual(['notified']);
    expect(allowedNextSteps({ state: 'closed', step: 'rejected', outcome: null })).toEqual([]);
    expect(allowedNextSteps({ state: 'notified', step: 'notified', outcome: null })).toEqual([]);
  });

  it('gives each step to its role and unit: 园区办 only its 园区, 镇街 only 园区外 parcels of its 街道', () => {
    expect(mayTakeStep('survey_sent', actor('park_office', { units: ['350206501'] }), park)).toEqual({ ok: true });
    expect(mayTakeStep('survey_sent', actor('park_office', { units: ['350206502'] }), park).ok).toBe(false);
    expect(mayTakeStep('survey_sent', actor('street_office', { units: ['350206003'] }), park)).toMatchObject({ ok: false, reason: expect.stringContaining('园区办') });
    expect(mayTakeStep('survey_sent', actor('street_office', { units: ['350206003'] }), street)).toEqual({ ok: true });
    expect(mayTakeStep('survey_sent', actor('park_office', { units: ['350206501'] }), street).ok).toBe(false);
    expect(mayTakeStep('survey_sent', actor('resources'), park).ok).toBe(false);
    expect(mayTakeStep('approved', actor('government'), park)).toEqual({ ok: true });
    expect(mayTakeStep('approved', actor('park_office', { units: ['350206501'] }), park).ok).toBe(false);
    expect(mayTakeStep('notified', actor('admin'), park).ok).toBe(true);
  });

  it('lets the enterprise fill 附件1 only for its own parcels (online), the office from paper', () => {
    expect(mayTakeStep('survey_returned', actor('enterprise', { enterpriseParcelIds: [7] }), park)).toEqual({ ok: true, via: 'online' });
    expect(mayTakeStep('survey_returned', actor('enterprise', { enterpriseParcelIds: [9] }), park).ok).toBe(false);
    expect(mayTakeStep('survey_returned', actor('park_office', { units: ['350206501'] }), park)).toEqual({ ok: true, via: 'paper' });
    expect(mayTakeStep('verified', actor('enterprise', { enterpriseParcelIds: [7] }), park).ok).toBe(false);
  });

  it('takes 会审 opinions only from the five departments (税务 核实s but does not 会审)', () => {
    for (const department of JOINT_REVIEW_DEPARTMENT_CODES) expect(mayTakeStep('review_opinion', actor('department', { department }), park)).toEqual({ ok: true });
    expect(mayTakeStep('review_opinion', actor('department', { department: 'shuiwu' }), park).ok).toBe(false);
    expect(mayTakeStep('review_opinion', actor('government'), park).ok).toBe(false);
  });

  it('LOCAL RULE: a 会审 conclusion needs all five opinions, and a dissent explained', () => {
    const all = JOINT_REVIEW_DEPARTMENT_CODES.map((department) => ({ department, agree: true, text: '同意' }));
    expect(jointReviewProblem(all.slice(0, 3), { meets: true, text: '' })).toEqual({ reason: 'opinions_missing', missing: ['keji', 'shengtai'] });
    expect(jointReviewProblem(all, { meets: true, text: '' })).toBeNull();
    const dissent = all.map((opinion, index) => (index === 4 ? { ...opinion, agree: false } : opinion));
    expect(jointReviewProblem(dissent, { meets: true, text: '同意' })).toEqual({ reason: 'dissent_unexplained', dissenting: ['shengtai'] });
    expect(jointReviewProblem(dissent, { meets: true, text: '生态环境部门的意见已由企业整改承诺回应，其余四部门同意' })).toBeNull();
    expect(jointReviewProblem(dissent, { meets: false, text: '' })).toBeNull();
  });

  it('has a deadline for every step that can be due, the 告知书\'s from the seed and the rest marked local', () => {
    expect(STEP_DEADLINES.notified).toMatchObject({ workingDays: 3, local: false });
    for (const step of ACTION_STEPS) {
      if (step === 'review_opinion') continue;
      expect(STEP_DEADLINES[step], step).toBeDefined();
      if (step !== 'notified') expect(STEP_DEADLINES[step]!.local).toBe(true);
    }
    expect(dueStepOf({ state: 'open', step: 'approved', outcome: null })).toBe('notified');
    expect(dueStepOf({ state: 'open', step: 'survey_returned', outcome: null })).toBe('verified');
    expect(dueStepOf({ state: 'open', step: 'preliminary', outcome: null })).toBe('joint_review');
    expect(dueStepOf({ state: 'closed', step: 'rejected', outcome: null })).toBeNull();
  });
});

describe('departments', () => {
  it('会审 by the departments domain/departments.ts marks as reviewing, 核实 with those it marks as verifying, in the seed\'s order', async () => {
    const { REVIEW_DEPARTMENTS, VERIFYING_DEPARTMENTS } = await import('../departments.js');
    const { VERIFY_DEPARTMENTS } = await import('./steps.js');
    expect(JOINT_REVIEW_DEPARTMENT_CODES).toEqual(REVIEW_DEPARTMENTS);
    expect(VERIFY_DEPARTMENTS.map((department) => department.code)).toEqual(VERIFYING_DEPARTMENTS);
  });
});
