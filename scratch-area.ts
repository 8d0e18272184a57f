import pg from 'pg';
import { prepareDatabase } from './server/bootstrap.js';
const prepared = await prepareDatabase({ databaseName: 'postgres' });
const client = new pg.Client(prepared.url); await client.connect();
await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
for (const size of [0.001, 0.003, 0.01, 0.03]) {
  const r = await client.query(`
  WITH p AS (SELECT ST_SetSRID(ST_MakeEnvelope(118.1, 24.5, 118.1 + $1, 24.5 + $1*0.8), 4490) g),
  l AS (SELECT ST_SetSRID(ST_MakeLine(ST_Point(118.1 + $1*0.37, 24.49), ST_Point(118.1 + $1*0.41, 24.51)), 4490) g),
  parts AS (SELECT (ST_Dump(ST_Split(ST_Segmentize(p.g::geography, 100)::geometry, l.g))).geom FROM p, l)
  SELECT (SELECT ST_Area(g::geography) FROM p) whole, (SELECT sum(ST_Area(geom::geography)) FROM parts) s, (SELECT count(*) FROM parts) n,
   (SELECT ST_Area(ST_Segmentize(g::geography, 10)::geometry::geography) FROM p) dens`, [size]);
  console.log(size, r.rows[0], r.rows[0].whole - r.rows[0].s);
}
await client.end();
