import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type {
  Inquiry, InquiryCreate, InquiryHandling, InquiryPage, InquiryQuery, Listing, ListingCandidate, ListingCreate, ListingVersion,
  PublicDistrictCollection, PublicPlotCollection, PublicPlotDetail, PublicPlotSummary,
} from '../../domain/api/zhaoshang.schemas.js';
import { squareMetresToMu, roundTo } from '../../domain/units.js';
import { LISTABLE_STATUS, LISTABLE_TYPE, PUBLIC_ZHAOSHANG_PREFIX, inquiryReference, type ListingState } from '../../domain/zhaoshang.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import {
  INQUIRY_COLUMNS, INQUIRY_FROM, LISTING_COLUMNS, LISTING_FROM, PUBLIC_SUMMARY_COLUMNS, PUBLISHED_FROM, VERSION_CONTENT_COLUMNS, insertVersionSql,
} from './zhaoshang.sql.js';

/** The editable content of a listing (a version's columns), as the contract names it. */
export type ListingContent = Omit<ListingCreate, 'parcelId'>;

/** A listing row locked for a write. */
export interface LockedListing {
  id: number;
  parcelId: number;
  districtCode: string;
  version: number;
  state: ListingState;
  publishedVersion: number | null;
}

/** The parcel a listing is made for, with what the rules need. */
export interface ListingParcel {
  id: number;
  code: string;
  districtCode: string;
  districtName: string;
  status: string;
  inefficiencyType: string | null;
}

const mu = (m2: number) => roundTo(squareMetresToMu(m2), 2);
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

type ListingRow = Omit<Listing, 'areaMu' | 'unpublishedChanges' | 'publishedAt' | 'withdrawnAt' | 'updatedAt'> & { publishedAt: Date | null; withdrawnAt: Date | null; updatedAt: Date };

function listingOf(row: ListingRow): Listing {
  return {
    ...row,
    areaM2: roundTo(row.areaM2, 2),
    areaMu: mu(row.areaM2),
    unpublishedChanges: row.state === 'published' && row.publishedVersion !== null && row.version > row.publishedVersion,
    publishedAt: iso(row.publishedAt),
    withdrawnAt: iso(row.withdrawnAt),
    updatedAt: iso(row.updatedAt)!,
  };
}

type SummaryRow = Omit<PublicPlotSummary, 'areaMu'>;
const summaryOf = (row: SummaryRow): PublicPlotSummary => ({ ...row, areaM2: roundTo(row.areaM2, 2), areaMu: mu(row.areaM2) });

type InquiryRow = Omit<Inquiry, 'reference' | 'submittedAt' | 'handledAt'> & { submittedAt: Date; handledAt: Date | null };
const inquiryOf = (row: InquiryRow): Inquiry => ({
  ...row, reference: inquiryReference(row.id, row.submittedAt), submittedAt: iso(row.submittedAt)!, handledAt: iso(row.handledAt),
});

/** Where the public page fetches a published photo. */
export const publicPhotoUrl = (listingId: number, photoId: number) => `${PUBLIC_ZHAOSHANG_PREFIX}plots/${listingId}/photos/${photoId}`;

export function createZhaoshangRepository(db: DatabaseClient) {
  return {
    // Officials.

    async parcel(id: number): Promise<ListingParcel | undefined> {
      const { rows } = await sql<ListingParcel>`
        SELECT p.id::float8 AS id, p.code, p.district_code AS "districtCode", d.name AS "districtName", p.status, p.inefficiency_type AS "inefficiencyType"
        FROM parcels p JOIN districts d ON d.code = p.district_code WHERE p.id = ${id}`.execute(db);
      return rows[0];
    },

    /** The parcel's documents among `ids`, with what decides whether the public may see them. */
    async photoDocuments(parcelId: number, ids: readonly number[]): Promise<{ id: number; category: string; mediaType: string; removed: boolean }[]> {
      if (ids.length === 0) return [];
      const { rows } = await sql<{ id: number; category: string; mediaType: string; removed: boolean }>`
        SELECT id::float8 AS id, category, media_type AS "mediaType", removed_at IS NOT NULL AS removed
        FROM parcel_documents WHERE parcel_id = ${parcelId} AND id = ANY(${ids}::bigint[])`.execute(db);
      return rows;
    },

    async listings(scope: Scope, district?: string): Promise<Listing[]> {
      const { rows } = await sql<ListingRow>`
        SELECT ${LISTING_COLUMNS} FROM ${LISTING_FROM}
        WHERE ${scope.sqlCovers('l.district_code')} ${district ? sql`AND l.district_code = ${district}` : sql``}
        ORDER BY l.district_code, l.updated_at DESC, l.id DESC`.execute(db);
      return rows.map(listingOf);
    },

    async listing(id: number, executor: DatabaseClient | Transaction<Database> = db): Promise<Listing | undefined> {
      const { rows } = await sql<ListingRow>`SELECT ${LISTING_COLUMNS} FROM ${LISTING_FROM} WHERE l.id = ${id}`.execute(executor);
      return rows[0] && listingOf(rows[0]);
    },

    async versions(id: number): Promise<ListingVersion[]> {
      const { rows } = await sql<Omit<ListingVersion, 'areaMu' | 'createdAt'> & { createdAt: Date }>`
        SELECT v.version, v.change, v.state, ${VERSION_CONTENT_COLUMNS}, v.note, v.created_by AS "createdBy", v.created_at AS "createdAt"
        FROM zhaoshang_listing_versions v WHERE v.listing_id = ${id} ORDER BY v.version DESC`.execute(db);
      return rows.map((row) => ({ ...row, areaM2: roundTo(row.areaM2, 2), areaMu: mu(row.areaM2), createdAt: iso(row.createdAt)! }));
    },

    /** Identified idle plots of the reader's districts that have no listing yet. */
    async candidates(scope: Scope, district?: string): Promise<ListingCandidate[]> {
      const { rows } = await sql<Omit<ListingCandidate, 'areaMu'>>`
        SELECT p.id::float8 AS id, p.code, p.district_code AS "districtCode", d.name AS "districtName", p.location, p.planned_function AS "plannedFunction",
          p.area_m2 AS "areaM2",
          (SELECT count(*)::int FROM parcel_documents doc WHERE doc.parcel_id = p.id AND doc.category = 'photo' AND doc.removed_at IS NULL) AS "photoCount"
        FROM parcels p JOIN districts d ON d.code = p.district_code
        WHERE p.status = ${LISTABLE_STATUS} AND p.inefficiency_type = ${LISTABLE_TYPE} AND ${scope.sqlCovers('p.district_code')}
          ${district ? sql`AND p.district_code = ${district}` : sql``}
          AND NOT EXISTS (SELECT FROM zhaoshang_listings l WHERE l.parcel_id = p.id)
        ORDER BY p.area_m2 DESC LIMIT 500`.execute(db);
      return rows.map((row) => ({ ...row, areaM2: roundTo(row.areaM2, 2), areaMu: mu(row.areaM2) }));
    },

    /** A new draft listing (version 1) of the parcel; undefined when the parcel has one already. */
    async create(transaction: Transaction<Database>, parcel: ListingParcel, content: ListingContent, actor: string): Promise<number | undefined> {
      const { rows: [inserted] } = await sql<{ id: number }>`
        INSERT INTO zhaoshang_listings (parcel_id, district_code, version, state, created_by, updated_by)
        VALUES (${parcel.id}, ${parcel.districtCode}, 1, 'draft', ${actor}, ${actor})
        ON CONFLICT (parcel_id) DO NOTHING RETURNING id::float8 AS id`.execute(transaction);
      if (!inserted) return undefined;
      await insertVersionSql(inserted.id, 1, 'create', 'draft', JSON.stringify(content), null, actor, parcel.id).execute(transaction);
      return inserted.id;
    },

    /** The listing, locked until the transaction ends. */
    async lock(transaction: Transaction<Database>, id: number): Promise<LockedListing | undefined> {
      const { rows } = await sql<LockedListing>`
        SELECT id::float8 AS id, parcel_id::float8 AS "parcelId", district_code AS "districtCode", version, state, published_version AS "publishedVersion"
        FROM zhaoshang_listings WHERE id = ${id} FOR UPDATE`.execute(transaction);
      return rows[0];
    },

    /** The content of a version (to copy into the next one). */
    async content(transaction: Transaction<Database>, id: number, version: number): Promise<ListingContent> {
      const { rows: [row] } = await sql<ListingContent>`
        SELECT ${VERSION_CONTENT_COLUMNS} FROM zhaoshang_listing_versions v WHERE v.listing_id = ${id} AND v.version = ${version}`.execute(transaction);
      const { areaM2: _area, ...content } = row as ListingContent & { areaM2: number };
      return content;
    },

    /**
     * The next version of a locked listing: its content (the plot's shape taken now) and the
     * listing's new state; publishing makes it the public version, withdrawing clears that.
     */
    async append(transaction: Transaction<Database>, listing: LockedListing, change: 'edit' | 'publish' | 'withdraw', content: ListingContent, actor: string, note: string | null = null): Promise<number> {
      const version = listing.version + 1;
      const state: ListingState = change === 'publish' ? 'published' : change === 'withdraw' ? 'withdrawn' : listing.state;
      await insertVersionSql(listing.id, version, change, state, JSON.stringify(content), note, actor, listing.parcelId).execute(transaction);
      const published = change === 'publish';
      const withdrawn = change === 'withdraw';
      await sql`
        UPDATE zhaoshang_listings SET version = ${version}, state = ${state}, updated_by = ${actor}, updated_at = now(),
          published_version = CASE WHEN ${published} THEN ${version} WHEN ${withdrawn} THEN NULL ELSE published_version END,
          published_at = CASE WHEN ${published} THEN now() ELSE published_at END,
          published_by = CASE WHEN ${published} THEN ${actor} ELSE published_by END,
          withdrawn_at = CASE WHEN ${withdrawn} THEN now() WHEN ${published} THEN NULL ELSE withdrawn_at END,
          withdrawn_by = CASE WHEN ${withdrawn} THEN ${actor} WHEN ${published} THEN NULL ELSE withdrawn_by END,
          withdrawal_reason = CASE WHEN ${withdrawn} THEN ${note} WHEN ${published} THEN NULL ELSE withdrawal_reason END
        WHERE id = ${listing.id}`.execute(transaction);
      return version;
    },

    // 意向.

    /** Published listings among `ids` (an inquiry may name only those). */
    async publishedIds(ids: readonly number[]): Promise<Map<number, number>> {
      if (ids.length === 0) return new Map();
      const { rows } = await sql<{ id: number; version: number }>`
        SELECT id::float8 AS id, published_version AS version FROM zhaoshang_listings WHERE state = 'published' AND id = ANY(${ids}::bigint[])`.execute(db);
      return new Map(rows.map((row) => [row.id, row.version]));
    },

    /** Listings among `ids` the scope covers. */
    async listingIdsInScope(ids: readonly number[], scope: Scope): Promise<number[]> {
      if (ids.length === 0) return [];
      const { rows } = await sql<{ id: number }>`
        SELECT id::float8 AS id FROM zhaoshang_listings l WHERE l.id = ANY(${ids}::bigint[]) AND ${scope.sqlCovers('l.district_code')}`.execute(db);
      return rows.map((row) => row.id);
    },

    async insertInquiry(transaction: Transaction<Database>, inquiry: InquiryCreate, listingVersion: number | null): Promise<{ id: number; submittedAt: Date }> {
      const blank = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);
      return transaction.insertInto('zhaoshang_inquiries').values({
        listing_id: inquiry.listingId ?? null, listing_version: listingVersion,
        name: inquiry.name.trim(), company: blank(inquiry.company), phone: inquiry.phone.trim(), email: blank(inquiry.email),
        industry: inquiry.industry.trim(), message: blank(inquiry.message),
      }).returning([sql<number>`id::float8`.as('id'), sql<Date>`submitted_at`.as('submittedAt')]).executeTakeFirstOrThrow();
    },

    /** 意向 of plots in the reader's districts, and those about no plot; newest first. */
    async inquiries(scope: Scope, query: InquiryQuery): Promise<InquiryPage> {
      const visible = sql<boolean>`(i.listing_id IS NULL OR ${scope.sqlCovers('l.district_code')})`;
      const state = query.state ? sql`AND i.state = ${query.state}` : sql``;
      const { rows } = await sql<InquiryRow>`
        SELECT ${INQUIRY_COLUMNS} FROM ${INQUIRY_FROM} WHERE ${visible} ${state}
        ORDER BY i.submitted_at DESC, i.id DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`.execute(db);
      const { rows: [counts] } = await sql<{ total: number; fresh: number }>`
        SELECT count(*) FILTER (WHERE true ${state})::int AS total, count(*) FILTER (WHERE i.state = 'new')::int AS fresh
        FROM ${INQUIRY_FROM} WHERE ${visible}`.execute(db);
      return { items: rows.map(inquiryOf), total: counts.total, newCount: counts.fresh, page: query.page, pageSize: query.pageSize };
    },

    async inquiry(id: number, executor: DatabaseClient | Transaction<Database> = db): Promise<(Inquiry & { districtCode: string | null }) | undefined> {
      const { rows } = await sql<InquiryRow & { districtCode: string | null }>`
        SELECT ${INQUIRY_COLUMNS}, l.district_code AS "districtCode" FROM ${INQUIRY_FROM} WHERE i.id = ${id}`.execute(executor);
      return rows[0] && { ...inquiryOf(rows[0]), districtCode: rows[0].districtCode };
    },

    async handleInquiry(transaction: Transaction<Database>, id: number, handling: InquiryHandling, actor: string): Promise<void> {
      const handled = handling.state === 'handled';
      await transaction.updateTable('zhaoshang_inquiries').set({
        state: handling.state,
        handled_by: handled ? actor : null,
        handled_at: handled ? sql<Date>`coalesce(handled_at, now())` : null,
        handling_note: handling.note?.trim() || null,
        matched_listing_ids: handling.matchedListingIds,
      }).where('id', '=', id).execute();
    },

    // The public page: published versions only.

    async publicPlots(cityName: string, district?: string): Promise<PublicPlotCollection> {
      const { rows } = await sql<SummaryRow & { districtCode: string; geometry: PublicPlotCollection['features'][number]['geometry'] }>`
        SELECT ${PUBLIC_SUMMARY_COLUMNS}, l.district_code AS "districtCode", ST_AsGeoJSON(v.geom, 6)::json AS geometry
        FROM ${PUBLISHED_FROM} ${district ? sql`AND l.district_code = ${district}` : sql``}
        ORDER BY v.area_m2 DESC, l.id`.execute(db);
      const districts = new Map<string, { code: string; name: string; plots: number; areaM2: number }>();
      for (const row of rows) {
        const entry = districts.get(row.districtCode) ?? { code: row.districtCode, name: row.districtName, plots: 0, areaM2: 0 };
        entry.plots++;
        entry.areaM2 += row.areaM2;
        districts.set(row.districtCode, entry);
      }
      return {
        type: 'FeatureCollection',
        cityName,
        districts: [...districts.values()].sort((a, b) => a.code.localeCompare(b.code)).map(({ areaM2, ...entry }) => ({ ...entry, areaMu: mu(areaM2) })),
        features: rows.map(({ geometry, districtCode: _district, ...row }) => ({ type: 'Feature' as const, id: row.id, geometry, properties: summaryOf(row) })),
      };
    },

    async publicPlot(id: number): Promise<PublicPlotDetail | undefined> {
      const { rows: [row] } = await sql<SummaryRow & Pick<PublicPlotDetail, 'planningNotes' | 'conditions' | 'geometry' | 'bbox'> & {
        contactOrg: string; contactName: string; contactPhone: string; contactEmail: string | null; photoIds: number[]; publishedAt: Date;
      }>`
        SELECT ${PUBLIC_SUMMARY_COLUMNS}, v.planning_notes AS "planningNotes", v.conditions,
          v.contact_org AS "contactOrg", v.contact_name AS "contactName", v.contact_phone AS "contactPhone", v.contact_email AS "contactEmail",
          ARRAY(SELECT photo.id::float8 FROM unnest(v.photo_document_ids) WITH ORDINALITY AS photo(id, position)
            JOIN parcel_documents doc ON doc.id = photo.id AND doc.removed_at IS NULL AND doc.category = 'photo' AND doc.media_type IN ('image/jpeg', 'image/png')
            ORDER BY photo.position) AS "photoIds",
          l.published_at AS "publishedAt", ST_AsGeoJSON(v.geom, 6)::json AS geometry,
          json_build_array(ST_XMin(v.geom), ST_YMin(v.geom), ST_XMax(v.geom), ST_YMax(v.geom)) AS bbox
        FROM ${PUBLISHED_FROM} AND l.id = ${id}`.execute(db);
      if (!row) return undefined;
      const { contactOrg, contactName, contactPhone, contactEmail, photoIds, publishedAt, planningNotes, conditions, geometry, bbox, ...summary } = row;
      return {
        ...summaryOf(summary),
        planningNotes, conditions,
        contact: { org: contactOrg, name: contactName, phone: contactPhone, email: contactEmail },
        photos: photoIds.map((photoId) => ({ id: photoId, url: publicPhotoUrl(id, photoId) })),
        publishedAt: iso(publishedAt)!,
        geometry, bbox,
      };
    },

    /** A photo of a published listing's published version (not removed since), or undefined. */
    async publicPhoto(listingId: number, photoId: number): Promise<{ content: Buffer; mediaType: string; sha256: string } | undefined> {
      const { rows: [row] } = await sql<{ content: Buffer; mediaType: string; sha256: string }>`
        SELECT c.content, doc.media_type AS "mediaType", doc.sha256
        FROM parcel_documents doc JOIN document_contents c ON c.document_id = doc.id
        WHERE doc.id = ${photoId} AND doc.removed_at IS NULL AND doc.category = 'photo' AND doc.media_type IN ('image/jpeg', 'image/png')
          AND EXISTS (SELECT FROM ${PUBLISHED_FROM} AND l.id = ${listingId} AND doc.id = ANY(v.photo_document_ids))`.execute(db);
      return row;
    },

    /** The city's district outlines, simplified (about 50 m), and whether each has published plots. */
    async publicDistricts(): Promise<PublicDistrictCollection> {
      const { rows } = await sql<PublicDistrictCollection['features'][number]>`
        SELECT 'Feature' AS type,
          ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(d.geom, 0.0005)), 3)), 5)::json AS geometry,
          json_build_object('code', d.code, 'name', d.name,
            'hasPlots', EXISTS (SELECT FROM zhaoshang_listings l WHERE l.district_code = d.code AND l.state = 'published')) AS properties
        FROM districts d WHERE d.level = 'district' ORDER BY d.code`.execute(db);
      return { type: 'FeatureCollection', features: rows };
    },
  };
}

export type ZhaoshangRepository = ReturnType<typeof createZhaoshangRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    zhaoshangRepository: ZhaoshangRepository;
  }
}

export const zhaoshangRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('zhaoshangRepository', createZhaoshangRepository(app.db));
}, { name: 'zhaoshang-repository', dependencies: ['database'] });
