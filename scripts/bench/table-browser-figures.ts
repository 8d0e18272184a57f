/**
 * The browser side of `npm run bench:table`: `scripts/start.ts` over the bench city on loopback,
 * Debian's headless Chromium on the map page with the 属性表 open. Filters to 已认定低效 (about
 * 130 000 parcels of the 1 M), scrolls the table with the mouse wheel and then by jumps while a
 * requestAnimationFrame loop records every frame's time, and times a filter, a table search and
 * the map's search box from the key or click to what the user sees.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { DEFAULT_DEMO_PASSWORD } from '../../server/auth/bootstrap-users.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../server/system/chromium.js';

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BrowserFigures {
  scroll: {
    rows: number; frames: number; stepPx: number; maxMs: number; p95Ms: number; over50: number; wheelSteps: number; jumps: number;
    /** The same page standing still for 2 s before: the machine's own share of slow frames. */
    idle: { frames: number; maxMs: number; p95Ms: number; over50: number };
    /**
     * Where the scroll's time went (Chromium's own counters over the scroll, from CDP
     * Performance.getMetrics, in ms) and the functions that took the most time themselves
     * (CDP CPU profile, self time in ms).
     */
    profile: { metrics: Record<string, number>; topFunctions: { name: string; url: string; selfMs: number }[] };
    /** The machine's 1-minute load average when the scroll ended. */
    load: number;
  };
  actions: { label: string; ms: number }[];
}

const WHEEL_STEPS = 150;
const STEP_PX = 480;
/** The table's rows and its scrolling element (the product's own grid; el-table-v2's before it, for a run on an older build). */
const ROW = '[data-testid="parcel-table"] :is(.parcel-table__row, .el-table-v2__row)';
const SCROLLER = '[data-testid="parcel-table"] :is([data-testid="table-grid"], .el-table-v2__body)';
const METRICS = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'LayoutCount', 'RecalcStyleCount'] as const;

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };

/** Self time per function of a CDP CPU profile, the largest first (idle, program and GC kept, they tell too). */
function topFunctions(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, count: number) {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, { name: string; url: string; selfMs: number }>();
  profile.samples.forEach((id, index) => {
    const frame = byNode.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    const url = frame.url.replace(/^.*\//, '');
    const key = `${name}@${url}:${frame.lineNumber}`;
    const entry = self.get(key) ?? { name, url: url ? `${url}:${frame.lineNumber + 1}` : '', selfMs: 0 };
    entry.selfMs += (profile.timeDeltas[index] ?? 0) / 1000;
    self.set(key, entry);
  });
  return [...self.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, count).map((entry) => ({ ...entry, selfMs: Math.round(entry.selfMs * 10) / 10 }));
}

export async function browserFigures(ownerUrl: string): Promise<BrowserFigures> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(REPOSITORY_ROOT, 'scripts', 'start.ts')], {
    env: { ...process.env, DATABASE_URL: ownerUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    for (let attempt = 0; ; attempt++) {
      if (exited) throw new Error('the server exited before answering /api/health');
      try {
        if ((await fetch(`${origin}/api/health`)).ok) break;
      } catch { /* not yet */ }
      if (attempt > 1500) throw new Error('the server did not answer within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => window.localStorage.setItem('biaotu.tableOpen', 'false'));
    await page.goto(`${origin}/`);
    await page.fill('[data-testid="login-username"]', 'viewer');
    await page.fill('[data-testid="login-password"]', process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    const actions: BrowserFigures['actions'] = [];
    const countShows = async (pattern: string) => page.waitForFunction((wanted) => new RegExp(wanted).test(document.querySelector('[data-testid="table-count"]')?.textContent ?? ''), pattern, { timeout: 120_000 });
    const rowsShow = async () => page.waitForSelector(`${ROW} .parcel-table__cell`, { timeout: 120_000 });

    let started = Date.now();
    await page.click('[data-testid="table-toggle"]');
    await rowsShow();
    actions.push({ label: '打开属性表 (whole city, 1 M): first rows shown', ms: Date.now() - started });
    await countShows('^共 [\\d,]+ 宗');
    actions.push({ label: '打开属性表 (whole city, 1 M): count and sums shown', ms: Date.now() - started });

    // Filter: 效率状态 = 已认定低效.
    await page.click('[data-testid="table-status"]');
    started = Date.now();
    await page.locator('.el-select-dropdown__item', { hasText: '已认定低效' }).first().click();
    await page.waitForFunction((selector) => Array.from(document.querySelectorAll(selector)).some((row) => row.textContent?.includes('已认定低效')), ROW, { timeout: 120_000 });
    actions.push({ label: '筛选 效率状态 = 已认定低效: rows shown (after the 300 ms typing pause)', ms: Date.now() - started });
    await countShows('^共 1[\\d,]{6} 宗');
    actions.push({ label: '筛选 效率状态 = 已认定低效: count and sums shown', ms: Date.now() - started });
    const rows = Number((await page.locator('[data-testid="table-count"]').innerText()).replace(/[^\d]/g, ''));

    // Scroll: wheel steps over the table, then jumps; every frame's time recorded meanwhile.
    // As a string: the bundler's helpers (named functions) do not exist in the page.
    await page.evaluate(`(() => {
      const frames = [];
      window.__frames = frames;
      let last = performance.now();
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (window.__recording !== false) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    // Two seconds without scrolling first: what the machine alone does to the frames.
    await page.waitForTimeout(2000);
    const idle = await page.evaluate('window.__frames.length') as number;
    const body = await page.locator(SCROLLER).first().boundingBox();
    await page.mouse.move(body!.x + body!.width / 2, body!.y + body!.height / 2);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    const metricsNow = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((metric) => [metric.name, metric.value]));
    const before = await metricsNow();
    await cdp.send('Profiler.start');
    for (let step = 0; step < WHEEL_STEPS; step++) {
      await page.mouse.wheel(0, STEP_PX);
      await page.waitForTimeout(16);
    }
    const jumps = [0.25, 0.5, 0.75, 0.999, 0.1];
    for (const fraction of jumps) {
      await page.evaluate(([at, selector]) => {
        const roots = Array.from(document.querySelectorAll<HTMLElement>(selector));
        const scroller = [...roots, ...roots.flatMap((root) => Array.from(root.querySelectorAll<HTMLElement>('*')))]
          .find((element) => element.scrollHeight > element.clientHeight + 10);
        if (scroller) scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * at;
      }, [fraction, SCROLLER] as const);
      await page.waitForTimeout(600);
    }
    const frames = await page.evaluate(() => {
      (window as unknown as { __recording?: boolean }).__recording = false;
      return (window as unknown as { __frames: number[] }).__frames.slice(1);
    });
    const { profile: cpuProfile } = await cdp.send('Profiler.stop');
    const after = await metricsNow();
    const metrics = Object.fromEntries(METRICS.map((name) => [name, Math.round(((after[name] ?? 0) - (before[name] ?? 0)) * (name.endsWith('Count') ? 1 : 1000))]));
    const profile = { metrics, topFunctions: topFunctions(cpuProfile as unknown as Parameters<typeof topFunctions>[0], 12) };
    await cdp.detach();
    const idleFrames = frames.slice(0, Math.max(0, idle - 1)).sort((a, b) => a - b);
    const scrolled = frames.slice(Math.max(0, idle - 1));
    const sorted = [...scrolled].sort((a, b) => a - b);

    // Search in the table, then the map's search box.
    started = Date.now();
    await page.fill('[data-testid="table-search"]', '宏兴机械');
    await countShows('^共 \\d{1,3} 宗');
    actions.push({ label: '表格搜索 “宏兴机械” within 已认定低效: count shown (after the 300 ms typing pause)', ms: Date.now() - started });
    await page.click('[data-testid="map-search-input"]');
    started = Date.now();
    await page.keyboard.type('宏兴机械', { delay: 40 });
    await page.waitForSelector('[data-testid="map-search-item"]', { timeout: 60_000 });
    actions.push({ label: '地图搜索框 “宏兴机械” typed (4 keys, 40 ms apart, 200 ms pause): suggestions shown', ms: Date.now() - started });
    await page.fill('[data-testid="map-search-input"]', '');
    started = Date.now();
    await page.keyboard.type('350206-0012', { delay: 40 });
    await page.waitForFunction(() => document.querySelector('[data-testid="map-search-item"]')?.textContent?.includes('350206-0012'), undefined, { timeout: 60_000 });
    actions.push({ label: '地图搜索框 “350206-0012” typed (11 keys): suggestions shown', ms: Date.now() - started });
    return {
      scroll: {
        rows, frames: scrolled.length, stepPx: STEP_PX, wheelSteps: WHEEL_STEPS, jumps: jumps.length,
        maxMs: sorted.at(-1) ?? 0, p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? 0, over50: scrolled.filter((value) => value > 50).length,
        profile, load: os.loadavg()[0],
        idle: { frames: idleFrames.length, maxMs: idleFrames.at(-1) ?? 0, p95Ms: idleFrames[Math.floor(idleFrames.length * 0.95)] ?? 0, over50: idleFrames.filter((value) => value > 50).length },
      },
      actions,
    };
  } finally {
    await browser.close();
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}
