/**
 * The server side of `npm run bench:table`: over the 1 M-parcel bench city, the search box's
 * suggestions (the whole `suggest`, and each statement under EXPLAIN ANALYZE) and the attribute
 * table's windows and summaries, timed in the database's process without HTTP.
 */
import os from 'node:os';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { Scope } from '../../server/auth/scope.js';
import type { Database } from '../../server/db/schema.js';
import { createParcelTableRepository } from '../../server/parcel-table/parcel-table.repository.js';
import { containsPattern, prefixPattern } from '../../server/parcel-table/parcel-table.sql.js';
import { createSearchRepository } from '../../server/search/search.repository.js';
import { codePrefixSql, districtMatchSql, namePairMatchSql, textMatchSql, townOrParkMatchSql } from '../../server/search/search.sql.js';
import type { ParcelTableFilter } from '../../domain/api/parcel-table.schemas.js';

export interface Timing {
  label: string;
  ms: number[];
  median: number;
  max: number;
  extra?: Record<string, unknown>;
}

function summarise(label: string, ms: number[], extra?: Record<string, unknown>): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  return { label, ms: ms.map((value) => Math.round(value * 10) / 10), median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1)!, extra };
}

async function timed<T>(run: () => Promise<T>, times: number): Promise<{ ms: number[]; value: T }> {
  const ms: number[] = [];
  let value!: T;
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    value = await run();
    ms.push(performance.now() - started);
  }
  return { ms, value };
}

/** A one-district reader (湖里区), as the scope of a 区 official is. */
export function districtScope(code: string): Scope {
  return Scope.of({ id: 0, username: 'bench', displayName: 'bench', role: 'viewer', mustChangePassword: false, scopes: [{ code, name: code }], allowedDistricts: [code], unrestricted: false, units: [], department: null, enterpriseParcelIds: [] });
}

/** EXPLAIN ANALYZE of one statement, with the planner settings the repository gives it (none by default). */
async function explainMs(db: Kysely<Database>, query: { compile(db: Kysely<Database>): { sql: string; parameters: readonly unknown[] } }, settings: string[] = []): Promise<number> {
  const compiled = query.compile(db);
  return await db.transaction().execute(async (transaction) => {
    for (const setting of settings) await sql.raw(`SET LOCAL ${setting}`).execute(transaction);
    const { rows: [row] } = await sql<{ 'QUERY PLAN': [{ 'Execution Time': number; 'Planning Time': number }] }>`
      EXPLAIN (ANALYZE, FORMAT JSON) ${sql.raw(compiled.sql.replace(/\$(\d+)/g, (_match, index: string) => literal(compiled.parameters[Number(index) - 1])))}`.execute(transaction);
    const plan = row['QUERY PLAN'][0];
    return plan['Execution Time'] + plan['Planning Time'];
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(',')}]`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

export const SEARCH_QUERIES = ['350206-00123', '350203-0', '宏兴', '鹭昌电子', '机械', '湖里', '软件园', '不动产权第00012', '厦门市思明区', 'zz-nothing'] as const;

export async function searchFigures(db: Kysely<Database>): Promise<{ suggest: Timing[]; statements: Timing[] }> {
  const repository = createSearchRepository(db);
  const suggest: Timing[] = [];
  const statements: Timing[] = [];
  for (const [scopeName, scope] of [['全市', Scope.system()], ['湖里区', districtScope('350206')]] as const) {
    for (const q of SEARCH_QUERIES) {
      await repository.suggest(q, 10, scope); // warm
      const { ms, value } = await timed(() => repository.suggest(q, 10, scope), 5);
      suggest.push(summarise(`${scopeName} “${q}”`, ms, { suggestions: value.items.length, partial: value.partial, first: value.items[0]?.title ?? null, load: os.loadavg()[0].toFixed(1) }));
      const needle = containsPattern(q);
      const pair = [...q.trim().toLowerCase()].length === 2;
      // The text statement as the repository runs it (without its time budget, to see its whole cost).
      const text = pair ? namePairMatchSql(q.trim().toLowerCase(), 30, scope) : textMatchSql(needle, 30, scope);
      const explained = [
        await explainMs(db, codePrefixSql(prefixPattern(q), 10, scope)),
        await explainMs(db, text, !pair && !scope.unrestricted ? ['enable_seqscan = off'] : []),
        await explainMs(db, districtMatchSql(needle, 10)),
        await explainMs(db, townOrParkMatchSql(needle, 10, scope)),
      ];
      statements.push(summarise(`${scopeName} “${q}” (code, text, district, 街道 statements)`, explained));
    }
  }
  return { suggest, statements };
}

export const TABLE_FILTERS: readonly [string, ParcelTableFilter][] = [
  ['全市 (no filter)', {}],
  ['湖里区', { district: '350206' }],
  ['已认定低效', { status: 'identified' }],
  ['容积率 0.5–1.0 且 亩均税收 ≥ 5', { ranges: [{ key: 'floorAreaRatio', min: 0.5, max: 1 }, { key: 'taxPerMu', min: 5 }] }],
  ['搜索 “宏兴机械”', { q: '宏兴机械' }],
  ['搜索 “机械”', { q: '机械' }],
  ['行业 C34 + 思明区', { industry: 'C34', district: '350203' }],
];

export async function tableFigures(db: Kysely<Database>): Promise<{ summaries: Timing[]; windows: Timing[] }> {
  const repository = createParcelTableRepository(db);
  const scope = Scope.system();
  const summaries: Timing[] = [];
  for (const [label, filter] of TABLE_FILTERS) {
    const { ms, value } = await timed(() => repository.summary(filter, scope), 3);
    summaries.push(summarise(label, ms, { rows: value.count }));
  }
  // The table reads the id list once per filter and sort, then windows of 200 rows by id.
  const windows: Timing[] = [];
  for (const [label, filter] of [['湖里区', { district: '350206' }], ['已认定低效', { status: 'identified' }], ['全市', {}]] as const) {
    for (const sort of [undefined, { key: 'taxPerMu', direction: 'desc' } as const, { key: 'owner', direction: 'asc' } as const]) {
      const { ms, value } = await timed(() => repository.ids(filter, sort, 200_000, scope), 3);
      windows.push(summarise(`${label}, ${sort ? `${sort.key} ${sort.direction}` : 'id'}: id list`, ms, { ids: value.ids.length, truncated: value.truncated }));
      for (const offset of [0, Math.floor(value.ids.length / 2), Math.max(0, value.ids.length - 200)]) {
        const { ms: windowMs } = await timed(() => repository.rowsById(value.ids.slice(offset, offset + 200), scope), 3);
        windows.push(summarise(`${label}, ${sort ? `${sort.key} ${sort.direction}` : 'id'}: rows ${offset}–${offset + 200} by id`, windowMs));
      }
    }
  }
  return { summaries, windows };
}
