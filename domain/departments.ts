/**
 * The district departments of the 认定 procedure (seed 003 二.3–4): 核实 "会同区发改、自然资源、工信、
 * 税务等相关部门", 会审 by "区发改、自然资源、工信、科技、生态环境等部门". A 会审部门 account (role
 * `department`) belongs to one of them and enters that department's opinion only.
 */
export const DEPARTMENTS = [
  { code: 'fagai', label: '发改', name: '区发展和改革局', verifies: true, reviews: true },
  { code: 'ziranziyuan', label: '自然资源', name: '区自然资源局', verifies: true, reviews: true },
  { code: 'gongxin', label: '工信', name: '区工业和信息化局', verifies: true, reviews: true },
  { code: 'keji', label: '科技', name: '区科学技术局', verifies: false, reviews: true },
  { code: 'shengtai', label: '生态环境', name: '区生态环境局', verifies: false, reviews: true },
  { code: 'shuiwu', label: '税务', name: '区税务局', verifies: true, reviews: false },
] as const;

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];
export const DEPARTMENT_CODES = DEPARTMENTS.map((department) => department.code) as DepartmentCode[];

/** The departments that 会审 (附件2), in the seed's order: 发改、自然资源、工信、科技、生态环境. */
export const REVIEW_DEPARTMENTS = DEPARTMENTS.filter((department) => department.reviews).map((department) => department.code) as DepartmentCode[];

/** The departments the 园区办/镇街 核实 with (二.3): 发改、自然资源、工信、税务. */
export const VERIFYING_DEPARTMENTS = DEPARTMENTS.filter((department) => department.verifies).map((department) => department.code) as DepartmentCode[];

export function isDepartmentCode(code: string): code is DepartmentCode {
  return (DEPARTMENT_CODES as string[]).includes(code);
}

/** 发改 etc., or the code itself when unknown. */
export function departmentLabel(code: string | null | undefined): string {
  if (!code) return '';
  return DEPARTMENTS.find((department) => department.code === code)?.label ?? code;
}

/**
 * The units of seed 004 附件 部门责任清单 (河东区低效用地再开发试点工作实施方案): who reports which 低效用地
 * and who answers for a problem of the 问题清单. `reports` names the 调查表 a unit fills in (附件 4–6, 11
 * and the closing line: 其他相关部门 填报低效设施调查表).
 */
export const STOCK_DEPARTMENTS = [
  { code: 'ziranziyuan', name: '市规划资源局（区分局）', reports: null },
  { code: 'fagai', name: '区发展改革委', reports: null },
  { code: 'caizheng', name: '区财政局', reports: null },
  { code: 'zhujian', name: '区住房城乡建设委', reports: '城中村、老旧小区、烂尾楼盘的用地范围、建筑面积、建设手续情况' },
  { code: 'guozi', name: '区国资委', reports: '国有资产涉及的低效工业、低效商业服务业、低效设施用地（另行填报）' },
  { code: 'chancu', name: '区产业发展促进局', reports: '低效工业调查表' },
  { code: 'shangwu', name: '区商务局', reports: null },
  { code: 'shengtai', name: '区生态环境局', reports: null },
  { code: 'shuiwu', name: '区税务局', reports: null },
  { code: 'shichang', name: '区市场监管局', reports: null },
  { code: 'keji', name: '区科技局', reports: null },
  { code: 'jiedao', name: '各街道办事处', reports: '低效商办调查表' },
  { code: 'other', name: '其他相关部门', reports: '低效设施调查表（闲置的公共管理与公共服务设施、交通设施或公用设施）' },
] as const;

export type StockDepartmentCode = (typeof STOCK_DEPARTMENTS)[number]['code'];
export const STOCK_DEPARTMENT_CODES = STOCK_DEPARTMENTS.map((department) => department.code) as StockDepartmentCode[];

export function stockDepartmentName(code: string | null | undefined): string {
  if (!code) return '';
  return STOCK_DEPARTMENTS.find((department) => department.code === code)?.name ?? code;
}
