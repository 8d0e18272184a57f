import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseButiao, type ButiaoFile, type ButiaoResult } from './butiao.js';
import { datumRefusalMessage } from './crs.js';

const testdata = path.resolve(import.meta.dirname, '../../../shared/testdata');

function readButiao(relativePath: string): string {
  return fs.readFileSync(path.join(testdata, 'butiao-txt', relativePath), 'utf8');
}

function parsed(result: ButiaoResult): ButiaoFile {
  if (!result.ok) throw new Error(`expected a parsed file, got ${result.reason} at line ${result.line}: ${result.message}`);
  return result.file;
}

const HEADER_ZONE_39 = [
  '[属性描述]',
  '坐标系=2000国家大地坐标系',
  '几度分带=3',
  '投影类型=高斯克吕格',
  '计量单位=米',
  '带号=39',
  '精度=0.001',
  '转换参数=,,,,,,',
  '[地块坐标]',
];

/** A 部标 file in zone 39 (Xiamen) with the given lines after `[地块坐标]` (line 10 onwards). */
function zone39File(...coordinateLines: string[]): string {
  return [...HEADER_ZONE_39, ...coordinateLines].join('\n');
}

/** 100 m × 100 m with a 30 m × 20 m hole (9 400 m²), then a 50 m × 40 m plot plus a separate 10 m × 10 m part (2 100 m²). */
const TWO_PARCELS_WITH_A_HOLE = zone39File(
  '10,0.9400,XM-01,湖里厂区,面,,工业用地,0601,@',
  'J1,1,2711000.000,39611000.000',
  'J2,1,2711000.000,39611100.000',
  'J3,1,2711100.000,39611100.000',
  'J4,1,2711100.000,39611000.000',
  'J1,1,2711000.000,39611000.000',
  'J5,2,2711020.000,39611020.000',
  'J6,2,2711040.000,39611020.000',
  'J7,2,2711040.000,39611050.000',
  'J8,2,2711020.000,39611050.000',
  'J5,2,2711020.000,39611020.000',
  '10,0.2100,XM-02,仓库,面,G50,物流仓储用地,0508,@',
  'J1,1,2712000.000,39612000.000',
  'J2,1,2712000.000,39612050.000',
  'J3,1,2712040.000,39612050.000',
  'J4,1,2712040.000,39612000.000',
  'J1,1,2712000.000,39612000.000',
  'J5,2,2712000.000,39612100.000',
  'J6,2,2712000.000,39612110.000',
  'J7,2,2712010.000,39612110.000',
  'J8,2,2712010.000,39612100.000',
  'J5,2,2712000.000,39612100.000',
);

describe('parsing real 部标 files', () => {
  it('reads pengbu_BR-14.txt: one parcel of 66 points in zone 40, planar area 57 089.5 m² as declared (5.7089 公顷)', () => {
    const file = parsed(parseButiao(readButiao('qw-coordinatetools-pengbu/pengbu_BR-14.txt')));
    expect(file).toMatchObject({ srid: 4528, zone: 40, zonePrefixed: true, warnings: [], notes: [] });
    expect(file.header).toMatchObject({ 坐标系: '2000国家大地坐标系', 几度分带: '3', 带号: '40', 数据产生单位: '浙江华东建设工程有限公司' });
    expect(file.parcels).toHaveLength(1);
    const [parcel] = file.parcels;
    expect(parcel).toMatchObject({
      pointCount: 66, declaredAreaHa: 5.7089, number: '1', name: '彭埠单元B/R-14地块', shapeKind: '面', sheet: '', use: '', landUseCode: '', warnings: [],
    });
    expect(parcel.planarAreaM2).toBeCloseTo(57_089.5, 0);
    expect(Math.abs(parcel.planarAreaM2 - 57_089.5)).toBeLessThan(0.5);
    expect(parcel.polygons).toHaveLength(1);
    expect(parcel.polygons[0]).toHaveLength(1);
    expect(parcel.polygons[0][0]).toHaveLength(66);
    expect(parcel.polygons[0][0][0]).toEqual([40_520_986.477, 3_353_189.181]);
    expect(parcel.polygons[0][0][65]).toEqual([40_520_986.477, 3_353_189.181]);
  });

  it.each([
    ['plot_000.txt', 6, 12_247.10],
    ['plot_001.txt', 5, 744.20],
    ['plot_002.txt', 55, 5_241.71],
    ['plot_003.txt', 53, 16_957.52],
    ['plot_004.txt', 5, 3_786.09],
  ])('reads edcfoshan %s: one parcel in 3-degree zone 38 (Foshan), %i points, %f m²', (name, points, area) => {
    const file = parsed(parseButiao(readButiao(`edcfoshan-polygon-txt/${name}`)));
    expect(file).toMatchObject({ srid: 4526, zone: 38, zonePrefixed: true, notes: [] });
    expect(file.parcels).toHaveLength(1);
    const [parcel] = file.parcels;
    // The exporter left its template field names in the parcel line: "6,,FID_0,DKMC,面, , , ,@".
    expect(parcel).toMatchObject({ pointCount: points, declaredAreaHa: null, number: 'FID_0', name: 'DKMC', shapeKind: '面', use: '', notes: [] });
    expect(parcel.polygons[0][0]).toHaveLength(points);
    expect(parcel.planarAreaM2).toBeCloseTo(area, 2);
  });
});

describe('rings, holes and areas', () => {
  it('makes 圈号 2 inside 圈号 1 a hole, and a separate 圈号 2 a further polygon', () => {
    const file = parsed(parseButiao(TWO_PARCELS_WITH_A_HOLE));
    expect(file).toMatchObject({ srid: 4527, zone: 39, zonePrefixed: true, notes: [] });
    const [withHole, twoParts] = file.parcels;
    expect(withHole).toMatchObject({ pointCount: 10, declaredAreaHa: 0.94, number: 'XM-01', name: '湖里厂区', use: '工业用地', landUseCode: '0601', notes: [] });
    expect(withHole.polygons).toEqual([[
      [[39611000, 2711000], [39611100, 2711000], [39611100, 2711100], [39611000, 2711100], [39611000, 2711000]],
      [[39611020, 2711020], [39611020, 2711040], [39611050, 2711040], [39611050, 2711020], [39611020, 2711020]],
    ]]);
    expect(withHole.planarAreaM2).toBeCloseTo(9_400, 6);
    expect(twoParts).toMatchObject({ number: 'XM-02', sheet: 'G50', landUseCode: '0508', notes: [] });
    expect(twoParts.polygons).toEqual([
      [[[39612000, 2712000], [39612050, 2712000], [39612050, 2712040], [39612000, 2712040], [39612000, 2712000]]],
      [[[39612100, 2712000], [39612110, 2712000], [39612110, 2712010], [39612100, 2712010], [39612100, 2712000]]],
    ]);
    expect(twoParts.planarAreaM2).toBeCloseTo(2_100, 6);
  });

  it('warns when the declared 公顷 differs from the planar area by more than 0.5 %', () => {
    const file = parsed(parseButiao(TWO_PARCELS_WITH_A_HOLE.replace('10,0.9400,XM-01', '10,1.0000,XM-01')));
    expect(file.parcels[0].notes).toEqual([{ reason: 'area_mismatch', line: 10, message: '声明面积 1 公顷与坐标计算的平面面积 0.9400 公顷相差 6.00%' }]);
    expect(file.parcels[0].warnings).toEqual(['声明面积 1 公顷与坐标计算的平面面积 0.9400 公顷相差 6.00%']);
  });

  it('accepts a declared area within 0.5 %', () => {
    const file = parsed(parseButiao(TWO_PARCELS_WITH_A_HOLE.replace('10,0.9400,XM-01', '10,0.9440,XM-01')));
    expect(file.parcels[0].notes).toEqual([]);
  });

  it('closes a ring that does not return to its first point, with a note', () => {
    const file = parsed(parseButiao(zone39File(
      '4,0.0100,1,地块1,面,,,,@',
      'J1,1,2711000,39611000',
      'J2,1,2711000,39611100',
      'J3,1,2711100,39611100',
      'J4,1,2711100,39611000',
    )));
    const [parcel] = file.parcels;
    expect(parcel.notes).toEqual([
      { reason: 'ring_not_closed', line: 11, message: '第 1 圈未回到起点，已自动闭合' },
      { reason: 'area_mismatch', line: 10, message: '声明面积 0.01 公顷与坐标计算的平面面积 1.0000 公顷相差 9900.00%' },
    ]);
    expect(parcel.polygons[0][0]).toEqual([[39611000, 2711000], [39611100, 2711000], [39611100, 2711100], [39611000, 2711100], [39611000, 2711000]]);
    expect(parcel.planarAreaM2).toBeCloseTo(10_000, 6);
  });

  it('accepts 界址点数 counted without the closing point', () => {
    const file = parsed(parseButiao(TWO_PARCELS_WITH_A_HOLE.replace('10,0.9400,XM-01', '8,0.9400,XM-01')));
    expect(file.parcels[0].notes).toEqual([]);
  });

  it('keeps a closed parcel whose 界址点数 is stale, with a note', () => {
    const file = parsed(parseButiao(TWO_PARCELS_WITH_A_HOLE.replace('10,0.9400,XM-01', '12,0.9400,XM-01')));
    expect(file.parcels[0].notes).toEqual([
      { reason: 'point_count_mismatch', line: 10, message: '界址点数声明为 12，实际有 10 个坐标点；各圈均已闭合，按实际坐标点导入' },
    ]);
  });

  it('reads CRLF line ends, a BOM, full-width commas and blank lines', () => {
    const text = `\uFEFF${TWO_PARCELS_WITH_A_HOLE.replace('J2,1,2711000.000,39611100.000', 'J2，1，2711000.000，39611100.000').split('\n').join('\r\n')}\r\n\r\n`;
    const file = parsed(parseButiao(text));
    expect(file.parcels.map((parcel) => parcel.planarAreaM2)).toEqual([9_400, 2_100]);
  });

  it('skips point and line records with a note', () => {
    const file = parsed(parseButiao(zone39File(
      '2,,L1,道路中线,线,,,,@',
      'J1,1,2711000,39611000',
      'J2,1,2711100,39611000',
      '5,1.0000,P1,地块1,面,,,,@',
      'J1,1,2711000,39611000',
      'J2,1,2711000,39611100',
      'J3,1,2711100,39611100',
      'J4,1,2711100,39611000',
      'J1,1,2711000,39611000',
    )));
    expect(file.parcels.map((parcel) => parcel.number)).toEqual(['P1']);
    expect(file.notes).toEqual([{ reason: 'not_a_polygon', line: 10, message: '地块「道路中线」的图形属性为「线」，不是面，已跳过' }]);
  });
});

describe('the coordinate system in the header', () => {
  const square = ['5,1.0000,1,地块1,面,,,,@', 'J1,1,2711000,39611000', 'J2,1,2711000,39611100', 'J3,1,2711100,39611100', 'J4,1,2711100,39611000', 'J1,1,2711000,39611000'];
  const unprefixedSquare = square.map((line) => line.replace(/,396/g, ',6'));

  it('gives the central-meridian code when eastings carry no zone prefix', () => {
    const file = parsed(parseButiao(zone39File(...unprefixedSquare)));
    expect(file).toMatchObject({ srid: 4548, zone: 39, zonePrefixed: false });
  });

  it('reads a 带号 of 117 as the central meridian', () => {
    const file = parsed(parseButiao(zone39File(...unprefixedSquare).replace('带号=39', '带号=117')));
    expect(file).toMatchObject({ srid: 4548, zone: 39, zonePrefixed: false });
  });

  it('gives the 6-degree code for 几度分带=6', () => {
    const text = zone39File(...square.map((line) => line.replace(/,396/g, ',205'))).replace('几度分带=3', '几度分带=6').replace('带号=39', '带号=20');
    expect(parsed(parseButiao(text))).toMatchObject({ srid: 4498, zone: 20, zonePrefixed: true });
  });

  it('follows the eastings when the header\'s 带号 contradicts them, with a note', () => {
    const file = parsed(parseButiao(zone39File(...square).replace('带号=39', '带号=38')));
    expect(file).toMatchObject({ srid: 4527, zone: 39 });
    expect(file.notes).toEqual([{ reason: 'zone_mismatch', line: 6, message: '文件头带号为 38，但东坐标的带号为 39；按东坐标的带号 39 处理' }]);
  });

  it('proposes no code when the header names no coordinate system', () => {
    const file = parsed(parseButiao(zone39File(...square).replace('坐标系=2000国家大地坐标系\n', '')));
    expect(file).toMatchObject({ srid: null, zone: 39, zonePrefixed: true });
    expect(file.notes).toEqual([{ reason: 'unknown_crs', line: 0, message: '文件头没有注明坐标系，请在导入时选择坐标系' }]);
  });

  it('proposes no code for unprefixed eastings without 带号', () => {
    const file = parsed(parseButiao(zone39File(...unprefixedSquare).replace('带号=39\n', '')));
    expect(file).toMatchObject({ srid: null, zone: null, zonePrefixed: false });
    expect(file.notes.map((note) => note.reason)).toEqual(['unknown_crs']);
  });

  it.each([
    ['1980西安坐标系', 'xian80'],
    ['西安80', 'xian80'],
    ['1954北京坐标系', 'beijing54'],
  ] as const)('refuses 坐标系=%s with the datum message', (system, datum) => {
    const result = parseButiao(zone39File(...square).replace('2000国家大地坐标系', system));
    expect(result).toEqual({ ok: false, reason: 'unsupported_datum', line: 2, message: datumRefusalMessage(datum) });
  });
});

describe('malformed files', () => {
  it('fails without a [地块坐标] section', () => {
    expect(parseButiao('[属性描述]\n坐标系=2000国家大地坐标系\n')).toMatchObject({ ok: false, reason: 'no_coordinate_section', line: 0 });
    expect(parseButiao('<html><body>404</body></html>')).toMatchObject({ ok: false, reason: 'no_coordinate_section', line: 0 });
  });

  it('fails when the coordinate section has no parcel line', () => {
    expect(parseButiao(zone39File())).toMatchObject({ ok: false, reason: 'no_parcels', line: 0 });
  });

  it('fails on a parcel line whose 界址点数 is not an integer', () => {
    expect(parseButiao(zone39File('五,1.0,1,地块1,面,,,,@'))).toMatchObject({ ok: false, reason: 'bad_parcel_line', line: 10 });
  });

  it('fails on a parcel line whose area is not a number', () => {
    expect(parseButiao(zone39File('5,一公顷,1,地块1,面,,,,@'))).toMatchObject({ ok: false, reason: 'bad_parcel_line', line: 10 });
  });

  it('fails on points before any parcel line', () => {
    expect(parseButiao(zone39File('J1,1,2711000,39611000'))).toMatchObject({ ok: false, reason: 'bad_parcel_line', line: 10 });
  });

  it.each([
    ['J2,1,2711000', 'too few fields'],
    ['J2,1,2711000,39611l00', 'a letter in a coordinate'],
    ['J2,0,2711000,39611100', 'ring number 0'],
    ['J2,A,2711000,39611100', 'a ring number that is not a number'],
  ])('fails on a point line %j (%s) with its line number', (line) => {
    expect(parseButiao(zone39File('5,1.0,1,地块1,面,,,,@', 'J1,1,2711000,39611000', line))).toMatchObject({ ok: false, reason: 'bad_point_line', line: 12 });
  });

  it('fails when eastings mix zone prefixes', () => {
    const result = parseButiao(zone39File('4,,1,地块1,面,,,,@', 'J1,1,2711000,39611000', 'J2,1,2711000,611100', 'J3,1,2711100,39611100', 'J1,1,2711000,39611000'));
    expect(result).toMatchObject({ ok: false, reason: 'bad_point_line', line: 12 });
  });

  it('fails when fewer points than declared arrive and the ring is left open (a cut-off file)', () => {
    const result = parseButiao(zone39File('7,1.0,1,地块1,面,,,,@', 'J1,1,2711000,39611000', 'J2,1,2711000,39611100', 'J3,1,2711100,39611100', 'J4,1,2711100,39611000'));
    expect(result).toEqual({
      ok: false, reason: 'point_count_mismatch', line: 10,
      message: '界址点数声明为 7，实际有 4 个坐标点，且有圈未闭合，文件可能不完整',
    });
  });

  it('fails on a ring of fewer than three distinct points', () => {
    const result = parseButiao(zone39File('3,,1,地块1,面,,,,@', 'J1,1,2711000,39611000', 'J2,1,2711000,39611100', 'J1,1,2711000,39611000'));
    expect(result).toMatchObject({ ok: false, reason: 'too_few_points', line: 11 });
  });

  it('fails on a parcel without points', () => {
    const result = parseButiao(zone39File('0,,1,地块1,面,,,,@', '5,,2,地块2,面,,,,@'));
    expect(result).toMatchObject({ ok: false, reason: 'too_few_points', line: 10 });
  });
});
