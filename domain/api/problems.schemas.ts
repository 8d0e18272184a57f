import { Type, type Static } from 'typebox';
import { STOCK_DEPARTMENT_CODES } from '../departments.js';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { PROBLEM_STATUS_CODES } from '../problems.js';
import { DateString, Id, Nullable, PageNumber, StringEnum, VersionNumber } from './common.schemas.js';

/** 问题清单 (issue 18 item 3): one problem blocking redevelopment. */
const facts = {
  category: Type.String({ minLength: 1, maxLength: 40, description: '问题类别: a code of the current problem_category list' }),
  title: Type.String({ minLength: 1, maxLength: 200, description: '问题（一句话）' }),
  description: Type.String({ minLength: 1, maxLength: 4000, description: '问题描述' }),
  ownerRequest: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: '权利人的盘活诉求' }))),
  department: StringEnum(STOCK_DEPARTMENT_CODES, { description: '责任部门 (domain/departments.ts STOCK_DEPARTMENTS)' }),
  dueDate: Type.Optional(Nullable(DateString({ description: '办结时限' }))),
  parcelIds: Type.Optional(Type.Array(Id(), { maxItems: 200, uniqueItems: true, description: '关联地块' })),
  areaIds: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true, description: '关联成片改造区域' })),
};

export const ProblemCreate = Type.Object({
  districtCode: Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '所属区县 (numbers are per district and year)' }),
  ...facts,
}, { additionalProperties: false });
export type ProblemCreate = Static<typeof ProblemCreate>;

export const ProblemPatch = Type.Object({
  category: Type.Optional(facts.category),
  title: Type.Optional(facts.title),
  description: Type.Optional(facts.description),
  ownerRequest: facts.ownerRequest,
  department: Type.Optional(facts.department),
  dueDate: facts.dueDate,
  parcelIds: facts.parcelIds,
  areaIds: facts.areaIds,
  expectedVersion: VersionNumber({ description: 'the version the edit started from (409 stale_version otherwise)' }),
}, { additionalProperties: false });
export type ProblemPatch = Static<typeof ProblemPatch>;

export const ProblemTransition = Type.Object({
  status: StringEnum(PROBLEM_STATUS_CODES),
  note: Type.Optional(Type.String({ maxLength: 4000, description: '办理情况; for 已解决 / 无法解决 the outcome (办理结果), required' })),
  expectedVersion: VersionNumber(),
}, { additionalProperties: false });
export type ProblemTransition = Static<typeof ProblemTransition>;

export const ProblemParams = Type.Object({ id: Id({ description: 'problem id' }) });
export type ProblemParams = Static<typeof ProblemParams>;

export const ProblemListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
  status: Type.Optional(StringEnum(PROBLEM_STATUS_CODES)),
  department: Type.Optional(StringEnum(STOCK_DEPARTMENT_CODES)),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  overdue: Type.Optional(Type.Boolean({ description: 'only problems past their due date and not ended' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2999 })),
  parcelId: Type.Optional(Id({ description: 'problems linked to this parcel' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '编号、问题、描述或诉求中的文字' })),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
}, { additionalProperties: false });
export type ProblemListQuery = Static<typeof ProblemListQuery>;

/** The Excel file (binary). */
export const ProblemWorkbook = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: sheets 问题清单, 按部门统计, 说明' });

/** The Excel export takes the list's filters (no paging). */
export const ProblemExportQuery = Type.Omit(ProblemListQuery, ['page', 'pageSize']);
export type ProblemExportQuery = Static<typeof ProblemExportQuery>;

export const ProblemStep = Type.Object({
  from: Type.String(), to: Type.String(), note: Nullable(Type.String()), actor: Type.String(), actorName: Type.String(), at: Type.String({ format: 'date-time' }),
});

const LinkedParcel = Type.Object({ id: Type.Integer(), code: Nullable(Type.String({ description: 'null when the parcel no longer exists' })) });
const LinkedArea = Type.Object({ id: Type.Integer(), name: Nullable(Type.String()) });

export const Problem = Type.Object({
  id: Type.Integer(),
  number: Type.String({ description: '编号 <区县代码>-WT-<年>-<序号>' }),
  districtCode: Type.String(),
  districtName: Type.String(),
  year: Type.Integer(),
  category: Type.String(),
  categoryLabel: Type.String(),
  categoryVersion: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  ownerRequest: Nullable(Type.String()),
  department: Type.String(),
  departmentName: Type.String(),
  dueDate: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  overdue: Type.Boolean(),
  parcels: Type.Array(LinkedParcel),
  areas: Type.Array(LinkedArea),
  status: Type.String(),
  statusAt: Type.String({ format: 'date-time' }),
  outcome: Nullable(Type.String()),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  nextStatuses: Type.Array(Type.String()),
});
export type Problem = Static<typeof Problem>;

export const ProblemDetail = Type.Object({
  ...Problem.properties,
  steps: Type.Array(ProblemStep),
});
export type ProblemDetail = Static<typeof ProblemDetail>;

export const DepartmentCount = Type.Object({
  department: Type.String(), name: Type.String(),
  total: Type.Integer(), open: Type.Integer({ description: '未办结 (待办 + 办理中)' }), overdue: Type.Integer(), resolved: Type.Integer(), unresolvable: Type.Integer(),
});
export type DepartmentCount = Static<typeof DepartmentCount>;

export const ProblemList = Type.Object({
  items: Type.Array(Problem),
  total: Type.Integer(),
  overdue: Type.Integer({ description: 'matching problems past their due date and not ended' }),
  byStatus: Type.Array(Type.Object({ status: Type.String(), label: Type.String(), count: Type.Integer() })),
  byDepartment: Type.Array(DepartmentCount, { description: 'every department with problems among the matching ones (filters but department)' }),
  today: Type.String({ description: 'the China calendar day overdue is counted against' }),
});
export type ProblemList = Static<typeof ProblemList>;
