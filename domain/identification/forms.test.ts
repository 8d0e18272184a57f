import { describe, expect, it } from 'vitest';
import { CASE_FORMS, formAvailability, formFileName, formUrl, type FormCase } from './forms.js';

const at = (steps: string[], state: FormCase['state'] = 'open'): FormCase => ({ number: '350206-RD-2026-0001', state, steps: steps.map((step) => ({ step, outcome: null })) });

describe('which 认定 form may be printed when, and by whom', () => {
  it('附件1 at any step; 附件2 from 初步认定 (never after 不属低效); 附件3 once 告知', () => {
    expect(formAvailability('survey', 'park_office', at(['listed']))).toEqual({ ok: true });
    expect(formAvailability('review', 'park_office', at(['listed', 'survey_sent']))).toMatchObject({ ok: false, kind: 'not_ready', message: expect.stringContaining('初步认定') });
    expect(formAvailability('review', 'viewer', at(['listed', 'preliminary']))).toEqual({ ok: true });
    expect(formAvailability('review', 'viewer', at(['listed', 'closed_not_inefficient'], 'closed'))).toMatchObject({ ok: false, message: expect.stringContaining('不属低效') });
    expect(formAvailability('notice', 'park_office', at(['listed', 'preliminary', 'joint_review', 'approved']))).toMatchObject({ ok: false, kind: 'not_ready', message: expect.stringContaining('告知') });
    expect(formAvailability('notice', 'enterprise', at(['listed', 'preliminary', 'notified'], 'notified'))).toEqual({ ok: true });
  });

  it('the 用地单位 gets 附件1 and 附件3, never 附件2', () => {
    expect(CASE_FORMS.filter((form) => form.enterprise).map((form) => form.attachment)).toEqual(['附件1', '附件3']);
    expect(formAvailability('review', 'enterprise', at(['preliminary']))).toMatchObject({ ok: false, kind: 'forbidden' });
  });

  it('names the file and the route', () => {
    expect(formFileName('notice', '350206-RD-2026-0001')).toBe('附件3_低效产业用地认定告知书_350206-RD-2026-0001.pdf');
    expect([formUrl(7, 'survey'), formUrl(7, 'survey', 12)]).toEqual(['/api/identification/cases/7/forms/survey.pdf', '/api/identification/cases/7/forms/survey.pdf?submission=12']);
  });
});
