import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { ParcelDocument, PhotoPointCollection, RemovedDocument, RemovedDocumentPage, RemovedDocumentsQuery } from '../../domain/api/documents.schemas.js';
import type { DocumentCategory, DocumentMediaType } from '../../domain/documents.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { DOCUMENT_COLUMNS, photoFeatureSql, type DocumentRow } from './documents.sql.js';

/** The parcel a document route names, with what its scope check needs. */
export interface DocumentParcel {
  id: number;
  code: string;
  districtCode: string;
  districtName: string;
  /** Its place, for writers narrowed to a 园区 or 街道 (Scope.assertPlaceWritable). */
  subdistrictCode: string | null;
  parkCode: string | null;
  placeName: string | null;
}

/** A document as it is filed (see `insert`). */
export interface NewDocument {
  parcelId: number;
  category: DocumentCategory;
  note: string | null;
  fileName: string;
  mediaType: DocumentMediaType;
  sha256: string;
  takenAt: string | null;
  position: [number, number] | null;
  exif: Record<string, unknown> | null;
  uploadedBy: string;
}

/** Filing refused because the same bytes are filed on the parcel already (checksum per parcel). */
export interface DuplicateDocument {
  duplicateOf: ParcelDocument;
}

function documentOf(row: DocumentRow): ParcelDocument {
  return {
    ...row,
    takenAt: row.takenAt?.toISOString() ?? null,
    uploadedAt: row.uploadedAt.toISOString(),
    removedAt: row.removedAt?.toISOString() ?? null,
    distanceM: row.distanceM === null ? null : Math.round(row.distanceM * 10) / 10,
  };
}

export function createDocumentsRepository(db: DatabaseClient) {
  async function findRow(executor: DatabaseClient | Transaction<Database>, parcelId: number, documentId: number): Promise<ParcelDocument | undefined> {
    const { rows } = await sql<DocumentRow>`
      SELECT ${DOCUMENT_COLUMNS}
      FROM parcel_documents doc LEFT JOIN parcels p ON p.id = doc.parcel_id
      WHERE doc.id = ${documentId} AND doc.parcel_id = ${parcelId}`.execute(executor);
    return rows[0] && documentOf(rows[0]);
  }

  return {
    /** The parcel by id with its district, or undefined. */
    async parcel(id: number): Promise<DocumentParcel | undefined> {
      return db.selectFrom('parcels as p').innerJoin('districts as d', 'd.code', 'p.district_code')
        .leftJoin('subdistricts as s', (join) => join.on(sql<boolean>`s.code = coalesce(p.park_code, p.subdistrict_code)`))
        .select(['p.id', 'p.code', 'p.district_code as districtCode', 'd.name as districtName', 'p.subdistrict_code as subdistrictCode', 'p.park_code as parkCode', 's.name as placeName'])
        .where('p.id', '=', id).executeTakeFirst();
    },

    /** A parcel's filed documents (not removed), newest first, and how many were removed. */
    async list(parcelId: number): Promise<{ items: ParcelDocument[]; removedCount: number }> {
      const { rows } = await sql<DocumentRow>`
        SELECT ${DOCUMENT_COLUMNS}
        FROM parcel_documents doc LEFT JOIN parcels p ON p.id = doc.parcel_id
        WHERE doc.parcel_id = ${parcelId} AND doc.removed_at IS NULL
        ORDER BY doc.uploaded_at DESC, doc.id DESC`.execute(db);
      const { removed } = await db.selectFrom('parcel_documents').select((select) => select.fn.countAll<number>().as('removed'))
        .where('parcel_id', '=', parcelId).where('removed_at', 'is not', null).executeTakeFirstOrThrow();
      return { items: rows.map(documentOf), removedCount: Number(removed) };
    },

    /** One document of the parcel (also a removed one), or undefined when the parcel has no such document. */
    find(parcelId: number, documentId: number): Promise<ParcelDocument | undefined> {
      return findRow(db, parcelId, documentId);
    },

    /** The bytes of a document. */
    async content(documentId: number): Promise<Buffer> {
      const row = await db.selectFrom('document_contents').select('content').where('document_id', '=', documentId).executeTakeFirstOrThrow();
      return row.content;
    },

    /**
     * Files a document and its bytes inside the caller's transaction (which names the actor for the
     * audit log). The same bytes filed on the parcel already (and not removed) are not filed twice:
     * the answer names the document that holds them.
     */
    async insert(transaction: Transaction<Database>, document: NewDocument, content: Buffer): Promise<ParcelDocument | DuplicateDocument> {
      const { rows: [inserted] } = await sql<{ id: number }>`
        INSERT INTO parcel_documents (parcel_id, category, note, file_name, media_type, byte_size, sha256, taken_at, position, exif, uploaded_by)
        VALUES (${document.parcelId}, ${document.category}, ${document.note}, ${document.fileName}, ${document.mediaType}, ${content.length},
          ${document.sha256}, ${document.takenAt},
          ${document.position ? sql`ST_SetSRID(ST_MakePoint(${document.position[0]}, ${document.position[1]}), 4490)` : null},
          ${document.exif ? JSON.stringify(document.exif) : null}::jsonb, ${document.uploadedBy})
        ON CONFLICT (parcel_id, sha256) WHERE removed_at IS NULL DO NOTHING
        RETURNING id`.execute(transaction);
      if (!inserted) {
        const { rows: [existing] } = await sql<DocumentRow>`
          SELECT ${DOCUMENT_COLUMNS}
          FROM parcel_documents doc LEFT JOIN parcels p ON p.id = doc.parcel_id
          WHERE doc.parcel_id = ${document.parcelId} AND doc.sha256 = ${document.sha256} AND doc.removed_at IS NULL`.execute(transaction);
        return { duplicateOf: documentOf(existing) };
      }
      await transaction.insertInto('document_contents').values({ document_id: inserted.id, content }).execute();
      return (await findRow(transaction, document.parcelId, inserted.id))!;
    },

    /**
     * Records a removal (who, why; when is now) inside the caller's transaction. Undefined when the
     * document was removed already (by someone else meanwhile): a removal is recorded once.
     */
    async remove(transaction: Transaction<Database>, parcelId: number, documentId: number, actor: string, reason: string): Promise<ParcelDocument | undefined> {
      const updated = await transaction.updateTable('parcel_documents')
        .set({ removed_by: actor, removed_at: sql<Date>`now()`, removal_reason: reason })
        .where('id', '=', documentId).where('parcel_id', '=', parcelId).where('removed_at', 'is', null)
        .returning('id').executeTakeFirst();
      return updated ? findRow(transaction, parcelId, documentId) : undefined;
    },

    /** Photo points of a parcel's filed documents (EXIF GPS), as GeoJSON. */
    async photosOfParcel(parcelId: number): Promise<PhotoPointCollection> {
      const { rows } = await sql<{ feature: PhotoPointCollection['features'][number] }>`
        SELECT ${photoFeatureSql} AS feature
        FROM parcel_documents doc
        WHERE doc.parcel_id = ${parcelId} AND doc.removed_at IS NULL AND doc.position IS NOT NULL
        ORDER BY doc.taken_at NULLS LAST, doc.id`.execute(db);
      return { type: 'FeatureCollection', truncated: false, features: rows.map((row) => row.feature) };
    },

    /** Photo points in a box, of parcels in the reader's districts only. */
    async photosInBox(box: [number, number, number, number], limit: number, scope: Scope): Promise<PhotoPointCollection> {
      const { rows } = await sql<{ feature: PhotoPointCollection['features'][number] }>`
        SELECT ${photoFeatureSql} AS feature
        FROM parcel_documents doc JOIN parcels p ON p.id = doc.parcel_id
        WHERE doc.position && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4490)
          AND doc.removed_at IS NULL AND ${scope.sqlCovers('p.district_code')}
        ORDER BY doc.id
        LIMIT ${limit + 1}`.execute(db);
      return { type: 'FeatureCollection', truncated: rows.length > limit, features: rows.slice(0, limit).map((row) => row.feature) };
    },

    /** Removed documents of parcels in the reader's districts (a retired parcel's only for a whole-city reader), newest removal first. */
    async removed(query: RemovedDocumentsQuery, scope: Scope): Promise<RemovedDocumentPage> {
      const where = sql`doc.removed_at IS NOT NULL
        AND ${scope.sqlCovers('p.district_code')}
        ${query.parcel ? sql`AND doc.parcel_id = ${query.parcel}` : sql``}`;
      const { rows: [{ total }] } = await sql<{ total: number }>`
        SELECT count(*)::int AS total FROM parcel_documents doc LEFT JOIN parcels p ON p.id = doc.parcel_id WHERE ${where}`.execute(db);
      const { rows } = await sql<DocumentRow & { parcelCode: string | null; districtCode: string | null }>`
        SELECT ${DOCUMENT_COLUMNS}, p.code AS "parcelCode", p.district_code AS "districtCode"
        FROM parcel_documents doc LEFT JOIN parcels p ON p.id = doc.parcel_id
        WHERE ${where}
        ORDER BY doc.removed_at DESC, doc.id DESC
        LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`.execute(db);
      const items: RemovedDocument[] = rows.map(({ parcelCode, districtCode, ...row }) => ({ ...documentOf(row), parcelCode, districtCode }));
      return { items, total, page: query.page, pageSize: query.pageSize };
    },
  };
}

export type DocumentsRepository = ReturnType<typeof createDocumentsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    documentsRepository: DocumentsRepository;
  }
}

/** The documents repository (一地一档), built once per app: the only code that reads or writes `parcel_documents` and `document_contents`. */
export const documentsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('documentsRepository', createDocumentsRepository(app.db));
}, { name: 'documents-repository', dependencies: ['database'] });
