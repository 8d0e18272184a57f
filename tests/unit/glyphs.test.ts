import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PbfReader } from 'pbf';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GLYPH_DIR = path.join(repoRoot, 'tiles/glyphs/Noto Sans Regular');
/** MapLibre's GLYPH_PBF_BORDER: SDF bitmaps carry 3 px of padding on each side. */
const BORDER = 3;

interface Glyph {
  id: number;
  bitmap?: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}
interface Fontstack {
  name?: string;
  range?: string;
  glyphs: Glyph[];
}

/** Decodes a glyph PBF (glyphs.proto: glyphs → fontstack → glyph), as MapLibre does. */
function decode(file: string): Fontstack[] {
  const pbf = new PbfReader(readFileSync(file));
  return pbf.readFields<Fontstack[]>((tag, stacks, reader) => {
    if (tag !== 1) return;
    stacks.push(
      reader.readMessage<Fontstack>((stackTag, stack, stackReader) => {
        if (stackTag === 1) stack.name = stackReader.readString();
        else if (stackTag === 2) stack.range = stackReader.readString();
        else if (stackTag === 3) {
          stack.glyphs.push(
            stackReader.readMessage<Glyph>(
              (glyphTag, glyph, glyphReader) => {
                if (glyphTag === 1) glyph.id = glyphReader.readVarint();
                else if (glyphTag === 2) glyph.bitmap = glyphReader.readBytes();
                else if (glyphTag === 3) glyph.width = glyphReader.readVarint();
                else if (glyphTag === 4) glyph.height = glyphReader.readVarint();
                else if (glyphTag === 5) glyph.left = glyphReader.readSVarint();
                else if (glyphTag === 6) glyph.top = glyphReader.readSVarint();
                else if (glyphTag === 7) glyph.advance = glyphReader.readVarint();
              },
              { id: -1, width: 0, height: 0, left: 0, top: 0, advance: 0 },
            ),
          );
        }
      }, { glyphs: [] }),
    );
  }, []);
}

function codes(from: string, to: string): number[] {
  const result: number[] = [];
  for (let code = from.codePointAt(0)!; code <= to.codePointAt(0)!; code++) result.push(code);
  return result;
}

describe('tiles/glyphs/Noto Sans Regular', () => {
  const stacks = decode(path.join(GLYPH_DIR, '0-255.pbf'));
  const stack = stacks[0];
  const byId = new Map(stack.glyphs.map((glyph) => [glyph.id, glyph]));

  it('0-255.pbf holds one fontstack named for the style, with its range', () => {
    expect(stacks).toHaveLength(1);
    expect(stack.name).toBe('Noto Sans Regular');
    expect(stack.range).toBe('0-255');
  });

  it('has glyphs for digits and Latin letters', () => {
    for (const code of [...codes('0', '9'), ...codes('A', 'Z'), ...codes('a', 'z')]) {
      const glyph = byId.get(code);
      expect(glyph, String.fromCodePoint(code)).toBeDefined();
      expect(glyph!.width).toBeGreaterThan(0);
      expect(glyph!.height).toBeGreaterThan(0);
    }
  });

  it('has SDF bitmaps of (width + 6) × (height + 6) bytes and positive advances', () => {
    for (const glyph of stack.glyphs) {
      expect(glyph.id).toBeGreaterThanOrEqual(0);
      expect(glyph.id).toBeLessThanOrEqual(255);
      if (glyph.width > 0 && glyph.height > 0) {
        expect(glyph.bitmap?.length, `U+${glyph.id.toString(16)}`).toBe(
          (glyph.width + 2 * BORDER) * (glyph.height + 2 * BORDER),
        );
      }
      if (glyph.id !== 0xad) expect(glyph.advance, `U+${glyph.id.toString(16)}`).toBeGreaterThan(0);
    }
  });

  it('has a space with an advance and no bitmap', () => {
    const space = byId.get(32);
    expect(space).toBeDefined();
    expect(space!.advance).toBeGreaterThan(0);
    expect(space!.bitmap?.length ?? 0).toBe(0);
  });

  it('places glyphs on a common baseline 27 px below the origin (as MapLibre draws its local glyphs)', () => {
    // Flat-topped capitals reach the cap height; x-height letters are lower.
    const H = byId.get('H'.codePointAt(0)!)!;
    const E = byId.get('E'.codePointAt(0)!)!;
    const x = byId.get('x'.codePointAt(0)!)!;
    expect(E.top).toBe(H.top);
    expect(x.top).toBeLessThan(H.top);
    // H and x rest on the baseline: the bottom of their ink area (-top + height) is at 27
    expect(-H.top + H.height).toBe(27);
    expect(-x.top + x.height).toBe(27);
  });

  it('ships the Latin Extended and general punctuation ranges', () => {
    const extended = decode(path.join(GLYPH_DIR, '256-511.pbf'))[0];
    expect(extended.range).toBe('256-511');
    expect(extended.glyphs.some((glyph) => glyph.id === 0x01ce)).toBe(true); // ǎ (pinyin)
    const punctuation = decode(path.join(GLYPH_DIR, '8192-8447.pbf'))[0];
    expect(punctuation.range).toBe('8192-8447');
    expect(punctuation.glyphs.some((glyph) => glyph.id === 0x2013)).toBe(true); // en dash
  });
});
