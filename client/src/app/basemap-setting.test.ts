import { describe, expect, it } from 'vitest';
import {
  BASEMAP_STORAGE_KEY,
  checkBasemapTemplate,
  checkTiandituKey,
  effectiveBasemap,
  readStoredBasemap,
  writeStoredBasemap,
  type TextStorage,
} from './basemap-setting.js';

function memoryStorage(initial: Record<string, string> = {}): TextStorage & { values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

describe('basemap setting', () => {
  it('follows the server when nothing is stored', () => {
    const storage = memoryStorage();
    expect(readStoredBasemap(storage)).toBeUndefined();
    expect(effectiveBasemap(readStoredBasemap(storage), 'https://tiles.example/{z}/{x}/{y}.png')).toBe(
      'https://tiles.example/{z}/{x}/{y}.png',
    );
  });

  it('keeps "no basemap" apart from "follow the server"', () => {
    const storage = memoryStorage();
    writeStoredBasemap(storage, null);

    expect(storage.values.get(BASEMAP_STORAGE_KEY)).toBe('null');
    expect(readStoredBasemap(storage)).toBeNull();
    expect(effectiveBasemap(null, 'https://tiles.example/{z}/{x}/{y}.png')).toBeNull();
  });

  it("prefers the official's own template over the server's", () => {
    const storage = memoryStorage();
    writeStoredBasemap(storage, '  https://mine.example/{z}/{x}/{y}.png ');

    expect(readStoredBasemap(storage)).toBe('https://mine.example/{z}/{x}/{y}.png');
    expect(effectiveBasemap(readStoredBasemap(storage), 'https://server.example/{z}/{x}/{y}.png')).toBe(
      'https://mine.example/{z}/{x}/{y}.png',
    );
  });

  it('forgets the choice when set back to the server default', () => {
    const storage = memoryStorage({ [BASEMAP_STORAGE_KEY]: '"https://mine.example/{z}/{x}/{y}.png"' });
    writeStoredBasemap(storage, undefined);
    expect(storage.values.has(BASEMAP_STORAGE_KEY)).toBe(false);
  });

  it('treats a garbled stored value as "follow the server"', () => {
    const storage = memoryStorage({ [BASEMAP_STORAGE_KEY]: '{not json' });
    expect(readStoredBasemap(storage)).toBeUndefined();
  });

  it('accepts an XYZ template with {z}, {x} and {y}', () => {
    expect(checkBasemapTemplate('https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k')).toEqual({ ok: true });
  });

  it('accepts a TMS template with {-y}', () => {
    expect(checkBasemapTemplate('https://tiles.example/{z}/{x}/{-y}.png')).toEqual({ ok: true });
  });

  it('refuses a template that is not http(s)', () => {
    expect(checkBasemapTemplate('ftp://tiles.example/{z}/{x}/{y}.png')).toEqual({ ok: false, reason: '地址须以 http:// 或 https:// 开头' });
  });

  it('names the missing placeholders', () => {
    expect(checkBasemapTemplate('https://tiles.example/{z}/tile.png')).toEqual({ ok: false, reason: '缺少瓦片占位符 {x}、{y}' });
  });

  it('asks for a 天地图 key of letters and digits', () => {
    expect(checkTiandituKey('0123456789abcdef0123456789abcdef')).toEqual({ ok: true });
    expect(checkTiandituKey('')).toMatchObject({ ok: false, reason: '请填写天地图密钥（tk）' });
    expect(checkTiandituKey('abc def&tk=1')).toMatchObject({ ok: false });
  });
});
