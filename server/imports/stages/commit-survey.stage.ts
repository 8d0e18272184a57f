import type { SurveyCommitResult } from '../../../domain/api/imports.schemas.js';
import { scopeNames, type Principal } from '../../auth/principal.js';
import { OUT_OF_SCOPE, OutOfScopeError, Scope } from '../../auth/scope.js';
import { writeAs } from '../../db/actor.js';
import { ApiError } from '../../errors.js';
import type { ImportLayerState, ImportRow } from '../imports.repository.js';
import { sourceFieldFor } from '../imports.sql.js';
import type { StageContext } from './stage-context.js';

/** A commit that would write no 图斑 at all. */
export const NOTHING_TO_COMMIT = 'nothing_to_commit';

/** Connections writing one survey layer at once (disjoint fid ranges). */
const COMMIT_WORKERS = 2;

/** The survey year: the user's, else the most common SJNF of the data. */
async function surveyYear(context: StageContext, row: ImportRow, layers: ImportLayerState[]): Promise<number> {
  const given = row.options.year ?? row.year;
  if (given) return given;
  for (const layer of layers) {
    const field = sourceFieldFor(layer.mapping ?? {}, 'dataYear');
    if (!field) continue;
    const year = await context.imports.commonYear(layer.stagingTable!, field);
    if (year && year >= 1990 && year <= 2100) return year;
  }
  throw new ApiError(400, 'year_required', '请提供调查年份 (year)：数据中没有可用的 SJNF 字段。', { parameter: 'year' });
}

/**
 * A survey layer is the whole city's 变更调查 of its year: it supersedes the current layer of that
 * year for every reader. So a user whose scope does not cover the whole city may commit a layer
 * only when every patch lies in their districts (else 403 out_of_scope naming the first district
 * outside) and no layer of that year is current yet (else 403: only a user whose scope is the
 * whole city, such as the administrator, may replace it).
 */
async function assertMayCommit(context: StageContext, principal: Principal, year: number, layers: ImportLayerState[]): Promise<void> {
  const scope = Scope.of(principal);
  if (scope.unrestricted) return;
  const districts = await context.imports.stagedDistricts(layers.map((layer) => layer.stagingTable!));
  const outside = districts.find((district) => !scope.covers(district.code));
  if (outside?.code) throw new OutOfScopeError(principal, { code: outside.code, name: outside.name ?? outside.code }, '导入', '该调查图层的图斑');
  if (outside) {
    throw new ApiError(403, OUT_OF_SCOPE, `您的账号只能导入 ${scopeNames(principal)} 的数据；该调查图层有图斑不在任何行政区内。请只导入管辖范围内的图斑。`, { district: null });
  }
  if (await context.imports.currentSurveyLayerId(year) !== null) {
    throw new ApiError(403, OUT_OF_SCOPE, `${year} 年已有覆盖全市的变更调查图层，提交会替换它；您的账号只管辖 ${scopeNames(principal)}，不能替换全市图层。请由管辖范围为全市的用户（如系统管理员）导入。`, { year });
  }
}

/**
 * Stage 6, commit survey layer: written while pending (invisible to tiles and lists) into a table
 * of its own — the one validation prepared for a single staged layer, else copied from staging by
 * two connections at once — indexed once, then attached to survey_patches and
 * made current, superseding the previous layer of its year (kept, never deleted), in one short
 * transaction: readers see the old layer or the new one, never a part. A failure drops the
 * pending layer. `kept`: how many features the commit writes, as the outside decision left them
 * (imports.kept).
 */
export async function commitSurvey(context: StageContext, row: ImportRow, layers: ImportLayerState[], principal: Principal, requestId: string, kept: number): Promise<SurveyCommitResult> {
  const year = await surveyYear(context, row, layers);
  // An empty layer would replace the year's layer with nothing: refused before anything is written.
  if (kept === 0) {
    throw new ApiError(400, NOTHING_TO_COMMIT, '没有可写入的图斑（全部被拒绝，或全部位于管辖范围外被跳过），未写入任何数据。请核对数据的范围和坐标系后重新导入。', { parameter: 'outside' });
  }
  await assertMayCommit(context, principal, year, layers);
  const pending = { year, importId: row.id, sourceSrid: (row.detected.srid as number | null) ?? null, importedBy: principal.username };
  // The layer validation prepared (one staged layer) becomes the layer: settled to the decision on the extent, then moved.
  const table = layers.length === 1 ? layers[0].stagingTable! : null;
  const prepared = table ? await context.imports.preparedSurveyLayer(table) : null;
  let layerId: number;
  if (table && prepared) {
    try {
      await context.imports.settlePreparedSurveyLayer(table, year, prepared);
      layerId = await context.imports.createPendingSurveyLayer(pending, { table, layerId: prepared.layerId });
    } catch (error) {
      // Half settled, it no longer matches staging: a retried commit copies from staging.
      await context.imports.dropPreparedSurveyLayer(table).catch(() => undefined);
      await context.imports.dropPendingSurveyLayer(prepared.layerId).catch(() => undefined);
      throw error;
    }
  } else {
    layerId = await context.imports.createPendingSurveyLayer(pending);
  }
  try {
    let inserted = prepared ? kept : 0;
    for (const layer of prepared ? [] : layers) {
      const range = await context.imports.fidRange(layer.stagingTable!);
      if (!range) continue;
      const step = Math.ceil((range.max - range.min + 1) / COMMIT_WORKERS);
      const counts = await Promise.all(Array.from({ length: COMMIT_WORKERS }, (_, worker) => {
        const from = range.min + worker * step;
        return context.imports.copyIntoSurveyLayer(layerId, year, layer, from, from + step);
      }));
      inserted += counts.reduce((sum, count) => sum + count, 0);
    }
    await context.imports.indexSurveyLayer(layerId, prepared && table ? { prepared: table } : {});
    return await writeAs(context.db, { name: principal.username, requestId }, async (transaction) => {
      const previous = await context.imports.currentSurveyLayer(transaction, year);
      await context.imports.makeSurveyLayerCurrent(transaction, layerId, inserted, previous?.id ?? null);
      await context.imports.recordImportCommit(transaction, {
        entity: 'survey_layers', entityId: String(layerId), actor: principal.username, requestId,
        before: previous ? { layerId: previous.id, year, features: previous.feature_count } : null,
        after: { layerId, year, features: inserted, importId: row.id, file: row.file_name },
      });
      return { kind: 'survey', year, layerId, features: inserted, supersededLayerId: previous?.id ?? null };
    });
  } catch (error) {
    await context.imports.dropPendingSurveyLayer(layerId).catch(() => undefined);
    throw error;
  }
}
