import { sql } from 'kysely';

/**
 * SQL of the 招商地图. Officials read a listing's current version (`v` at `l.version`); the public
 * reads only the published version (`v` at `l.published_version`) of published listings and never
 * joins `parcels`: the published set is what the version rows hold.
 */

/** The content columns of a version row `v`, as the contract names them. */
const VERSION_CONTENT_TEXT = `
  v.title, v.location, v.planned_use AS "plannedUse",
  v.floor_area_ratio_min::float8 AS "floorAreaRatioMin", v.floor_area_ratio_max::float8 AS "floorAreaRatioMax",
  v.building_density_max::float8 AS "buildingDensityMax", v.height_limit_m::float8 AS "heightLimitM",
  v.planning_notes AS "planningNotes", v.target_industries AS "targetIndustries", v.conditions, v.supply_mode AS "supplyMode",
  v.contact_org AS "contactOrg", v.contact_name AS "contactName", v.contact_phone AS "contactPhone", v.contact_email AS "contactEmail",
  v.photo_document_ids::float8[] AS "photoDocumentIds", v.area_m2 AS "areaM2"`;
export const VERSION_CONTENT_COLUMNS = sql.raw(VERSION_CONTENT_TEXT);

/** A listing as officials see it: `l` the listing, `v` its current version, `d` its district. */
export const LISTING_COLUMNS = sql.raw(`
  l.id::int AS id, l.parcel_id::float8 AS "parcelId", p.code AS "parcelCode", l.district_code AS "districtCode", d.name AS "districtName",
  l.state, l.version, l.published_version AS "publishedVersion",
  ${VERSION_CONTENT_TEXT},
  l.published_at AS "publishedAt", l.published_by AS "publishedBy", l.withdrawn_at AS "withdrawnAt", l.withdrawal_reason AS "withdrawalReason",
  l.updated_by AS "updatedBy", l.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM zhaoshang_inquiries i WHERE i.listing_id = l.id AND i.state = 'new') AS "newInquiries",
  json_build_array(ST_XMin(v.geom), ST_YMin(v.geom), ST_XMax(v.geom), ST_YMax(v.geom)) AS bbox`);

export const LISTING_FROM = sql.raw(`
  zhaoshang_listings l
  JOIN zhaoshang_listing_versions v ON v.listing_id = l.id AND v.version = l.version
  JOIN districts d ON d.code = l.district_code
  LEFT JOIN parcels p ON p.id = l.parcel_id`);

/** The published version of published listings: all the public may see (`v`, `d`). */
export const PUBLISHED_FROM = sql.raw(`
  zhaoshang_listings l
  JOIN zhaoshang_listing_versions v ON v.listing_id = l.id AND v.version = l.published_version
  JOIN districts d ON d.code = l.district_code
  WHERE l.state = 'published'`);

/** The public summary of a published version (PublicPlotSummary). */
export const PUBLIC_SUMMARY_COLUMNS = sql.raw(`
  l.id::int AS id, v.title, d.name AS "districtName", v.location, v.area_m2 AS "areaM2", v.planned_use AS "plannedUse",
  v.floor_area_ratio_min::float8 AS "floorAreaRatioMin", v.floor_area_ratio_max::float8 AS "floorAreaRatioMax",
  v.building_density_max::float8 AS "buildingDensityMax", v.height_limit_m::float8 AS "heightLimitM",
  v.target_industries AS "targetIndustries", v.supply_mode AS "supplyMode",
  (SELECT count(*)::int FROM unnest(v.photo_document_ids) AS photo(id)
     JOIN parcel_documents doc ON doc.id = photo.id AND doc.removed_at IS NULL AND doc.category = 'photo' AND doc.media_type IN ('image/jpeg', 'image/png')) AS "photoCount",
  json_build_array(round(ST_X(ST_PointOnSurface(v.geom))::numeric, 6), round(ST_Y(ST_PointOnSurface(v.geom))::numeric, 6)) AS centre`);

/** Writes a version row from `content` (JSON of the contract's content) with the plot's shape now (or the last one, if the parcel was retired). */
export function insertVersionSql(listingId: number, version: number, change: string, state: string, content: string, note: string | null, actor: string, parcelId: number) {
  return sql`
    INSERT INTO zhaoshang_listing_versions (listing_id, version, change, state, title, location, planned_use, floor_area_ratio_min, floor_area_ratio_max,
      building_density_max, height_limit_m, planning_notes, target_industries, conditions, supply_mode, contact_org, contact_name, contact_phone,
      contact_email, photo_document_ids, geom, area_m2, note, created_by)
    SELECT ${listingId}, ${version}, ${change}, ${state}, c.title, c.location, c."plannedUse", c."floorAreaRatioMin", c."floorAreaRatioMax",
      c."buildingDensityMax", c."heightLimitM", c."planningNotes", c."targetIndustries", c.conditions, c."supplyMode", c."contactOrg", c."contactName",
      c."contactPhone", c."contactEmail", coalesce(c."photoDocumentIds", '{}'), shape.geom, ST_Area(shape.geom::geography), ${note}, ${actor}
    FROM jsonb_to_record(${content}::jsonb) AS c(title text, location text, "plannedUse" text, "floorAreaRatioMin" numeric, "floorAreaRatioMax" numeric,
      "buildingDensityMax" numeric, "heightLimitM" numeric, "planningNotes" text, "targetIndustries" text[], conditions text, "supplyMode" text,
      "contactOrg" text, "contactName" text, "contactPhone" text, "contactEmail" text, "photoDocumentIds" bigint[])
    CROSS JOIN LATERAL (
      SELECT coalesce(
        (SELECT p.geom FROM parcels p WHERE p.id = ${parcelId}),
        (SELECT prev.geom FROM zhaoshang_listing_versions prev WHERE prev.listing_id = ${listingId} ORDER BY prev.version DESC LIMIT 1)
      ) AS geom
    ) shape`;
}

/** An inquiry as officials see it (`i`, its listing `l` and that listing's current version `v`). */
export const INQUIRY_COLUMNS = sql.raw(`
  i.id::int AS id, i.listing_id::float8 AS "listingId", v.title AS "listingTitle", d.name AS "districtName",
  i.name, i.company, i.phone, i.email, i.industry, i.message, i.submitted_at AS "submittedAt", i.state,
  i.handled_by AS "handledBy", i.handled_at AS "handledAt", i.handling_note AS "handlingNote",
  coalesce((SELECT json_agg(json_build_object('id', ml.id, 'title', mv.title) ORDER BY ml.id)
    FROM zhaoshang_listings ml JOIN zhaoshang_listing_versions mv ON mv.listing_id = ml.id AND mv.version = ml.version
    WHERE ml.id = ANY(i.matched_listing_ids)), '[]') AS "matchedListings"`);

export const INQUIRY_FROM = sql.raw(`
  zhaoshang_inquiries i
  LEFT JOIN zhaoshang_listings l ON l.id = i.listing_id
  LEFT JOIN zhaoshang_listing_versions v ON v.listing_id = l.id AND v.version = l.version
  LEFT JOIN districts d ON d.code = l.district_code`);
