import { PARCEL_FIELDS, type ParcelKey } from './parcel-fields.js';

/**
 * Roles and what each may do. The server enforces these on every route; the client reads the same
 * table only to hide controls a user could not use anyway.
 */
export const ROLES = [
  { code: 'admin', label: '系统管理员', description: '用户、角色、管辖范围与规则设置' },
  { code: 'surveyor', label: '调查人员', description: '导入调查数据，编辑图形与调查字段' },
  { code: 'planner', label: '规划人员', description: '成片改造区域与规划字段' },
  { code: 'official', label: '审核人员', description: '浏览管辖范围内全部数据，认定与审批' },
  { code: 'viewer', label: '只读用户', description: '浏览管辖范围内的数据' },
  // The people of the 认定 procedure (seed 003 二.1–6).
  { code: 'resources', label: '区自然资源部门', description: '梳理产业用地清单（二.1），运行认定标准与分级' },
  { code: 'park_office', label: '园区办', description: '园区内用地的排查、核实、初步认定与告知（二.2–6）' },
  { code: 'street_office', label: '镇政府/街道办', description: '园区外用地的排查、核实、初步认定与告知（二.2–6）' },
  { code: 'department', label: '会审部门', description: '发改、自然资源、工信、科技、生态环境等部门的核实与会审意见（二.3–4）' },
  { code: 'government', label: '区政府（管委会）', description: '审批低效产业用地审核表（二.5）' },
  { code: 'enterprise', label: '用地单位', description: '只看本单位的宗地与表单：在线填报调查表（附件1），查看认定告知书' },
] as const;

export type Role = (typeof ROLES)[number]['code'];
export const ROLE_CODES = ROLES.map((role) => role.code) as Role[];

export type Action =
  | 'data:read'
  | 'parcels:edit-survey'
  | 'parcels:edit-geometry'
  | 'parcels:edit-planning'
  | 'parcels:edit-identification'
  | 'imports:write'
  | 'users:manage'
  | 'audit:read'
  | 'tiles:manage'
  | 'rules:manage'
  | 'areas:write'
  | 'areas:review'
  | 'documents:write'
  | 'documents:manage'
  | 'cases:read'
  | 'cases:list'
  | 'cases:conduct'
  | 'cases:opinion'
  | 'cases:approve'
  | 'cases:fill'
  | 'criteria:manage'
  | 'criteria:run'
  | 'grading:manage'
  | 'grading:run'
  | 'reports:submit'
  | 'zhaoshang:manage'
  | 'zhaoshang:inquiries'
  | 'reuse:read'
  | 'reuse:unlist'
  | 'reuse:plan'
  | 'reuse:conduct'
  | 'reuse:opinion'
  | 'reuse:approve'
  | 'legacy:write'
  | 'legacy:decide'
  | 'problems:write'
  | 'plans:write'
  | 'plans:review'
  | 'stock-lists:manage'
  | 'packages:assemble'
  | 'packages:submit'
  | 'packages:review';

export const ACTION_LABELS: Readonly<Record<Action, string>> = {
  'data:read': '浏览数据',
  'parcels:edit-survey': '编辑调查字段',
  'parcels:edit-geometry': '编辑地块图形',
  'parcels:edit-planning': '编辑规划字段',
  'parcels:edit-identification': '编辑认定字段',
  'imports:write': '导入数据',
  'users:manage': '管理用户',
  'audit:read': '查看审计日志',
  'tiles:manage': '管理瓦片缓存',
  'rules:manage': '修订政策规则集',
  'areas:write': '绘制和修改成片改造区域',
  'areas:review': '审批成片改造区域',
  'documents:write': '上传和移除地块档案（一地一档）',
  'documents:manage': '查看和下载已移除的档案',
  'cases:read': '查看认定案卷',
  'cases:list': '列入产业用地清单（立卷）',
  'cases:conduct': '办理认定案卷（调查表、核实、初步认定、告知）',
  'cases:opinion': '填写核实与会审意见',
  'cases:approve': '审批低效产业用地审核表',
  'cases:fill': '填报本单位的调查表（附件1）',
  'criteria:manage': '编辑、批准和发布认定标准',
  'criteria:run': '运行认定标准并决定结果',
  'grading:manage': '编辑分级方案',
  'grading:run': '运行分级方案',
  'reports:submit': '报送汇总表（附件11等）',
  'zhaoshang:manage': '编辑、发布和撤回招商地图的地块',
  'zhaoshang:inquiries': '查看和处理投资意向',
  'reuse:read': '查看再利用项目',
  'reuse:unlist': '移出信用异常名单',
  'reuse:plan': '编制、提交和确认再利用方案，申请延期',
  'reuse:conduct': '办理再利用（意见汇总、请示、协议书、实施跟踪、延期决定）',
  'reuse:opinion': '填写再利用方案部门意见',
  'reuse:approve': '批复再利用方案',
  'legacy:write': '登记和修改历史遗留用地（绘制、导入）',
  'legacy:decide': '认定和处置历史遗留用地（状态变更）',
  'problems:write': '登记和办理问题清单',
  'plans:write': '编制年度实施计划（项目、实施方案、节点及完成情况）',
  'plans:review': '审定和下达年度实施计划（工作专班）',
  'stock-lists:manage': '修订发生时期与问题类别清单',
  'packages:assemble': '汇集上图入库成果包并报区政府',
  'packages:submit': '登记区政府同意并提交市规划资源局',
  'packages:review': '审核区县上图入库成果包（市级）',
};

export const ROLE_ACTIONS: Readonly<Record<Role, readonly Action[]>> = {
  admin: ['data:read', 'parcels:edit-survey', 'parcels:edit-geometry', 'parcels:edit-planning', 'parcels:edit-identification', 'imports:write', 'users:manage', 'audit:read', 'tiles:manage', 'rules:manage', 'areas:write', 'areas:review', 'documents:write', 'documents:manage',
    'cases:read', 'cases:list', 'cases:conduct', 'cases:opinion', 'cases:approve', 'cases:fill', 'criteria:manage', 'criteria:run', 'grading:manage', 'grading:run', 'reports:submit',
    'zhaoshang:manage', 'zhaoshang:inquiries',
    'reuse:read', 'reuse:plan', 'reuse:conduct', 'reuse:opinion', 'reuse:approve', 'reuse:unlist',
    'legacy:write', 'legacy:decide', 'problems:write', 'stock-lists:manage', 'plans:write', 'plans:review', 'packages:assemble', 'packages:submit', 'packages:review'],
  // 一地一档: whoever keeps a parcel's record files its papers (surveyors photos and certificates,
  // planners drawings and 实施方案, officials 批复); viewers read them.
  // 两库一清单 (seed 004 三(一)): surveyors record 历史遗留用地 and problems, officials and the 区自然资源部门
  // decide their 认定 and 处置; planners, the units and departments register and work problems.
  // 上图入库 (seed 004 五(二)): district surveyors and officials assemble the package and report it to the
  // 区政府; the district's admin records the consent and submits it; officials of city scope review it
  // (the route refuses a reviewer whose scope is not the package's city: LOCAL RULE, no 市局 role).
  surveyor: ['data:read', 'parcels:edit-survey', 'parcels:edit-geometry', 'imports:write', 'documents:write', 'legacy:write', 'problems:write', 'packages:assemble'],
  // 年度实施计划 (seed 004 三(二)2, 五(一)): planners, the 园区办/镇街 and the 区自然资源部门 (专班办公室) draw it
  // up and record progress; the 专班 (officials, the 区自然资源部门, the 区政府) reviews and issues it.
  planner: ['data:read', 'parcels:edit-planning', 'areas:write', 'documents:write', 'problems:write', 'plans:write'],
  // 招商地图 (seed 004 四(一)): officials list idle plots for investors and answer their 意向.
  official: ['data:read', 'parcels:edit-identification', 'areas:review', 'documents:write', 'cases:read', 'criteria:run', 'grading:run', 'zhaoshang:manage', 'zhaoshang:inquiries', 'reuse:read', 'reuse:unlist', 'legacy:decide', 'problems:write', 'plans:review', 'packages:assemble', 'packages:review'],
  viewer: ['data:read', 'cases:read', 'reuse:read'],
  // The 认定 procedure (seed 003 二): who does which step. Each reads the data of its districts; the
  // 园区办 and 镇街 conduct cases only inside their own 园区 or 街道/镇 (Scope.coversPlace).
  // 汇总表 (附件11) are filed upward "每月25日前" by the district (seed 003 四（一）1: 区政府、管委会);
  // LOCAL RULE: its 区自然资源部门 prepares and submits them on the district's behalf.
  // 再利用 (seed 003 三): the 园区办/镇街 conducts and may enter the plan for the 用地单位; departments give
  // opinions on the plan; the 区政府 批复; the 用地单位 drafts, confirms and applies for 延期.
  // 信用异常名单: the 甲方 lists (附件3, 附件7 五); LOCAL RULE (the seed says only "直至乙方改正为止"): the 区政府
  // and officials take a 用地单位 off it, with the reason (`reuse:unlist`).
  resources: ['data:read', 'cases:read', 'cases:list', 'criteria:run', 'grading:run', 'reports:submit', 'reuse:read', 'legacy:write', 'legacy:decide', 'problems:write', 'plans:write', 'plans:review', 'packages:assemble'],
  park_office: ['data:read', 'cases:read', 'cases:conduct', 'documents:write', 'reuse:read', 'reuse:plan', 'reuse:conduct', 'problems:write', 'plans:write'],
  street_office: ['data:read', 'cases:read', 'cases:conduct', 'documents:write', 'reuse:read', 'reuse:plan', 'reuse:conduct', 'problems:write', 'plans:write'],
  department: ['data:read', 'cases:read', 'cases:opinion', 'reuse:read', 'reuse:opinion', 'problems:write'],
  government: ['data:read', 'cases:read', 'cases:approve', 'reuse:read', 'reuse:approve', 'reuse:unlist', 'plans:review'],
  // No data:read: a 用地单位 sees only its own parcels and cases, through its own routes.
  enterprise: ['cases:fill', 'reuse:plan'],
};

/**
 * What an account of a role must be given besides its district scope: a 园区办 is scoped to one or
 * more 园区, a 镇政府/街道办 to 街道/镇 (seed 003 二.2 "园区内用地由园区管理办公室负责排查，园区外用地由
 * 镇政府（街道办）负责排查"); a 会审部门 names its department; a 用地单位 is linked to its parcels.
 */
export const ROLE_REQUIREMENTS: Readonly<Partial<Record<Role, { units?: 'park' | 'street'; department?: true; parcels?: true }>>> = {
  park_office: { units: 'park' },
  street_office: { units: 'street' },
  department: { department: true },
  enterprise: { parcels: true },
};

export function roleLabel(role: string): string {
  return ROLES.find((candidate) => candidate.code === role)?.label ?? role;
}

export function roleCan(role: string, action: Action): boolean {
  return (ROLE_ACTIONS[role as Role] ?? []).includes(action);
}

/** Which action edits which parcel field: 调查 figures by surveyors, 规划 by planners, 认定 by officials. */
export const PARCEL_FIELD_ACTIONS: Readonly<Partial<Record<ParcelKey | 'geometry', Action>>> = {
  owner: 'parcels:edit-survey',
  townOrPark: 'parcels:edit-survey',
  location: 'parcels:edit-survey',
  registeredAreaM2: 'parcels:edit-survey',
  contractNo: 'parcels:edit-survey',
  certificateNo: 'parcels:edit-survey',
  ownershipNature: 'parcels:edit-survey',
  landUseCode: 'parcels:edit-survey',
  industryCode: 'parcels:edit-survey',
  floorAreaM2: 'parcels:edit-survey',
  floorAreaRatio: 'parcels:edit-survey',
  buildingCoverage: 'parcels:edit-survey',
  investmentIntensity: 'parcels:edit-survey',
  outputPerMu: 'parcels:edit-survey',
  taxPerMu: 'parcels:edit-survey',
  productionStart: 'parcels:edit-survey',
  productionStop: 'parcels:edit-survey',
  adminFacilityShare: 'parcels:edit-survey',
  undevelopedAreaM2: 'parcels:edit-survey',
  meetsSafety: 'parcels:edit-survey',
  meetsEnvironment: 'parcels:edit-survey',
  meetsEnergy: 'parcels:edit-survey',
  parkSide: 'parcels:edit-survey',
  landAcquiredAt: 'parcels:edit-survey',
  boundaryEast: 'parcels:edit-survey',
  boundarySouth: 'parcels:edit-survey',
  boundaryWest: 'parcels:edit-survey',
  boundaryNorth: 'parcels:edit-survey',
  agreedFloorAreaRatio: 'parcels:edit-survey',
  agreedBuildingDensity: 'parcels:edit-survey',
  agreedCompletionDate: 'parcels:edit-survey',
  investmentAgreementNo: 'parcels:edit-survey',
  agreedInvestmentIntensity: 'parcels:edit-survey',
  completionDate: 'parcels:edit-survey',
  investedAmount: 'parcels:edit-survey',
  safetyNote: 'parcels:edit-survey',
  environmentNote: 'parcels:edit-survey',
  energyNote: 'parcels:edit-survey',
  fixedAssetInvestment: 'parcels:edit-survey',
  geometry: 'parcels:edit-geometry',
  plannedFunction: 'parcels:edit-planning',
  redevelopmentIntent: 'parcels:edit-planning',
  status: 'parcels:edit-identification',
  inefficiencyType: 'parcels:edit-identification',
  identifiedAt: 'parcels:edit-identification',
  evaluationGrade: 'parcels:edit-identification',
  // 类别 and 填报单位 are survey facts (调查摸底), like the 地类.
  landCategory: 'parcels:edit-survey',
  reportingUnit: 'parcels:edit-survey',
  residentialKind: 'parcels:edit-survey',
  constructionPermits: 'parcels:edit-survey',
};

export type EditableParcelKey = keyof typeof PARCEL_FIELD_ACTIONS;
export const EDITABLE_PARCEL_KEYS = Object.keys(PARCEL_FIELD_ACTIONS) as EditableParcelKey[];

/** The parcel fields a role may change (the client shows only these in the editor). */
export function editableParcelFields(role: string): EditableParcelKey[] {
  return EDITABLE_PARCEL_KEYS.filter((key) => roleCan(role, PARCEL_FIELD_ACTIONS[key]!));
}

/**
 * The fields among `keys` that `role` may not set: the one field→action rule of parcel edits, used
 * by the PATCH route and by parcel imports alike. Keys without a rule (e.g. 宗地编号, the match key
 * of an import) are not fields a role edits and are left out.
 */
export function forbiddenParcelFields(role: string, keys: readonly string[]): EditableParcelKey[] {
  return keys.filter((key): key is EditableParcelKey => key in PARCEL_FIELD_ACTIONS && !roleCan(role, PARCEL_FIELD_ACTIONS[key as EditableParcelKey]!));
}

/** A parcel field as users know it: its label in PARCEL_FIELDS, 地块图形 for the geometry. */
export function parcelFieldLabel(key: string): string {
  return PARCEL_FIELDS.find((field) => field.key === key)?.label ?? (key === 'geometry' ? '地块图形' : key);
}

/** The refusal of fields a role may not set, naming the role and the fields' labels. */
export function forbiddenFieldsMessage(role: string, fields: readonly string[]): string {
  return `您的角色（${roleLabel(role)}）不能修改：${fields.map(parcelFieldLabel).join('、')}。`;
}

/**
 * A user's district scope: 行政区划代码 of districts, or of a city meaning all its districts.
 * A district is in scope when its own code or its parent's code is listed.
 */
export function districtInScope(scopeCodes: readonly string[], districtCode: string, parentCode: string | null): boolean {
  return scopeCodes.includes(districtCode) || (parentCode !== null && scopeCodes.includes(parentCode));
}
