import { sql } from 'kysely';
import type { ParcelDocument } from '../../domain/api/documents.schemas.js';

/**
 * SQL of the documents repository. Every statement reads a document as `doc` (parcel_documents)
 * joined to its parcel as `p` (LEFT: a retired parcel's documents stay on record).
 */

/** A document row as read: the API's shape with timestamps as Dates. */
export type DocumentRow = Omit<ParcelDocument, 'takenAt' | 'uploadedAt' | 'removedAt'> & { takenAt: Date | null; uploadedAt: Date; removedAt: Date | null };

/**
 * Every field of a document: the 姓名 of who filed and who removed it, the photo's position as
 * [经度, 纬度], and its distance to the parcel on the ellipsoid (0 when taken inside it).
 */
export const DOCUMENT_COLUMNS = sql`
  doc.id, doc.parcel_id AS "parcelId", doc.category, doc.note, doc.file_name AS "fileName", doc.media_type AS "mediaType",
  doc.byte_size AS "byteSize", doc.sha256, doc.taken_at AS "takenAt",
  CASE WHEN doc.position IS NULL THEN NULL ELSE json_build_array(ST_X(doc.position), ST_Y(doc.position)) END AS position,
  CASE WHEN doc.position IS NULL OR p.geom IS NULL THEN NULL ELSE ST_Distance(doc.position::geography, p.geom::geography) END AS "distanceM",
  doc.uploaded_by AS "uploadedBy", (SELECT u.display_name FROM users u WHERE u.username = doc.uploaded_by) AS "uploadedByName",
  doc.uploaded_at AS "uploadedAt",
  doc.removed_by AS "removedBy", (SELECT u.display_name FROM users u WHERE u.username = doc.removed_by) AS "removedByName",
  doc.removed_at AS "removedAt", doc.removal_reason AS "removalReason"`;

/** A photo point of `doc` as a GeoJSON Feature (8 decimals ≈ 1 mm). */
export const photoFeatureSql = sql`json_build_object(
  'type', 'Feature', 'id', doc.id,
  'properties', json_build_object('documentId', doc.id, 'parcelId', doc.parcel_id, 'fileName', doc.file_name,
    'takenAt', to_char(doc.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'note', doc.note),
  'geometry', ST_AsGeoJSON(doc.position, 8)::json)`;
