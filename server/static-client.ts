import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { AppInstance } from './app-instance.js';

/** Vite names every bundled file by its content (`index-DYaGBjmm.js`): a new build, a new name. */
export const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, favicon): the browser asks again each time (a 304 when unchanged). */
export const UNHASHED_CACHE = 'no-cache';

/** The Cache-Control of a file of the built client: a year for hashed assets, revalidation for the rest. */
export function staticCacheControl(clientDirectory: string, filePath: string): string {
  const relative = path.relative(clientDirectory, filePath).split(path.sep);
  return relative.length > 1 && relative[0] === 'assets' ? HASHED_ASSET_CACHE : UNHASHED_CACHE;
}

/**
 * Serves the built client (`client/dist`) when there is one: the `.br` or `.gz` copy the build wrote
 * beside each file (scripts/precompress.ts) when the browser accepts it (Vary: Accept-Encoding), the
 * file itself otherwise; hashed assets cached for a year, index.html revalidated on every load.
 */
export async function registerClient(app: AppInstance, clientDirectory: string): Promise<void> {
  if (!fs.existsSync(path.join(clientDirectory, 'index.html'))) return;
  // The public 招商地图 (client/zhaoshang/index.html, a page and bundle of its own) lives at /zhaoshang/.
  if (fs.existsSync(path.join(clientDirectory, 'zhaoshang', 'index.html'))) {
    app.get('/zhaoshang', { schema: { hide: true } }, (request, reply) => reply.redirect(`/zhaoshang/${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}`, 301));
  }
  await app.register(fastifyStatic, {
    root: clientDirectory, prefix: '/', wildcard: true, index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      reply.header('cache-control', staticCacheControl(clientDirectory, filePath));
    },
  });
}
