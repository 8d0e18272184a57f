import { describe, expect, it } from 'vitest';
import { PARCEL_FIELDS } from './parcel-fields.js';
import { parcelFieldRefusal, parcelValueProblems, todayInChina } from './parcel-card-validation.js';

const TODAY = '2026-12-03';

describe('parcelValueProblems (rules across the card\'s fields)', () => {
  const stored = { landAcquiredAt: '2012-03-01', completionDate: '2014-06-30', productionStart: '2014-09-01', productionStop: null, registeredAreaM2: 3000, areaM2: 3050 };

  it('accepts dates in the order 土地取得 → 竣工 → 投产 → 停产, and a future 约定竣工时间', () => {
    expect(parcelValueProblems({ ...stored, productionStop: '2020-01-01', agreedCompletionDate: '2030-01-01' }, ['productionStop', 'agreedCompletionDate'], TODAY)).toEqual([]);
  });

  it('names the edited field when it breaks the order with a stored one', () => {
    const problems = parcelValueProblems({ ...stored, completionDate: '2011-01-01' }, ['completionDate'], TODAY);
    expect(problems).toEqual([{ field: 'completionDate', message: expect.stringContaining('竣工时间（2011-01-01）早于土地取得时间（2012-03-01）') }]);
    expect(parcelValueProblems({ ...stored, agreedCompletionDate: '2011-12-31' }, ['agreedCompletionDate'], TODAY)[0].message).toContain('约定竣工时间');
    // 投产 before 竣工, but 竣工 missing: 投产 is still checked against 土地取得.
    expect(parcelValueProblems({ ...stored, completionDate: null, productionStart: '2011-05-01' }, ['productionStart'], TODAY).map((problem) => problem.field)).toEqual(['productionStart']);
  });

  it('leaves a stored inconsistency alone when the edit touches none of its fields', () => {
    expect(parcelValueProblems({ ...stored, productionStop: '2013-01-01', owner: '新名称' }, ['owner'], TODAY)).toEqual([]);
  });

  it('refuses what has happened dated after today (China time)', () => {
    expect(parcelValueProblems({ ...stored, productionStop: '2026-12-04' }, ['productionStop'], TODAY)).toEqual([
      { field: 'productionStop', message: expect.stringContaining('晚于今天') },
    ]);
    expect(parcelValueProblems({ ...stored, productionStop: TODAY }, ['productionStop'], TODAY)).toEqual([]);
    expect(todayInChina(new Date('2026-12-03T17:00:00Z'))).toBe('2026-12-04');
  });

  it('refuses an undeveloped part larger than the registered (else the drawn) area', () => {
    expect(parcelValueProblems({ ...stored, undevelopedAreaM2: 3100 }, ['undevelopedAreaM2'], TODAY)).toHaveLength(1);
    expect(parcelValueProblems({ ...stored, undevelopedAreaM2: 3020 }, ['undevelopedAreaM2'], TODAY)).toEqual([]);
    expect(parcelValueProblems({ ...stored, registeredAreaM2: null, undevelopedAreaM2: 3100 }, ['undevelopedAreaM2'], TODAY)).toHaveLength(1);
  });
});

describe('parcelFieldRefusal', () => {
  it('says in Chinese, for every editable field, what it takes and what to do', () => {
    for (const field of PARCEL_FIELDS.filter((candidate) => candidate.patch)) {
      const message = parcelFieldRefusal(field.key)!;
      expect(message, field.key).toContain(field.label);
      expect(message).toContain('请改正后重试');
    }
    expect(parcelFieldRefusal('agreedInvestmentIntensity')).toContain('0 到 10000000');
    expect(parcelFieldRefusal('agreedBuildingDensity')).toContain('0.45');
    expect(parcelFieldRefusal('parkSide')).toContain('inside、outside');
    expect(parcelFieldRefusal('areaM2')).toBeUndefined();
  });
});
