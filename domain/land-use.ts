/** 三调工作分类 land-use codes (GB/T 21010-2017 based) that this product deals with. */
export const LAND_USE_CODES: Readonly<Record<string, string>> = {
  '05H1': '商业服务业设施用地',
  '0508': '物流仓储用地',
  '0601': '工业用地',
  '0602': '采矿用地',
  '0701': '城镇住宅用地',
  '0702': '农村宅基地',
  '08H1': '机关团体新闻出版用地',
  '08H2': '科教文卫用地',
  '0809': '公用设施用地',
  '0810': '公园与绿地',
  '09': '特殊用地',
  '0902': '商务金融用地',
  '100104': '工业研发用地',
  '1201': '空闲地',
};

export function landUseLabel(code: string | null | undefined): string {
  if (!code) return '—';
  const name = LAND_USE_CODES[code];
  return name ? `${code} ${name}` : code;
}

/**
 * 三调 first-level classes (GB/T 21010-2017 一级类), with the map colours used for 变更调查 layers
 * (after the customary 土地利用现状图 palette).
 */
export const LAND_USE_CLASSES = [
  { code: '00', label: '湿地', color: '#7fc6d8' },
  { code: '01', label: '耕地', color: '#f5e98c' },
  { code: '02', label: '种植园用地', color: '#c9e28a' },
  { code: '03', label: '林地', color: '#5fa85a' },
  { code: '04', label: '草地', color: '#a8d08d' },
  { code: '05', label: '商业服务业用地', color: '#f08c8c' },
  { code: '06', label: '工矿用地', color: '#b07aa1' },
  { code: '07', label: '住宅用地', color: '#f3b27a' },
  { code: '08', label: '公共管理与公共服务用地', color: '#e07a8f' },
  { code: '09', label: '特殊用地', color: '#9a8c7c' },
  { code: '10', label: '交通运输用地', color: '#b3b3b3' },
  { code: '11', label: '水域及水利设施用地', color: '#8cc3ec' },
  { code: '12', label: '其他土地', color: '#d9cfb8' },
] as const;

export const UNKNOWN_LAND_USE_CLASS = { code: 'xx', label: '未知地类', color: '#e0e0e0' } as const;

/** The 一级类 of a 地类编码: '0601' → '06', '05H1' → '05', '1001' → '10'. */
export function landUseClass(code: string | null | undefined): string {
  if (!code || !/^\d{2}/.test(code)) return UNKNOWN_LAND_USE_CLASS.code;
  const prefix = code.slice(0, 2);
  return LAND_USE_CLASSES.some((entry) => entry.code === prefix) ? prefix : UNKNOWN_LAND_USE_CLASS.code;
}
