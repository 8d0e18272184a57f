import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { geometryAreaM2, type MultiPolygonGeometry } from '../domain/ellipsoidal-area.js';
import { REPOSITORY_ROOT } from '../server/config.js';

/**
 * Builds the small 变更调查 fixtures the import tests use: a DLTB layer in CGCS2000 3-degree
 * Gauss-Kruger zone 39 (EPSG:4527) with GBK attributes and no .cpg (as surveyors receive it), with
 * one self-intersecting 图斑, one with a duplicated vertex and one whose TBMJ is wrong. Run once;
 * the outputs are committed under fixtures/imports/.
 */
const output = path.join(REPOSITORY_ROOT, 'fixtures', 'imports');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dltb-'));

const LAND_USES: [string, string][] = [['0601', '工业用地'], ['0508', '物流仓储用地'], ['0701', '城镇住宅用地'], ['1201', '空闲地'], ['05H1', '商业服务业设施用地']];
const features = [];
for (let index = 0; index < 12; index++) {
  const lon = 118.08 + (index % 4) * 0.004;
  const lat = 24.5 + Math.floor(index / 4) * 0.004;
  let ring: [number, number][] = [[lon, lat], [lon + 0.003, lat], [lon + 0.003, lat + 0.003], [lon, lat + 0.003], [lon, lat]];
  if (index === 3) ring = [[lon, lat], [lon + 0.003, lat + 0.003], [lon + 0.003, lat], [lon, lat + 0.003], [lon, lat]]; // bow-tie
  if (index === 5) ring = [[lon, lat], [lon + 0.003, lat], [lon + 0.003, lat], [lon + 0.003, lat + 0.003], [lon, lat + 0.003], [lon, lat]];
  const geometry: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: [[ring]] };
  const area = index === 3 ? 0 : geometryAreaM2(geometry);
  const [code, name] = LAND_USES[index % LAND_USES.length];
  features.push({
    type: 'Feature',
    properties: {
      BSM: `35020620230000${String(index + 1).padStart(2, '0')}`, DLBM: code, DLMC: name, QSXZ: '20',
      QSDWDM: '3502061010000000000', QSDWMC: '湖里区禾山街道', ZLDWDM: '3502061010000000000', ZLDWMC: '湖里区禾山街道',
      TBMJ: Math.round((index === 7 ? area * 1.02 : area) * 100) / 100, KCMJ: 0, TBDLMJ: Math.round(area * 100) / 100,
      CZCSXM: '201', SJNF: 2023, BZ: index === 9 ? "'; DROP TABLE parcels; -- <script>alert(1)</script>" : '',
    },
    geometry: { type: 'Polygon', coordinates: [ring] },
  });
}
fs.writeFileSync(path.join(work, 'dltb.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));

function shapefile(name: string, extra: string[] = []): string {
  const folder = path.join(work, name);
  fs.mkdirSync(folder, { recursive: true });
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(folder, 'DLTB.shp'), path.join(work, 'dltb.geojson'),
    '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4527', '-lco', 'ENCODING=CP936', '-nln', 'DLTB', ...extra]);
  fs.rmSync(path.join(folder, 'DLTB.cpg'), { force: true });
  // ArcGIS names the CRS this way; GDAL would write the EPSG name.
  fs.writeFileSync(path.join(folder, 'DLTB.prj'), 'PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
  return folder;
}

function zip(folder: string, target: string, entries: string[]): void {
  fs.rmSync(target, { force: true });
  execFileSync('zip', ['-q', '-X', '-r', target, ...entries], { cwd: folder });
}

const gbk = shapefile('gbk');
fs.mkdirSync(path.join(gbk, '2023年变更调查'), { recursive: true });
for (const extension of ['shp', 'shx', 'dbf', 'prj']) fs.renameSync(path.join(gbk, `DLTB.${extension}`), path.join(gbk, '2023年变更调查', `DLTB.${extension.toUpperCase()}`));
zip(gbk, path.join(output, 'dltb-2023-gbk-4527.zip'), ['2023年变更调查']);

const noPrj = shapefile('noprj');
fs.rmSync(path.join(noPrj, 'DLTB.prj'));
zip(noPrj, path.join(output, 'dltb-2023-no-prj.zip'), ['DLTB.shp', 'DLTB.shx', 'DLTB.dbf']);

const xian = shapefile('xian80');
fs.writeFileSync(path.join(xian, 'DLTB.prj'), 'PROJCS["Xian_1980_3_Degree_GK_Zone_39",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
zip(xian, path.join(output, 'dltb-xian80.zip'), ['DLTB.shp', 'DLTB.shx', 'DLTB.dbf', 'DLTB.prj']);
fs.rmSync(work, { recursive: true, force: true });
console.log(`fixtures written to ${output}`);
