/** 行政区划代码 of the demo city and its districts (厦门市 3502). */
export const XIAMEN = { code: '350200', name: '厦门市' } as const;

export const XIAMEN_DISTRICTS = [
  { code: '350203', name: '思明区' },
  { code: '350205', name: '海沧区' },
  { code: '350206', name: '湖里区' },
  { code: '350211', name: '集美区' },
  { code: '350212', name: '同安区' },
  { code: '350213', name: '翔安区' },
] as const;

/** A 行政区划代码: 6 digits (province, city or district level). */
export const DISTRICT_CODE_PATTERN = '^[0-9]{6}$';
