import fs from 'node:fs/promises';
import path from 'node:path';
import { GlyphParams, GlyphsBody } from '../../domain/api/tiles.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { REPOSITORY_ROOT } from '../config.js';

export const GLYPHS_DIRECTORY = path.join(REPOSITORY_ROOT, 'tiles', 'glyphs');

/**
 * Serves the glyph PBFs generated from the bundled font (scripts/build-glyphs.ts), so labels work
 * offline. Only Latin and digit ranges are generated: CJK is drawn by the browser through
 * MapLibre's `localIdeographFontFamily`, so any other range gets an empty 200 instead of an error
 * that would stop the label layer.
 */
export async function glyphsRoutes(app: AppInstance): Promise<void> {
  app.get('/glyphs/:fontstack/:range.pbf', {
    schema: {
      tags: ['tiles'],
      summary: 'Glyph PBF (signed distance fields) for map labels',
      params: GlyphParams,
      response: { 200: GlyphsBody },
    },
  }, async (request, reply) => {
    // Only the first font of a comma-separated stack is served; names never leave the folder.
    const font = request.params.fontstack.split(',')[0].trim();
    const file = path.join(GLYPHS_DIRECTORY, path.basename(font), `${request.params.range}.pbf`);
    const body = await fs.readFile(file).catch(() => Buffer.alloc(0));
    return reply
      .type('application/x-protobuf')
      .header('Cache-Control', 'public, max-age=86400')
      .send(body);
  });
}
