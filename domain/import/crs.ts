/**
 * Coordinate reference systems of imported files: reading a `.prj` (or any WKT), guessing from the
 * coordinates alone, and checking a declared CRS against the data. The product stores CGCS2000
 * (EPSG:4490); everything it can reach from there without datum parameters is listed in
 * SUPPORTED_SRIDS. 西安80 and 北京54 are recognised so they can be refused with a clear message:
 * reaching CGCS2000 from them needs local 七参数/三参数 that cannot be guessed.
 */

export interface Extent { minX: number; minY: number; maxX: number; maxY: number }

export type CrsRefusal = 'xian80' | 'beijing54' | 'unknown_projection' | 'not_a_prj';

/** Exported so callers and tests can name a refusal without retyping its string. */
export const CRS_REFUSALS = {
  xian80: 'xian80',
  beijing54: 'beijing54',
  unknownProjection: 'unknown_projection',
  notAPrj: 'not_a_prj',
} as const satisfies Record<string, CrsRefusal>;

export interface CrsGuess {
  /** EPSG code proposed or recognised; null when unknown or refused. */
  srid: number | null;
  /** Chinese label for the UI, e.g. 'CGCS2000 3度带 第39带 (EPSG:4527)'. */
  label: string;
  /** 0–1: 1 when the file names an EPSG code, low when only the coordinates' size hints at it. */
  confidence: number;
  source: 'prj' | 'gdb' | 'geojson' | 'coordinates' | 'user' | 'butiao';
  /** Chinese: why this CRS (or why none). */
  reason: string;
  refused?: { reason: CrsRefusal; message: string };
}

export type CrsInconsistency = 'outside_china' | 'wrong_zone' | 'degrees_expected' | 'metres_expected' | 'axes_swapped' | 'unknown_srid';

/** Exported so callers and tests can name an inconsistency without retyping its string. */
export const CRS_INCONSISTENCIES = {
  outsideChina: 'outside_china',
  wrongZone: 'wrong_zone',
  degreesExpected: 'degrees_expected',
  metresExpected: 'metres_expected',
  axesSwapped: 'axes_swapped',
  unknownSrid: 'unknown_srid',
} as const satisfies Record<string, CrsInconsistency>;

export type CrsCheck =
  | { consistent: true }
  | { consistent: false; reason: CrsInconsistency; message: string; suggestedSrid: number | null };

export type Datum = 'cgcs2000' | 'wgs84' | 'xian80' | 'beijing54' | 'gcj02';

/**
 * GCJ-02 (国测局坐标, 火星坐标): the obfuscated longitude/latitude of Chinese web maps (高德/AMap,
 * 腾讯) and of data digitised on them. It has no EPSG code; this is the product's own code for it
 * (not an EPSG code, outside EPSG's range of real codes in use). An import in it is read as WGS84
 * longitude/latitude and every vertex then converted GCJ-02 → WGS84 with `domain/gcj02.ts`.
 */
export const GCJ02_SRID = 990002;

/** What an EPSG code means, for the families this product knows (including the refused ones). */
export interface CrsDescription {
  srid: number;
  datum: Datum;
  kind: 'geographic' | 'gauss_kruger' | 'web_mercator';
  /** Gauss-Kruger only: 3-degree or 6-degree zones. */
  zoneWidth?: 3 | 6;
  /** Gauss-Kruger only: zone number (3-degree: CM / 3; 6-degree: (CM + 3) / 6). */
  zone?: number;
  centralMeridian?: number;
  /** Gauss-Kruger only: whether eastings carry the zone number (false easting zone × 10⁶ + 500 000). */
  zonePrefixed?: boolean;
  falseEasting?: number;
}

/**
 * China's bounding box in degrees. Coarse on purpose: it only tells "plausibly Chinese data" from
 * "certainly not", never which province.
 */
export const CHINA_BOUNDS = { minLongitude: 73, maxLongitude: 136, minLatitude: 3, maxLatitude: 54 } as const;

/** Gauss-Kruger northings of mainland China and Hainan (about 17°N–54°N). */
export const CHINA_NORTHING_RANGE = { min: 1.9e6, max: 6.0e6 } as const;

/**
 * How far from the central meridian an easting may lie and still belong to the zone: half a zone
 * at 18°N is about 159 km (3-degree) or 318 km (6-degree); the margin admits data that crosses a
 * zone edge a little, as real 红线 near a boundary do.
 */
const ZONE_HALF_WIDTH_TOLERANCE_METRES: Readonly<Record<3 | 6, number>> = { 3: 250_000, 6: 450_000 };

interface GaussKrugerFamily { datum: Datum; zoneWidth: 3 | 6; zonePrefixed: boolean; firstSrid: number; firstZone: number; count: number }

/** EPSG numbers each family consecutively from its westernmost zone (CM 75°E). */
const GAUSS_KRUGER_FAMILIES: readonly GaussKrugerFamily[] = [
  { datum: 'cgcs2000', zoneWidth: 3, zonePrefixed: true, firstSrid: 4513, firstZone: 25, count: 21 },
  { datum: 'cgcs2000', zoneWidth: 3, zonePrefixed: false, firstSrid: 4534, firstZone: 25, count: 21 },
  { datum: 'cgcs2000', zoneWidth: 6, zonePrefixed: true, firstSrid: 4491, firstZone: 13, count: 11 },
  { datum: 'cgcs2000', zoneWidth: 6, zonePrefixed: false, firstSrid: 4502, firstZone: 13, count: 11 },
  { datum: 'xian80', zoneWidth: 6, zonePrefixed: true, firstSrid: 2327, firstZone: 13, count: 11 },
  { datum: 'xian80', zoneWidth: 6, zonePrefixed: false, firstSrid: 2338, firstZone: 13, count: 11 },
  { datum: 'xian80', zoneWidth: 3, zonePrefixed: true, firstSrid: 2349, firstZone: 25, count: 21 },
  { datum: 'xian80', zoneWidth: 3, zonePrefixed: false, firstSrid: 2370, firstZone: 25, count: 21 },
  { datum: 'beijing54', zoneWidth: 3, zonePrefixed: true, firstSrid: 2401, firstZone: 25, count: 21 },
  { datum: 'beijing54', zoneWidth: 3, zonePrefixed: false, firstSrid: 2422, firstZone: 25, count: 21 },
  { datum: 'beijing54', zoneWidth: 6, zonePrefixed: true, firstSrid: 21413, firstZone: 13, count: 11 },
  { datum: 'beijing54', zoneWidth: 6, zonePrefixed: false, firstSrid: 21453, firstZone: 13, count: 11 },
];

const GEOGRAPHIC_SRIDS: Readonly<Record<number, Datum>> = { 4490: 'cgcs2000', 4326: 'wgs84', 4610: 'xian80', 4214: 'beijing54', [GCJ02_SRID]: 'gcj02' };

const DATUM_LABELS: Readonly<Record<Datum, string>> = { cgcs2000: 'CGCS2000', wgs84: 'WGS84', xian80: '西安80', beijing54: '北京54', gcj02: 'GCJ-02 火星坐标' };

export function centralMeridianOfZone(zoneWidth: 3 | 6, zone: number): number {
  return zoneWidth === 3 ? zone * 3 : zone * 6 - 3;
}

/** The EPSG code of a Gauss-Kruger zone, or null when the zone is outside China's families. */
export function gaussKrugerSrid(datum: Datum, zoneWidth: 3 | 6, zonePrefixed: boolean, zone: number): number | null {
  const family = GAUSS_KRUGER_FAMILIES.find((candidate) =>
    candidate.datum === datum && candidate.zoneWidth === zoneWidth && candidate.zonePrefixed === zonePrefixed);
  if (!family || !Number.isInteger(zone)) return null;
  const index = zone - family.firstZone;
  return index >= 0 && index < family.count ? family.firstSrid + index : null;
}

/** Zone number of a central meridian (3-degree: CM / 3; 6-degree: (CM + 3) / 6), or null when it is not one. */
function zoneOfCentralMeridian(zoneWidth: 3 | 6, centralMeridian: number): number | null {
  const zone = zoneWidth === 3 ? centralMeridian / 3 : (centralMeridian + 3) / 6;
  return Number.isInteger(zone) ? zone : null;
}

export function describeSrid(srid: number): CrsDescription | null {
  const geographicDatum = GEOGRAPHIC_SRIDS[srid];
  if (geographicDatum) return { srid, datum: geographicDatum, kind: 'geographic' };
  if (srid === 3857) return { srid, datum: 'wgs84', kind: 'web_mercator' };
  for (const family of GAUSS_KRUGER_FAMILIES) {
    const index = srid - family.firstSrid;
    if (index < 0 || index >= family.count) continue;
    const zone = family.firstZone + index;
    const centralMeridian = centralMeridianOfZone(family.zoneWidth, zone);
    return {
      srid,
      datum: family.datum,
      kind: 'gauss_kruger',
      zoneWidth: family.zoneWidth,
      zone,
      centralMeridian,
      zonePrefixed: family.zonePrefixed,
      falseEasting: family.zonePrefixed ? zone * 1_000_000 + 500_000 : 500_000,
    };
  }
  return null;
}

/** Chinese label of an EPSG code, e.g. 'CGCS2000 3度带 第39带 (EPSG:4527)'; 'EPSG:n' for codes it does not know. */
export function sridLabel(srid: number): string {
  const description = describeSrid(srid);
  if (!description) return `EPSG:${srid}`;
  const datum = DATUM_LABELS[description.datum];
  if (description.datum === 'gcj02') return `${datum} 经纬度 (高德/腾讯等网络地图)`;
  if (description.kind === 'geographic') return `${datum} 经纬度 (EPSG:${srid})`;
  if (description.kind === 'web_mercator') return `Web 墨卡托 (EPSG:${srid})`;
  const where = description.zonePrefixed ? `第${description.zone}带` : `中央经线${description.centralMeridian}°E`;
  return `${datum} ${description.zoneWidth}度带 ${where} (EPSG:${srid})`;
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/** The CRSs a user may pick when a file declares none: all reachable from CGCS2000 without datum parameters. */
export const SUPPORTED_SRIDS: readonly { srid: number; label: string }[] = [
  4490, 4326, GCJ02_SRID, 3857, ...range(4513, 4533), ...range(4534, 4554), ...range(4491, 4501), ...range(4502, 4512),
].map((srid) => ({ srid, label: sridLabel(srid) }));

const SUPPORTED_SRID_SET = new Set(SUPPORTED_SRIDS.map((entry) => entry.srid));

export function isSupportedSrid(srid: number): boolean {
  return SUPPORTED_SRID_SET.has(srid);
}

/**
 * proj4 definition of a supported CRS, for the browser and for tests. CGCS2000 is written with
 * `+ellps=GRS80` (the two ellipsoids differ by 0.1 mm in the semi-minor axis) and no datum shift,
 * as PROJ itself exports it. 西安80 and 北京54 get null: any definition without their local
 * parameters would silently misplace the data by tens of metres.
 */
export function proj4Definition(srid: number): string | null {
  if (!isSupportedSrid(srid) || srid === GCJ02_SRID) return null;
  if (srid === 4326) return '+proj=longlat +datum=WGS84 +no_defs';
  if (srid === 4490) return '+proj=longlat +ellps=GRS80 +no_defs';
  if (srid === 3857) return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs';
  const description = describeSrid(srid);
  if (!description || description.kind !== 'gauss_kruger') return null;
  return `+proj=tmerc +lat_0=0 +lon_0=${description.centralMeridian} +k=1 +x_0=${description.falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}

/**
 * Why a file in 西安80 or 北京54 is refused, and what to send instead. Shared by `.prj` reading and
 * the 部标 txt parser so the user reads the same sentence wherever the datum turns up.
 */
export function datumRefusalMessage(datum: 'xian80' | 'beijing54'): string {
  const name = datum === 'xian80' ? '西安80坐标系 (Xian 1980)' : '北京54坐标系 (Beijing 1954)';
  return `数据使用${name}。它与 CGCS2000 (国家2000坐标系) 的椭球和定位不同，换算需要当地的七参数或三参数 (坐标转换参数)，`
    + '各地参数不同，本系统不会猜测这些参数。请在原软件中将数据转换为 CGCS2000 后重新导出，或向测绘部门索取七参数/三参数后一并提供。';
}

const NOT_A_PRJ_MESSAGE = '.prj 文件的内容不是坐标系定义 (WKT)，可能是下载时得到的网页或已损坏的文件。请重新导出 .prj，或在导入时手动选择坐标系。';

function unknownProjectionMessage(name: string): string {
  return `无法识别的坐标系「${name}」。本系统支持 CGCS2000 经纬度、CGCS2000 高斯-克吕格 3度带/6度带、WGS84 经纬度和 Web 墨卡托。`
    + '请在原软件中转换为 CGCS2000 后重新导出，或在导入时手动选择坐标系。';
}

function refusedGuess(source: CrsGuess['source'], label: string, reason: CrsRefusal, message: string, confidence: number): CrsGuess {
  return { srid: null, label, confidence, source, reason: message, refused: { reason, message } };
}

/**
 * The guess for an EPSG code given by the file or picked by the user: accepted when supported,
 * refused for 西安80/北京54 and for codes outside the supported list.
 */
export function crsFromSrid(srid: number, source: CrsGuess['source'], reason = `指定了 EPSG:${srid}`): CrsGuess {
  const description = describeSrid(srid);
  if (description && (description.datum === 'xian80' || description.datum === 'beijing54')) {
    return refusedGuess(source, sridLabel(srid), description.datum, datumRefusalMessage(description.datum), 1);
  }
  if (!isSupportedSrid(srid)) {
    return refusedGuess(source, sridLabel(srid), 'unknown_projection', unknownProjectionMessage(`EPSG:${srid}`), 1);
  }
  return { srid, label: sridLabel(srid), confidence: 1, source, reason };
}

// ---------------------------------------------------------------------------------------------
// WKT

interface WktNode { keyword: string; values: WktValue[] }
type WktValue = string | number | WktNode;

const MAXIMUM_WKT_DEPTH = 64;
const KEYWORD_PATTERN = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER_PATTERN = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;

/** A WKT1 or WKT2 tree, or null when the text is not WKT (HTML, garbage, cut off). */
function parseWkt(text: string): WktNode | null {
  let position = 0;

  function skipSpace(): void {
    while (position < text.length && /\s/.test(text[position])) position++;
  }

  function readPattern(pattern: RegExp): string | null {
    pattern.lastIndex = position;
    const match = pattern.exec(text);
    if (!match) return null;
    position = pattern.lastIndex;
    return match[0];
  }

  function readQuoted(): string | null {
    position++;
    let value = '';
    while (position < text.length) {
      const character = text[position];
      if (character === '"') {
        if (text[position + 1] === '"') {
          value += '"';
          position += 2;
          continue;
        }
        position++;
        return value;
      }
      value += character;
      position++;
    }
    return null;
  }

  function readValue(depth: number): WktValue | null {
    skipSpace();
    const character = text[position];
    if (character === '"') return readQuoted();
    if (character !== undefined && /[-+.\d]/.test(character)) {
      const number = readPattern(NUMBER_PATTERN);
      return number === null ? null : Number(number);
    }
    const keyword = readPattern(KEYWORD_PATTERN);
    if (keyword === null) return null;
    skipSpace();
    if (text[position] === '[' || text[position] === '(') return readNodeBody(keyword, depth + 1);
    return keyword;
  }

  function readNodeBody(keyword: string, depth: number): WktNode | null {
    if (depth > MAXIMUM_WKT_DEPTH) return null;
    position++;
    const values: WktValue[] = [];
    skipSpace();
    if (text[position] === ']' || text[position] === ')') {
      position++;
      return { keyword: keyword.toUpperCase(), values };
    }
    for (;;) {
      const value = readValue(depth);
      if (value === null) return null;
      values.push(value);
      skipSpace();
      const separator = text[position];
      position++;
      if (separator === ',') continue;
      if (separator === ']' || separator === ')') return { keyword: keyword.toUpperCase(), values };
      return null;
    }
  }

  skipSpace();
  const keyword = readPattern(KEYWORD_PATTERN);
  if (keyword === null) return null;
  skipSpace();
  if (text[position] !== '[' && text[position] !== '(') return null;
  const root = readNodeBody(keyword, 0);
  skipSpace();
  return root && position >= text.length ? root : null;
}

function children(node: WktNode, ...keywords: string[]): WktNode[] {
  return node.values.filter((value): value is WktNode => typeof value === 'object' && keywords.includes(value.keyword));
}

function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return children(node, ...keywords)[0];
}

function nodeName(node: WktNode | undefined): string {
  const name = node?.values[0];
  return typeof name === 'string' ? name : '';
}

function epsgCode(node: WktNode): number | null {
  const authority = child(node, 'AUTHORITY', 'ID');
  if (!authority || String(authority.values[0]).toUpperCase() !== 'EPSG') return null;
  const code = Number(authority.values[1]);
  return Number.isInteger(code) ? code : null;
}

function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** PARAMETER values by normalised name (WKT1 directly under PROJCS, WKT2 under CONVERSION). */
function projectionParameters(projected: WktNode): Map<string, number> {
  const holder = child(projected, 'CONVERSION') ?? projected;
  const parameters = new Map<string, number>();
  for (const parameter of children(holder, 'PARAMETER')) {
    const value = parameter.values[1];
    if (typeof value === 'number') parameters.set(normalisedName(nodeName(parameter)).replace(/_/g, ''), value);
  }
  return parameters;
}

function projectionMethod(projected: WktNode): string {
  const conversion = child(projected, 'CONVERSION');
  const method = conversion ? child(conversion, 'METHOD', 'PROJECTION') : child(projected, 'PROJECTION');
  return normalisedName(nodeName(method)).replace(/_/g, '');
}

function parameter(parameters: Map<string, number>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = parameters.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The datum, from names first and the ellipsoid's semi-major axis as a fallback. */
function datumOf(geographic: WktNode | undefined, projectedName: string): Datum | 'other' {
  const datum = geographic ? child(geographic, 'DATUM', 'ENSEMBLE') : undefined;
  const ellipsoid = datum ? child(datum, 'SPHEROID', 'ELLIPSOID') : undefined;
  const names = normalisedName([projectedName, nodeName(geographic), nodeName(datum), nodeName(ellipsoid)].join(' '));
  if (/xian_?1980|xian_?80/.test(names) || /西安/.test(nodeName(geographic))) return 'xian80';
  if (/beijing_?1954|beijing_?54|new_beijing/.test(names) || /北京/.test(nodeName(geographic))) return 'beijing54';
  if (/cgcs_?2000|china_?2000|china_geodetic_coordinate_system_2000/.test(names)) return 'cgcs2000';
  if (/wgs_?(19)?84|world_geodetic_system_1984/.test(names)) return 'wgs84';
  const semiMajorAxis = ellipsoid?.values[1];
  if (semiMajorAxis === 6378140) return 'xian80';
  if (semiMajorAxis === 6378245) return 'beijing54';
  return 'other';
}

const GAUSS_KRUGER_NAME = /^(cgcs2000|xian_1980|beijing_1954)_(?:(3|6)_degree_)?(?:gk|gauss_kruger)_(zone|cm)_(\d+)(e?)$/;

/** EPSG code from an ArcGIS or EPSG name: `CGCS2000_3_Degree_GK_Zone_39`, `CGCS2000 / Gauss-Kruger CM 117E`… */
function sridFromProjectedName(name: string): number | null {
  const normalised = normalisedName(name);
  if (/web_mercator|pseudo_mercator/.test(normalised)) return 3857;
  const match = GAUSS_KRUGER_NAME.exec(normalised);
  if (!match) return null;
  const datum: Datum = match[1] === 'cgcs2000' ? 'cgcs2000' : match[1] === 'xian_1980' ? 'xian80' : 'beijing54';
  const zoneWidth = match[2] === '3' ? 3 : 6;
  const number = Number(match[4]);
  if (match[3] === 'zone') return gaussKrugerSrid(datum, zoneWidth, true, number);
  const zone = zoneOfCentralMeridian(zoneWidth, number);
  return zone === null ? null : gaussKrugerSrid(datum, zoneWidth, false, zone);
}

/** Two codes that project identically (e.g. 3-degree and 6-degree "CM 117E" codes: same meridian, same false easting). */
function sameProjection(first: number, second: number): boolean {
  const a = describeSrid(first);
  const b = describeSrid(second);
  if (!a || !b) return false;
  return a.srid === b.srid || (a.kind === 'gauss_kruger' && b.kind === 'gauss_kruger' && a.datum === b.datum
    && a.centralMeridian === b.centralMeridian && a.falseEasting === b.falseEasting);
}

function near(value: number | undefined, expected: number): boolean {
  return value === undefined || Math.abs(value - expected) < 1e-9;
}

/**
 * EPSG code from the projection's parameters, for `.prj` files whose name is unfamiliar (renamed
 * by hand, exported by Chinese software). A central-meridian projection (false easting 500 000) is
 * given its 3-degree code even when it came from a 6-degree family: the two are the same
 * projection, so the coordinates transform identically.
 */
function sridFromParameters(datum: Datum, method: string, parameters: Map<string, number>): number | null {
  if (/mercatorauxiliarysphere|pseudomercator/.test(method)) return datum === 'wgs84' ? 3857 : null;
  if (!/gausskruger|transversemercator/.test(method)) return null;
  const scale = parameter(parameters, 'scalefactor', 'scalefactoratnaturalorigin');
  const latitudeOfOrigin = parameter(parameters, 'latitudeoforigin', 'latitudeofnaturalorigin');
  const falseNorthing = parameter(parameters, 'falsenorthing');
  if (!near(scale, 1) || !near(latitudeOfOrigin, 0) || !near(falseNorthing, 0)) return null;
  const centralMeridian = parameter(parameters, 'centralmeridian', 'longitudeofnaturalorigin');
  const falseEasting = parameter(parameters, 'falseeasting');
  if (centralMeridian === undefined || falseEasting === undefined) return null;
  if (falseEasting === 500_000) {
    const zone = zoneOfCentralMeridian(3, centralMeridian);
    return zone === null ? null : gaussKrugerSrid(datum, 3, false, zone);
  }
  const prefix = (falseEasting - 500_000) / 1_000_000;
  if (!Number.isInteger(prefix)) return null;
  if (zoneOfCentralMeridian(3, centralMeridian) === prefix) return gaussKrugerSrid(datum, 3, true, prefix);
  if (zoneOfCentralMeridian(6, centralMeridian) === prefix) return gaussKrugerSrid(datum, 6, true, prefix);
  return null;
}

const CRS_KEYWORDS = new Set(['PROJCS', 'GEOGCS', 'GEOCCS', 'PROJCRS', 'GEOGCRS', 'GEODCRS', 'COMPD_CS', 'COMPOUNDCRS', 'BOUNDCRS']);

/** The horizontal CRS of a compound or bound CRS; the node itself otherwise. */
function horizontalCrs(root: WktNode): WktNode | undefined {
  if (root.keyword === 'BOUNDCRS') {
    const source = child(root, 'SOURCECRS');
    return source ? children(source, ...CRS_KEYWORDS)[0] : undefined;
  }
  if (root.keyword === 'COMPD_CS' || root.keyword === 'COMPOUNDCRS') {
    return children(root, 'PROJCS', 'GEOGCS', 'PROJCRS', 'GEOGCRS', 'GEODCRS')[0];
  }
  return root;
}

/**
 * Reads a `.prj` (ESRI WKT1, OGC WKT1 or WKT2; a UTF-8 BOM is ignored). An EPSG authority code
 * wins; then the ArcGIS/EPSG name; then, for unfamiliar names, the Gauss-Kruger parameters. When
 * name and parameters disagree the parameters win, because they are what software projects with.
 */
export function crsFromPrj(wkt: string, source: CrsGuess['source'] = 'prj'): CrsGuess {
  const text = wkt.replace(/^\uFEFF/, '').replace(/\0+$/, '').trim();
  const root = text === '' ? null : parseWkt(text);
  if (!root || !CRS_KEYWORDS.has(root.keyword)) return refusedGuess(source, '不是坐标系文件', 'not_a_prj', NOT_A_PRJ_MESSAGE, 1);
  const crs = horizontalCrs(root);
  if (!crs) return refusedGuess(source, '不是坐标系文件', 'not_a_prj', NOT_A_PRJ_MESSAGE, 1);

  const name = nodeName(crs);
  const code = epsgCode(crs);
  if (code !== null) return crsFromSrid(code, source, `坐标系文件注明了 EPSG:${code}`);

  const geographic = crs.keyword === 'PROJCS' || crs.keyword === 'PROJCRS'
    ? child(crs, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS')
    : crs.keyword === 'GEOCCS' ? undefined : crs;
  const datum = datumOf(geographic, name);

  if (crs.keyword === 'GEOCCS') return refusedGuess(source, name, 'unknown_projection', unknownProjectionMessage(name), 0.9);

  if (crs === geographic) {
    if (datum === 'xian80') return refusedGuess(source, sridLabel(4610), 'xian80', datumRefusalMessage('xian80'), 0.95);
    if (datum === 'beijing54') return refusedGuess(source, sridLabel(4214), 'beijing54', datumRefusalMessage('beijing54'), 0.95);
    if (datum === 'cgcs2000') return { srid: 4490, label: sridLabel(4490), confidence: 0.98, source, reason: `坐标系文件为 CGCS2000 经纬度 (${name})` };
    if (datum === 'wgs84') return { srid: 4326, label: sridLabel(4326), confidence: 0.98, source, reason: `坐标系文件为 WGS84 经纬度 (${name})` };
    return refusedGuess(source, name, 'unknown_projection', unknownProjectionMessage(name), 0.9);
  }

  const fromName = sridFromProjectedName(name);
  const fromParameters = datum === 'other' ? null : sridFromParameters(datum, projectionMethod(crs), projectionParameters(crs));
  const srid = fromName !== null && fromParameters !== null && sameProjection(fromName, fromParameters) ? fromName : fromParameters ?? fromName;

  if (datum === 'xian80' || datum === 'beijing54') {
    const label = srid === null ? `${DATUM_LABELS[datum]} (${name})` : sridLabel(srid);
    return refusedGuess(source, label, datum, datumRefusalMessage(datum), 0.95);
  }
  if (srid === null || !isSupportedSrid(srid)) return refusedGuess(source, name, 'unknown_projection', unknownProjectionMessage(name), 0.9);
  if (fromName !== null && fromParameters !== null && !sameProjection(fromName, fromParameters)) {
    return {
      srid, label: sridLabel(srid), confidence: 0.6, source,
      reason: `坐标系名称「${name}」对应 EPSG:${fromName}，但投影参数对应 EPSG:${fromParameters}；按投影参数处理，请核对`,
    };
  }
  if (fromName !== null) return { srid, label: sridLabel(srid), confidence: 0.98, source, reason: `坐标系名称「${name}」` };
  return { srid, label: sridLabel(srid), confidence: 0.9, source, reason: `坐标系名称「${name}」不常见，按投影参数 (中央经线、东偏移) 识别` };
}

// ---------------------------------------------------------------------------------------------
// Coordinates

function isFiniteExtent(extent: Extent): boolean {
  return [extent.minX, extent.minY, extent.maxX, extent.maxY].every(Number.isFinite)
    && extent.minX <= extent.maxX && extent.minY <= extent.maxY;
}

function between(minimum: number, maximum: number, low: number, high: number): boolean {
  return minimum >= low && maximum <= high;
}

function isDegrees(extent: Extent): boolean {
  return between(extent.minX, extent.maxX, -180, 180) && between(extent.minY, extent.maxY, -90, 90);
}

function inChina(minLongitude: number, minLatitude: number, maxLongitude: number, maxLatitude: number): boolean {
  return between(minLongitude, maxLongitude, CHINA_BOUNDS.minLongitude, CHINA_BOUNDS.maxLongitude)
    && between(minLatitude, maxLatitude, CHINA_BOUNDS.minLatitude, CHINA_BOUNDS.maxLatitude);
}

function isChinaNorthing(minimum: number, maximum: number): boolean {
  return between(minimum, maximum, CHINA_NORTHING_RANGE.min, CHINA_NORTHING_RANGE.max);
}

/** Zone number carried by 8-digit eastings (the same for the whole range), or null. */
function zonePrefix(minimum: number, maximum: number): number | null {
  if (minimum < 1e7 || maximum >= 1e8) return null;
  const zone = Math.floor(minimum / 1e6);
  return Math.floor(maximum / 1e6) === zone ? zone : null;
}

/** The prefixed Gauss-Kruger CRS for a zone number: 25–45 are 3-degree zones, 13–23 6-degree zones. */
function prefixedSridOfZone(zone: number, datum: Datum = 'cgcs2000'): number | null {
  return gaussKrugerSrid(datum, 3, true, zone) ?? gaussKrugerSrid(datum, 6, true, zone);
}

function isUnprefixedEasting(minimum: number, maximum: number): boolean {
  return between(minimum, maximum, 200_000, 800_000);
}

const WEB_MERCATOR_RADIUS = 6378137;

function webMercatorToDegrees(x: number, y: number): [number, number] {
  const longitude = (x / WEB_MERCATOR_RADIUS) * (180 / Math.PI);
  const latitude = Math.atan(Math.sinh(y / WEB_MERCATOR_RADIUS)) * (180 / Math.PI);
  return [longitude, latitude];
}

function webMercatorInChina(extent: Extent): boolean {
  const [minLongitude, minLatitude] = webMercatorToDegrees(extent.minX, extent.minY);
  const [maxLongitude, maxLatitude] = webMercatorToDegrees(extent.maxX, extent.maxY);
  return inChina(minLongitude, minLatitude, maxLongitude, maxLatitude);
}

function isWebMercatorRange(extent: Extent): boolean {
  return between(extent.minX, extent.maxX, 8.1e6, 1.52e7) && between(extent.minY, extent.maxY, 1.5e6, 7.6e6);
}

/** Whether prefixed eastings lie within their zone (not hundreds of kilometres off its central meridian). */
function withinZone(minimum: number, maximum: number, zone: number, zoneWidth: 3 | 6): boolean {
  const centre = zone * 1e6 + 500_000;
  const tolerance = ZONE_HALF_WIDTH_TOLERANCE_METRES[zoneWidth];
  return minimum >= centre - tolerance && maximum <= centre + tolerance;
}

const UNKNOWN_LABEL = '未知坐标系';

/**
 * Guesses the CRS from the size of the coordinates when a file declares none (shapefile without
 * `.prj`, CSV, DXF). Only what the numbers prove is proposed: unprefixed Gauss-Kruger eastings
 * (500 000 ± a zone) fit every central meridian equally, so then no code is proposed and the user
 * must choose. 8-digit eastings of 6-degree zones 13–15 overlap Web Mercator's range in eastern
 * China; Web Mercator is preferred there (far commoner than western 6-degree data), with the
 * alternative named in the reason.
 */
export function crsFromCoordinates(extent: Extent): CrsGuess {
  const source = 'coordinates';
  if (!isFiniteExtent(extent)) return { srid: null, label: UNKNOWN_LABEL, confidence: 0, source, reason: '坐标范围无效 (含非数字或无穷大)' };
  const { minX, minY, maxX, maxY } = extent;

  if (isDegrees(extent)) {
    if (inChina(minX, minY, maxX, maxY)) {
      return { srid: 4490, label: sridLabel(4490), confidence: 0.9, source, reason: '坐标为经纬度且位于中国范围内，按 CGCS2000 经纬度处理 (与 WGS84 相差不到 1 米)；数据若来自高德、腾讯等网络地图，请选 GCJ-02 火星坐标' };
    }
    if (!inChina(minY, minX, maxY, maxX)) {
      return { srid: 4490, label: sridLabel(4490), confidence: 0.3, source, reason: '坐标像经纬度，但不在中国范围内，请核对数据' };
    }
  }
  if (isDegrees(swapped(extent)) && inChina(minY, minX, maxY, maxX)) {
    return { srid: 4490, label: sridLabel(4490), confidence: 0.4, source, reason: '坐标像经纬度，但纬度在前、经度在后 (坐标轴顺序颠倒)，需交换后按 CGCS2000 经纬度处理' };
  }

  const zone = zonePrefix(minX, maxX);
  const prefixedSrid = zone === null ? null : prefixedSridOfZone(zone);
  const northingFits = isChinaNorthing(minY, maxY);

  if (isWebMercatorRange(extent) && webMercatorInChina(extent)) {
    const alternative = prefixedSrid !== null && northingFits ? `；也可能是 ${sridLabel(prefixedSrid)}，请核对` : '';
    return {
      srid: 3857, label: sridLabel(3857), confidence: alternative ? 0.6 : 0.8, source,
      reason: `坐标大小符合 Web 墨卡托 (网络地图) 在中国的范围${alternative}`,
    };
  }

  if (zone !== null && prefixedSrid !== null && northingFits) {
    const description = describeSrid(prefixedSrid);
    const width = description?.zoneWidth ?? 3;
    const inside = withinZone(minX, maxX, zone, width);
    return {
      srid: prefixedSrid, label: sridLabel(prefixedSrid), confidence: inside ? 0.9 : 0.6, source,
      reason: inside
        ? `东坐标为 8 位整数，前两位为带号 ${zone}，北坐标符合中国范围`
        : `东坐标前两位为带号 ${zone}，但离中央经线过远，请核对`,
    };
  }

  if (isUnprefixedEasting(minX, maxX) && northingFits) {
    return {
      srid: null, label: 'CGCS2000 高斯-克吕格 (中央经线未知)', confidence: 0.3, source,
      reason: '坐标为高斯-克吕格平面坐标，但东坐标不带带号，无法从坐标判断中央经线。请选择分带和中央经线 (例如厦门、天津为 3度带 中央经线117°E)。',
    };
  }

  if (isChinaNorthing(minX, maxX)) {
    const swappedZone = zonePrefix(minY, maxY);
    const swappedSrid = swappedZone === null ? null : prefixedSridOfZone(swappedZone);
    if (swappedSrid !== null) {
      return {
        srid: swappedSrid, label: sridLabel(swappedSrid), confidence: 0.4, source,
        reason: `X 像北坐标、Y 像带带号的东坐标：坐标轴顺序颠倒 (测量上 X 为北坐标)，交换 X、Y 后为 ${sridLabel(swappedSrid)}`,
      };
    }
    if (isUnprefixedEasting(minY, maxY)) {
      return {
        srid: null, label: 'CGCS2000 高斯-克吕格 (中央经线未知)', confidence: 0.2, source,
        reason: 'X 像北坐标、Y 像东坐标：坐标轴顺序颠倒，且东坐标不带带号，需交换 X、Y 并选择中央经线',
      };
    }
  }

  return { srid: null, label: UNKNOWN_LABEL, confidence: 0, source, reason: '坐标范围不符合中国常用坐标系 (经纬度、高斯-克吕格、Web 墨卡托)，请手动选择坐标系' };
}

function inconsistent(reason: CrsInconsistency, message: string, suggestedSrid: number | null): CrsCheck {
  return { consistent: false, reason, message, suggestedSrid };
}

/** A suggestion from the coordinates, only when they speak clearly enough to act on. */
function suggestionFromCoordinates(extent: Extent): number | null {
  const guess = crsFromCoordinates(extent);
  return guess.confidence >= 0.5 ? guess.srid : null;
}

function swapped(extent: Extent): Extent {
  return { minX: extent.minY, minY: extent.minX, maxX: extent.maxY, maxY: extent.maxX };
}

/**
 * Whether the data's extent fits a declared CRS. A `.prj` can lie (copied from another layer, or
 * degrees labelled as Gauss-Kruger), and a wrong CRS puts parcels in the sea or in another
 * province, so every import checks the declaration against the numbers before trusting it.
 */
export function checkCrsAgainstExtent(srid: number, extent: Extent): CrsCheck {
  const description = describeSrid(srid);
  if (!description) return inconsistent('unknown_srid', `无法核对 EPSG:${srid}：不是本系统认识的坐标系`, null);
  if (!isFiniteExtent(extent)) return inconsistent('outside_china', '坐标范围无效 (含非数字或无穷大)', null);
  const label = sridLabel(srid);
  const { minX, minY, maxX, maxY } = extent;

  if (description.kind === 'geographic') {
    if (isDegrees(swapped(extent)) && !inChina(minX, minY, maxX, maxY) && inChina(minY, minX, maxY, maxX)) {
      return inconsistent('axes_swapped', '经纬度顺序颠倒：X 像纬度、Y 像经度，需交换 X、Y', srid);
    }
    if (!isDegrees(extent)) {
      return inconsistent('degrees_expected', `${label} 的坐标应为经纬度 (度)，但数据坐标是米级大数，声明的坐标系与数据不符`, crsFromCoordinates(extent).srid);
    }
    if (inChina(minX, minY, maxX, maxY)) return { consistent: true };
    return inconsistent('outside_china', `按 ${label} 理解，数据位于中国范围以外`, null);
  }

  if (isDegrees(extent)) {
    const suggested = inChina(minX, minY, maxX, maxY) ? 4490 : null;
    return inconsistent('metres_expected', `${label} 的坐标应以米为单位，但数据坐标像经纬度 (度)，声明的坐标系与数据不符`, suggested);
  }

  if (description.kind === 'web_mercator') {
    if (isWebMercatorRange(extent) && webMercatorInChina(extent)) return { consistent: true };
    return inconsistent('outside_china', `按 ${label} 理解，数据位于中国范围以外`, suggestionFromCoordinates(extent));
  }

  const zone = description.zone ?? 0;
  const zoneWidth = description.zoneWidth ?? 3;
  const tolerance = ZONE_HALF_WIDTH_TOLERANCE_METRES[zoneWidth];
  const dataZone = zonePrefix(minX, maxX);
  const eastingFits = description.zonePrefixed
    ? dataZone === zone && withinZone(minX, maxX, zone, zoneWidth)
    : minX >= 500_000 - tolerance && maxX <= 500_000 + tolerance;

  if (!eastingFits) {
    if (isChinaNorthing(minX, maxX) && !isChinaNorthing(minY, maxY)) {
      const swappedCheck = checkCrsAgainstExtent(srid, swapped(extent));
      const suggested = swappedCheck.consistent ? srid : crsFromCoordinates(swapped(extent)).srid;
      return inconsistent('axes_swapped', '坐标轴顺序颠倒：X 像北坐标、Y 像东坐标 (测量上 X 为北坐标，GIS 中 X 为东坐标)，需交换 X、Y', suggested);
    }
    if (dataZone !== null && (dataZone !== zone || !description.zonePrefixed)) {
      const suggested = prefixedSridOfZone(dataZone, description.datum);
      const message = description.zonePrefixed
        ? `${label} 与数据不符：数据东坐标的带号为 ${dataZone}`
        : `${label} 的东坐标不带带号，但数据东坐标带带号 ${dataZone}`;
      return inconsistent('wrong_zone', message, suggested);
    }
    if (description.zonePrefixed && isUnprefixedEasting(minX, maxX)) {
      const suggested = gaussKrugerSrid(description.datum, zoneWidth, false, zone);
      return inconsistent('wrong_zone', `${label} 的东坐标应带带号 ${zone}，但数据东坐标不带带号`, suggested);
    }
    return inconsistent('wrong_zone', `数据东坐标离 ${label} 的中央经线过远，可能属于其他分带`, null);
  }

  if (!isChinaNorthing(minY, maxY)) return inconsistent('outside_china', `按 ${label} 理解，北坐标不在中国范围内`, null);
  return { consistent: true };
}
