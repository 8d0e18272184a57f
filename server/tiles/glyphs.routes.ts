import fs from 'node:fs/promises';
import path from 'node:path';
import { Type } from 'typebox';
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
      params: Type.Object({
        fontstack: Type.String({ description: 'e.g. Noto Sans Regular' }),
        range: Type.String({ pattern: '^[0-9]+-[0-9]+$', description: 'e.g. 0-255' }),
      }),
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
