import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A real GeoPackage written by GDAL's GPKG driver into `folder`: one layer per entry, `count`
 * features in 湖里区 in CGCS2000 3-degree zone 39 (EPSG:4527), squares for a polygon layer and
 * their corners for a point layer. Answers the file.
 */
export function geoPackage(folder: string, file: string, layers: readonly { name: string; kind: 'polygon' | 'point'; count: number }[]): string {
  const target = path.join(folder, file);
  fs.rmSync(target, { force: true });
  for (const [layerIndex, layer] of layers.entries()) {
    const features = Array.from({ length: layer.count }, (_, index) => {
      const [lon, lat] = [118.12 + index * 0.003, 24.52 + layerIndex * 0.004];
      const geometry = layer.kind === 'point'
        ? { type: 'Point', coordinates: [lon, lat] }
        : { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.002, lat], [lon + 0.002, lat + 0.002], [lon, lat + 0.002], [lon, lat]]] };
      return { type: 'Feature', properties: { 宗地编号: `${layer.name}-${index}`, 土地使用权人: `厦门${layer.name}有限公司` }, geometry };
    });
    const source = path.join(folder, `${layer.name}.geojson`);
    fs.writeFileSync(source, JSON.stringify({ type: 'FeatureCollection', features }));
    execFileSync('ogr2ogr', ['-f', 'GPKG', target, source, '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4527', '-nln', layer.name, ...(layerIndex > 0 ? ['-update'] : [])]);
    fs.rmSync(source);
  }
  return target;
}
