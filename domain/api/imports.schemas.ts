import { Type, type Static } from 'typebox';
import { BoundingBox, ErrorBody, Nullable, PageNumber, StringEnum } from './common.schemas.js';
import { MultiPolygon } from './parcels.schemas.js';

/**
 * The import contract (`/api/imports…`): what the upload form sends, what the import page polls
 * (`ImportState`), the answer to `needs-input`, the commit result and the staged-feature preview.
 * The server validates and serialises with these schemas; the client takes its types from them.
 */

export const IMPORT_KINDS = ['survey', 'parcels'] as const;
export const IMPORT_STATUSES = ['processing', 'needs-input', 'ready', 'committing', 'committed', 'failed', 'refused', 'cancelled'] as const;
export const IMPORT_PHASES = ['upload', 'read', 'validate', 'commit', 'done'] as const;
export const IMPORT_FEATURE_STATUSES = ['valid', 'repaired', 'rejected'] as const;
/** Encodings a user may choose for a file's attribute text. */
export const IMPORT_ENCODINGS = ['utf-8', 'gbk', 'gb18030', 'big5', 'windows-1252', 'shift_jis', 'euc-kr', 'ibm866', 'iso-8859-1'] as const;

export const ImportKind = StringEnum(IMPORT_KINDS);
export type ImportKind = Static<typeof ImportKind>;
export const ImportStatus = StringEnum(IMPORT_STATUSES);
export type ImportStatus = Static<typeof ImportStatus>;
export const ImportPhase = StringEnum(IMPORT_PHASES);
export type ImportPhase = Static<typeof ImportPhase>;
export const ImportFeatureStatus = StringEnum(IMPORT_FEATURE_STATUSES);
export type ImportFeatureStatus = Static<typeof ImportFeatureStatus>;
export const ImportEncoding = StringEnum(IMPORT_ENCODINGS);
export type ImportEncoding = Static<typeof ImportEncoding>;

/** What a commit does with features outside the importer's 管辖范围 (or the city): 裁剪 to it, or 跳过 them. 停止 is a cancel (DELETE). */
export const IMPORT_OUTSIDE_DECISIONS = ['clip', 'skip'] as const;
export const ImportOutsideDecision = StringEnum(IMPORT_OUTSIDE_DECISIONS);
export type ImportOutsideDecision = Static<typeof ImportOutsideDecision>;

const Extent = Type.Object({ minX: Type.Number(), minY: Type.Number(), maxX: Type.Number(), maxY: Type.Number() });

/** How the attribute text of a layer is decoded, and why. */
export const ImportEncodingGuess = Type.Object({
  encoding: Type.String(),
  confidence: Type.Number(),
  source: Type.String({ description: "'cpg' | 'ldid' | 'bytes' | 'default' | 'user'" }),
  reason: Type.String(),
});
export type ImportEncodingGuess = Static<typeof ImportEncodingGuess>;

/** The coordinate system of a layer, and why. */
export const ImportCrsGuess = Type.Object({
  srid: Nullable(Type.Integer()),
  label: Type.String(),
  confidence: Type.Number(),
  source: Type.String({ description: "'prj' | 'gdb' | 'geojson' | 'coordinates' | 'user' | 'butiao'" }),
  reason: Type.String(),
  refused: Type.Optional(Type.Object({ reason: Type.String(), message: Type.String() }, { description: '西安80, 北京54 or an unknown projection: the import cannot go on with this CRS' })),
  sourceWkt: Type.Optional(Type.String({ description: 'a CRS outside the Chinese set that GDAL transforms from its WKT' })),
});
export type ImportCrsGuess = Static<typeof ImportCrsGuess>;

/** One layer of an upload (a shapefile, a geodatabase feature class, a GeoJSON or 部标 file). */
export const ImportLayer = Type.Object({
  id: Type.String(),
  name: Type.String(),
  format: Type.String(),
  gdalLayer: Nullable(Type.String()),
  geometryType: Type.String(),
  featureCount: Type.Integer(),
  fields: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  extent: Nullable(Extent),
  selected: Type.Boolean(),
  skipped: Nullable(Type.Object({ reason: Type.String(), message: Type.String() })),
  encoding: Nullable(ImportEncodingGuess),
  crs: Nullable(ImportCrsGuess),
  crsCheck: Nullable(Type.Object({
    consistent: Type.Boolean(),
    reason: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    suggestedSrid: Type.Optional(Nullable(Type.Integer())),
  })),
  mapping: Nullable(Type.Record(Type.String(), Nullable(Type.String()))),
  units: Nullable(Type.Record(Type.String(), Type.String())),
});
export type ImportLayer = Static<typeof ImportLayer>;

/** The question the import is waiting on; `proposal` is an EPSG code (srid) or an encoding name. */
export const ImportNeeds = Type.Object({
  what: StringEnum(['srid', 'encoding'] as const),
  layer: Type.String(),
  proposal: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  message: Type.String(),
});
export type ImportNeeds = Static<typeof ImportNeeds>;

export const SurveyCommitResult = Type.Object({
  kind: Type.Literal('survey'),
  year: Type.Integer(),
  layerId: Type.Integer(),
  features: Type.Integer(),
  supersededLayerId: Nullable(Type.Integer({ description: 'the layer of the same year this one replaced (kept on record)' })),
  outside: Type.Optional(Type.Object({ decision: ImportOutsideDecision, left: Type.Integer(), clipped: Type.Integer() })),
  bbox: Type.Optional(Nullable(BoundingBox)),
});
export type SurveyCommitResult = Static<typeof SurveyCommitResult>;

export const ParcelCommitResult = Type.Object({
  kind: Type.Literal('parcels'),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer({ description: "features left out: outside the importer's districts, outside every district, or matching a parcel the importer may not change" }),
  problems: Type.Array(Type.Object({ fid: Type.Integer(), message: Type.String() })),
  outside: Type.Optional(Type.Object({ decision: ImportOutsideDecision, left: Type.Integer(), clipped: Type.Integer() })),
  bbox: Type.Optional(Nullable(BoundingBox)),
});
export type ParcelCommitResult = Static<typeof ParcelCommitResult>;

export const ImportCommitResult = Type.Union([SurveyCommitResult, ParcelCommitResult]);
export type ImportCommitResult = Static<typeof ImportCommitResult>;

/**
 * Where the staged features lie against the importer's 管辖范围 (their districts; the whole city
 * for a city-wide scope) and the city, checked in PostGIS during validation. A feature is `partly`
 * outside when more than 0.5 % of its area lies outside, `outside` when less than 0.5 % lies inside.
 */
export const ImportExtentReport = Type.Object({
  scope: Type.String({ description: "the importer's 管辖范围 by name, e.g. 湖里区 or 厦门市" }),
  city: Type.String(),
  checked: Type.Integer({ description: 'features checked (valid and repaired)' }),
  partly: Type.Integer({ description: 'features partly outside the scope' }),
  outside: Type.Integer({ description: 'features entirely outside the scope' }),
  outsideCity: Type.Integer({ description: 'of these, features entirely outside the city' }),
  features: Type.Array(Type.Object({
    layer: Type.String(),
    fid: Type.Integer(),
    name: Type.String({ description: 'BSM, 宗地编号, a name field, or 要素 #fid' }),
    extent: StringEnum(['partly', 'outside'] as const),
    district: Nullable(Type.String({ description: 'the district of the city its point on surface lies in, if any' })),
  }), { description: 'the first 20 features outside or partly outside' }),
});
export type ImportExtentReport = Static<typeof ImportExtentReport>;

export const ImportReport = Type.Object({
  features: Type.Integer(),
  valid: Type.Integer(),
  repaired: Type.Integer(),
  rejected: Type.Integer(),
  warnings: Type.Array(Type.Object({ layer: Type.String(), message: Type.String(), count: Type.Optional(Type.Integer()) })),
  errors: Type.Array(Type.Object({ layer: Type.String(), reason: Type.String(), message: Type.String() })),
  samples: Type.Array(Type.Object({
    layer: Type.String(),
    fid: Type.Integer(),
    status: Nullable(ImportFeatureStatus),
    messages: Nullable(Type.Array(Type.String())),
    bsm: Nullable(Type.String()),
  }), { description: 'features repaired, rejected or carrying a note (first 200 per layer)' }),
  extent: Type.Optional(ImportExtentReport),
  missingFields: Type.Optional(Type.Array(Type.Object({
    layer: Type.String(),
    fields: Type.Array(Type.String({ description: 'the target keys no source field is mapped to, e.g. landUseCode' })),
    message: Type.String(),
  }), { description: 'required fields of the kind that no field of a layer is mapped to: the commit is refused until they are mapped' })),
  yearNeeded: Type.Optional(Type.Boolean({ description: 'a survey import with no year given and no SJNF field: the year must be given (POST /api/imports/{id} { year }) before the commit' })),
  commit: Type.Optional(ImportCommitResult),
});
export type ImportReport = Static<typeof ImportReport>;

/** `GET /api/imports/{id}`: an upload on its way from staging to the database. */
export const ImportState = Type.Object({
  id: Type.String(),
  kind: ImportKind,
  year: Nullable(Type.Integer()),
  fileName: Type.String(),
  fileSize: Type.Integer(),
  status: ImportStatus,
  phase: ImportPhase,
  progress: Type.Number({ description: '0–1 within the phase' }),
  layers: Type.Array(ImportLayer),
  detected: Type.Object({
    srid: Nullable(Type.Integer()),
    encoding: Nullable(Type.String()),
    confidence: Type.Number(),
    crs: Nullable(ImportCrsGuess),
    encodingGuess: Nullable(ImportEncodingGuess),
  }),
  needs: Nullable(ImportNeeds),
  report: ImportReport,
  error: Nullable(Type.Object({ reason: Type.String(), message: Type.String() })),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  committedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type ImportState = Static<typeof ImportState>;

export const ImportId = Type.Object({ id: Type.String({ format: 'uuid' }) });
export type ImportId = Static<typeof ImportId>;

/** `POST /api/imports` → 202: the import's id; reading goes on in the background. */
export const ImportCreated = Type.Object({ id: Type.String() });
export type ImportCreated = Static<typeof ImportCreated>;

/**
 * `POST /api/imports` multipart fields, as text (multipart parts are strings), read before the file.
 * Checked by the route: the part order matters and the file streams, so Fastify cannot validate them.
 */
export const ImportUploadFields = Type.Object({
  kind: Type.Optional(ImportKind),
  year: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2100 })),
  srid: Type.Optional(Type.Integer({ minimum: 1, maximum: 999_999, description: 'EPSG code of the source coordinates' })),
  encoding: Type.Optional(ImportEncoding),
});
export type ImportUploadFields = Static<typeof ImportUploadFields>;

export const ImportsList = Type.Object({ items: Type.Array(ImportState) });
export type ImportsList = Static<typeof ImportsList>;

/** The answer to `needs-input`, or a changed guess; the server reads the file again with it. */
export const ImportAnswer = Type.Object({
  srid: Type.Optional(Type.Integer({ minimum: 1, maximum: 999_999, description: 'EPSG code of the source coordinates' })),
  encoding: Type.Optional(ImportEncoding),
  layers: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 100, description: 'ids of the layers to import' })),
  year: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2100 })),
  mapping: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Null(), Type.String({ maxLength: 64 })]), { description: 'source field → target key, null = kept as an extra attribute' })),
}, { additionalProperties: false, minProperties: 1 });
export type ImportAnswer = Static<typeof ImportAnswer>;

/** `POST /api/imports/{id}/commit` body: the decision on features outside the 管辖范围 (required when the preview found any). */
export const ImportCommitBody = Type.Object({
  outside: Type.Optional(ImportOutsideDecision),
}, { additionalProperties: false });
export type ImportCommitBody = Static<typeof ImportCommitBody>;

/** `POST /api/imports/{id}/commit` → the import, committed, with what the commit wrote. */
export const ImportCommitted = Type.Intersect([ImportState, Type.Object({ result: ImportCommitResult })]);
export type ImportCommitted = Static<typeof ImportCommitted>;

export const ImportFeaturesQuery = Type.Object({
  layer: Type.Optional(Type.String()),
  status: Type.Optional(ImportFeatureStatus),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
}, { additionalProperties: false });
export type ImportFeaturesQuery = Static<typeof ImportFeaturesQuery>;

/** What the server's check made of a staged feature, next to its decoded source attributes (any names and values). */
export const ImportFeatureProperties = Type.Intersect([
  Type.Object({
    area_m2: Nullable(Type.Number({ description: 'ellipsoidal area, m² (null when rejected)' })),
    status: ImportFeatureStatus,
    messages: Type.Array(Type.String()),
  }),
  Type.Record(Type.String(), Type.Unknown()),
]);
export type ImportFeatureProperties = Static<typeof ImportFeatureProperties>;

/** One staged feature: its decoded source attributes plus `area_m2`, `status` and `messages`. */
export const ImportFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer({ description: "the feature's number in its layer (fid)" }),
  geometry: Nullable(MultiPolygon),
  properties: ImportFeatureProperties,
});
export type ImportFeature = Static<typeof ImportFeature>;

/** `GET /api/imports/{id}/features`: a page of the staged features of one layer. */
export const ImportFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  layer: Type.String(),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  features: Type.Array(ImportFeature),
});
export type ImportFeatureCollection = Static<typeof ImportFeatureCollection>;

export { ErrorBody };
