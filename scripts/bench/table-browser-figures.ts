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
    /** Every frame over 50 ms from the setup on, with what happened in it (see `LongFrame`); those of the setup are not the scroll's. */
    longFrames: LongFrame[];
    /** The longest frame while the CDP counters and the CPU profiler started (the bench's own, not counted in the scroll). */
    setupMs: number;
  };
  actions: { label: string; ms: number }[];
}

/**
 * One frame over 50 ms while scrolling, and what the page did in it: which step of the scroll it
 * fell in, the rows drawn before and after, the rows still waiting for their block, the row blocks
 * that arrived, and Chromium's long-animation-frame entries overlapping it (the main thread's
 * work: scripts, then rendering from renderStart, style and layout from styleAndLayoutStart). A
 * long frame with no long animation frame in it had a main thread that was not busy for 50 ms:
 * the time went elsewhere (the compositor, raster, or the machine's other processes).
 */
export interface LongFrame {
  /** When the frame ended (ms after the scroll started) and how long it took. */
  at: number; ms: number;
  /** The scroll's step: `wheel 12` or `jump 3 (to 50 %)`. */
  step: string;
  /** The first row drawn (aria-rowindex − 1) at the frame before and at this one, and the rows shown without their block yet. */
  firstRowBefore: number; firstRow: number; pendingRows: number;
  /** Scroll events in the frame and the distance they covered (px). */
  scrolls: number; scrolledPx: number;
  /** Row blocks (POST /api/parcels/table/rows) whose answer ended in the frame. */
  blocksArrived: number;
  /**
   * With `--trace` only: the renderer main thread's work that began in the frame, as Chromium's
   * timeline trace names it (self time per event name, the largest first, e.g. `Paint 31`).
   */
  mainThread?: string[];
  /** Long animation frames overlapping it (Chromium's LoAF entries). */
  loaf: { start: number; ms: number; scriptMs: number; renderMs: number; styleLayoutMs: number; blockingMs: number; scripts: string[] }[];
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

interface Trace {
  /** [time, first row drawn, rows pending] per frame. */
  frames: [number, number, number][];
  scrolls: [number, number][];
  blocks: number[];
  loafs: LongFrame['loaf'];
  steps: [number, string][];
}

/** The frames over 50 ms after the scroll's first step, each with what happened in it. */
function longFramesOf(trace: Trace): LongFrame[] {
  const start = trace.steps[0]?.[0] ?? 0;
  const result: LongFrame[] = [];
  for (let index = 1; index < trace.frames.length; index++) {
    const [end, firstRow, pendingRows] = trace.frames[index];
    const [begin, firstRowBefore] = trace.frames[index - 1];
    if (end < start || end - begin <= 50) continue;
    const inFrame = (time: number) => time > begin && time <= end;
    const scrolls = trace.scrolls.filter(([time]) => inFrame(time));
    const before = trace.scrolls.filter(([time]) => time <= begin).at(-1)?.[1] ?? scrolls[0]?.[1] ?? 0;
    const step = trace.steps.filter(([time]) => time <= end).at(-1)?.[1] ?? '';
    result.push({
      at: Math.round(end - start), ms: Math.round((end - begin) * 10) / 10, step,
      firstRowBefore, firstRow, pendingRows,
      scrolls: scrolls.length, scrolledPx: Math.round(Math.abs((scrolls.at(-1)?.[1] ?? before) - before)),
      blocksArrived: trace.blocks.filter(inFrame).length,
      loaf: trace.loafs.filter((loaf) => loaf.start < end && loaf.start + loaf.ms > begin).map((loaf) => ({
        ...loaf, start: Math.round(loaf.start - start), ms: Math.round(loaf.ms), scriptMs: Math.round(loaf.scriptMs),
        renderMs: Math.round(loaf.renderMs), styleLayoutMs: Math.round(loaf.styleLayoutMs), blockingMs: Math.round(loaf.blockingMs),
      })),
    });
  }
  return result;
}

interface TraceEvent {
  ph: string; name: string; cat: string; ts: number; dur?: number; pid: number; tid: number;
  args?: { name?: string; elementCount?: number; beginData?: { dirtyObjects?: number; totalObjects?: number }; data?: { frame?: string } };
}

/**
 * The renderer main thread's self time per event name, for events beginning in each long frame
 * (Chromium's timeline trace; page time found from the `bench-scroll-start` user-timing mark).
 */
function addMainThreadWork(longFrames: LongFrame[], events: TraceEvent[], markAt: number, scrollStart: number): void {
  const mark = events.find((event) => event.name === 'bench-scroll-start' && event.cat.includes('blink.user_timing'));
  if (!mark) return;
  const main = events.find((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain' && event.pid === mark.pid);
  if (!main) return;
  // Trace µs → page ms.
  const toPage = (ts: number) => (ts - mark.ts) / 1000 + markAt;
  const complete = events.filter((event) => event.ph === 'X' && event.pid === main.pid && event.tid === main.tid && event.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const selfOf: { at: number; name: string; self: number; objects: number }[] = [];
  const stack: { end: number; entry: { at: number; name: string; self: number; objects: number } }[] = [];
  for (const event of complete) {
    while (stack.length > 0 && stack.at(-1)!.end <= event.ts) stack.pop();
    // Layout: the layout objects it laid out; UpdateLayoutTree: the elements whose style it recalculated.
    const objects = event.args?.beginData?.dirtyObjects ?? event.args?.elementCount ?? 0;
    const entry = { at: toPage(event.ts), name: event.name, self: event.dur! / 1000, objects };
    if (stack.length > 0) stack.at(-1)!.entry.self -= event.dur! / 1000;
    stack.push({ end: event.ts + event.dur!, entry });
    selfOf.push(entry);
  }
  for (const frame of longFrames) {
    const end = frame.at + scrollStart;
    const begin = end - frame.ms;
    const byName = new Map<string, { ms: number; objects: number }>();
    for (const entry of selfOf) {
      if (entry.at <= begin || entry.at > end || entry.self <= 0) continue;
      const sum = byName.get(entry.name) ?? { ms: 0, objects: 0 };
      sum.ms += entry.self;
      sum.objects += entry.objects;
      byName.set(entry.name, sum);
    }
    frame.mainThread = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).filter(([, sum]) => sum.ms >= 1).slice(0, 8)
      .map(([name, sum]) => `${name} ${Math.round(sum.ms)}${sum.objects ? ` (${sum.objects} ${name === 'Layout' ? 'objects' : 'elements'})` : ''}`);
  }
}

export async function browserFigures(ownerUrl: string, options: { trace?: boolean } = {}): Promise<BrowserFigures> {
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
    // Every frame: its time, the first row drawn and the rows still pending, read in the frame's
    // requestAnimationFrame (attributes and selectors only: no layout read). Scroll events,
    // row blocks arriving and long animation frames are recorded beside it.
    await page.evaluate(`(() => {
      const trace = { frames: [], scrolls: [], blocks: [], loafs: [], steps: [] };
      window.__trace = trace;
      const rowSelector = ${JSON.stringify(ROW)};
      const firstRow = () => {
        let first = -1;
        for (const row of document.querySelectorAll(rowSelector)) {
          const index = Number(row.getAttribute('aria-rowindex')) - 1;
          if (index >= 0 && (first < 0 || index < first)) first = index;
        }
        return first;
      };
      const pendingRows = () => {
        let pending = 0;
        for (const row of document.querySelectorAll(rowSelector)) if (row.querySelector('.parcel-table__pending')) pending++;
        return pending;
      };
      const tick = (now) => {
        trace.frames.push([now, firstRow(), pendingRows()]);
        if (window.__recording !== false) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      document.addEventListener('scroll', (event) => {
        const target = event.target;
        if (target && target.scrollTop !== undefined) trace.scrolls.push([event.timeStamp, target.scrollTop]);
      }, { capture: true, passive: true });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.name.includes('/api/parcels/table/rows')) trace.blocks.push(entry.responseEnd);
      }).observe({ type: 'resource' });
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            const end = entry.startTime + entry.duration;
            const scriptMs = entry.scripts.reduce((sum, script) => sum + script.duration, 0);
            trace.loafs.push({
              start: entry.startTime, ms: entry.duration, scriptMs,
              renderMs: entry.renderStart ? end - entry.renderStart : 0,
              styleLayoutMs: entry.styleAndLayoutStart ? end - entry.styleAndLayoutStart : 0,
              blockingMs: entry.blockingDuration,
              scripts: entry.scripts.filter((script) => script.duration >= 5).map((script) =>
                (script.invokerType + ' ' + script.invoker + ' ' + Math.round(script.duration) + ' ms'
                + (script.forcedStyleAndLayoutDuration >= 1 ? ' (forced style/layout ' + Math.round(script.forcedStyleAndLayoutDuration) + ' ms)' : '')
                + (script.sourceFunctionName ? ' in ' + script.sourceFunctionName : '')).slice(0, 160)),
            });
          }
        }).observe({ type: 'long-animation-frame' });
      } catch { /* a Chromium without long-animation-frame entries */ }
      window.__step = (label) => trace.steps.push([performance.now(), label]);
    })()`);
    // Two seconds without scrolling first: what the machine alone does to the frames.
    await page.waitForTimeout(2000);
    const body = await page.locator(SCROLLER).first().boundingBox();
    await page.mouse.move(body!.x + body!.width / 2, body!.y + body!.height / 2);
    await page.evaluate('window.__step("setup: CDP counters and CPU profiler start, no scroll yet")');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    const metricsNow = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((metric) => [metric.name, metric.value]));
    const before = await metricsNow();
    if (options.trace) {
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', '__metadata'] });
    }
    await cdp.send('Profiler.start');
    // Starting the CPU profiler stops the page for a moment (up to a second here: V8 logs all its
    // code first). That frame is the bench's, not the table's: the scroll is counted from the
    // first frame that begins after the setup has settled (five frames after it).
    await page.evaluate(`new Promise((resolve) => { let left = 5; const next = () => (--left > 0 ? requestAnimationFrame(next) : resolve()); requestAnimationFrame(next); })`);
    await page.evaluate('window.__step("wheel 0")');
    const markAt = await page.evaluate('performance.mark("bench-scroll-start").startTime') as number;
    for (let step = 0; step < WHEEL_STEPS; step++) {
      if (step > 0 && step % 10 === 0) await page.evaluate(`window.__step("wheel ${step}")`);
      await page.mouse.wheel(0, STEP_PX);
      await page.waitForTimeout(16);
    }
    const jumps = [0.25, 0.5, 0.75, 0.999, 0.1];
    for (const [jump, fraction] of jumps.entries()) {
      await page.evaluate(([at, selector, label]) => {
        (window as unknown as { __step: (label: string) => void }).__step(label);
        const roots = Array.from(document.querySelectorAll<HTMLElement>(selector));
        const scroller = [...roots, ...roots.flatMap((root) => Array.from(root.querySelectorAll<HTMLElement>('*')))]
          .find((element) => element.scrollHeight > element.clientHeight + 10);
        if (scroller) scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * at;
      }, [fraction, SCROLLER, `jump ${jump + 1} (to ${Math.round(fraction * 1000) / 10} %)`] as const);
      await page.waitForTimeout(600);
    }
    await page.evaluate('window.__recording = false');
    const trace = await page.evaluate('window.__trace') as Trace;
    const longFrames = longFramesOf(trace);
    if (options.trace) {
      const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
      addMainThreadWork(longFrames, traceEvents, markAt, trace.steps[0]?.[0] ?? 0);
    }
    const { profile: cpuProfile } = await cdp.send('Profiler.stop');
    const after = await metricsNow();
    const metrics = Object.fromEntries(METRICS.map((name) => [name, Math.round(((after[name] ?? 0) - (before[name] ?? 0)) * (name.endsWith('Count') ? 1 : 1000))]));
    const profile = { metrics, topFunctions: topFunctions(cpuProfile as unknown as Parameters<typeof topFunctions>[0], 12) };
    await cdp.detach();
    // Frames as [begin, end]: standing still = ended before the setup; the scroll = began at or after its first step.
    const [setupAt, scrollAt] = [trace.steps[0][0], trace.steps.find(([, label]) => label === 'wheel 0')![0]];
    const spans = trace.frames.slice(1).map(([end], index) => [trace.frames[index][0], end] as const);
    const idleFrames = spans.filter(([, end]) => end <= setupAt).map(([begin, end]) => end - begin).sort((a, b) => a - b);
    const scrolled = spans.filter(([begin]) => begin >= scrollAt).map(([begin, end]) => end - begin);
    const setupMs = Math.max(0, ...spans.filter(([begin, end]) => end > setupAt && begin < scrollAt).map(([begin, end]) => end - begin));
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
        profile, load: os.loadavg()[0], longFrames, setupMs,
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
