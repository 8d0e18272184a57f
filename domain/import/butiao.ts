import { datumRefusalMessage, gaussKrugerSrid } from './crs.js';

/**
 * 部标 txt: the coordinate file in which planners receive 红线 (parcel boundaries) from 自然资源
 * departments and surveyors. A `[属性描述]` section of key=value lines names the CRS; `[地块坐标]`
 * holds one parcel line per 地块 (ending in `@`) followed by its boundary points
 * `点号,圈号,X,Y`, where X is the northing and Y the easting (surveying axis order), and the
 * easting may carry the zone number as two leading digits.
 */

export type ButiaoPosition = [number, number];

export interface ButiaoNote {
  reason: ButiaoWarning;
  /** 1-based line in the text the note is about; 0 for the file as a whole. */
  line: number;
  message: string;
}

export interface ButiaoParcel {
  /** 界址点数 as declared on the parcel line. */
  pointCount: number;
  /** 地块面积 (公顷) as declared; null when the field is empty. */
  declaredAreaHa: number | null;
  number: string;
  name: string;
  /** 记录图形属性 (点/线/面); only 面 parcels are returned. */
  shapeKind: string;
  sheet: string;
  use: string;
  landUseCode: string;
  /** [[outer, ...holes], ...]; positions are [easting, northing] exactly as in the file (zone prefix kept), rings closed. */
  polygons: ButiaoPosition[][][];
  /** Shoelace area in the Gauss-Kruger plane (m²): the figure 部标 files declare, not the ellipsoidal 椭球面积. */
  planarAreaM2: number;
  /** Messages for display; `notes` carries the same with reasons and lines. */
  warnings: string[];
  notes: ButiaoNote[];
}

export interface ButiaoFile {
  /** `[属性描述]` as written (keys and values trimmed). */
  header: Record<string, string>;
  parcels: ButiaoParcel[];
  /** CGCS2000 Gauss-Kruger EPSG code, or null when the header does not say enough. */
  srid: number | null;
  zone: number | null;
  /** Whether the eastings carry the zone number (8 integer digits). */
  zonePrefixed: boolean;
  warnings: string[];
  notes: ButiaoNote[];
}

export type ButiaoFailure =
  | 'no_coordinate_section' | 'no_parcels' | 'bad_parcel_line' | 'bad_point_line' | 'point_count_mismatch'
  | 'too_few_points' | 'unsupported_datum';

/** Exported so callers and tests name a failure without retyping its string. */
export const BUTIAO_FAILURES = {
  noCoordinateSection: 'no_coordinate_section',
  noParcels: 'no_parcels',
  badParcelLine: 'bad_parcel_line',
  badPointLine: 'bad_point_line',
  pointCountMismatch: 'point_count_mismatch',
  tooFewPoints: 'too_few_points',
  unsupportedDatum: 'unsupported_datum',
} as const satisfies Record<string, ButiaoFailure>;

export type ButiaoWarning =
  | 'point_count_mismatch' | 'ring_not_closed' | 'area_mismatch' | 'zone_mismatch' | 'unknown_crs' | 'not_a_polygon';

/** Exported so callers and tests name a warning without retyping its string. */
export const BUTIAO_WARNINGS = {
  pointCountMismatch: 'point_count_mismatch',
  ringNotClosed: 'ring_not_closed',
  areaMismatch: 'area_mismatch',
  zoneMismatch: 'zone_mismatch',
  unknownCrs: 'unknown_crs',
  notAPolygon: 'not_a_polygon',
} as const satisfies Record<string, ButiaoWarning>;

export type ButiaoResult =
  | { ok: true; file: ButiaoFile }
  | { ok: false; reason: ButiaoFailure; /** 1-based; 0 for the file as a whole. */ line: number; message: string };

/**
 * Relative difference between declared 公顷 and planar area above which a parcel is flagged.
 * The declared figure is the same planar area rounded (pengbu_BR-14: 57 089.47 m² → 5.7089 公顷), so
 * more than rounding means a wrong point, a missing ring or a figure copied from another parcel.
 */
export const AREA_MISMATCH_TOLERANCE = 0.005;

const COORDINATE_SECTION = '地块坐标';
const HEADER_SECTION = '属性描述';

interface RawPoint { ring: number; northing: number; easting: number; line: number }

interface Ring { number: number; line: number; positions: ButiaoPosition[]; closedInFile: boolean }

interface ParcelDraft {
  line: number;
  fields: string[];
  pointCount: number;
  declaredAreaHa: number | null;
  points: RawPoint[];
}

function failure(reason: ButiaoFailure, line: number, message: string): ButiaoResult {
  return { ok: false, reason, line, message };
}

/** Splits a data line on ASCII or full-width commas and trims each field. */
function fields(line: string): string[] {
  return line.split(/[,，]/).map((field) => field.trim());
}

function sectionName(line: string): string | null {
  const match = /^[[【]\s*(.+?)\s*[\]】]$/.exec(line);
  return match ? match[1] : null;
}

function parseNumber(text: string): number | null {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

function samePosition(first: ButiaoPosition, second: ButiaoPosition): boolean {
  return first[0] === second[0] && first[1] === second[1];
}

/** Twice the signed shoelace area, computed relative to the first vertex to keep 8-digit eastings precise. */
function ringArea(ring: readonly ButiaoPosition[]): number {
  if (ring.length < 3) return 0;
  const [originX, originY] = ring[0];
  let twiceArea = 0;
  for (let index = 0; index < ring.length - 1; index++) {
    const [x1, y1] = ring[index];
    const [x2, y2] = ring[index + 1];
    twiceArea += (x1 - originX) * (y2 - originY) - (x2 - originX) * (y1 - originY);
  }
  return Math.abs(twiceArea) / 2;
}

/** Ray casting; a point on the boundary may go either way, which is fine for telling holes from islands. */
function inside(point: ButiaoPosition, ring: readonly ButiaoPosition[]): boolean {
  let result = false;
  for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index++) {
    const [xi, yi] = ring[index];
    const [xj, yj] = ring[previous];
    if ((yi > point[1]) !== (yj > point[1]) && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

/** A vertex of `ring` that is not a vertex of `container`, so shared corners do not decide containment. */
function probe(ring: readonly ButiaoPosition[], container: readonly ButiaoPosition[]): ButiaoPosition {
  return ring.find((position) => !container.some((other) => samePosition(position, other))) ?? ring[0];
}

/**
 * Groups rings into polygons: 圈号 1 is the outer ring; a later ring inside an existing polygon
 * (and not inside one of its holes) is a hole of it, any other ring starts a further polygon
 * (some exporters write a multipart parcel as rings 1, 2, 3 with no holes at all).
 */
function assemblePolygons(rings: readonly Ring[]): ButiaoPosition[][][] {
  const polygons: ButiaoPosition[][][] = [];
  for (const ring of rings) {
    const host = polygons.find((polygon) => {
      const [outer, ...holes] = polygon;
      if (!inside(probe(ring.positions, outer), outer)) return false;
      return !holes.some((hole) => inside(probe(ring.positions, hole), hole));
    });
    if (host && ring.number > 1) host.push(ring.positions);
    else polygons.push([ring.positions]);
  }
  return polygons;
}

function polygonsArea(polygons: readonly ButiaoPosition[][][]): number {
  let area = 0;
  for (const [outer, ...holes] of polygons) {
    area += ringArea(outer);
    for (const hole of holes) area -= ringArea(hole);
  }
  return area;
}

/** Splits a parcel's points into rings: a new ring starts when 圈号 changes or after a ring closed on its first point. */
function splitRings(points: readonly RawPoint[]): Ring[] {
  const rings: Ring[] = [];
  let current: Ring | null = null;
  for (const point of points) {
    const position: ButiaoPosition = [point.easting, point.northing];
    const closed = current !== null && current.positions.length >= 4 && samePosition(current.positions[0], current.positions[current.positions.length - 1]);
    if (!current || current.number !== point.ring || closed) {
      current = { number: point.ring, line: point.line, positions: [], closedInFile: false };
      rings.push(current);
    }
    current.positions.push(position);
  }
  for (const ring of rings) {
    const first = ring.positions[0];
    const last = ring.positions[ring.positions.length - 1];
    ring.closedInFile = ring.positions.length > 1 && samePosition(first, last);
  }
  return rings;
}

/** Number of decimals written in a number's text, for the rounding allowance of a declared area. */
function decimals(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

interface CrsFromHeader { srid: number | null; zone: number | null; notes: ButiaoNote[]; refusal?: { datum: 'xian80' | 'beijing54'; line: number } }

function headerValue(header: Record<string, string>, ...keys: string[]): string | undefined {
  for (const key of keys) if (header[key] !== undefined && header[key] !== '') return header[key];
  return undefined;
}

/**
 * The EPSG code from `[属性描述]` and the eastings. The zone number written in the eastings wins
 * over the header's 带号 (it is what the numbers mean); 带号 above 60 is read as a central meridian,
 * as some exporters write 117 for zone 39.
 */
function crsFromHeader(header: Record<string, string>, headerLines: Record<string, number>, eastingZone: number | null, zonePrefixed: boolean): CrsFromHeader {
  const notes: ButiaoNote[] = [];
  const system = headerValue(header, '坐标系', '坐标系统') ?? '';
  const systemLine = headerLines['坐标系'] ?? headerLines['坐标系统'] ?? 0;
  if (/西安|xian|80/i.test(system) && !/2000/.test(system)) return { srid: null, zone: null, notes, refusal: { datum: 'xian80', line: systemLine } };
  if (/北京|beijing|54/i.test(system) && !/2000/.test(system)) return { srid: null, zone: null, notes, refusal: { datum: 'beijing54', line: systemLine } };

  const widthText = headerValue(header, '几度分带', '分带');
  let zoneWidth: 3 | 6 | null = widthText === '3' ? 3 : widthText === '6' ? 6 : null;
  const zoneText = headerValue(header, '带号');
  const centralMeridianText = headerValue(header, '中央子午线', '中央经线');
  let headerZone: number | null = null;
  if (zoneText && /^\d+$/.test(zoneText)) {
    const value = Number(zoneText);
    if (value > 60) {
      if (zoneWidth === null) zoneWidth = 3;
      headerZone = zoneWidth === 3 ? value / 3 : (value + 3) / 6;
    } else headerZone = value;
  } else if (centralMeridianText && /^\d+(\.0+)?$/.test(centralMeridianText)) {
    const value = Number(centralMeridianText);
    if (zoneWidth === null) zoneWidth = 3;
    headerZone = zoneWidth === 3 ? value / 3 : (value + 3) / 6;
  }
  if (headerZone !== null && !Number.isInteger(headerZone)) headerZone = null;

  if (eastingZone !== null && headerZone !== null && eastingZone !== headerZone) {
    notes.push({
      reason: 'zone_mismatch', line: headerLines['带号'] ?? 0,
      message: `文件头带号为 ${headerZone}，但东坐标的带号为 ${eastingZone}；按东坐标的带号 ${eastingZone} 处理`,
    });
  }
  const zone = eastingZone ?? headerZone;
  if (zoneWidth === null && zone !== null) zoneWidth = zone >= 25 ? 3 : zone >= 13 && zone <= 23 ? 6 : null;

  const unknown = (why: string): CrsFromHeader => ({ srid: null, zone, notes: [...notes, { reason: 'unknown_crs', line: 0, message: `${why}，请在导入时选择坐标系` }] });
  if (!/2000|cgcs/i.test(system)) return unknown(system ? `坐标系「${system}」无法识别` : '文件头没有注明坐标系');
  const projection = headerValue(header, '投影类型');
  if (projection && !/高斯|gauss|横轴墨卡托|transverse/i.test(projection)) return unknown(`投影类型「${projection}」不是高斯-克吕格`);
  const unit = headerValue(header, '计量单位');
  if (unit && !/^(米|m|meter|metre)$/i.test(unit)) return unknown(`计量单位「${unit}」不是米`);
  if (zone === null || zoneWidth === null) return unknown('无法确定分带或带号');
  const srid = gaussKrugerSrid('cgcs2000', zoneWidth, zonePrefixed, zone);
  if (srid === null) return unknown(`${zoneWidth}度带 第${zone}带不在中国范围内`);
  return { srid, zone, notes };
}

function parcelNote(reason: ButiaoWarning, line: number, message: string): ButiaoNote {
  return { reason, line, message };
}

/**
 * Builds one parcel: rings, closure, the 界址点数 check and the area check. 界址点数 may count the
 * closing points or not (both conventions exist); any other mismatch is a warning when every ring
 * is closed in the file (the coordinates are then complete and the count is a stale header), and a
 * failure when a ring is also left open, since that is how a truncated or merged file looks.
 */
function buildParcel(draft: ParcelDraft): { ok: true; parcel: ButiaoParcel } | { ok: false; result: ButiaoResult } {
  const [, areaText = '', number = '', name = '', shapeKind = '', sheet = '', use = '', landUseCode = ''] = draft.fields;
  const notes: ButiaoNote[] = [];
  if (draft.points.length === 0) return { ok: false, result: failure('too_few_points', draft.line, `地块「${name || number}」没有坐标点`) };

  const rings = splitRings(draft.points);
  const allClosed = rings.every((ring) => ring.closedInFile);
  const distinctVertices = rings.reduce((sum, ring) => sum + ring.positions.length - (ring.closedInFile ? 1 : 0), 0);
  const countMatches = draft.pointCount === draft.points.length || draft.pointCount === distinctVertices;
  if (!countMatches) {
    const message = `界址点数声明为 ${draft.pointCount}，实际有 ${draft.points.length} 个坐标点`;
    if (!allClosed) return { ok: false, result: failure('point_count_mismatch', draft.line, `${message}，且有圈未闭合，文件可能不完整`) };
    notes.push(parcelNote('point_count_mismatch', draft.line, `${message}；各圈均已闭合，按实际坐标点导入`));
  }

  for (const ring of rings) {
    const distinct = ring.positions.length - (ring.closedInFile ? 1 : 0);
    if (distinct < 3) return { ok: false, result: failure('too_few_points', ring.line, `第 ${ring.number} 圈只有 ${distinct} 个不同的点，构不成面`) };
    if (!ring.closedInFile) {
      ring.positions.push([...ring.positions[0]] as ButiaoPosition);
      notes.push(parcelNote('ring_not_closed', ring.line, `第 ${ring.number} 圈未回到起点，已自动闭合`));
    }
  }

  const polygons = assemblePolygons(rings);
  const planarAreaM2 = polygonsArea(polygons);
  const declaredAreaHa = draft.declaredAreaHa;
  if (declaredAreaHa !== null && declaredAreaHa > 0) {
    const declaredM2 = declaredAreaHa * 10_000;
    const roundingM2 = 0.5 * 10 ** -decimals(areaText) * 10_000;
    const difference = Math.abs(planarAreaM2 - declaredM2);
    if (difference > roundingM2 && difference / declaredM2 > AREA_MISMATCH_TOLERANCE) {
      notes.push(parcelNote('area_mismatch', draft.line,
        `声明面积 ${declaredAreaHa} 公顷与坐标计算的平面面积 ${(planarAreaM2 / 10_000).toFixed(4)} 公顷相差 ${((difference / declaredM2) * 100).toFixed(2)}%`));
    }
  }

  return {
    ok: true,
    parcel: {
      pointCount: draft.pointCount, declaredAreaHa, number, name, shapeKind, sheet, use, landUseCode,
      polygons, planarAreaM2, warnings: notes.map((note) => note.message), notes,
    },
  };
}

/**
 * Parses a decoded 部标 txt (the caller detects GBK or UTF-8). Expected problems come back as
 * values with the line they are on, so the upload dialog can point at it; problems the parser can
 * repair (an open ring, a stale 界址点数) become notes on the parcel.
 */
export function parseButiao(text: string): ButiaoResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const header: Record<string, string> = {};
  const headerLines: Record<string, number> = {};
  const fileNotes: ButiaoNote[] = [];
  const drafts: ParcelDraft[] = [];
  let section: string | null = null;
  let sawCoordinates = false;
  let current: ParcelDraft | null = null;

  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index].trim();
    if (line === '') continue;
    const name = sectionName(line);
    if (name !== null) {
      section = name;
      if (name === COORDINATE_SECTION) sawCoordinates = true;
      continue;
    }
    if (section === HEADER_SECTION) {
      const separator = line.search(/[=＝]/);
      if (separator > 0) {
        const key = line.slice(0, separator).trim();
        header[key] = line.slice(separator + 1).trim();
        headerLines[key] = lineNumber;
      }
      continue;
    }
    if (section !== COORDINATE_SECTION) continue;

    const parts = fields(line);
    if (parts[parts.length - 1] === '@') {
      const pointCount = parseNumber(parts[0]);
      const areaText = parts[1] ?? '';
      const area = areaText === '' ? null : parseNumber(areaText);
      if (pointCount === null || !Number.isInteger(pointCount) || pointCount < 0) {
        return failure('bad_parcel_line', lineNumber, `地块行的界址点数「${parts[0]}」不是整数`);
      }
      if (areaText !== '' && (area === null || area < 0)) return failure('bad_parcel_line', lineNumber, `地块行的地块面积「${areaText}」不是数字`);
      current = { line: lineNumber, fields: parts, pointCount, declaredAreaHa: area, points: [] };
      drafts.push(current);
      continue;
    }
    if (!current) return failure('bad_parcel_line', lineNumber, '坐标点之前缺少地块行 (界址点数,地块面积,地块编号,地块名称,记录图形属性,图幅号,地块用途,地类编码,@)');
    if (parts.length < 4) return failure('bad_point_line', lineNumber, `坐标点行应为「点号,圈号,X,Y」，这里只有 ${parts.length} 项`);
    const ring = parseNumber(parts[1]);
    const northing = parseNumber(parts[2]);
    const easting = parseNumber(parts[3]);
    if (ring === null || !Number.isInteger(ring) || ring < 1) return failure('bad_point_line', lineNumber, `圈号「${parts[1]}」不是正整数`);
    if (northing === null || easting === null) return failure('bad_point_line', lineNumber, `坐标「${parts[2]},${parts[3]}」不是数字`);
    current.points.push({ ring, northing, easting, line: lineNumber });
  }

  if (!sawCoordinates) return failure('no_coordinate_section', 0, '文件中没有 [地块坐标] 段，不是部标坐标文件');
  if (drafts.length === 0) return failure('no_parcels', 0, '[地块坐标] 段中没有地块行 (以 @ 结尾)');

  const points = drafts.flatMap((draft) => draft.points);
  const firstPoint = points[0];
  const zonePrefixed = firstPoint !== undefined && firstPoint.easting >= 1e7;
  const eastingZone = zonePrefixed && firstPoint ? Math.floor(firstPoint.easting / 1e6) : null;
  for (const point of points) {
    const prefixed = point.easting >= 1e7;
    if (prefixed !== zonePrefixed || (prefixed && Math.floor(point.easting / 1e6) !== eastingZone)) {
      return failure('bad_point_line', point.line, `东坐标 ${point.easting} 的带号与第 ${firstPoint.line} 行 (${firstPoint.easting}) 不一致`);
    }
  }

  const crs = crsFromHeader(header, headerLines, eastingZone, zonePrefixed);
  if (crs.refusal) return failure('unsupported_datum', crs.refusal.line, datumRefusalMessage(crs.refusal.datum));
  fileNotes.push(...crs.notes);

  const parcels: ButiaoParcel[] = [];
  for (const draft of drafts) {
    const shapeKind = draft.fields[4] ?? '';
    if (shapeKind !== '' && shapeKind !== '面') {
      fileNotes.push({ reason: 'not_a_polygon', line: draft.line, message: `地块「${draft.fields[3] || draft.fields[2]}」的图形属性为「${shapeKind}」，不是面，已跳过` });
      continue;
    }
    const built = buildParcel(draft);
    if (!built.ok) return built.result;
    parcels.push(built.parcel);
  }
  if (parcels.length === 0) return failure('no_parcels', 0, '文件中没有图形属性为「面」的地块');

  return {
    ok: true,
    file: { header, parcels, srid: crs.srid, zone: crs.zone, zonePrefixed, warnings: fileNotes.map((note) => note.message), notes: fileNotes },
  };
}
