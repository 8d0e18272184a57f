import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanLoad, type LeanResponse } from '../../scripts/bench/lean-http.js';

/** bench:tiles' warm client against a plain Node server: what it counts must be what was sent. */
describe('the lean load generator of bench:tiles', () => {
  let server: http.Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.push(`${request.url} ${request.headers.cookie ?? ''}`);
      const url = request.url ?? '';
      if (url === '/empty') return response.writeHead(204, { 'x-tile-cache': 'miss' }).end();
      if (url === '/chunked') {
        response.writeHead(200);
        response.write('a');
        return response.end('b');
      }
      const size = Number(url.slice(1));
      const body = Buffer.alloc(size, 7);
      response.writeHead(200, { 'content-length': size, 'X-Tile-Cache': 'hit' });
      // Headers and body in separate writes, the body in two: the client must join them.
      response.flushHeaders();
      setImmediate(() => {
        response.write(body.subarray(0, size >> 1));
        setImmediate(() => response.end(body.subarray(size >> 1)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts every answer with its status, body bytes and X-Tile-Cache, over keep-alive connections', async () => {
    const answers: { item: string; response: LeanResponse }[] = [];
    const result = await leanLoad({
      host: '127.0.0.1', port, headers: { cookie: 'session=x' }, items: ['/1000', '/empty', '/70000'], pathOf: (item) => item,
      concurrency: 3, seconds: 0.3, onResponse: (item, ms, response) => {
        expect(ms).toBeGreaterThan(0);
        answers.push({ item, response });
      },
    });
    expect(result.requests).toBe(answers.length);
    expect(answers.length).toBeGreaterThan(30);
    for (const { item, response } of answers) {
      if (item === '/empty') expect(response).toEqual({ status: 204, bytes: 0, cache: 'miss' });
      else expect(response).toEqual({ status: 200, bytes: Number(item.slice(1)), cache: 'hit' });
    }
    expect(new Set(answers.map((answer) => answer.item))).toEqual(new Set(['/1000', '/empty', '/70000']));
    expect(seen.every((line) => line.endsWith(' session=x'))).toBe(true);
  });

  it('stops with an error on an answer it does not understand, rather than count it wrongly', async () => {
    await expect(leanLoad({
      host: '127.0.0.1', port, headers: {}, items: ['/chunked'], pathOf: (item) => item, concurrency: 1, seconds: 1, onResponse: () => undefined,
    })).rejects.toThrow(/chunked response to \/chunked/);
  });
});
