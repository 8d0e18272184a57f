/** 国民经济行业分类 (GB/T 4754-2017) manufacturing and logistics divisions seen in industrial parks. */
export const INDUSTRY_CODES: Readonly<Record<string, string>> = {
  C13: '农副食品加工业',
  C14: '食品制造业',
  C17: '纺织业',
  C18: '纺织服装、服饰业',
  C19: '皮革、毛皮、羽毛及其制品和制鞋业',
  C21: '家具制造业',
  C22: '造纸和纸制品业',
  C23: '印刷和记录媒介复制业',
  C24: '文教、工美、体育和娱乐用品制造业',
  C26: '化学原料和化学制品制造业',
  C27: '医药制造业',
  C29: '橡胶和塑料制品业',
  C30: '非金属矿物制品业',
  C33: '金属制品业',
  C34: '通用设备制造业',
  C35: '专用设备制造业',
  C36: '汽车制造业',
  C38: '电气机械和器材制造业',
  C39: '计算机、通信和其他电子设备制造业',
  C40: '仪器仪表制造业',
  G59: '装卸搬运和仓储业',
  I65: '软件和信息技术服务业',
};

export function industryLabel(code: string | null | undefined): string {
  if (!code) return '—';
  const name = INDUSTRY_CODES[code];
  return name ? `${code} ${name}` : code;
}
