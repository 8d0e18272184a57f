/**
 * Pre-compression of the built client: every text asset of `client/dist` gets a Brotli (`.br`) and a
 * gzip (`.gz`) copy beside it, which `@fastify/static` (`preCompressed: true`, server/app.ts) sends
 * to browsers that accept them. Compressed once at build time at the highest levels, so serving costs
 * nothing. A copy that would not be smaller is not written.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

/** Text formats worth compressing (fonts in woff2 and images are compressed already). */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|ttf|wasm)$/i;
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024;

export interface PrecompressSummary {
  files: number;
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

function filesUnder(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Writes `<file>.br` and `<file>.gz` beside every compressible file of `directory`. */
export function precompressDirectory(directory: string): PrecompressSummary {
  const summary: PrecompressSummary = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const file of filesUnder(directory)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const content = fs.readFileSync(file);
    if (content.length < MIN_BYTES) continue;
    const brotli = zlib.brotliCompressSync(content, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    });
    const gzip = zlib.gzipSync(content, { level: zlib.constants.Z_BEST_COMPRESSION });
    summary.files++;
    summary.bytes += content.length;
    if (brotli.length < content.length) {
      fs.writeFileSync(`${file}.br`, brotli);
      summary.brotliBytes += brotli.length;
    }
    if (gzip.length < content.length) {
      fs.writeFileSync(`${file}.gz`, gzip);
      summary.gzipBytes += gzip.length;
    }
  }
  return summary;
}

/** The Vite plugin: pre-compresses the output directory once the bundle is written. */
export function precompressPlugin(): Plugin {
  return {
    name: 'biaotu-precompress',
    apply: 'build',
    writeBundle(options) {
      if (!options.dir) return;
      const summary = precompressDirectory(options.dir);
      const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
      this.info(`pre-compressed ${summary.files} files: ${kb(summary.bytes)} → brotli ${kb(summary.brotliBytes)}, gzip ${kb(summary.gzipBytes)}`);
    },
  };
}
