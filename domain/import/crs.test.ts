import fs from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import {
  GCJ02_SRID, SUPPORTED_SRIDS, checkCrsAgainstExtent, crsFromCoordinates, crsFromPrj, crsFromSrid, datumRefusalMessage, describeSrid,
  proj4Definition, sridLabel, type Extent,
} from './crs.js';

const testdata = path.resolve(import.meta.dirname, '../../../shared/testdata');

function readText(relativePath: string): string {
  return fs.readFileSync(path.join(testdata, relativePath), 'utf8');
}

/** The bounding box in a .shp header: Xmin, Ymin, Xmax, Ymax as little-endian doubles at bytes 36–68. */
function shapefileExtent(relativePath: string): Extent {
  const header = fs.readFileSync(path.join(testdata, relativePath)).subarray(0, 100);
  return { minX: header.readDoubleLE(36), minY: header.readDoubleLE(44), maxX: header.readDoubleLE(52), maxY: header.readDoubleLE(60) };
}

/** Projects lon/lat points with the module's own proj4 definitions and returns their extent. */
function projectedExtent(srid: number, points: readonly [number, number][]): Extent {
  const definition = proj4Definition(srid);
  if (definition === null) throw new Error(`no proj4 definition for ${srid}`);
  const projected = points.map((point) => proj4('+proj=longlat +ellps=GRS80 +no_defs', definition, point));
  const xs = projected.map(([x]) => x);
  const ys = projected.map(([, y]) => y);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

function swapAxes(extent: Extent): Extent {
  return { minX: extent.minY, minY: extent.minX, maxX: extent.maxY, maxY: extent.maxX };
}

/** Parcels around Xiamen island (湖里、思明、海沧). */
const XIAMEN_POINTS: [number, number][] = [[118.1, 24.5], [118.05, 24.45], [118.18, 24.52], [118.0, 24.55]];
/** Around Tianjin 河东区. */
const TIANJIN_POINTS: [number, number][] = [[117.2, 39.1], [117.25, 39.13], [117.22, 39.08]];

/** ESRI WKT as GDAL 3.6.2 writes it (`gdalsrsinfo -o wkt_esri EPSG:n`), i.e. what ArcGIS puts in a .prj. */
const ESRI_WKT = {
  4490: 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  4326: 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  3857: 'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]',
  4527: 'PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
  4548: 'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
  4498: 'PROJCS["CGCS2000_GK_Zone_20",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",20500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
  4509: 'PROJCS["CGCS2000_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
  2364: 'PROJCS["Xian_1980_3_Degree_GK_Zone_40",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
  4610: 'GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  4214: 'GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
} as const;

/** OGC WKT1 as GDAL writes it (`gdalsrsinfo -o wkt1 EPSG:4527`): named the EPSG way, with AUTHORITY. */
const OGC_WKT1_4527 = 'PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 39", GEOGCS["China Geodetic Coordinate System 2000", DATUM["China_2000", SPHEROID["CGCS2000",6378137,298.257222101, AUTHORITY["EPSG","1024"]], AUTHORITY["EPSG","1043"]], PRIMEM["Greenwich",0, AUTHORITY["EPSG","8901"]], UNIT["degree",0.0174532925199433, AUTHORITY["EPSG","9122"]], AUTHORITY["EPSG","4490"]], PROJECTION["Transverse_Mercator"], PARAMETER["latitude_of_origin",0], PARAMETER["central_meridian",117], PARAMETER["scale_factor",1], PARAMETER["false_easting",39500000], PARAMETER["false_northing",0], UNIT["metre",1, AUTHORITY["EPSG","9001"]], AXIS["Northing",NORTH], AXIS["Easting",EAST], AUTHORITY["EPSG","4527"]]';

/** WKT2 as GDAL writes it (`gdalsrsinfo -o wkt2 EPSG:4548`), without its final ID so the parameters must decide. */
const WKT2_4548_WITHOUT_ID = 'PROJCRS["CGCS2000 / 3-degree Gauss-Kruger CM 117E", BASEGEOGCRS["China Geodetic Coordinate System 2000", DATUM["China 2000", ELLIPSOID["CGCS2000",6378137,298.257222101, LENGTHUNIT["metre",1]]], PRIMEM["Greenwich",0, ANGLEUNIT["degree",0.0174532925199433]], ID["EPSG",4490]], CONVERSION["Gauss-Kruger CM 117E", METHOD["Transverse Mercator", ID["EPSG",9807]], PARAMETER["Latitude of natural origin",0, ANGLEUNIT["degree",0.0174532925199433], ID["EPSG",8801]], PARAMETER["Longitude of natural origin",117, ANGLEUNIT["degree",0.0174532925199433], ID["EPSG",8802]], PARAMETER["Scale factor at natural origin",1, SCALEUNIT["unity",1], ID["EPSG",8805]], PARAMETER["False easting",500000, LENGTHUNIT["metre",1], ID["EPSG",8806]], PARAMETER["False northing",0, LENGTHUNIT["metre",1], ID["EPSG",8807]]], CS[Cartesian,2], AXIS["northing (X)",north, ORDER[1], LENGTHUNIT["metre",1]], AXIS["easting (Y)",east, ORDER[2], LENGTHUNIT["metre",1]], USAGE[ SCOPE["Cadastre, engineering survey, topographic mapping (large scale)."], AREA["China - onshore between 115°30\'E and 118°30\'E."], BBOX[22.6,115.5,49.88,118.5]]]';

/** A CGCS2000 Gauss-Kruger .prj under a name no table knows (as Chinese CAD/GIS tools write them). */
function gaussKrugerPrj(name: string, centralMeridian: number, falseEasting: number): string {
  return `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${falseEasting}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${centralMeridian}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
}

describe('EPSG codes and labels', () => {
  it('offers 4490, 4326, 3857 and the four CGCS2000 Gauss-Kruger families for the UI select', () => {
    expect(SUPPORTED_SRIDS).toHaveLength(4 + 21 + 21 + 11 + 11);
    expect(SUPPORTED_SRIDS.slice(0, 4).map((entry) => entry.srid)).toEqual([4490, 4326, GCJ02_SRID, 3857]);
    expect(SUPPORTED_SRIDS.map((entry) => entry.srid)).toEqual(expect.arrayContaining([4513, 4533, 4534, 4554, 4491, 4501, 4502, 4512]));
    expect(SUPPORTED_SRIDS.find((entry) => entry.srid === 4527)?.label).toBe('CGCS2000 3度带 第39带 (EPSG:4527)');
  });

  it.each([
    [4527, 'CGCS2000 3度带 第39带 (EPSG:4527)'],
    [4548, 'CGCS2000 3度带 中央经线117°E (EPSG:4548)'],
    [4498, 'CGCS2000 6度带 第20带 (EPSG:4498)'],
    [4509, 'CGCS2000 6度带 中央经线117°E (EPSG:4509)'],
    [4513, 'CGCS2000 3度带 第25带 (EPSG:4513)'],
    [4554, 'CGCS2000 3度带 中央经线135°E (EPSG:4554)'],
    [4490, 'CGCS2000 经纬度 (EPSG:4490)'],
    [4326, 'WGS84 经纬度 (EPSG:4326)'],
    [3857, 'Web 墨卡托 (EPSG:3857)'],
    [2364, '西安80 3度带 第40带 (EPSG:2364)'],
    [2435, '北京54 3度带 中央经线114°E (EPSG:2435)'],
    [21420, '北京54 6度带 第20带 (EPSG:21420)'],
    [32650, 'EPSG:32650'],
  ])('labels EPSG:%i as %s', (srid, label) => {
    expect(sridLabel(srid)).toBe(label);
  });

  it('describes zone-prefixed and central-meridian Gauss-Kruger codes with their false easting', () => {
    expect(describeSrid(4527)).toEqual({ srid: 4527, datum: 'cgcs2000', kind: 'gauss_kruger', zoneWidth: 3, zone: 39, centralMeridian: 117, zonePrefixed: true, falseEasting: 39_500_000 });
    expect(describeSrid(4548)).toEqual({ srid: 4548, datum: 'cgcs2000', kind: 'gauss_kruger', zoneWidth: 3, zone: 39, centralMeridian: 117, zonePrefixed: false, falseEasting: 500_000 });
    expect(describeSrid(4501)).toMatchObject({ zoneWidth: 6, zone: 23, centralMeridian: 135, falseEasting: 23_500_000 });
    expect(describeSrid(4502)).toMatchObject({ zoneWidth: 6, zone: 13, centralMeridian: 75, falseEasting: 500_000 });
    expect(describeSrid(4555)).toBeNull();
  });
});

describe('proj4 definitions', () => {
  // Expected values from PROJ 9.1.1: `echo "118.1 24.5" | gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4527 -output_xy`.
  it.each([
    [4527, [118.1, 24.5], [39_611_494.7872, 2_711_113.4497]],
    [4548, [118.1, 24.5], [611_494.7872, 2_711_113.4497]],
    [4498, [117.2, 39.1], [20_517_300.8743, 4_329_624.6720]],
    [3857, [118.1, 24.5], [13_146_831.8627, 2_814_454.7323]],
  ])('projects into EPSG:%i as PROJ does', (srid, lonLat, expected) => {
    const [x, y] = proj4(proj4Definition(4490)!, proj4Definition(srid)!, lonLat);
    expect(x).toBeCloseTo(expected[0], 3);
    expect(y).toBeCloseTo(expected[1], 3);
  });

  it('defines every supported code (GCJ-02 aside, converted by domain/gcj02.ts), and puts each central meridian at its false easting', () => {
    for (const { srid } of SUPPORTED_SRIDS) {
      const definition = proj4Definition(srid)!;
      const description = describeSrid(srid)!;
      if (description.kind !== 'gauss_kruger') continue;
      const [x] = proj4(proj4Definition(4490)!, definition, [description.centralMeridian!, 30]);
      expect(x).toBeCloseTo(description.falseEasting!, 6);
    }
  });

  it('gives no definition for 西安80 and 北京54, whose datum shift is local', () => {
    expect(proj4Definition(2364)).toBeNull();
    expect(proj4Definition(2435)).toBeNull();
    expect(proj4Definition(4610)).toBeNull();
  });
});

describe('reading a .prj', () => {
  it.each([
    [4490, ESRI_WKT[4490]], [4326, ESRI_WKT[4326]], [3857, ESRI_WKT[3857]], [4527, ESRI_WKT[4527]],
    [4548, ESRI_WKT[4548]], [4498, ESRI_WKT[4498]], [4509, ESRI_WKT[4509]],
  ])('recognises ArcGIS\'s .prj of EPSG:%i by its name', (srid, wkt) => {
    expect(crsFromPrj(wkt)).toMatchObject({ srid, label: sridLabel(srid), confidence: 0.98, source: 'prj' });
    expect(crsFromPrj(wkt).refused).toBeUndefined();
  });

  it('recognises the 6-degree names with an explicit 6_Degree part', () => {
    expect(crsFromPrj(gaussKrugerPrj('CGCS2000_6_Degree_GK_Zone_20', 117, 20_500_000)).srid).toBe(4498);
    expect(crsFromPrj(gaussKrugerPrj('CGCS2000_6_Degree_GK_CM_117E', 117, 500_000)).srid).toBe(4509);
  });

  it('takes the EPSG code from AUTHORITY (WKT1) with full confidence', () => {
    expect(crsFromPrj(OGC_WKT1_4527)).toMatchObject({ srid: 4527, confidence: 1, reason: '坐标系文件注明了 EPSG:4527' });
  });

  it('takes the EPSG code from ID (WKT2)', () => {
    expect(crsFromPrj(`${WKT2_4548_WITHOUT_ID.slice(0, -1)}, ID["EPSG",4548]]`)).toMatchObject({ srid: 4548, confidence: 1 });
  });

  it('recognises a WKT2 projection by its parameters when there is no ID', () => {
    expect(crsFromPrj(WKT2_4548_WITHOUT_ID)).toMatchObject({ srid: 4548, confidence: 0.98 });
  });

  it('recognises an unfamiliar name by its Gauss-Kruger parameters', () => {
    expect(crsFromPrj(gaussKrugerPrj('厦门城建2000', 117, 39_500_000))).toMatchObject({ srid: 4527, confidence: 0.9 });
    expect(crsFromPrj(gaussKrugerPrj('Xiamen_Local', 117, 500_000))).toMatchObject({ srid: 4548, confidence: 0.9 });
    expect(crsFromPrj(gaussKrugerPrj('Tianjin_6', 117, 20_500_000))).toMatchObject({ srid: 4498, confidence: 0.9 });
  });

  it('trusts the parameters over a name that contradicts them, with low confidence', () => {
    const guess = crsFromPrj(gaussKrugerPrj('CGCS2000_3_Degree_GK_Zone_39', 117, 500_000));
    expect(guess).toMatchObject({ srid: 4548, confidence: 0.6 });
    expect(guess.reason).toContain('EPSG:4527');
  });

  it('refuses a projection with parameters outside the Chinese families', () => {
    expect(crsFromPrj(gaussKrugerPrj('Odd', 118.5, 500_000)).refused?.reason).toBe('unknown_projection');
  });

  it('refuses 西安80 (ArcGIS name, geographic and EPSG code) and says what to supply', () => {
    const projected = crsFromPrj(ESRI_WKT[2364]);
    expect(projected).toMatchObject({ srid: null, label: '西安80 3度带 第40带 (EPSG:2364)', refused: { reason: 'xian80' } });
    expect(projected.refused?.message).toBe(datumRefusalMessage('xian80'));
    expect(projected.refused?.message).toContain('七参数');
    expect(projected.refused?.message).toContain('CGCS2000 后重新导出');
    expect(crsFromPrj(ESRI_WKT[4610])).toMatchObject({ srid: null, label: '西安80 经纬度 (EPSG:4610)', refused: { reason: 'xian80' } });
    expect(crsFromPrj('PROJCS["Xian 1980 / 3-degree Gauss-Kruger zone 40",GEOGCS["Xian 1980",DATUM["Xian_1980",SPHEROID["IAG 1975",6378140,298.257]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["metre",1],AUTHORITY["EPSG","2364"]]'))
      .toMatchObject({ srid: null, refused: { reason: 'xian80' } });
  });

  it('refuses 北京54: mapshaper issue 193\'s Beijing_1954_3_Degree_GK_CM_114E', () => {
    const guess = crsFromPrj(readText('mapshaper-testdata/issues/193/gauss_kruger.prj'));
    expect(guess).toMatchObject({ srid: null, label: '北京54 3度带 中央经线114°E (EPSG:2435)', source: 'prj', refused: { reason: 'beijing54' } });
    expect(guess.refused?.message).toContain('三参数');
    expect(crsFromPrj(ESRI_WKT[4214])).toMatchObject({ srid: null, refused: { reason: 'beijing54' } });
  });

  it('refuses a .prj holding HTML (shapefile-js test data) as not a .prj', () => {
    const guess = crsFromPrj(readText('shapefile-js-test/htmlprj.prj'));
    expect(guess).toMatchObject({ srid: null, confidence: 1, refused: { reason: 'not_a_prj' } });
  });

  it.each([
    ['empty', ''],
    ['plain text', 'CGCS2000 3度带 39带'],
    ['cut off', ESRI_WKT[4527].slice(0, 120)],
    ['trailing garbage', `${ESRI_WKT[4527]}]]`],
    ['not a CRS keyword', 'POLYGON((0 0,1 0,1 1,0 0))'],
  ])('refuses a %s .prj as not a .prj', (_, text) => {
    expect(crsFromPrj(text).refused?.reason).toBe('not_a_prj');
  });

  it('ignores a UTF-8 BOM (GDAL\'s prjwithutf8bom.prj reads as NAD83, which is refused as foreign)', () => {
    const guess = crsFromPrj(readText('gdal-autotest-shp/prjwithutf8bom.prj'));
    expect(guess).toMatchObject({ srid: null, label: 'GCS_North_American_1983', refused: { reason: 'unknown_projection' } });
    expect(crsFromPrj(`\uFEFF${ESRI_WKT[4490]}\r\n`).srid).toBe(4490);
  });

  it.each([
    ['mapshaper-testdata/issues/193/three_points.prj', 'Unknown'],
    ['mapshaper-testdata/issues/518_519_shp_reading/data_corruption_error.prj', 'SWEREF99_TM'],
    ['gdal-autotest-shp/poly_golden/poly.prj', 'British_National_Grid'],
    ['shapefile-js-test/LGA_2013_AUST.prj', 'EPSG:4283'],
  ])('refuses foreign or unknown projections: %s', (file, label) => {
    expect(crsFromPrj(readText(file))).toMatchObject({ srid: null, label, refused: { reason: 'unknown_projection' } });
  });

  it('reads WGS84 .prj files of other projects', () => {
    expect(crsFromPrj(readText('mapshaper-testdata/shapefile/six_counties.prj'))).toMatchObject({ srid: 4326, confidence: 0.98 });
    expect(crsFromPrj(readText('shapefile-js-test/ipra_dresden_polygon.prj'))).toMatchObject({ srid: 4326, confidence: 1 });
  });

  it('reports the source it was given (WKT from a File Geodatabase)', () => {
    expect(crsFromPrj(ESRI_WKT[4527], 'gdb').source).toBe('gdb');
  });

  it('accepts a code the user picked and refuses 西安80 codes picked by hand', () => {
    expect(crsFromSrid(4548, 'user')).toMatchObject({ srid: 4548, confidence: 1, source: 'user' });
    expect(crsFromSrid(2364, 'user').refused?.reason).toBe('xian80');
    expect(crsFromSrid(32650, 'user').refused?.reason).toBe('unknown_projection');
  });
});

describe('guessing the CRS from coordinates', () => {
  it('finds EPSG:4527 from Xiamen coordinates with the zone prefix 39', () => {
    expect(crsFromCoordinates(projectedExtent(4527, XIAMEN_POINTS))).toMatchObject({ srid: 4527, confidence: 0.9, source: 'coordinates' });
  });

  it('proposes no code for Xiamen coordinates without zone prefix (EPSG:4548), and asks for the central meridian', () => {
    const guess = crsFromCoordinates(projectedExtent(4548, XIAMEN_POINTS));
    expect(guess).toMatchObject({ srid: null, confidence: 0.3 });
    expect(guess.reason).toContain('中央经线');
  });

  it('finds Web Mercator for Xiamen, although its eastings look like 6-degree zone 13', () => {
    const guess = crsFromCoordinates(projectedExtent(3857, XIAMEN_POINTS));
    expect(guess).toMatchObject({ srid: 3857, confidence: 0.6 });
    expect(guess.reason).toContain('EPSG:4491');
  });

  it('finds CGCS2000 degrees inside China', () => {
    expect(crsFromCoordinates(projectedExtent(4490, XIAMEN_POINTS))).toMatchObject({ srid: 4490, confidence: 0.9 });
    expect(crsFromCoordinates(shapefileExtent('ChinaAdminDivisonSHP/old_776a2f1_noprj/福建省.shp'))).toMatchObject({ srid: 4490, confidence: 0.9 });
  });

  it('finds 6-degree zone 20 for Tianjin', () => {
    expect(crsFromCoordinates(projectedExtent(4498, TIANJIN_POINTS))).toMatchObject({ srid: 4498, confidence: 0.9 });
  });

  it('finds 3-degree zone 40 from the extent of pengbu_BR-14 (Hangzhou)', () => {
    expect(crsFromCoordinates({ minX: 40_520_676.21, minY: 3_353_094.804, maxX: 40_520_994.8, maxY: 3_353_405.134 }).srid).toBe(4528);
  });

  it('notices northing and easting swapped, as surveyors write them', () => {
    const guess = crsFromCoordinates(swapAxes(projectedExtent(4527, XIAMEN_POINTS)));
    expect(guess).toMatchObject({ srid: 4527, confidence: 0.4 });
    expect(guess.reason).toContain('颠倒');
    expect(crsFromCoordinates(swapAxes(projectedExtent(4548, XIAMEN_POINTS)))).toMatchObject({ srid: null, confidence: 0.2 });
    expect(crsFromCoordinates(swapAxes(projectedExtent(4490, XIAMEN_POINTS)))).toMatchObject({ srid: 4490, confidence: 0.4 });
  });

  it('has little confidence in degrees outside China (mapshaper issue 193 lies in the Americas)', () => {
    expect(crsFromCoordinates(shapefileExtent('mapshaper-testdata/issues/193/gauss_kruger.shp'))).toMatchObject({ srid: 4490, confidence: 0.3 });
  });

  it('gives up on numbers that fit no Chinese CRS, and on invalid extents', () => {
    expect(crsFromCoordinates({ minX: 1e9, minY: 1e9, maxX: 2e9, maxY: 2e9 })).toMatchObject({ srid: null, confidence: 0, label: '未知坐标系' });
    expect(crsFromCoordinates({ minX: Number.NaN, minY: 0, maxX: 1, maxY: 1 })).toMatchObject({ srid: null, confidence: 0 });
    expect(crsFromCoordinates({ minX: -Number.MAX_VALUE, minY: 0, maxX: Number.MAX_VALUE, maxY: 1 })).toMatchObject({ srid: null, confidence: 0 });
  });
});

describe('checking a declared CRS against the coordinates', () => {
  it('flags mapshaper issue 193: a Gauss-Kruger .prj over coordinates in degrees', () => {
    const extent = shapefileExtent('mapshaper-testdata/issues/193/gauss_kruger.shp');
    expect(extent.minX).toBeCloseTo(-79.044118, 6);
    expect(extent.maxY).toBeCloseTo(43.087714, 6);
    expect(checkCrsAgainstExtent(2435, extent)).toMatchObject({ consistent: false, reason: 'metres_expected', suggestedSrid: null });
    expect(checkCrsAgainstExtent(4547, extent)).toMatchObject({ consistent: false, reason: 'metres_expected', suggestedSrid: null });
  });

  it('flags WGS84 points in the Americas as outside China', () => {
    expect(checkCrsAgainstExtent(4326, shapefileExtent('mapshaper-testdata/issues/193/three_points.shp')))
      .toMatchObject({ consistent: false, reason: 'outside_china', suggestedSrid: null });
  });

  it('accepts real Chinese data in its own CRS', () => {
    expect(checkCrsAgainstExtent(4490, shapefileExtent('ChinaAdminDivisonSHP/old_776a2f1_noprj/天津市.shp'))).toEqual({ consistent: true });
    expect(checkCrsAgainstExtent(4527, projectedExtent(4527, XIAMEN_POINTS))).toEqual({ consistent: true });
    expect(checkCrsAgainstExtent(4548, projectedExtent(4548, XIAMEN_POINTS))).toEqual({ consistent: true });
    expect(checkCrsAgainstExtent(3857, projectedExtent(3857, XIAMEN_POINTS))).toEqual({ consistent: true });
    expect(checkCrsAgainstExtent(4498, projectedExtent(4498, TIANJIN_POINTS))).toEqual({ consistent: true });
  });

  it('flags the wrong zone and proposes the one in the eastings', () => {
    const zone39 = projectedExtent(4527, XIAMEN_POINTS);
    expect(checkCrsAgainstExtent(4526, zone39)).toMatchObject({ consistent: false, reason: 'wrong_zone', suggestedSrid: 4527 });
    expect(checkCrsAgainstExtent(4548, zone39)).toMatchObject({ consistent: false, reason: 'wrong_zone', suggestedSrid: 4527 });
    expect(checkCrsAgainstExtent(4527, projectedExtent(4548, XIAMEN_POINTS))).toMatchObject({ consistent: false, reason: 'wrong_zone', suggestedSrid: 4548 });
  });

  it('flags eastings hundreds of kilometres from the central meridian as another zone', () => {
    expect(checkCrsAgainstExtent(4548, { minX: 850_000, minY: 2_700_000, maxX: 860_000, maxY: 2_710_000 }))
      .toMatchObject({ consistent: false, reason: 'wrong_zone', suggestedSrid: null });
  });

  it('flags metres declared as degrees, proposing what the numbers say', () => {
    expect(checkCrsAgainstExtent(4490, projectedExtent(4527, XIAMEN_POINTS))).toMatchObject({ consistent: false, reason: 'degrees_expected', suggestedSrid: 4527 });
    expect(checkCrsAgainstExtent(4490, projectedExtent(4548, XIAMEN_POINTS))).toMatchObject({ consistent: false, reason: 'degrees_expected', suggestedSrid: null });
  });

  it('flags degrees declared as Web Mercator', () => {
    expect(checkCrsAgainstExtent(3857, projectedExtent(4490, XIAMEN_POINTS))).toMatchObject({ consistent: false, reason: 'metres_expected', suggestedSrid: 4490 });
  });

  it('flags swapped axes in Gauss-Kruger and in degrees', () => {
    expect(checkCrsAgainstExtent(4527, swapAxes(projectedExtent(4527, XIAMEN_POINTS)))).toMatchObject({ consistent: false, reason: 'axes_swapped', suggestedSrid: 4527 });
    expect(checkCrsAgainstExtent(4548, swapAxes(projectedExtent(4548, XIAMEN_POINTS)))).toMatchObject({ consistent: false, reason: 'axes_swapped', suggestedSrid: 4548 });
    expect(checkCrsAgainstExtent(4490, swapAxes(projectedExtent(4490, XIAMEN_POINTS)))).toMatchObject({ consistent: false, reason: 'axes_swapped', suggestedSrid: 4490 });
  });

  it('flags northings outside China', () => {
    expect(checkCrsAgainstExtent(4548, { minX: 400_000, minY: 100_000, maxX: 600_000, maxY: 200_000 }))
      .toMatchObject({ consistent: false, reason: 'outside_china', suggestedSrid: null });
  });

  it('cannot check a code it does not know', () => {
    expect(checkCrsAgainstExtent(32650, projectedExtent(4548, XIAMEN_POINTS))).toMatchObject({ consistent: false, reason: 'unknown_srid', suggestedSrid: null });
  });
});

describe('GCJ-02 (火星坐标)', () => {
  it('is offered among the CRSs, as geographic coordinates, with no proj4 definition (it is converted by domain/gcj02.ts)', () => {
    expect(SUPPORTED_SRIDS.find((entry) => entry.srid === GCJ02_SRID)?.label).toBe('GCJ-02 火星坐标 经纬度 (高德/腾讯等网络地图)');
    expect(describeSrid(GCJ02_SRID)).toMatchObject({ kind: 'geographic', datum: 'gcj02' });
    expect(proj4Definition(GCJ02_SRID)).toBeNull();
    expect(checkCrsAgainstExtent(GCJ02_SRID, { minX: 117.9, minY: 24.4, maxX: 118.4, maxY: 24.8 })).toEqual({ consistent: true });
  });
});
