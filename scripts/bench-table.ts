/**
 * `npm run bench:table`: the attribute table and the search box against the 1 M-parcel bench city
 * (issue 15, items 2 and 3). Same database as bench:tiles and bench:export (`biaotu_bench_tiles`,
 * seeded here when missing). Measures, without HTTP, the search box's suggestions (target: under
 * 100 ms server time, with EXPLAIN ANALYZE of each statement) and the table's windows and
 * summaries; then, in Debian Chromium against `scripts/start.ts`, the table's scroll over 100 000
 * rows (requestAnimationFrame deltas: max and p95, target no frame over 50 ms) and the time from a
 * filter or a search typed to its rows and suggestions shown. Figures go to bench-results/table.json
 * and table.md. Every frame over 50 ms of the scroll is listed with what happened in it (rows drawn,
 * blocks arrived, Chromium's long-animation-frame entries).
 *
 * Flags: `--browser-only` (the server figures of the last report, Chromium only), `--search-only`,
 * `--server-only`, `--trace` (Chromium's timeline trace during the scroll: the main thread's work
 * in each long frame by event name — Layout, UpdateLayoutTree, Paint …; slows frames a little).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { MIGRATIONS_DIRECTORY, prepareDatabase } from '../server/bootstrap.js';
import { REPOSITORY_ROOT } from '../server/config.js';
import { connectDatabase, ensureDatabaseExists } from '../server/db/database.js';
import { applyMigrations } from '../server/db/migrate.js';
import { DEMO_SEED, loadDistricts, loadGeneratedParcels } from '../server/demo/demo-city.js';
import { searchFigures, tableFigures, type Timing } from './bench/table-server-figures.js';
import { browserFigures } from './bench/table-browser-figures.js';
import { TEXT_BUDGET_MS } from '../server/search/search.repository.js';

const PARCELS = 1_000_000;
const DATABASE = 'biaotu_bench_tiles';
const SKIP_BROWSER = process.argv.includes('--server-only') || process.argv.includes('--search-only');
/** Reuses the server figures of the last report (bench-results/table.json) and measures only in Chromium. */
const BROWSER_ONLY = process.argv.includes('--browser-only');
/** Measures the search box's suggestions only: the table's figures from the last report, no Chromium. */
const SEARCH_ONLY = process.argv.includes('--search-only');
/** Records Chromium's timeline trace during the scroll and names the main thread's work in each long frame (slows the frames a little). */
const TRACE = process.argv.includes('--trace');

const prepared = await prepareDatabase({ databaseName: 'biaotu' });
const baseUrl = prepared.url.replace(/\/[^/]+$/, '');
await ensureDatabaseExists(baseUrl, DATABASE);
const ownerUrl = `${baseUrl}/${DATABASE}`;
const owner = connectDatabase(ownerUrl, 4);
let started = performance.now();
const applied = await applyMigrations(owner.pool, MIGRATIONS_DIRECTORY, (line) => console.log(line));
const migrationSeconds = (performance.now() - started) / 1000;
if ((await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM districts')).rows[0].n === 0) await loadDistricts(owner.pool);
const { rows: [{ n: existing }] } = await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM parcels');
if (existing < PARCELS) {
  console.log(`seeding ${PARCELS.toLocaleString('en')} parcels (seed ${DEMO_SEED}) …`);
  await loadGeneratedParcels(owner.pool, { count: PARCELS, seed: DEMO_SEED, actor: 'bench:table' });
}
if (applied.length > 0 || existing < PARCELS) await owner.pool.query('VACUUM ANALYZE parcels');
const { rows: [{ n: parcels }] } = await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM parcels');

const previous = BROWSER_ONLY || SEARCH_ONLY ? JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'bench-results', 'table.json'), 'utf8')) as { at: string; search: Awaited<ReturnType<typeof searchFigures>>; table: Awaited<ReturnType<typeof tableFigures>> } : null;
console.log('search suggestions …');
const search = BROWSER_ONLY ? previous!.search : await searchFigures(owner.db);
console.log('table windows and summaries …');
const table = previous?.table ?? await tableFigures(owner.db);
await owner.close();

let browser: Awaited<ReturnType<typeof browserFigures>> | null = null;
if (!SKIP_BROWSER) {
  console.log('Chromium: scroll, filters, search box …');
  browser = await browserFigures(ownerUrl, { trace: TRACE });
}

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).stdout.trim();
const report = {
  at: new Date().toISOString(), commit, parcels, cpus: os.cpus().length, loadAverage: os.loadavg(),
  migrations: applied.map((migration) => migration.name), migrationSeconds,
  search, table, browser,
  targets: { suggestServerMs: 100, frameMs: 50 },
};
const row = (timing: Timing) => `| ${timing.label} | ${timing.median.toFixed(1)} | ${timing.max.toFixed(1)} | ${timing.extra ? Object.entries(timing.extra).map(([key, value]) => `${key} ${value}`).join(', ') : ''} |`;
const worstSuggest = Math.max(...search.suggest.map((timing) => timing.max));
const TITLE = '# Attribute table and search benchmark (1 M parcels)';
const lines = [
  `## Run ${report.at} at ${commit}`, '',
  `On ${report.cpus} CPUs (load ${os.loadavg().map((value) => value.toFixed(1)).join(' / ')} at the end; each suggestion's row gives the 1-minute load when it was timed), ${parcels.toLocaleString('en')} parcels.`,
  BROWSER_ONLY ? `Server figures from the run of ${previous!.at} (\`--browser-only\`); Chromium figures from this run.` : '',
  SEARCH_ONLY ? `Search figures only (\`--search-only\`); the table's server figures from the run of ${previous!.at}; no Chromium.` : '',
  applied.length > 0 ? `Migrations applied first: ${applied.map((migration) => migration.name).join(', ')} (${migrationSeconds.toFixed(0)} s, the trigram index included).` : '', '',
  `### Search box: suggestions, server time (target < 100 ms; worst here ${worstSuggest.toFixed(1)} ms)`, '',
  'The whole `suggest` (four statements in parallel and the ranking), 5 runs after one warm-up, as a whole-city reader and a one-district reader:', '',
  '| query | median (ms) | max (ms) | result |', '|---|---|---|---|', ...search.suggest.map(row), '',
  `EXPLAIN ANALYZE (planning + execution) of each statement of one suggestion — code prefix, text (trigram; two characters: character pairs), district, 街道/园区; the text statement as the repository runs it but without its ${TEXT_BUDGET_MS} ms budget:`, '',
  '| query | median (ms) | max (ms) | |', '|---|---|---|---|', ...search.statements.map((timing) => `${row(timing)} ${timing.ms.join(' / ')}`), '',
  '### Table: summary of the filter (count, extent, sums and averages of every figure), server time', '',
  '| filter | median (ms) | max (ms) | |', '|---|---|---|---|', ...table.summaries.map(row), '',
  '### Table: the id list of a filter and sort (read once), then windows of 200 rows by id, server time', '',
  '| window | median (ms) | max (ms) | |', '|---|---|---|---|', ...table.windows.map(row), '',
];
if (browser) {
  lines.push('### In Chromium (Debian, headless), against scripts/start.ts on loopback', '',
    `Scrolling the table over ${browser.scroll.rows.toLocaleString('en')} rows (${browser.scroll.frames} frames, wheel steps of ${browser.scroll.stepPx} px, then jumps): `
    + `frame time max ${browser.scroll.maxMs.toFixed(1)} ms, p95 ${browser.scroll.p95Ms.toFixed(1)} ms, frames over 50 ms: ${browser.scroll.over50} (target: none).`,
    `The same page standing still for 2 s just before (the machine's share): ${browser.scroll.idle.frames} frames, max ${browser.scroll.idle.maxMs.toFixed(1)} ms, p95 ${browser.scroll.idle.p95Ms.toFixed(1)} ms, over 50 ms: ${browser.scroll.idle.over50}.`,
    `1-minute load average during the scroll: ${browser.scroll.load.toFixed(1)}.`, '',
    `Where the scroll's time went (Chromium's counters, ms or count): ${Object.entries(browser.scroll.profile.metrics).map(([name, value]) => `${name} ${value}`).join(', ')}.`,
    `Largest self times in the CPU profile of the scroll: ${browser.scroll.profile.topFunctions.map((entry) => `${entry.name}${entry.url ? ` (${entry.url})` : ''} ${entry.selfMs} ms`).join('; ')}.`, '',
    browser.scroll.setupMs !== undefined ? `Not counted: the bench's own setup before the first wheel step (CDP counters and the CPU profiler starting; V8 logs all its code first), longest frame ${browser.scroll.setupMs.toFixed(1)} ms — earlier runs counted it in the scroll.` : '',
    `Every frame over 50 ms from that setup on (${browser.scroll.longFrames.length}; the setup's rows are not the scroll's), with what happened in it — the scroll's step, the first row drawn before → after, rows still waiting for their block, row blocks that arrived, scroll events (px), and Chromium's long animation frames overlapping it (total / script / rendering / style+layout ms; none: the main thread was not busy 50 ms, the time went to the compositor or the machine):`, '',
    '| at (ms) | frame (ms) | step | first row | pending rows | blocks arrived | scroll events (px) | long animation frames |', '|---|---|---|---|---|---|---|---|',
    ...browser.scroll.longFrames.map((frame) => `| ${frame.at} | ${frame.ms.toFixed(1)} | ${frame.step} | ${frame.firstRowBefore} → ${frame.firstRow} | ${frame.pendingRows} | ${frame.blocksArrived} | ${frame.scrolls} (${frame.scrolledPx}) | ${frame.loaf.map((loaf) => `${loaf.ms} / ${loaf.scriptMs} / ${loaf.renderMs} / ${loaf.styleLayoutMs}${loaf.scripts.length ? ` [${loaf.scripts.join('; ').replace(/\|/g, '/')}]` : ''}`).join('; ') || 'none'}${frame.mainThread ? `; main thread: ${frame.mainThread.join(', ')}` : ''} |`), '',
    TRACE ? 'This run recorded Chromium\'s timeline trace during the scroll (`--trace`): its frames are a little slower than without.' : '',
    '| action | until shown (ms) |', '|---|---|', ...browser.actions.map((action) => `| ${action.label} | ${action.ms.toFixed(0)} |`), '');
}
const out = path.join(REPOSITORY_ROOT, 'bench-results');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'table.json'), `${JSON.stringify(report, null, 2)}\n`);
// The newest run on top, the earlier ones kept below it.
const markdown = path.join(out, 'table.md');
const earlier = fs.existsSync(markdown) ? fs.readFileSync(markdown, 'utf8').replace(/^# [^\n]*\n+/, '') : '';
fs.writeFileSync(markdown, [TITLE, '', ...lines, earlier].join('\n'));
console.log(lines.join('\n'));
prepared.cluster?.stop();
