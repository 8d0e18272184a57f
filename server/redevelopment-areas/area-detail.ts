import type { AreaDetail, AreaReview, AreaSummary, PinnedVerdict } from '../../domain/api/areas.schemas.js';
import type { AreaKind, AreaReviewAction, AreaStatus, RedevelopmentMode } from '../../domain/redevelopment-areas.js';
import type { AreaReviewRow, AreaRow, AreasRepository, AreaVersionRow, PinnedReviewRow } from './areas.repository.js';

/*
 * An area as readers get it (GET /api/areas/:id, the check report): the rows of the areas
 * repository turned into the contract's AreaDetail, with the verdict pinned at 报审 / 批准.
 */

export const summaryOf = (row: AreaRow): AreaSummary => ({
  id: row.id, name: row.name, districtCode: row.district_code, districtName: row.district_name, status: row.status as AreaStatus, kind: row.kind as AreaKind,
  version: row.version, ruleSetId: row.rule_set_id, ruleSetVersion: row.rule_set_version, areaM2: row.area_m2, pass: row.pass,
  updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by, approvedVersion: row.approved_version,
  pinned: row.pinned_action === null || row.pinned_version === null || row.pinned_rule_set_id === null || row.pinned_rule_set_version === null || row.pinned_at === null ? null : {
    action: row.pinned_action as 'submit' | 'approve', version: row.pinned_version, ruleSetId: row.pinned_rule_set_id, ruleSetVersion: row.pinned_rule_set_version,
    pass: row.pinned_pass, at: row.pinned_at.toISOString(),
  },
});

const reviewOf = (row: AreaReviewRow): AreaReview => ({
  id: row.id, version: row.area_version, action: row.action as AreaReviewAction, fromStatus: row.from_status as AreaStatus, toStatus: row.to_status as AreaStatus,
  note: row.note, actor: row.actor, actorName: row.actor_name, at: row.at.toISOString(), ruleSetId: row.rule_set_id, ruleSetVersion: row.rule_set_version, pass: row.pass,
});

export const pinnedOf = (row: PinnedReviewRow | undefined): PinnedVerdict | null => (row?.result && row.rule_set_id !== null && row.rule_set_version !== null ? {
  action: row.action as 'submit' | 'approve', version: row.area_version, ruleSetId: row.rule_set_id, ruleSetVersion: row.rule_set_version, pass: row.pass,
  at: row.at.toISOString(), actor: row.actor, actorName: row.actor_name, result: row.result,
} : null);

/**
 * An area at its current version (or at `version`), with its versions and 审批记录. The verdict
 * pinned at 报审 / 批准 comes with the area while it is submitted or approved, and with any
 * version asked for by number that was ever submitted (its latest 批准, else its latest 报审).
 */
export async function areaDetail(areas: AreasRepository, row: AreaRow, version?: AreaVersionRow): Promise<AreaDetail> {
  const shown = version ?? (await areas.version(row.id, row.version))!;
  const [versions, reviews] = await Promise.all([areas.versions(row.id), areas.reviews(row.id)]);
  const approved = new Set(reviews.filter((entry) => entry.action === 'approve').map((entry) => entry.area_version));
  const pinned = version === undefined
    ? (row.pinned_review_id === null ? null : pinnedOf(await areas.review(row.pinned_review_id)))
    : pinnedOf(await areas.pinnedOf(row.id, shown.version));
  return {
    ...summaryOf(row),
    ...(version ? { version: version.version, name: version.name, status: version.status as AreaStatus, kind: version.kind as AreaKind, ruleSetId: version.rule_set_id, ruleSetVersion: version.rule_set_version, areaM2: version.area_m2, pass: version.pass } : {}),
    mode: shown.mode as RedevelopmentMode, modeOther: shown.mode_other, targetLandUse: shown.target_land_use, input: shown.input, result: shown.result,
    versions: versions.map((entry) => ({
      version: entry.version, savedAt: entry.saved_at.toISOString(), savedBy: entry.saved_by, note: entry.note, status: entry.status as AreaStatus, kind: entry.kind as AreaKind,
      areaM2: entry.area_m2, pass: entry.pass, ruleSetVersion: entry.rule_set_version, approved: approved.has(entry.version),
    })),
    pinnedVerdict: pinned,
    reviews: reviews.map(reviewOf),
  };
}

