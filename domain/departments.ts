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
