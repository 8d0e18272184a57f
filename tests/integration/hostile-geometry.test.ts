import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp, patchParcel } from '../helpers/test-app.js';

let testApp: TestApp;
let viewer: Session;
let surveyor: Session;
beforeAll(async () => {
  testApp = await createTestApp();
  viewer = await login(testApp.app, 'viewer');
  surveyor = await login(testApp.app, 'surveyor');
});
afterAll(async () => {
  await testApp.close();
});

const huge = { type: 'Polygon', coordinates: [[[-1e300, -1e300], [1e300, -1e300], [1e300, 1e300], [-1e300, -1e300]]] };

describe('hostile geometry (issue 12, item 1: the bodies seen)', () => {
  it('refuses a check of a ±1e300 polygon from a viewer at once with a 400 naming the boundary', async () => {
    const response = await viewer.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: 'xiamen-new-industrial', boundary: huge } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_geometry', parameter: 'boundary' });
    expect(response.json().message).toContain('不在中国范围内');
  });

  it('names swapped axes instead of failing with a 500', async () => {
    const swapped = { type: 'Polygon', coordinates: [[[24.5, 118.1], [24.5, 118.11], [24.51, 118.11], [24.5, 118.1]]] };
    const response = await viewer.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: 'xiamen-new-industrial', boundary: swapped } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('经纬度顺序颠倒');
  });

  it('refuses a 19 000-part MultiPolygon', async () => {
    const parts = Array.from({ length: 19_000 }, (_, index) => {
      const lon = 118.0 + (index % 200) * 0.0005;
      const lat = 24.4 + Math.floor(index / 200) * 0.0005;
      return [[[lon, lat], [lon + 0.0001, lat], [lon + 0.0001, lat + 0.0001], [lon, lat]]];
    });
    const response = await viewer.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: 'xiamen-new-industrial', boundary: { type: 'MultiPolygon', coordinates: parts } } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('上限 500');
  });

  it('refuses a parcel shape of 400 000 vertices (9 MB) before reading it, and one of 100 001 by its vertex cap; the parcel stays as it was', async () => {
    const id = (await surveyor.get('/api/parcels?district=350206&pageSize=1')).json().items[0].id as number;
    const before = (await surveyor.get(`/api/parcels/${id}`)).json();
    const [minLon, minLat] = before.bbox as number[];
    const ring = Array.from({ length: 400_000 }, (_, index) => {
      const angle = (index / 400_000) * 2 * Math.PI;
      // 6 decimals keep the body under the 10 MB limit, as the 9.9 MB body seen was.
      return [Number((minLon + 0.0005 + 0.0004 * Math.cos(angle)).toFixed(6)), Number((minLat + 0.0005 + 0.0004 * Math.sin(angle)).toFixed(6))];
    });
    ring.push(ring[0]);
    const payload = JSON.stringify({ geometry: { type: 'Polygon', coordinates: [ring] } });
    expect(payload.length).toBeGreaterThan(8_000_000);
    const response = await surveyor.request({ method: 'PATCH', url: `/api/parcels/${id}`, payload, headers: { 'content-type': 'application/json' } });
    // Over the JSON limit of the geometry routes (heavyRequests.bodyLimitBytes): 413 from its Content-Length.
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: 'body_too_large' });
    expect(response.json().message).toContain('100000 个折点');
    const justOver = { type: 'Polygon', coordinates: [[...ring.slice(0, 100_000), ring[0]]] };
    const capped = await patchParcel(surveyor, id, { geometry: justOver });
    expect(capped.statusCode).toBe(400);
    expect(capped.json()).toMatchObject({ error: 'invalid_geometry', parameter: 'geometry' });
    expect(capped.json().message).toContain('折点超过 100000');
    expect((await surveyor.get(`/api/parcels/${id}`)).json().updatedAt).toBe(before.updatedAt);
  });
});
