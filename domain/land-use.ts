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
