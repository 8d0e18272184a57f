/**
 * `npm run bench:first-load -- [--label after] [--runs 3]`: what the first visit of an official
 * costs. The real server (`scripts/start.ts`, as `npm start` runs it, over a fresh database with the
 * demo city) and Debian's headless Chromium on the same machine; every visit in a new browser
 * context, so nothing is cached unless the visit says so:
 *   - 登录页: the login page, cold cache;
 *   - 地图页: the map page right after signing in (session cookie set through the API), cold cache,
 *     until the map has drawn (`body[data-map-ready]`);
 *   - 地图页（再次访问）: the same page again in the same context, so the browser's cache answers
 *     what it may keep.
 * Each visit is made on loopback and over a throttled line (10 Mbit/s down, 40 ms round trip: a
 * district office on the government network). Figures: bytes over the wire (the encoded body plus
 * headers, Chromium's `encodedDataLength`), bytes once decoded, requests, first contentful paint
 * (Performance API) and, for the map, the time until it has drawn. Medians of `--runs` visits go to
 * bench-results/first-load.json and first-load.md, one section per `--label`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPOSITORY_ROOT } from '../server/config.js';
import { settingLines, settingOf } from './bench/load-report.js';
import { ADMIN_PASSWORD, startBenchServer } from './bench/load-server.js';

const { values } = parseArgs({ options: { label: { type: 'string', default: 'current' }, runs: { type: 'string', default: '3' }, note: { type: 'string', default: '' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error('usage: npm run bench:first-load -- [--label after] [--runs 3] [--note "…"]  (--runs 1–20)');
  process.exit(2);
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const LINES = {
  loopback: null,
  '10 Mbit/s, 40 ms': { offline: false, latency: 40, downloadThroughput: (10 * 1024 * 1024) / 8, uploadThroughput: (5 * 1024 * 1024) / 8 },
} as const;
type LineName = keyof typeof LINES;

interface Visit {
  transferredBytes: number;
  decodedBytes: number;
  requests: number;
  /** Requests answered with a compressed body (Content-Encoding br or gzip). */
  compressedRequests: number;
  firstContentfulPaintMs: number | null;
  mapReadyMs: number | null;
}

/** Counts what goes over the wire for one page through the DevTools protocol. */
async function recordVisit(context: BrowserContext, page: Page, line: LineName, visit: () => Promise<number | null>): Promise<Visit> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const conditions = LINES[line];
  if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions);
  let transferredBytes = 0;
  let decodedBytes = 0;
  let requests = 0;
  let compressedRequests = 0;
  cdp.on('Network.responseReceived', (event) => {
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([key, value]) => [key.toLowerCase(), String(value)]));
    if (/^(br|gzip)$/.test(headers['content-encoding'] ?? '')) compressedRequests++;
  });
  cdp.on('Network.dataReceived', (event) => { decodedBytes += event.dataLength; });
  cdp.on('Network.loadingFinished', (event) => { transferredBytes += event.encodedDataLength; requests++; });
  const mapReadyMs = await visit();
  // Late answers (tiles, glyphs) of the same load.
  await page.waitForTimeout(500);
  const firstContentfulPaintMs = await page.evaluate(() => {
    const entry = performance.getEntriesByName('first-contentful-paint')[0];
    return entry ? Math.round(entry.startTime) : null;
  });
  await cdp.detach();
  return { transferredBytes, decodedBytes, requests, compressedRequests, firstContentfulPaintMs, mapReadyMs };
}

async function loginPageVisit(browser: Browser, origin: string, line: LineName): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    return await recordVisit(context, page, line, async () => {
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await page.waitForSelector('[data-testid="login-page"]');
      return null;
    });
  } finally {
    await context.close();
  }
}

async function mapPageVisits(browser: Browser, origin: string, line: LineName): Promise<{ first: Visit; again: Visit }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const answer = await context.request.post(`${origin}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    if (!answer.ok()) throw new Error(`login failed: ${answer.status()} ${await answer.text()}`);
    const visitMap = async (page: Page) => recordVisit(context, page, line, async () => {
      const started = Date.now();
      await page.goto(`${origin}/#/map`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
      return Date.now() - started;
    });
    const firstPage = await context.newPage();
    const first = await visitMap(firstPage);
    await firstPage.close();
    const againPage = await context.newPage();
    const again = await visitMap(againPage);
    await againPage.close();
    return { first, again };
  } finally {
    await context.close();
  }
}

function median(numbers: (number | null)[]): number | null {
  const known = numbers.filter((value): value is number => value !== null).sort((left, right) => left - right);
  if (known.length === 0) return null;
  const middle = Math.floor(known.length / 2);
  return known.length % 2 ? known[middle] : Math.round((known[middle - 1] + known[middle]) / 2);
}

function medianVisit(visits: Visit[]): Visit {
  return {
    transferredBytes: median(visits.map((visit) => visit.transferredBytes))!,
    decodedBytes: median(visits.map((visit) => visit.decodedBytes))!,
    requests: median(visits.map((visit) => visit.requests))!,
    compressedRequests: median(visits.map((visit) => visit.compressedRequests))!,
    firstContentfulPaintMs: median(visits.map((visit) => visit.firstContentfulPaintMs)),
    mapReadyMs: median(visits.map((visit) => visit.mapReadyMs)),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 })} KB`;
const ms = (value: number | null) => (value === null ? '—' : `${value} ms`);

console.log('starting the server on a fresh database (demo city) …');
const server = await startBenchServer('biaotu_bench_first_load');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
try {
  const setting = await settingOf(server.ownerUrl);
  const results: Record<string, Record<string, Visit>> = {};
  for (const line of Object.keys(LINES) as LineName[]) {
    const login: Visit[] = [];
    const map: Visit[] = [];
    const again: Visit[] = [];
    for (let run = 0; run < runs; run++) {
      login.push(await loginPageVisit(browser, server.origin, line));
      const visits = await mapPageVisits(browser, server.origin, line);
      map.push(visits.first);
      again.push(visits.again);
    }
    results[line] = { '登录页': medianVisit(login), '地图页': medianVisit(map), '地图页（再次访问）': medianVisit(again) };
    console.log(line, JSON.stringify(results[line]));
  }

  const file = path.join(REPOSITORY_ROOT, 'bench-results', 'first-load.json');
  let previous: { runs?: Record<string, unknown>[] } = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof previous;
  } catch { /* first run */ }
  const entry = { label: values.label, note: values.note || null, runs, ...setting, results };
  const all = [...(previous.runs ?? []).filter((run) => run.label !== values.label), entry].slice(-10) as (typeof entry)[];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ runs: all }, null, 2)}\n`);

  const lines = [
    '# bench:first-load',
    '',
    'The first visit of an official: the login page and the map page after signing in, each in a new browser context '
    + '(cold cache), and the map page once more in the same context (the browser cache answers what it may keep). '
    + 'Debian Chromium (headless) and the server (`scripts/start.ts`, fresh database with the demo city) on the same machine; '
    + 'on loopback and over a throttled line (Chromium network emulation: 10 Mbit/s down, 40 ms latency). '
    + '“Over the wire” is Chromium\'s `encodedDataLength` (bodies as sent plus headers), “decoded” the bodies after decompression; '
    + 'first paint is the Performance API\'s `first-contentful-paint`; “map drawn” is the time from navigation until the map has drawn its first view. '
    + `Medians of ${runs} visits each.`,
    '',
  ];
  for (const run of all) {
    lines.push(`## ${run.label}`, '', ...settingLines(run, `npm run bench:first-load -- --label ${run.label} --runs ${run.runs}`, ''), '');
    if (run.note) lines.push(`**Note:** ${run.note}`, '');
    lines.push('| line | page | over the wire | decoded | requests (compressed) | first paint | map drawn |', '|---|---|---:|---:|---:|---:|---:|');
    for (const [line, pages] of Object.entries(run.results)) {
      for (const [name, visit] of Object.entries(pages)) {
        lines.push(`| ${line} | ${name} | ${kb(visit.transferredBytes)} | ${kb(visit.decodedBytes)} | ${visit.requests} (${visit.compressedRequests}) | ${ms(visit.firstContentfulPaintMs)} | ${ms(visit.mapReadyMs)} |`);
      }
    }
    lines.push('');
  }
  fs.writeFileSync(path.join(REPOSITORY_ROOT, 'bench-results', 'first-load.md'), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
} finally {
  await browser.close();
  await server.stop();
}
