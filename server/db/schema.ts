import type { ColumnType, Generated } from 'kysely';
import type { SavedCheckInput } from '../../domain/api/areas.schemas.js';
import type { CheckAnswer } from '../../domain/api/checks.schemas.js';
import type { Rule } from '../../domain/api/rules.schemas.js';

/** Geometry columns are read and written through PostGIS functions only (ST_AsGeoJSON, ST_GeomFromGeoJSON). */
type GeometryColumn = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

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
  geom: GeometryColumn;
  geom_3857: ColumnType<string, string | undefined, string | undefined>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: ColumnType<string, string | undefined, string>;
}

export interface HistoryTable {
  id: Generated<number>;
  entity: string;
  entity_id: string;
  action: 'insert' | 'update' | 'delete' | 'bulk_load' | 'login' | 'login_failed' | 'logout' | 'password_change' | 'locked'
    | 'import_commit' | 'supersede' | 'clear' | 'status' | 'restore';
  actor: string;
  at: Timestamp;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  failed_attempts: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserScopeTable {
  user_id: number;
  district_code: string;
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

/** jsonb: read as the value, written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;

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

export interface AreaTable {
  id: Generated<number>;
  name: string;
  district_code: string;
  status: ColumnType<string, string | undefined, string>;
  version: ColumnType<number, number | undefined, number>;
  mode: string;
  mode_other: string | null;
  target_land_use: string | null;
  rule_set_id: string;
  rule_set_version: number;
  area_m2: number;
  pass: boolean | null;
  geom: GeometryColumn;
  geom_3857: ColumnType<string, string | undefined, string | undefined>;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
}

export interface AreaVersionTable {
  area_id: number;
  version: number;
  name: string;
  status: string;
  mode: string;
  mode_other: string | null;
  target_land_use: string | null;
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

export interface Database {
  districts: DistrictTable;
  parcels: ParcelTable;
  history: HistoryTable;
  users: UserTable;
  user_scopes: UserScopeTable;
  sessions: SessionTable;
  imports: ImportTable;
  survey_layers: SurveyLayerTable;
  rule_sets: RuleSetTable;
  areas: AreaTable;
  area_versions: AreaVersionTable;
}
