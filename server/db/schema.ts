import type { ColumnType, Generated } from 'kysely';
import type { SavedCheckInput } from '../../domain/api/areas.schemas.js';
import type { CheckAnswer } from '../../domain/api/checks.schemas.js';
import type { Rule } from '../../domain/api/rules.schemas.js';

/**
 * Kysely's types of every table of the `public` schema (schema.sql beside it is the DDL they follow,
 * checked against the migrated database by tests/integration/schema-dump.test.ts). The per-layer
 * partitions `survey_data.l<id>` of `survey_patches` and the import tables of schema `staging` are
 * made at run time and read through their parents or raw statements.
 */

/** Geometry columns are read and written through PostGIS functions only (ST_AsGeoJSON, ST_GeomFromGeoJSON). */
type GeometryColumn = ColumnType<string, string, string>;
/** Filled by a trigger (e.g. geom_3857, area_m2): read, never written by the application. */
type Derived<T> = ColumnType<T, T | undefined, T | undefined>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: objects are written as their JSON text. */
type Json<T = unknown> = ColumnType<T, string, string>;

export interface DistrictTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district' | 'town';
  parent_code: string | null;
  geom: GeometryColumn;
  geom_3857: ColumnType<string, string | undefined, string | undefined>;
  label_point: ColumnType<string, string | undefined, string | undefined>;
  area_m2: ColumnType<number, number | undefined, number | undefined>;
  updated_at: Timestamp;
}

/** 街道/镇 (street, town) and 园区 (park) of a 区县 (migration 0029). */
export interface SubdistrictTable {
  code: string;
  name: string;
  kind: 'street' | 'town' | 'park';
  district_code: string;
  geom: GeometryColumn;
  area_m2: Derived<number>;
  source: string;
  updated_at: Timestamp;
}

export interface ParcelTable {
  id: Generated<number>;
  code: string;
  district_code: string;
  owner: string | null;
  town_or_park: string | null;
  location: string | null;
  registered_area_m2: number | null;
  area_m2: ColumnType<number, number | undefined, number | undefined>;
  contract_no: string | null;
  certificate_no: string | null;
  ownership_nature: '国有' | '集体' | null;
  land_use_code: string | null;
  planned_function: string | null;
  industry_code: string | null;
  floor_area_m2: number | null;
  floor_area_ratio: number | null;
  building_coverage: number | null;
  investment_intensity: number | null;
  output_per_mu: number | null;
  tax_per_mu: number | null;
  production_start: string | null;
  production_stop: string | null;
  admin_facility_share: number | null;
  undeveloped_area_m2: number | null;
  meets_safety: boolean | null;
  meets_environment: boolean | null;
  meets_energy: boolean | null;
  status: string;
  inefficiency_type: string | null;
  identified_at: string | null;
  redevelopment_intent: string | null;
  evaluation_grade: string | null;
  /** 低效用地类别 and 填报单位 (migration 0039); a new parcel without them gets its 地类's (trigger parcels_category_default). */
  land_category: string | null;
  reporting_unit: string | null;
  residential_kind: string | null;
  construction_permits: string | null;
  park_side: string | null;
  land_acquired_at: string | null;
  boundary_east: string | null;
  boundary_south: string | null;
  boundary_west: string | null;
  boundary_north: string | null;
  agreed_floor_area_ratio: number | null;
  agreed_building_density: number | null;
  agreed_completion_date: string | null;
  investment_agreement_no: string | null;
  agreed_investment_intensity: number | null;
  completion_date: string | null;
  invested_amount: number | null;
  safety_note: string | null;
  environment_note: string | null;
  energy_note: string | null;
  fixed_asset_investment: number | null;
  /** 所在街道/镇 and 所在园区, derived from the shape by the parcels_place trigger. */
  subdistrict_code: Derived<string | null>;
  park_code: Derived<string | null>;
  geom: GeometryColumn;
  geom_3857: ColumnType<string, string | undefined, string | undefined>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: ColumnType<string, string | undefined, string>;
  /** Raised by the parcels_version trigger on every change; never written by the application. */
  version: Derived<number>;
}

/** 年度产值、税收 of a parcel, 万元 (migration 0025, seed 003 附件4). */
export interface ParcelYearlyFigureTable {
  parcel_id: number;
  year: number;
  output_wan: number | null;
  tax_wan: number | null;
  updated_at: Timestamp;
  updated_by: ColumnType<string, string | undefined, string>;
}

export interface HistoryTable {
  id: Generated<number>;
  entity: string;
  entity_id: string;
  action: 'insert' | 'update' | 'delete' | 'bulk_load' | 'login' | 'login_failed' | 'logout' | 'password_change' | 'locked'
    | 'import_commit' | 'supersede' | 'clear' | 'status' | 'restore' | 'export' | 'bulk_edit' | 'split' | 'merge';
  actor: ColumnType<string, string, never>;
  at: Timestamp;
  before: ColumnType<unknown, string | null | undefined, never>;
  after: ColumnType<unknown, string | null | undefined, never>;
  request_id: string | null;
}

/** A split or merge (migration 0028): parents moved to retired_parcels, children inserted into parcels. */
export interface ParcelLineageTable {
  /** bigint: pg gives it as a string. */
  id: ColumnType<string, never, never>;
  kind: 'split' | 'merge';
  parent_ids: ColumnType<string[], number[], never>;
  parent_codes: string[];
  child_ids: ColumnType<string[], number[], never>;
  child_codes: string[];
  actor: string;
  at: Timestamp;
  note: string | null;
  request_id: string | null;
}

/** A parcel retired by a split or merge: its row as it was (attributes) with the typed identity. */
export interface RetiredParcelTable {
  id: ColumnType<string, number, never>;
  code: string;
  district_code: string;
  owner: string | null;
  area_m2: number;
  geom: GeometryColumn;
  attributes: Json<Record<string, unknown>>;
  retired_at: Timestamp;
  retired_by: string;
  retired_reason: 'split' | 'merge';
  successor_ids: ColumnType<string[], number[], never>;
  operation_id: ColumnType<string, number | string, never>;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  /** 会审部门 of a role-department account (migration 0030). */
  department: ColumnType<string | null, string | null | undefined, string | null>;
  password_hash: string;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  last_login_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Failed logins per user name (as typed) and client address (migration 0018). */
export interface LoginFailureTable {
  username: string;
  address: string;
  failures: number;
  locked_until: Timestamp | null;
  last_failure_at: Timestamp;
}

export interface UserScopeTable {
  user_id: number;
  district_code: string;
}

/** 园区 or 街道/镇 a user is scoped to (migration 0030). */
export interface UserUnitTable {
  user_id: number;
  subdistrict_code: string;
}

/** A 用地单位 account's own parcels (migration 0030). */
export interface EnterpriseParcelTable {
  user_id: number;
  parcel_id: number;
  granted_by: ColumnType<string, string | undefined, never>;
  granted_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ImportTable {
  id: string;
  kind: string;
  year: number | null;
  file_name: string;
  file_size: ColumnType<number, number | undefined, number>;
  status: string;
  phase: string;
  progress: ColumnType<number, number | undefined, number>;
  detected: ColumnType<unknown, string | undefined, string>;
  layers: ColumnType<unknown, string | undefined, string>;
  options: ColumnType<unknown, string | undefined, string>;
  report: ColumnType<unknown, string | undefined, string>;
  needs: ColumnType<unknown, string | null | undefined, string | null>;
  error: ColumnType<unknown, string | null | undefined, string | null>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  committed_at: Timestamp | null;
  parcels_read_up_to: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Export jobs (migration 0023): what was exported, by whom, with which filters, format and outcome. */
export interface ExportTable {
  id: string;
  layer: string;
  format: string;
  crs_request: ColumnType<string, string | undefined, string>;
  crs: string | null;
  encoding: string | null;
  filters: Json;
  status: string;
  progress: ColumnType<number, number | undefined, number>;
  row_count: number | null;
  file_name: string | null;
  file_path: string | null;
  /** bigint: pg gives it as a string. */
  bytes: ColumnType<string | null, number | null | undefined, number | null>;
  notes: ColumnType<unknown, string | undefined, string>;
  error: ColumnType<unknown, string | null | undefined, string | null>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
  expires_at: Timestamp | null;
}

export interface SurveyLayerTable {
  id: Generated<number>;
  year: number;
  layer_name: string;
  import_id: string | null;
  feature_count: number;
  source_srid: number | null;
  imported_by: string;
  imported_at: Timestamp;
  superseded_at: Timestamp | null;
  superseded_by: number | null;
  committed: ColumnType<boolean, boolean | undefined, boolean>;
}

/** 变更调查 图斑, partitioned by layer (one partition per committed layer, in schema survey_data). */
export interface SurveyPatchTable {
  id: Generated<number>;
  layer_id: number;
  year: number;
  bsm: string | null;
  land_use_code: string | null;
  land_use_name: string | null;
  owner_unit_name: string | null;
  located_unit_name: string | null;
  patch_area_m2: number | null;
  deduction_area_m2: number | null;
  patch_land_area_m2: number | null;
  urban_rural_code: string | null;
  attributes: ColumnType<unknown, string | undefined, string>;
  geom: GeometryColumn;
  geom_3857: Derived<string>;
  area_m2: Derived<number>;
  updated_at: Timestamp;
}

/** The parcel grid below z14 (migration 0010), kept exact by triggers on parcels. */
export interface ParcelCellTable {
  level: number;
  cx: number;
  cy: number;
  district_code: string;
  parcels: number;
  area_m2: number;
  inefficient: number;
  inefficient_m2: number;
}

/** Typed parcels' land per cell and 低效类型 (migration 0022), kept exact by triggers on parcels. */
export interface ParcelTypeCellTable {
  level: number;
  cx: number;
  cy: number;
  district_code: string;
  type: string;
  parcels: number;
  area_m2: number;
}

/** The survey grid, built once per committed layer. */
export interface SurveyCellTable {
  layer_id: number;
  level: number;
  cx: number;
  cy: number;
  class: string;
  patches: number;
  area_m2: number;
}

/** Parcels cut into their tiles ahead of time at the precut zooms (z14, z16, z17; migrations 0015, 0048), kept by triggers. */
export interface ParcelTileGeometryTable {
  z: number;
  x: number;
  y: number;
  parcel_id: number;
  /** The parcel's tile attributes, copied by the parcels_precut_* triggers (migration 0050). */
  status: string;
  inefficiency_type: string | null;
  evaluation_grade: string | null;
  land_category: string | null;
  district_code: string;
  geom: GeometryColumn;
}

/** The persistent tile cache (unlogged). */
export interface TileCacheTable {
  layer: string;
  z: number;
  x: number;
  y: number;
  scope: string;
  etag: string;
  body: Buffer;
  raw_bytes: number;
  envelope: GeometryColumn;
  created_at: Timestamp;
}

/** One counter per tiled data family, raised by every change (guards the persistent cache). */
export interface TileEpochTable {
  family: string;
  epoch: ColumnType<number, number | undefined, number>;
}

/** Policy rule sets, append-only: each revision is a new version. */
export interface RuleSetTable {
  id: string;
  version: number;
  city: string;
  name: string;
  rules: Json<Rule[]>;
  note: string | null;
  created_by: string;
  created_at: Timestamp;
}

/** 成片改造区域, current state (soft-deleted with deleted_at). */
export interface AreaTable {
  id: Generated<number>;
  name: string;
  district_code: string;
  status: ColumnType<string, string | undefined, string>;
  version: ColumnType<number, number | undefined, number>;
  mode: string;
  mode_other: string | null;
  target_land_use: string | null;
  /** 区域类型 (domain/redevelopment-areas.ts AREA_KINDS), migration 0020. */
  kind: ColumnType<string, string | undefined, string>;
  rule_set_id: string;
  rule_set_version: number;
  area_m2: number;
  pass: boolean | null;
  geom: GeometryColumn;
  geom_3857: Derived<string>;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
  pinned_review_id: ColumnType<number | null, number | null | undefined, number | null>;
  approved_version: ColumnType<number | null, number | null | undefined, number | null>;
}

/** 审批记录 of a 成片改造区域, append-only: the check answer pinned at 报审 and 批准 (migration 0019). */
export interface AreaReviewTable {
  id: Generated<number>;
  area_id: number;
  area_version: number;
  action: string;
  from_status: string;
  to_status: string;
  note: string | null;
  actor: string;
  actor_name: string;
  at: Timestamp;
  rule_set_id: string | null;
  rule_set_version: number | null;
  pass: boolean | null;
  result: ColumnType<CheckAnswer | null, string | null, string | null>;
}

/** Every save of a 成片改造区域, append-only, with the check body and its answer. */
export interface AreaVersionTable {
  area_id: number;
  version: number;
  name: string;
  status: string;
  mode: string;
  mode_other: string | null;
  target_land_use: string | null;
  kind: ColumnType<string, string | undefined, string>;
  input: Json<SavedCheckInput>;
  result: Json<CheckAnswer>;
  rule_set_id: string;
  rule_set_version: number;
  area_m2: number;
  pass: boolean | null;
  geom: GeometryColumn;
  note: string | null;
  saved_by: string;
  saved_at: Timestamp;
}

/** 一地一档: a parcel's filed documents (migration 0027); the bytes are in document_contents. Removal is soft. */
export interface ParcelDocumentTable {
  id: Generated<number>;
  parcel_id: number;
  category: string;
  note: string | null;
  file_name: string;
  media_type: string;
  byte_size: ColumnType<number, number, never>;
  sha256: string;
  taken_at: Timestamp | null;
  position: GeometryColumn | null;
  exif: Json<Record<string, unknown>> | null;
  uploaded_by: string;
  uploaded_at: Timestamp;
  removed_by: string | null;
  removed_at: Timestamp | null;
  removal_reason: string | null;
}

/** The bytes of a parcel document, written once. */
export interface DocumentContentTable {
  document_id: number;
  content: ColumnType<Buffer, Buffer, never>;
}

/** Applied migrations (server/db/migrate.ts). */
export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** 认定标准, current version of each set (migration 0032); raw SQL in server/criteria reads and writes it. */
export interface CriteriaSetTable {
  id: Generated<number>;
  district_code: string;
  version: number;
  name: string;
  state: 'draft' | 'approved' | 'published' | 'retired';
  example: Generated<boolean>;
  approval_authority: string | null;
  document_no: string | null;
  approved_on: string | null;
  published_on: string | null;
  retired_on: string | null;
  criteria: unknown;
  note: string | null;
  updated_by: string;
  updated_at: Generated<Timestamp>;
}

/** Every version of a criteria set (append-only). */
export interface CriteriaSetVersionTable extends Omit<CriteriaSetTable, 'id' | 'updated_by' | 'updated_at' | 'example'> {
  set_id: number;
  example: boolean;
  change: string;
  created_by: string;
  created_at: Generated<Timestamp>;
}

/** One 初筛 run of a criteria set version over a district. */
export interface CriteriaRunTable {
  id: Generated<number>;
  district_code: string;
  set_id: number;
  set_version: number;
  reference_date: string;
  evaluated: number;
  flagged: number;
  incomplete: number;
  run_by: string;
  run_at: Generated<Timestamp>;
}

/** A parcel a run flagged or could not evaluate, and the reviewer's decision. */
export interface CriteriaRunParcelTable {
  run_id: number;
  parcel_id: number;
  parcel_code: string;
  hits: unknown;
  incomplete: unknown;
  suggested_types: string[];
  decision: 'include' | 'exclude' | 'pending' | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
}

/** 综合评价分级 scheme versions per district (append-only). */
export interface GradingSchemeTable {
  district_code: string;
  version: number;
  name: string;
  measures: unknown;
  cutoffs: unknown;
  land_uses: Generated<string[]>;
  source: unknown;
  local_rule: boolean;
  note: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
}

/** One grading of a district. */
export interface GradingRunTable {
  id: Generated<number>;
  district_code: string;
  scheme_version: number;
  graded: number;
  ungraded: number;
  changed: number;
  counts: unknown;
  run_by: string;
  run_at: Generated<Timestamp>;
}

/** Why a parcel got its grade in a run. */
export interface GradingResultTable {
  run_id: number;
  parcel_id: number;
  grade: 'A' | 'B' | 'C' | 'D' | null;
  previous_grade: string | null;
  score: number | null;
  rank: number | null;
  of_total: number;
  figures: unknown;
}

export interface Database {
  districts: DistrictTable;
  parcels: ParcelTable;
  parcel_yearly_figures: ParcelYearlyFigureTable;
  subdistricts: SubdistrictTable;
  history: HistoryTable;
  parcel_lineage: ParcelLineageTable;
  retired_parcels: RetiredParcelTable;
  users: UserTable;
  user_scopes: UserScopeTable;
  user_units: UserUnitTable;
  enterprise_parcels: EnterpriseParcelTable;
  login_failures: LoginFailureTable;
  sessions: SessionTable;
  imports: ImportTable;
  exports: ExportTable;
  survey_layers: SurveyLayerTable;
  survey_patches: SurveyPatchTable;
  parcel_cells: ParcelCellTable;
  parcel_type_cells: ParcelTypeCellTable;
  survey_cells: SurveyCellTable;
  parcel_tile_geometries: ParcelTileGeometryTable;
  tile_cache: TileCacheTable;
  tile_epochs: TileEpochTable;
  rule_sets: RuleSetTable;
  areas: AreaTable;
  area_versions: AreaVersionTable;
  area_reviews: AreaReviewTable;
  parcel_documents: ParcelDocumentTable;
  document_contents: DocumentContentTable;
  identification_cases: IdentificationCaseTable;
  identification_counters: IdentificationCounterTable;
  identification_steps: IdentificationStepTable;
  survey_submissions: SurveySubmissionTable;
  reuse_projects: ReuseProjectTable;
  reuse_counters: ReuseCounterTable;
  reuse_plan_versions: ReusePlanVersionTable;
  reuse_steps: ReuseStepTable;
  reuse_tracking: ReuseTrackingTable;
  reuse_ledger: ReuseLedgerTable;
  reuse_credit_list: ReuseCreditListTable;
  reuse_credit_removals: ReuseCreditRemovalsTable;
  schema_migrations: SchemaMigrationTable;
  criteria_sets: CriteriaSetTable;
  criteria_set_versions: CriteriaSetVersionTable;
  criteria_runs: CriteriaRunTable;
  criteria_run_parcels: CriteriaRunParcelTable;
  grading_schemes: GradingSchemeTable;
  grading_runs: GradingRunTable;
  grading_results: GradingResultTable;
  report_submissions: ReportSubmissionTable;
  report_submission_contents: ReportSubmissionContentTable;
  zhaoshang_listings: ZhaoshangListingTable;
  zhaoshang_listing_versions: ZhaoshangListingVersionTable;
  zhaoshang_inquiries: ZhaoshangInquiryTable;

  stock_lists: StockListTable;
  stock_counters: StockCounterTable;
  legacy_lands: LegacyLandTable;
  legacy_land_steps: LegacyLandStepTable;
  stock_problems: StockProblemTable;
  stock_problem_steps: StockProblemStepTable;
  annual_plan_policies: AnnualPlanPolicyTable;
  annual_plans: AnnualPlanTable;
  annual_plan_steps: AnnualPlanStepTable;
  plan_projects: PlanProjectTable;
  plan_milestones: PlanMilestoneTable;
  stock_packages: StockPackageTable;
  stock_package_items: StockPackageItemTable;
  stock_package_steps: StockPackageStepTable;
  stock_package_files: StockPackageFileTable;
}

/** 上图入库成果包 (migration 0042): read and written by server/stock-packages/ (raw SQL). */
export interface StockPackageTable {
  id: Generated<number>;
  district_code: string;
  version: number;
  as_of: string;
  title: string;
  status: Generated<string>;
  status_at: Generated<Timestamp>;
  previous_id: number | null;
  assembled_at: Generated<Timestamp>;
  assembled_by: string;
  consent_document_no: string | null;
  consent_date: string | null;
  consent_note: string | null;
  consent_file_name: string | null;
  consent_media_type: string | null;
  consent_byte_size: number | null;
  consent_sha256: string | null;
  review_remarks: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
}

export interface StockPackageItemTable {
  package_id: number;
  kind: 'parcel' | 'legacy' | 'problem';
  item_id: number;
  item_key: string;
  fields: unknown;
  geom: unknown | null;
  geom_hash: string | null;
  area_m2: number | null;
}

export interface StockPackageStepTable {
  id: Generated<number>;
  package_id: number;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor: string;
  actor_name: string;
  at: Generated<Timestamp>;
}

export interface StockPackageFileTable {
  package_id: number;
  content: Buffer;
}

/** 两库一清单 (migration 0039): configurable lists, each version kept. */
export interface StockListTable {
  kind: string;
  version: number;
  items: unknown;
  source: string;
  local_rule: Generated<boolean>;
  note: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
}

export interface StockCounterTable {
  district_code: string;
  year: number;
  kind: 'legacy' | 'problem';
  last: number;
}

/** 历史遗留用地 (migration 0039). */
export interface LegacyLandTable {
  id: Generated<number>;
  number: string;
  district_code: string;
  year: number;
  sequence: number;
  name: string | null;
  location: string | null;
  user_name: string | null;
  current_use: string;
  land_use_code: string | null;
  floor_area_m2: number | null;
  period: string;
  period_version: number;
  survey_year: number | null;
  survey_bsm: string | null;
  standard: string | null;
  disposal_policy: string | null;
  status: Generated<string>;
  status_at: Generated<Timestamp>;
  note: string | null;
  source: Generated<string>;
  geom: unknown;
  geom_3857: Derived<unknown>;
  area_m2: Derived<number>;
  created_by: string;
  created_at: Generated<Timestamp>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
  version: Derived<number>;
}

export interface LegacyLandStepTable {
  id: Generated<number>;
  legacy_id: number;
  from_status: string;
  to_status: string;
  reason: string;
  actor: string;
  actor_name: string;
  at: Generated<Timestamp>;
}

/** 问题清单 (migration 0039). */
export interface StockProblemTable {
  id: Generated<number>;
  number: string;
  district_code: string;
  year: number;
  sequence: number;
  category: string;
  category_version: number;
  title: string;
  description: string;
  owner_request: string | null;
  department: string;
  due_date: string | null;
  parcel_ids: Generated<number[]>;
  area_ids: Generated<number[]>;
  status: Generated<string>;
  status_at: Generated<Timestamp>;
  outcome: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
  version: Derived<number>;
}

export interface StockProblemStepTable {
  id: Generated<number>;
  problem_id: number;
  from_status: string;
  to_status: string;
  note: string | null;
  actor: string;
  actor_name: string;
  at: Generated<Timestamp>;
}

/** 认定案卷 (migration 0031): where a parcel's 认定 stands. */
export interface IdentificationCaseTable {
  id: Generated<number>;
  number: string;
  district_code: string;
  year: number;
  sequence: number;
  parcel_id: number;
  parcel_code: string;
  subdistrict_code: string | null;
  park_code: string | null;
  unit_code: string | null;
  unit_kind: 'park' | 'street';
  state: Generated<'open' | 'closed' | 'notified'>;
  step: string;
  outcome: string | null;
  step_at: Generated<Timestamp>;
  due_date: ColumnType<string | null, string | null, string | null>;
  inefficiency_types: Generated<string[]>;
  notice_number: string | null;
  notice_date: ColumnType<string | null, string | null, string | null>;
  plan_due_date: ColumnType<string | null, string | null, string | null>;
  status_before: string;
  inefficiency_type_before: string | null;
  closed_reason: string | null;
  source_run_id: number | null;
  note: string | null;
  opened_by: string;
  opened_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface IdentificationCounterTable {
  district_code: string;
  year: number;
  kind: 'case' | 'notice';
  last: number;
}

/** Every step of a 认定案卷 (and each 会审 opinion), written once. */
export interface IdentificationStepTable {
  id: Generated<number>;
  case_id: number;
  step: string;
  outcome: string | null;
  actor: string;
  actor_name: string;
  role: string;
  unit_code: string | null;
  department: string | null;
  at: Generated<Timestamp>;
  opinion: string | null;
  details: Json<Record<string, unknown>>;
  document_ids: Generated<number[]>;
  due_date: ColumnType<string | null, string | null, never>;
}

/** 附件1 submissions, immutable snapshots. */
export interface SurveySubmissionTable {
  id: Generated<number>;
  case_id: number;
  parcel_id: number;
  via: 'online' | 'paper';
  submitted_by: string;
  submitted_at: Generated<Timestamp>;
  fields: Json<Record<string, unknown>>;
  applied_by: string | null;
  applied_at: Timestamp | null;
}

/** Periodic reports filed upward (migration 0037): 附件11 monthly, 附件12/13 quarterly; superseded only. */
export interface ReportSubmissionTable {
  id: Generated<number>;
  report_code: string;
  district_code: string;
  period: string;
  period_start: string;
  period_end: string;
  due_date: string;
  status: Generated<'submitted' | 'superseded'>;
  superseded_by: number | null;
  submitted_by: string;
  submitted_by_name: string;
  submitted_role: string;
  submitted_at: Generated<Timestamp>;
  on_time: boolean;
  recipients: string[];
  file_name: string;
  media_type: string;
  byte_size: number;
  sha256: string;
  row_count: number;
  summary: Json<Record<string, unknown>>;
  note: string | null;
}

/** The frozen file of a report submission, written once. */
export interface ReportSubmissionContentTable {
  submission_id: number;
  content: ColumnType<Buffer, Buffer, never>;
}

/** 招商地图 (migration 0040): one 招商 listing per idle plot, its state; content in the versions. */
export interface ZhaoshangListingTable {
  id: Generated<number>;
  parcel_id: number;
  district_code: string;
  version: number;
  state: 'draft' | 'published' | 'withdrawn';
  published_version: number | null;
  published_at: Timestamp | null;
  published_by: string | null;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
}

/** Every version of a 招商 listing (append-only), with the plot's shape and area when written. */
export interface ZhaoshangListingVersionTable {
  listing_id: number;
  version: number;
  change: 'create' | 'edit' | 'publish' | 'withdraw';
  state: 'draft' | 'published' | 'withdrawn';
  title: string;
  location: string | null;
  planned_use: string;
  floor_area_ratio_min: ColumnType<string | null, number | null, never>;
  floor_area_ratio_max: ColumnType<string | null, number | null, never>;
  building_density_max: ColumnType<string | null, number | null, never>;
  height_limit_m: ColumnType<string | null, number | null, never>;
  planning_notes: string | null;
  target_industries: string[];
  conditions: string | null;
  supply_mode: string | null;
  contact_org: string;
  contact_name: string;
  contact_phone: string;
  contact_email: string | null;
  photo_document_ids: Generated<number[]>;
  geom: unknown;
  area_m2: number;
  note: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
}

/** 投资意向 from the public 招商地图, and their handling. */
export interface ZhaoshangInquiryTable {
  id: Generated<number>;
  listing_id: number | null;
  listing_version: number | null;
  name: string;
  company: string | null;
  phone: string;
  email: string | null;
  industry: string;
  message: string | null;
  submitted_at: Generated<Timestamp>;
  state: Generated<'new' | 'handled'>;
  handled_by: string | null;
  handled_at: Timestamp | null;
  handling_note: string | null;
  matched_listing_ids: Generated<number[]>;
}

type DateColumn = ColumnType<string | null, string | null, string | null>;

/** 再利用项目 (migration 0038): a notified case's way from the 再利用方案 to 实施. */
export interface ReuseProjectTable {
  id: Generated<number>;
  number: string;
  case_id: number;
  parcel_id: number;
  parcel_code: string;
  district_code: string;
  year: number;
  sequence: number;
  unit_code: string | null;
  unit_kind: 'park' | 'street';
  state: Generated<'open' | 'completed' | 'failed'>;
  step: string;
  outcome: string | null;
  step_at: Generated<Timestamp>;
  notice_date: ColumnType<string, string, string>;
  plan_version: Generated<number>;
  request_number: string | null;
  request_date: DateColumn;
  approval_number: string | null;
  approval_date: DateColumn;
  agreement_number: string | null;
  signed_on: DateColumn;
  signing_place: string | null;
  party_a: string | null;
  party_b: string | null;
  term_months: number | null;
  completion_due: DateColumn;
  started_on: DateColumn;
  extension_state: Generated<'none' | 'applied' | 'approved' | 'refused'>;
  extension_months: number | null;
  extended_due: DateColumn;
  /** 验收 (migration 0041). */
  acceptance_applied_on: Generated<string | null>;
  acceptance_decided_on: Generated<string | null>;
  certificate_due: Generated<string | null>;
  certificate_number: Generated<string | null>;
  certificate_date: Generated<string | null>;
  failure_ground: Generated<'overdue' | 'extension_refused' | 'not_passed' | null>;
  closed_on: Generated<string | null>;
  status_before: string;
  opened_by: string;
  opened_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}

export interface ReuseCounterTable {
  district_code: string;
  year: number;
  kind: 'project' | 'agreement' | 'certificate';
  last: number;
}

/** 再利用方案 (附件4) versions, written once (the owner's confirmation recorded once). */
export interface ReusePlanVersionTable {
  id: Generated<number>;
  project_id: number;
  number: number;
  fields: Json<Record<string, unknown>>;
  snapshot: Json<Record<string, unknown>>;
  via: 'online' | 'paper';
  note: string | null;
  submitted_by: string;
  submitted_at: Generated<Timestamp>;
  confirmed_by: string | null;
  confirmed_at: Timestamp | null;
}

export interface ReuseStepTable {
  id: Generated<number>;
  project_id: number;
  step: string;
  outcome: string | null;
  actor: string;
  actor_name: string;
  role: string;
  unit_code: string | null;
  department: string | null;
  at: Generated<Timestamp>;
  opinion: string | null;
  details: Json<Record<string, unknown>>;
  document_ids: Generated<number[]>;
  plan_version: number | null;
}

export interface ReuseTrackingTable {
  id: Generated<number>;
  project_id: number;
  kind: 'follow_up' | 'register' | 'procedure' | 'supplementary';
  on_date: ColumnType<string, string, string>;
  note: string;
  document_ids: Generated<number[]>;
  actor: string;
  actor_name: string;
  at: Generated<Timestamp>;
}

/** 信用异常名单 (migration 0041), written once. */
export interface ReuseCreditListTable {
  id: Generated<number>;
  district_code: string;
  enterprise: string;
  parcel_id: number;
  parcel_code: string;
  case_id: number;
  project_id: number | null;
  ground: 'plan_overdue' | 'overdue' | 'extension_refused' | 'not_passed';
  listed_on: ColumnType<string, string, string>;
  reason: string;
  source: string;
  listed_by: string;
  listed_by_name: string;
  at: Generated<Timestamp>;
}

export interface ReuseCreditRemovalsTable {
  id: Generated<number>;
  listing_id: number;
  removed_on: ColumnType<string, string, string>;
  reason: string;
  removed_by: string;
  removed_by_name: string;
  at: Generated<Timestamp>;
}

export interface ReuseLedgerTable {
  id: Generated<number>;
  project_id: number;
  period: string;
  output_wan: ColumnType<string | null, number | null, number | null>;
  tax_wan: ColumnType<string | null, number | null, number | null>;
  investment_wan: ColumnType<string | null, number | null, number | null>;
  note: string | null;
  updated_by: string;
  updated_at: Generated<Timestamp>;
}

/** 年度实施计划 and 台账 (migration 0043). */
export interface AnnualPlanPolicyTable {
  version: number;
  modes: unknown;
  pilot_min: number;
  pilot_max: number;
  source: string;
  local_rule: Generated<boolean>;
  note: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
}
export interface AnnualPlanTable {
  id: Generated<number>;
  district_code: string;
  year: number;
  title: string;
  note: string | null;
  state: Generated<string>;
  state_at: Generated<Timestamp>;
  policy_version: number;
  created_by: string;
  created_at: Generated<Timestamp>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
  version: Derived<number>;
}
export interface AnnualPlanStepTable {
  id: Generated<number>;
  plan_id: number;
  from_state: string;
  to_state: string;
  reason: string | null;
  actor: string;
  actor_name: string;
  at: Generated<Timestamp>;
}
export interface PlanProjectTable {
  id: Generated<number>;
  plan_id: number;
  name: string;
  developer: string;
  content: string;
  mode: string;
  parcel_ids: Generated<number[]>;
  area_ids: Generated<number[]>;
  pilot: Generated<boolean>;
  scheme: Generated<unknown>;
  created_by: string;
  created_at: Generated<Timestamp>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
  version: Derived<number>;
}
export interface PlanMilestoneTable {
  id: Generated<number>;
  project_id: number;
  name: string;
  planned_date: string;
  responsible_unit: string;
  done_date: string | null;
  note: string | null;
  created_by: string;
  created_at: Generated<Timestamp>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
  version: Derived<number>;
}
