import { describe, expect, it } from 'vitest';
import { highlightParts } from './search-text.js';

describe('highlightParts', () => {
  it('marks every match, case-insensitive, keeping the text as written', () => {
    expect(highlightParts('厦门宏兴机械有限公司', '机械')).toEqual([
      { text: '厦门宏兴', hit: false }, { text: '机械', hit: true }, { text: '有限公司', hit: false },
    ]);
    expect(highlightParts('HT-ab-AB', 'ab')).toEqual([
      { text: 'HT-', hit: false }, { text: 'ab', hit: true }, { text: '-', hit: false }, { text: 'AB', hit: true },
    ]);
  });

  it('leaves a text without a match (or an empty query) whole', () => {
    expect(highlightParts('湖里区', '思明')).toEqual([{ text: '湖里区', hit: false }]);
    expect(highlightParts('湖里区', '  ')).toEqual([{ text: '湖里区', hit: false }]);
  });
});
