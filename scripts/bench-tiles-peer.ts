/**
 * The peer of `npm run bench:tiles` (issue 19): the tile route a user would write in place of the
 * product's tile service. One ST_AsMVT over parcels.geom_3857, `&&` with the tile envelope grown
 * by 64 px, ST_AsMVTGeom with buffer 64, four attributes (id, code, status, 低效类型), a pool of 8,
 * gzip level 1; no cache, no auth, no scope, no size cap. Run by the benchmark as a child process
 * (DATABASE_URL, PORT), over the same database and request list as the product.
 */
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
const app = Fastify();

app.get<{ Params: { z: string; x: string; y: string } }>('/tiles/parcels/:z/:x/:y.pbf', async (request, reply) => {
  const { z, x, y } = request.params;
  const { rows } = await pool.query<{ tile: Buffer }>(`
    WITH mvt AS (
      SELECT p.id, p.code, p.status, p.inefficiency_type AS "低效类型",
             ST_AsMVTGeom(p.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
      FROM parcels p
      WHERE p.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    )
    SELECT ST_AsMVT(mvt, 'parcels', 4096, 'geom', 'id') AS tile FROM mvt`, [Number(z), Number(x), Number(y)]);
  const tile = rows[0]?.tile;
  if (!tile || tile.length === 0) return reply.code(204).send();
  return reply.type('application/vnd.mapbox-vector-tile').header('content-encoding', 'gzip').send(gzipSync(tile, { level: 1 }));
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
// Stopped by the benchmark with SIGTERM: exit normally, so that a --cpu-prof profile is written.
process.once('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
