import { Type, type Static } from 'typebox';
import { DOCUMENT_CATEGORY_CODES, DOCUMENT_MEDIA_TYPE_CODES } from '../documents.js';
import { DateTimeString, Id, Nullable, PageNumber, StringEnum } from './common.schemas.js';

/**
 * 一地一档: the documents filed per parcel (domain/documents.ts). Upload is multipart
 * (`file`, `category`, `note`); everything else is JSON, except the file itself (download and
 * preview). Every route checks the parcel's district against the reader's 管辖范围.
 */

export { ErrorBody } from './common.schemas.js';

export const DocumentCategorySchema = StringEnum(DOCUMENT_CATEGORY_CODES, { description: '档案类别 (DOCUMENT_CATEGORIES)' });
export const DocumentMediaTypeSchema = StringEnum(DOCUMENT_MEDIA_TYPE_CODES, { description: 'type read from the content (magic bytes)' });

export const ParcelDocumentsParams = Type.Object({ id: Id({ description: 'parcel id' }) });
export type ParcelDocumentsParams = Static<typeof ParcelDocumentsParams>;

export const ParcelDocumentParams = Type.Object({
  id: Id({ description: 'parcel id' }),
  documentId: Id({ description: 'document id' }),
});
export type ParcelDocumentParams = Static<typeof ParcelDocumentParams>;

/** The multipart fields besides `file` (sent before it), as the route reads them. */
export const DOCUMENT_NOTE_MAX = 500;
export const DOCUMENT_REASON_MIN = 2;
export const DOCUMENT_REASON_MAX = 500;

export const ParcelDocument = Type.Object({
  id: Type.Integer(),
  parcelId: Type.Integer(),
  category: DocumentCategorySchema,
  note: Nullable(Type.String()),
  fileName: Type.String({ description: 'the uploaded name, cleaned (no folders or control characters; extension of the real type)' }),
  mediaType: DocumentMediaTypeSchema,
  byteSize: Type.Integer({ description: 'bytes' }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  takenAt: Nullable(DateTimeString({ description: 'photos: EXIF DateTimeOriginal' })),
  position: Nullable(Type.Unsafe<[number, number]>(Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: 'photos: EXIF GPS [经度, 纬度], EPSG:4490' }))),
  distanceM: Nullable(Type.Number({ description: 'photos: metres from the taking position to the parcel (0 inside it)' })),
  uploadedBy: Type.String(),
  uploadedByName: Nullable(Type.String()),
  uploadedAt: DateTimeString(),
  removedBy: Nullable(Type.String()),
  removedByName: Nullable(Type.String()),
  removedAt: Nullable(DateTimeString()),
  removalReason: Nullable(Type.String()),
});
export type ParcelDocument = Static<typeof ParcelDocument>;

export const DocumentLimits = Type.Object({
  maxBytes: Type.Integer({ description: 'largest file accepted, bytes (DOCUMENT_MAX_MB)' }),
  mediaTypes: Type.Array(DocumentMediaTypeSchema),
});
export type DocumentLimits = Static<typeof DocumentLimits>;

export const ParcelDocumentList = Type.Object({
  items: Type.Array(ParcelDocument, { description: 'filed documents, newest first (removed ones are not listed)' }),
  removedCount: Type.Integer({ description: 'documents of this parcel removed on record' }),
  limits: DocumentLimits,
});
export type ParcelDocumentList = Static<typeof ParcelDocumentList>;

export const DocumentRemoval = Type.Object({
  reason: Type.String({ minLength: DOCUMENT_REASON_MIN, maxLength: DOCUMENT_REASON_MAX, description: '移除原因 (kept on record)' }),
}, { additionalProperties: false });
export type DocumentRemoval = Static<typeof DocumentRemoval>;

export const RemovedDocumentsQuery = Type.Object({
  parcel: Type.Optional(Id({ description: 'only this parcel' })),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });
export type RemovedDocumentsQuery = Static<typeof RemovedDocumentsQuery>;

export const RemovedDocument = Type.Intersect([ParcelDocument, Type.Object({
  parcelCode: Nullable(Type.String({ description: '宗地编号 (null when the parcel has been retired)' })),
  districtCode: Nullable(Type.String()),
})]);
export type RemovedDocument = Static<typeof RemovedDocument>;

export const RemovedDocumentPage = Type.Object({
  items: Type.Array(RemovedDocument),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type RemovedDocumentPage = Static<typeof RemovedDocumentPage>;

export const PhotoPointFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer({ description: 'document id' }),
  properties: Type.Object({
    documentId: Type.Integer(),
    parcelId: Type.Integer(),
    fileName: Type.String(),
    takenAt: Nullable(DateTimeString()),
    note: Nullable(Type.String()),
  }),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
});

export const PhotoPointCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  truncated: Type.Boolean(),
  features: Type.Array(PhotoPointFeature),
});
export type PhotoPointCollection = Static<typeof PhotoPointCollection>;

export const PhotosInBoxQuery = Type.Object({
  bbox: Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'minLon,minLat,maxLon,maxLat (EPSG:4490), at most 0.2° a side' }),
  limit: Type.Integer({ minimum: 1, maximum: 2000, default: 500 }),
}, { additionalProperties: false });
export type PhotosInBoxQuery = Static<typeof PhotosInBoxQuery>;

/** A document's bytes, with its detected type as Content-Type (download and preview). */
export const DocumentFileBody = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'the file as filed; Content-Type is its detected media type' });
