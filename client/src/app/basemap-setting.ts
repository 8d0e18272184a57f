/** localStorage key of the basemap chosen by the official on this browser. */
export const BASEMAP_STORAGE_KEY = 'biaotu.basemapUrl';

/**
 * The stored choice: `undefined` = follow the server's setting, `null` = no basemap on purpose,
 * a string = the official's own XYZ template or a 天地图 preset (`tianditu:vec:<key>`). Three states, because an official who switches the
 * basemap off (e.g. on an intranet without 天地图 access) must not get the server's one back.
 */
export type StoredBasemap = string | null | undefined;

/** Key-value storage as used here (window.localStorage, or a map in tests). */
export interface TextStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function readStoredBasemap(storage: TextStorage): StoredBasemap {
  const raw = storage.getItem(BASEMAP_STORAGE_KEY);
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    if (value === null) return null;
    if (typeof value === 'string' && value.trim()) return value.trim();
  } catch {
    // A hand-edited or old value: treat as "follow the server".
  }
  return undefined;
}

export function writeStoredBasemap(storage: TextStorage, value: StoredBasemap): void {
  if (value === undefined) {
    storage.removeItem(BASEMAP_STORAGE_KEY);
    return;
  }
  storage.setItem(BASEMAP_STORAGE_KEY, JSON.stringify(value === null ? null : value.trim()));
}

/** The basemap to draw: the official's choice wins over the server's. */
export function effectiveBasemap(stored: StoredBasemap, serverUrl: string | null): string | null {
  return stored === undefined ? serverUrl : stored;
}

export type BasemapCheck = { ok: true } | { ok: false; reason: string };

/**
 * An XYZ raster template must be http(s) and carry {z}, {x} and {y} (or {-y} for TMS), otherwise
 * MapLibre requests the same tile everywhere and the official sees a repeated image.
 */
export function checkBasemapTemplate(template: string): BasemapCheck {
  const value = template.trim();
  if (!/^https?:\/\//i.test(value) && !value.startsWith('/')) {
    return { ok: false, reason: '地址须以 http:// 或 https:// 开头' };
  }
  const missing = ['{z}', '{x}'].filter((placeholder) => !value.includes(placeholder));
  if (!value.includes('{y}') && !value.includes('{-y}')) missing.push('{y}');
  if (missing.length > 0) return { ok: false, reason: `缺少瓦片占位符 ${missing.join('、')}` };
  return { ok: true };
}

/** A 天地图 key (tk) is 32 hexadecimal characters as issued; anything else would be refused by 天地图. */
export function checkTiandituKey(key: string): BasemapCheck {
  const value = key.trim();
  if (!value) return { ok: false, reason: '请填写天地图密钥（tk）' };
  if (!/^[0-9A-Za-z]{16,64}$/.test(value)) return { ok: false, reason: '密钥只含字母和数字（天地图控制台中的 32 位密钥）' };
  return { ok: true };
}
