import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { SearchMatch, SearchSuggestion } from '../../domain/api/search.schemas.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import { containsPattern, prefixPattern } from '../parcel-table/parcel-table.sql.js';
import { codePrefixSql, districtMatchSql, namePairMatchSql, textMatchSql, townOrParkMatchSql, type ParcelCandidate } from './search.sql.js';

/**
 * The text statement's time budget (ms) while the user types. Suggestions are wanted within 100 ms
 * of server time: a needle whose trigrams are in most parcels (厦门市, 3502…), or a loaded machine,
 * can keep the trigram index busy longer than that. The answer then says `partial` (the other
 * statements — 宗地编号 prefix, districts, 街道/园区 — still answered) and the search box asks again
 * at once with `complete`, which has COMPLETE_BUDGET_MS: no match is dropped silently.
 */
export const TEXT_BUDGET_MS = 50;
/** The budget of a complete search: long enough for any needle on 1 M parcels, short enough that none holds a connection. */
export const COMPLETE_BUDGET_MS = 5_000;
/** PostgreSQL's query_canceled: the statement ran out of its budget. */
const QUERY_CANCELED = '57014';

/** How well a text matches: the whole text 0, its start 1, anywhere else 2; -1 when it does not. */
function matchRank(text: string | null, needle: string): number {
  if (!text) return -1;
  const lower = text.toLowerCase();
  if (lower === needle) return 0;
  if (lower.startsWith(needle)) return 1;
  return lower.includes(needle) ? 2 : -1;
}

interface Ranked {
  rank: number;
  suggestion: SearchSuggestion;
}

const PARCEL_TEXTS: readonly [Exclude<SearchMatch, 'name'>, keyof ParcelCandidate][] = [
  ['code', 'code'], ['owner', 'owner'], ['contractNo', 'contractNo'], ['certificateNo', 'certificateNo'], ['location', 'location'],
];

function parcelSuggestion(parcel: ParcelCandidate, needle: string): Ranked | null {
  for (const [match, key] of PARCEL_TEXTS) {
    const text = parcel[key] as string | null;
    const rank = matchRank(text, needle);
    if (rank < 0) continue;
    // 宗地编号 first, then the names people search by, then numbers and addresses; shorter texts first.
    const weight = match === 'code' ? 0 : match === 'owner' ? 1 : 2;
    return {
      rank: rank * 10 + weight + Math.min(text!.length, 99) / 100,
      suggestion: {
        kind: 'parcel', parcelId: Number(parcel.id), title: parcel.code,
        detail: parcel.covered ? [parcel.owner, parcel.districtName].filter(Boolean).join(' · ') : `${parcel.districtName} · 管辖范围外`,
        matched: match, matchedText: text!, districtCode: parcel.districtCode, bbox: parcel.bbox, restricted: !parcel.covered,
      },
    };
  }
  return null;
}

/** The search box's suggestions: the only code of search that talks SQL. */
export function createSearchRepository(db: DatabaseClient) {
  /**
   * Text matches, within TEXT_BUDGET_MS. Two characters are looked up in the character-pair
   * index of owner and 坐落 (trigrams have nothing to offer there). Longer needles go to the
   * trigram index; for a reader of some districts the planner, expecting the LIMIT to end a scan
   * of the table early, would scan a million rows when the matches lie in other districts: the
   * scan is taken from it, so it intersects the trigram index with the district index.
   */
  async function textMatches(needle: string, limit: number, scope: Scope, budgetMs: number): Promise<{ rows: ParcelCandidate[]; partial: boolean }> {
    try {
      return await db.transaction().execute(async (transaction) => {
        await sql.raw(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(budgetMs))}`).execute(transaction);
        if ([...needle].length === 2) return { rows: (await namePairMatchSql(needle, limit, scope).execute(transaction)).rows, partial: false };
        if (!scope.unrestricted) await sql`SET LOCAL enable_seqscan = off`.execute(transaction);
        return { rows: (await textMatchSql(containsPattern(needle), limit, scope).execute(transaction)).rows, partial: false };
      });
    } catch (error) {
      if ((error as { code?: string }).code === QUERY_CANCELED) return { rows: [], partial: true };
      throw error;
    }
  }

  return {
    /**
     * Ranked suggestions for what the user typed; `partial` when the text statement ran out of
     * its budget (TEXT_BUDGET_MS, or COMPLETE_BUDGET_MS with `complete`).
     */
    async suggest(q: string, limit: number, scope: Scope, options: { complete?: boolean; textBudgetMs?: number } = {}): Promise<{ items: SearchSuggestion[]; partial: boolean }> {
      const needle = q.trim().toLowerCase();
      if (needle === '') return { items: [], partial: false };
      const contains = containsPattern(needle);
      const budget = options.textBudgetMs ?? (options.complete ? COMPLETE_BUDGET_MS : TEXT_BUDGET_MS);
      const [byCode, byText, districts, towns] = await Promise.all([
        codePrefixSql(prefixPattern(q), limit, scope).execute(db),
        scope.coversAny ? textMatches(needle, limit * 3, scope, budget) : Promise.resolve({ rows: [] as ParcelCandidate[], partial: false }),
        districtMatchSql(contains, limit).execute(db),
        scope.coversAny ? townOrParkMatchSql(contains, limit, scope).execute(db) : Promise.resolve({ rows: [] }),
      ]);
      const ranked: Ranked[] = [];
      const seen = new Set<number>();
      for (const parcel of [...byCode.rows, ...byText.rows]) {
        if (seen.has(Number(parcel.id))) continue;
        seen.add(Number(parcel.id));
        const suggestion = parcelSuggestion(parcel, needle);
        if (suggestion) ranked.push(suggestion);
      }
      for (const district of districts.rows) {
        const rank = matchRank(district.name, needle);
        ranked.push({
          rank: rank * 10 + 0.5,
          suggestion: {
            kind: 'district', parcelId: null, title: district.name, detail: district.parentName ? `${district.parentName} · 行政区` : '市',
            matched: 'name', matchedText: district.name, districtCode: district.code, bbox: district.bbox, restricted: false,
          },
        });
      }
      for (const town of towns.rows) {
        const rank = matchRank(town.name, needle);
        ranked.push({
          rank: rank * 10 + 0.7,
          suggestion: {
            kind: 'townOrPark', parcelId: null, title: town.name, detail: `${town.districtName} · 街道/园区`,
            matched: 'name', matchedText: town.name, districtCode: town.districtCode, bbox: null, restricted: false,
          },
        });
      }
      return {
        items: ranked.sort((a, b) => a.rank - b.rank || a.suggestion.title.localeCompare(b.suggestion.title)).slice(0, limit).map((entry) => entry.suggestion),
        partial: byText.partial,
      };
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    searchRepository: SearchRepository;
  }
}

export const searchRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('searchRepository', createSearchRepository(app.db));
}, { name: 'search-repository', dependencies: ['database'] });
