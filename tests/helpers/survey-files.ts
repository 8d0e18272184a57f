import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { DatabaseClient } from '../../server/db/database.js';

/**
 * The south-west corner of a square of 湖里区, `side` degrees wide with a margin of a tenth of it,
 * found in the database (the tests do not guess the demo city's shapes).
 */
export async function huliSquare(db: DatabaseClient, side = 0.008): Promise<{ west: number; south: number }> {
  const { rows: [spot] } = await sql<{ west: number; south: number }>`
    SELECT ST_X(c) - ${side / 2}::float8 AS west, ST_Y(c) - ${side / 2}::float8 AS south
    FROM (SELECT ST_PointOnSurface(geom) AS c, geom FROM districts WHERE level = 'district' AND name = '湖里区') d
    WHERE ST_Covers(geom, ST_Expand(c, ${side * 0.625}::float8))`.execute(db);
  expect(spot).toBeDefined();
  return spot;
}

/** Zips `DLTB.shp` of `folder` with its .shx, .dbf and .prj (no .cpg) as `dltb.zip` there; answers the zip. */
export function zipShapefile(folder: string): string {
  const zip = path.join(folder, 'dltb.zip');
  execFileSync('python3', ['-m', 'zipfile', '-c', zip, ...['shp', 'shx', 'dbf', 'prj'].map((extension) => path.join(folder, `DLTB.${extension}`))]);
  return zip;
}

/** The attributes GDAL reads from a shapefile in the encoding given (its own iconv decoding), feature by feature. */
export function gdalAttributes(shapefile: string, encoding: string, fields?: readonly string[]): Record<string, string | null>[] {
  const output = execFileSync('ogr2ogr', ['-f', 'GeoJSONSeq', '/vsistdout/', shapefile, '-oo', `ENCODING=${encoding}`, ...(fields ? ['-select', fields.join(',')] : [])],
    { maxBuffer: 512 * 1024 ** 2, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  return output.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { properties: Record<string, string | null> }).properties);
}
