/**
 * Builds the MapLibre glyph PBFs the map uses offline for Latin letters, digits and punctuation:
 * tiles/glyphs/Noto Sans Regular/{0-255,256-511,8192-8447}.pbf.
 *
 * CJK text is drawn by the browser itself (MapLibre's `localIdeographFontFamily`), but every other
 * character is fetched from the style's `glyphs` URL, so the product ships these files instead of
 * depending on a font CDN.
 *
 * Source fonts (SIL OFL 1.1, from @fontsource/noto-sans, copied to fixtures/fonts/ with OFL.txt):
 *  - fixtures/fonts/NotoSans-Regular.woff2          Latin subset (U+0000-00FF, general punctuation…)
 *  - fixtures/fonts/NotoSans-Regular-LatinExt.woff2 Latin Extended subset (pinyin tone marks ā ǎ…)
 *
 * Method: the code points each font has are read from its cmap (WOFF2 is decompressed in Node);
 * headless Chromium loads the fonts with the FontFace API and rasterises every code point with
 * @mapbox/tiny-sdf (fontSize 24, buffer 3, radius 8, cutoff 0.25: the SDF glyph conventions of
 * MapLibre/node-fontnik); Node encodes the result with `pbf`.
 *
 * Metrics follow MapLibre's own local (TinySDF) glyphs in src/render/glyph_manager.ts, so these
 * glyphs share a baseline with the CJK glyphs MapLibre draws locally next to them:
 *  - a local glyph has `top = glyphTop / 2 - 27.5` (glyphTop = distance from the alphabetic
 *    baseline to the bitmap's top edge, at 2× resolution; `topAdjustment` = 27.5), but the glyph
 *    atlas's 1-texel padding is only half a unit at 2×, so a local glyph is drawn half a unit
 *    higher than its metrics say (getGlyphQuads uses `rectBuffer = 4` for both): its baseline
 *    ends up 27 units below the line origin. A 1× glyph with `top = glyphTop - 27` has its
 *    baseline at exactly the same place (checked by rendering both in MapLibre: the ink of the two
 *    lines up to within a fraction of a pixel).
 *  - `left` = TinySDF's glyphLeft (floor of the ink's left bearing), as node-fontnik does; MapLibre's
 *    +0.5 `leftAdjustment` cancels the same half-unit atlas offset for its local glyphs.
 *  - `advance` = the browser's advance width rounded to the nearest pixel (node-fontnik truncates,
 *    which shortens runs of digits).
 * Code points the fonts lack, and C0/C1 control characters, are omitted.
 *
 * Run: npx tsx scripts/build-glyphs.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { brotliDecompressSync } from 'node:zlib';
import { PbfWriter } from 'pbf';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const FONTSTACK = 'Noto Sans Regular';
const FONT_FILES = ['fixtures/fonts/NotoSans-Regular.woff2', 'fixtures/fonts/NotoSans-Regular-LatinExt.woff2'];
const RANGES: [number, number][] = [
  [0, 255],
  [256, 511],
  [8192, 8447],
];
const OUTPUT_DIR = path.join(repoRoot, 'tiles/glyphs', FONTSTACK);

/** SDF parameters shared with MapLibre (its local glyphs use 2× these at 2× resolution). */
const SDF = { fontSize: 24, buffer: 3, radius: 8, cutoff: 0.25 } as const;
/** Baseline of a 1× glyph below the line origin that matches MapLibre's local glyphs (see above). */
const TOP_ADJUSTMENT = 27;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// ---------------------------------------------------------------------------------------------
// WOFF2 cmap reading (just enough of https://www.w3.org/TR/WOFF2/ to find the cmap table)

const WOFF2_KNOWN_TAGS = [
  'cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca',
  'prep', 'CFF ', 'VORG', 'EBDT', 'EBLC', 'gasp', 'hdmx', 'kern', 'LTSH', 'PCLT', 'VDMX', 'vhea',
  'vmtx', 'BASE', 'GDEF', 'GPOS', 'GSUB', 'EBSC', 'JSTF', 'MATH', 'CBDT', 'CBLC', 'COLR', 'CPAL',
  'SVG ', 'sbix', 'acnt', 'avar', 'bdat', 'bloc', 'bsln', 'cvar', 'fdsc', 'feat', 'fmtx', 'fvar',
  'gvar', 'hsty', 'just', 'lcar', 'mort', 'morx', 'opbd', 'prop', 'trak', 'Zapf', 'Silf', 'Glat',
  'Gloc', 'Feat', 'Sill',
];

/** The raw cmap table of a WOFF2 font (the cmap table is never transformed in WOFF2). */
function woff2Cmap(font: Buffer): Buffer {
  if (font.toString('latin1', 0, 4) !== 'wOF2') throw new Error('not a WOFF2 file');
  if (font.toString('latin1', 4, 8) === 'ttcf') throw new Error('WOFF2 collections are not supported');
  const numTables = font.readUInt16BE(12);
  const totalCompressedSize = font.readUInt32BE(20);
  let offset = 48;
  const readBase128 = (): number => {
    let value = 0;
    for (let index = 0; index < 5; index++) {
      const byte = font[offset++];
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('bad UIntBase128');
  };
  const tables: { tag: string; length: number }[] = [];
  for (let index = 0; index < numTables; index++) {
    const flags = font[offset++];
    let tag = WOFF2_KNOWN_TAGS[flags & 0x3f];
    if ((flags & 0x3f) === 0x3f) {
      tag = font.toString('latin1', offset, offset + 4);
      offset += 4;
    }
    const version = (flags >> 6) & 3;
    const origLength = readBase128();
    const transformed = tag === 'glyf' || tag === 'loca' ? version === 0 : version !== 0;
    const length = transformed ? readBase128() : origLength;
    tables.push({ tag, length });
  }
  const stream = brotliDecompressSync(font.subarray(offset, offset + totalCompressedSize));
  let position = 0;
  for (const table of tables) {
    if (table.tag === 'cmap') return stream.subarray(position, position + table.length);
    position += table.length;
  }
  throw new Error('font has no cmap table');
}

/** Code points a font maps to a glyph other than .notdef, from its Unicode cmap subtable. */
export function fontCodePoints(font: Buffer): Set<number> {
  const cmap = woff2Cmap(font);
  const numSubtables = cmap.readUInt16BE(2);
  const subtables: { platform: number; encoding: number; offset: number; format: number }[] = [];
  for (let index = 0; index < numSubtables; index++) {
    const record = 4 + index * 8;
    const subtableOffset = cmap.readUInt32BE(record + 4);
    subtables.push({
      platform: cmap.readUInt16BE(record),
      encoding: cmap.readUInt16BE(record + 2),
      offset: subtableOffset,
      format: cmap.readUInt16BE(subtableOffset),
    });
  }
  const points = new Set<number>();
  const format12 = subtables.find((table) => table.format === 12 && (table.platform === 3 || table.platform === 0));
  if (format12) {
    const base = format12.offset;
    const groups = cmap.readUInt32BE(base + 12);
    for (let group = 0; group < groups; group++) {
      const record = base + 16 + group * 12;
      const start = cmap.readUInt32BE(record);
      const end = cmap.readUInt32BE(record + 4);
      const startGlyph = cmap.readUInt32BE(record + 8);
      for (let code = start; code <= end; code++) if (startGlyph + code - start !== 0) points.add(code);
    }
    return points;
  }
  const format4 = subtables.find((table) => table.format === 4 && (table.platform === 3 || table.platform === 0));
  if (!format4) throw new Error('font has no Unicode cmap subtable of format 4 or 12');
  const base = format4.offset;
  const segCount = cmap.readUInt16BE(base + 6) / 2;
  const endCodes = base + 14;
  const startCodes = endCodes + segCount * 2 + 2;
  const idDeltas = startCodes + segCount * 2;
  const idRangeOffsets = idDeltas + segCount * 2;
  for (let segment = 0; segment < segCount; segment++) {
    const end = cmap.readUInt16BE(endCodes + segment * 2);
    const start = cmap.readUInt16BE(startCodes + segment * 2);
    const delta = cmap.readInt16BE(idDeltas + segment * 2);
    const rangeOffsetAt = idRangeOffsets + segment * 2;
    const rangeOffset = cmap.readUInt16BE(rangeOffsetAt);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
      else {
        glyph = cmap.readUInt16BE(rangeOffsetAt + rangeOffset + 2 * (code - start));
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) points.add(code);
    }
  }
  return points;
}

// ---------------------------------------------------------------------------------------------
// Rasterising in Chromium

interface RasterGlyph {
  id: number;
  /** SDF alpha bytes, (glyphWidth + 2·buffer) × (glyphHeight + 2·buffer), base64 */
  data: string;
  glyphWidth: number;
  glyphHeight: number;
  glyphTop: number;
  glyphLeft: number;
  glyphAdvance: number;
}

/** TinySDF's ESM source turned into a classic script defining `window.TinySDF`. */
function tinySdfScript(): string {
  const source = readFileSync(require.resolve('@mapbox/tiny-sdf'), 'utf8');
  if (!source.includes('export default class TinySDF')) throw new Error('unexpected @mapbox/tiny-sdf source');
  return `${source.replace('export default class TinySDF', 'class TinySDF')}\nwindow.TinySDF = TinySDF;\n`;
}

async function rasterise(jobs: { family: string; font: Buffer; codePoints: number[] }[]): Promise<RasterGlyph[]> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: tinySdfScript() });
    const glyphs: RasterGlyph[] = [];
    for (const job of jobs) {
      const result = await page.evaluate(
        async ({ family, fontBase64, codePoints, sdf }) => {
          const bytes = Uint8Array.from(atob(fontBase64), (char) => char.charCodeAt(0));
          const face = new FontFace(family, bytes.buffer);
          await face.load();
          (document.fonts as unknown as Set<FontFace>).add(face);
          type Sdf = {
            draw(char: string): {
              data: Uint8ClampedArray; glyphWidth: number; glyphHeight: number;
              glyphTop: number; glyphLeft: number; glyphAdvance: number;
            };
          };
          const TinySDF = (window as unknown as { TinySDF: new (options: object) => Sdf }).TinySDF;
          const tinySdf = new TinySDF({ ...sdf, fontFamily: `'${family}'`, fontWeight: 'normal', fontStyle: 'normal' });
          if (!document.fonts.check(`${sdf.fontSize}px '${family}'`)) throw new Error(`font ${family} did not load`);
          return codePoints.map((id) => {
            const glyph = tinySdf.draw(String.fromCodePoint(id));
            let binary = '';
            for (const byte of glyph.data) binary += String.fromCharCode(byte);
            return {
              id,
              data: btoa(binary),
              glyphWidth: glyph.glyphWidth,
              glyphHeight: glyph.glyphHeight,
              glyphTop: glyph.glyphTop,
              glyphLeft: glyph.glyphLeft,
              glyphAdvance: glyph.glyphAdvance,
            };
          });
        },
        { family: job.family, fontBase64: job.font.toString('base64'), codePoints: job.codePoints, sdf: SDF },
      );
      glyphs.push(...result);
    }
    return glyphs;
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding (glyphs.proto of node-fontnik / MapLibre)

export interface PbfGlyph {
  id: number;
  bitmap?: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

export function encodeGlyphRange(name: string, range: string, glyphs: readonly PbfGlyph[]): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, (_: undefined, fontstack: PbfWriter) => {
    fontstack.writeStringField(1, name);
    fontstack.writeStringField(2, range);
    for (const glyph of glyphs) {
      fontstack.writeMessage(3, (__: undefined, out: PbfWriter) => {
        out.writeVarintField(1, glyph.id);
        if (glyph.bitmap && glyph.width > 0 && glyph.height > 0) out.writeBytesField(2, glyph.bitmap);
        out.writeVarintField(3, glyph.width);
        out.writeVarintField(4, glyph.height);
        out.writeSVarintField(5, glyph.left);
        out.writeSVarintField(6, glyph.top);
        out.writeVarintField(7, glyph.advance);
      }, undefined);
    }
  }, undefined);
  return pbf.finish();
}

function toPbfGlyph(raster: RasterGlyph): PbfGlyph {
  const empty = raster.glyphWidth === 0 || raster.glyphHeight === 0;
  const bitmap = empty ? undefined : new Uint8Array(Buffer.from(raster.data, 'base64'));
  if (bitmap && bitmap.length !== (raster.glyphWidth + 2 * SDF.buffer) * (raster.glyphHeight + 2 * SDF.buffer)) {
    throw new Error(`bitmap size mismatch for U+${raster.id.toString(16)}`);
  }
  return {
    id: raster.id,
    bitmap,
    width: empty ? 0 : raster.glyphWidth,
    height: empty ? 0 : raster.glyphHeight,
    left: empty ? 0 : raster.glyphLeft,
    top: empty ? 0 : raster.glyphTop - TOP_ADJUSTMENT,
    advance: Math.max(0, Math.round(raster.glyphAdvance)),
  };
}

const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code < 0xa0);

async function main(): Promise<void> {
  const fonts = FONT_FILES.map((file) => ({ file, font: readFileSync(path.join(repoRoot, file)) }));
  const coverage = fonts.map(({ font }) => fontCodePoints(font));
  // Each code point is drawn from the first font that has it.
  const owner = new Map<number, number>();
  for (const [start, end] of RANGES) {
    for (let code = start; code <= end; code++) {
      if (isControl(code)) continue;
      const index = coverage.findIndex((points) => points.has(code));
      if (index >= 0) owner.set(code, index);
    }
  }
  const jobs = fonts.map(({ font }, index) => ({
    family: `GlyphSource${index}`,
    font,
    codePoints: [...owner].filter(([, fontIndex]) => fontIndex === index).map(([code]) => code),
  }));
  const rasters = new Map((await rasterise(jobs)).map((glyph) => [glyph.id, glyph]));

  mkdirSync(OUTPUT_DIR, { recursive: true });
  for (const [start, end] of RANGES) {
    const glyphs = [...rasters.values()]
      .filter((glyph) => glyph.id >= start && glyph.id <= end)
      .sort((a, b) => a.id - b.id)
      .map(toPbfGlyph);
    const range = `${start}-${end}`;
    const file = path.join(OUTPUT_DIR, `${range}.pbf`);
    const bytes = encodeGlyphRange(FONTSTACK, range, glyphs);
    writeFileSync(file, bytes);
    console.log(`${path.relative(repoRoot, file)}: ${glyphs.length} glyphs, ${bytes.length} bytes`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
