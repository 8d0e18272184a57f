/// <reference types="node" />
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { geometryAreaM2 } from '@domain/ellipsoidal-area.js';
import { boundaryFromButiao, boundaryFromGeoJson, decodeBoundaryText } from './boundary-files.js';

const testdata = path.resolve(import.meta.dirname, '../../../../shared/testdata');

describe('boundary files', () => {
  it('reads a 部标 txt in GBK, projects it from its Gauss-Kruger zone and gives the ellipsoidal area', () => {
    const bytes = fs.readFileSync(path.join(testdata, 'butiao-txt/qw-coordinatetools-pengbu/pengbu_BR-14.txt'));
    const result = boundaryFromButiao(decodeBoundaryText(new Uint8Array(bytes)));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.sourceCrs).toContain('EPSG:4528');
    // PROJ + GeographicLib give 57 088.889 m² for this parcel (see /work/shared/FACTS.md).
    expect(geometryAreaM2(result.boundary)).toBeCloseTo(57088.889, 0);
    const [lon, lat] = result.boundary.coordinates[0][0][0];
    expect(lon).toBeGreaterThan(120);
    expect(lat).toBeGreaterThan(30);
  });

  it('says what is wrong with a file that is not 部标', () => {
    expect(boundaryFromButiao('hello')).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('merges the polygons of a GeoJSON and refuses projected coordinates', () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[118, 24], [118.001, 24], [118.001, 24.001], [118, 24.001], [118, 24]]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[118.001, 24], [118.002, 24], [118.002, 24.001], [118.001, 24.001], [118.001, 24]]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [118, 24] } },
      ],
    };
    const result = boundaryFromGeoJson(JSON.stringify(collection));
    expect(result).toMatchObject({ ok: true, features: 2 });
    expect(result.ok && result.boundary.coordinates).toHaveLength(1);
    expect(boundaryFromGeoJson('{"type":"Polygon","coordinates":[[[500000,2700000],[500100,2700000],[500100,2700100],[500000,2700000]]]}')).toMatchObject({ ok: false, reason: 'not_degrees' });
    expect(boundaryFromGeoJson('not json')).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(boundaryFromGeoJson('{"type":"Point","coordinates":[1,2]}')).toMatchObject({ ok: false, reason: 'no_polygons' });
  });
});
