import { describe, expect, it } from 'vitest';
import { floorAreaRatioText, limitText, mapTitle, muText } from './plot-text.js';

describe('the public page\'s wording of a plot', () => {
  it('gives 亩, ranges and limits as an investor reads them', () => {
    expect(muText(12.3456)).toBe('12.35 亩');
    expect(floorAreaRatioText(1.5, 3)).toBe('1.5–3.0');
    expect(floorAreaRatioText(2, 2)).toBe('2.0');
    expect(floorAreaRatioText(null, 3)).toBe('≤ 3.0');
    expect(floorAreaRatioText(null, null)).toBe('—');
    expect(limitText(45, '%')).toBe('≤ 45%');
    expect(limitText(null, ' m')).toBe('—');
  });

  it('names the district when every plot lies in one', () => {
    expect(mapTitle('厦门市', [{ name: '湖里区' }])).toBe('厦门市湖里区');
    expect(mapTitle('厦门市', [{ name: '湖里区' }, { name: '思明区' }])).toBe('厦门市');
  });
});
