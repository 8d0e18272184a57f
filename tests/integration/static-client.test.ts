import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDirectory } from '../../scripts/precompress.js';
import { HASHED_ASSET_CACHE } from '../../server/static-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 13, item 6: the built client goes over the wire compressed (the .br/.gz copies the build
 * writes beside each file), hashed assets are cached for a year, index.html is revalidated.
 * A client directory shaped like Vite's output, pre-compressed by the build step itself.
 */
let testApp: TestApp;
let directory: string;
/** Text that compresses the way a bundle does (repeated identifiers), large enough to be worth it. */
const SCRIPT = Array.from({ length: 2000 }, (_, index) => `export const value${index % 50} = { parcel: ${index}, status: 'suspected' };`).join('\n');
const STYLE = Array.from({ length: 800 }, (_, index) => `.rule-${index % 40} { color: #d94841; margin: ${index % 7}px; }`).join('\n');
const INDEX = `<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-AbC123xy.js"></script></head><body><div id="app"></div>${' '.repeat(2048)}</body></html>`;

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-client-'));
  fs.mkdirSync(path.join(directory, 'assets'));
  fs.writeFileSync(path.join(directory, 'index.html'), INDEX);
  fs.writeFileSync(path.join(directory, 'assets', 'index-AbC123xy.js'), SCRIPT);
  fs.writeFileSync(path.join(directory, 'assets', 'index-Zz9Yy8Xx.css'), STYLE);
  fs.writeFileSync(path.join(directory, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const summary = precompressDirectory(directory);
  expect(summary.files).toBe(3);
  testApp = await createTestApp({}, false, directory);
});
afterAll(async () => {
  await testApp?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

describe('the built client (issue 13, item 6)', () => {
  it('writes brotli and gzip copies that decode to the file', () => {
    const file = path.join(directory, 'assets', 'index-AbC123xy.js');
    expect(zlib.brotliDecompressSync(fs.readFileSync(`${file}.br`)).toString()).toBe(SCRIPT);
    expect(zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).toString()).toBe(SCRIPT);
    expect(fs.statSync(`${file}.br`).size).toBeLessThan(SCRIPT.length / 5);
    // Too small to be worth a copy.
    expect(fs.existsSync(path.join(directory, 'favicon.svg.br'))).toBe(false);
  });

  it('sends hashed scripts and styles brotli-compressed, cached for a year, varying on Accept-Encoding', async () => {
    for (const [url, type, text] of [['/assets/index-AbC123xy.js', /javascript/, SCRIPT], ['/assets/index-Zz9Yy8Xx.css', /text\/css/, STYLE]] as const) {
      const response = await testApp.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers['content-type']).toMatch(type);
      expect(response.headers['cache-control']).toBe(HASHED_ASSET_CACHE);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(String(response.headers.vary).toLowerCase()).toContain('accept-encoding');
      expect(response.rawPayload.length).toBeLessThan(text.length / 5);
      expect(zlib.brotliDecompressSync(response.rawPayload).toString()).toBe(text);
    }
  });

  it('sends gzip to a browser without brotli and the plain file to one that accepts neither', async () => {
    const gzip = await testApp.app.inject({ method: 'GET', url: '/assets/index-AbC123xy.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.rawPayload).toString()).toBe(SCRIPT);
    expect(gzip.headers['cache-control']).toBe(HASHED_ASSET_CACHE);
    const plain = await testApp.app.inject({ method: 'GET', url: '/assets/index-AbC123xy.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
    expect(String(plain.headers.vary).toLowerCase()).toContain('accept-encoding');
  });

  it('sends index.html compressed and never stale (no-cache), at / and by name', async () => {
    for (const url of ['/', '/index.html']) {
      const response = await testApp.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(zlib.brotliDecompressSync(response.rawPayload).toString()).toBe(INDEX);
    }
    const favicon = await testApp.app.inject({ method: 'GET', url: '/favicon.svg', headers: { 'accept-encoding': 'br' } });
    expect([favicon.statusCode, favicon.headers['cache-control'], favicon.headers['content-encoding']]).toEqual([200, 'no-cache', undefined]);
  });

  it('leaves the API and tiles alone', async () => {
    const health = await testApp.app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'br' } });
    expect(health.statusCode).toBe(200);
    expect(health.headers['cache-control']).not.toBe(HASHED_ASSET_CACHE);
  });
});
