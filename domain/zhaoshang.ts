/**
 * 招商地图 (seed 004 四(一) 因地招商): identified idle 低效用地 shown to investors with their 规划条件 and a
 * 专属招商方案, and the 意向 investors leave. The rules both sides share: which plots may be listed, the
 * listing's states and steps, the refusals (reason constants; server/errors.ts maps them to HTTP), and
 * what the public may see.
 */

/** The public API's prefix: routes under it are served to anyone, without reading a session. */
export const PUBLIC_ZHAOSHANG_PREFIX = '/api/public/zhaoshang/';

/** A listing's states: 草稿 (never shown), 已发布 (the published version is public), 已撤回 (not shown). */
export const LISTING_STATES = [
  { code: 'draft', label: '草稿' },
  { code: 'published', label: '已发布' },
  { code: 'withdrawn', label: '已撤回' },
] as const;
export type ListingState = (typeof LISTING_STATES)[number]['code'];

export function listingStateLabel(code: string): string {
  return LISTING_STATES.find((state) => state.code === code)?.label ?? code;
}

/** What made a version: 新建, 修改, 发布, 撤回. */
export const LISTING_CHANGES = [
  { code: 'create', label: '新建' },
  { code: 'edit', label: '修改' },
  { code: 'publish', label: '发布' },
  { code: 'withdraw', label: '撤回' },
] as const;
export type ListingChange = (typeof LISTING_CHANGES)[number]['code'];

export function listingChangeLabel(code: string): string {
  return LISTING_CHANGES.find((change) => change.code === code)?.label ?? code;
}

/** 供地方式. */
export const SUPPLY_MODES = [
  { code: 'transfer', label: '出让' },
  { code: 'lease', label: '租赁' },
  { code: 'lease_then_transfer', label: '先租后让' },
  { code: 'cooperation', label: '合作开发' },
] as const;
export type SupplyMode = (typeof SUPPLY_MODES)[number]['code'];
export const SUPPLY_MODE_CODES = SUPPLY_MODES.map((mode) => mode.code) as SupplyMode[];

export function supplyModeLabel(code: string | null | undefined): string {
  if (!code) return '—';
  return SUPPLY_MODES.find((mode) => mode.code === code)?.label ?? code;
}

/** A 意向's handling. */
export const INQUIRY_STATES = [
  { code: 'new', label: '待处理' },
  { code: 'handled', label: '已处理' },
] as const;
export type InquiryState = (typeof INQUIRY_STATES)[number]['code'];

export function inquiryStateLabel(code: string): string {
  return INQUIRY_STATES.find((state) => state.code === code)?.label ?? code;
}

/**
 * Which plots the 招商地图 lists: "认定的闲置类低效用地" (seed 004 四(一)) — 效率状态 已认定低效 and
 * 低效类型 闲置低效.
 */
export const LISTABLE_STATUS = 'identified';
export const LISTABLE_TYPE = 'idle';

export function isListablePlot(parcel: { status: string | null; inefficiencyType: string | null }): boolean {
  return parcel.status === LISTABLE_STATUS && parcel.inefficiencyType === LISTABLE_TYPE;
}

/** Photos a listing may show: at most this many, JPEG or PNG (their metadata is stripped when served). */
export const MAX_LISTING_PHOTOS = 6;
export const PUBLIC_PHOTO_MEDIA_TYPES = ['image/jpeg', 'image/png'] as const;

/** Steps of a listing: 发布 from any state (again after edits), 撤回 only a published one. */
export function allowedListingSteps(state: ListingState): ('publish' | 'withdraw')[] {
  return state === 'published' ? ['publish', 'withdraw'] : ['publish'];
}

// Refusals (server/errors.ts: ZhaoshangRefusalError).
export const LISTING_NOT_IDLE = 'listing_not_idle';
export const LISTING_EXISTS = 'listing_exists';
export const LISTING_STALE = 'listing_stale';
export const LISTING_STEP_NOT_ALLOWED = 'listing_step_not_allowed';
export const LISTING_PHOTO_REFUSED = 'listing_photo_refused';
export const LISTING_NOTHING_TO_PUBLISH = 'listing_nothing_to_publish';
export const INQUIRY_LISTING_UNKNOWN = 'inquiry_listing_unknown';

export type ZhaoshangRefusalReason =
  | typeof LISTING_NOT_IDLE | typeof LISTING_EXISTS | typeof LISTING_STALE | typeof LISTING_STEP_NOT_ALLOWED
  | typeof LISTING_PHOTO_REFUSED | typeof LISTING_NOTHING_TO_PUBLISH | typeof INQUIRY_LISTING_UNKNOWN;

export interface ZhaoshangRefusal {
  reason: ZhaoshangRefusalReason;
  message: string;
  parameter?: string;
  details?: Record<string, unknown>;
}

export const ZHAOSHANG_REFUSAL_STATUS: Readonly<Record<ZhaoshangRefusalReason, number>> = {
  [LISTING_NOT_IDLE]: 409,
  [LISTING_EXISTS]: 409,
  [LISTING_STALE]: 409,
  [LISTING_STEP_NOT_ALLOWED]: 409,
  [LISTING_PHOTO_REFUSED]: 400,
  [LISTING_NOTHING_TO_PUBLISH]: 409,
  [INQUIRY_LISTING_UNKNOWN]: 400,
};

/**
 * 意向 form limits and their messages (the 400 names the field and says how to fix it). Phones:
 * a mobile number (11 digits from 1) or a landline with its area code, optionally +86.
 */
export const INQUIRY_PHONE_PATTERN = '^(\\+?86[- ]?)?(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$';
export const INQUIRY_EMAIL_PATTERN = '^[^\\s@<>()\\[\\],;:"]+@[^\\s@<>()\\[\\],;:"]+\\.[^\\s@<>()\\[\\],;:"]{2,}$';
/** No control characters in any text the public sends (line breaks allowed in the message). */
export const PLAIN_TEXT_PATTERN = '^[^\\x00-\\x1f\\x7f]*$';
export const MESSAGE_TEXT_PATTERN = '^[^\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f]*$';

export const INQUIRY_FIELD_MESSAGES: Readonly<Record<string, string>> = {
  name: '请填写联系人姓名（1–30 个字）/ name: 1–30 characters',
  company: '单位名称最多 100 个字 / company: at most 100 characters',
  phone: '请填写有效的联系电话：11 位手机号（如 13800138000）或带区号的固定电话（如 0592-1234567）/ phone: a mobile or landline number',
  email: '电子邮箱格式不正确（如 name@example.com），不填可留空 / email: e.g. name@example.com, or leave it empty',
  industry: '请填写意向产业（1–50 个字，如 集成电路、生物医药）/ industry: 1–50 characters',
  message: '留言最多 1000 个字 / message: at most 1000 characters',
  listingId: '所选地块无效：请从招商地图上选择地块后再提交 / listingId: choose a plot on the map',
  website: '请求无效 / invalid request',
};

/** The 意向's reference as shown to the investor and the official: YX + year + number. */
export function inquiryReference(id: number, submittedAt: string | Date): string {
  const year = new Date(submittedAt).getFullYear();
  return `YX${year}-${String(id).padStart(5, '0')}`;
}
