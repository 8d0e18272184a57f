import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import type { LineageOperation, LineString, MergeCheck, ParcelLineage, SplitPreview } from '../../domain/api/parcel-lineage.schemas.js';
import type { VersionConflict } from '../../domain/api/parcels.schemas.js';
import {
  AREA_TOLERANCE_M2, LINEAGE_AREA_MISMATCH, MERGE_CONDITIONS_SOURCE, MERGE_CONDITIONS_UNMET, MERGE_OVERLAP, PARCEL_CODE_TAKEN,
  SPLIT_CODES_COUNT, SPLIT_LINE_DOES_NOT_DIVIDE, SPLIT_LINE_ENDS_INSIDE, SPLIT_LINE_INVALID, SPLIT_LINE_MISSES_PARCEL,
  SPLIT_MAX_PARTS, SPLIT_MIN_PART_M2, SPLIT_SLIVER, SPLIT_TOO_MANY_PARTS, judgeMerge, mergeAttributes, mergeCode, shareAmount, splitAttributes,
  splitCodes, type LineageRefusal, type MergeDifference,
} from '../../domain/parcel-lineage.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { ParcelsRepository } from './parcels.repository.js';
import {
  carryEnterpriseLinksSql, insertParcelSql, insertYearlyFiguresSql, mergeCandidatesSql, mergeUnionSql, operationsOfSql, parcelRowsSql, retireParcelsSql, retiredParcelSql,
  sharedBoundariesSql, splitLineFactsSql, splitPartsSql, takenCodesSql, yearlyFiguresSql,
} from './parcel-lineage.sql.js';

type Executor = DatabaseClient | Transaction<Database>;

/** Who writes, for the lineage row and the audit entry. */
interface Writer {
  actor: string;
  requestId?: string;
  note?: string;
}

interface PlannedPart {
  code: string;
  areaM2: number;
  geometry: unknown;
  ewkb: string;
  registeredAreaM2: number | null;
  row: Record<string, unknown>;
}

type SplitPlan = { parts: PlannedPart[]; wholeM2: number; sumM2: number; code: string } | { refusal: LineageRefusal };

export interface RetiredParcel {
  id: number;
  code: string;
  districtCode: string;
  districtName: string;
  retiredAt: string;
  reason: 'split' | 'merge';
  successors: { id: number; code: string }[];
}

export type SplitOutcome = { operation: LineageOperation; childIds: number[]; wholeM2: number; sumM2: number } | { refusal: LineageRefusal } | { conflicts: VersionConflict[] };
export type MergeOutcome = { operation: LineageOperation; childId: number; sumM2: number; differences: MergeDifference[] } | { refusal: LineageRefusal } | { conflicts: VersionConflict[] };

const round2 = (value: number) => Math.round(value * 100) / 100;

async function takenCodes(executor: Executor, codes: readonly string[]): Promise<Set<string>> {
  const { rows } = await takenCodesSql(codes).execute(executor);
  return new Set(rows.map((row) => row.code));
}

/**
 * Splits and merges of parcels (土地分割, 并宗): the only code that writes `retired_parcels` and
 * `parcel_lineage`. A write runs in the caller's transaction (which names the actor for the history
 * trigger), states the versions it started from, and either does everything — successors inserted,
 * the old parcels moved to the archive, one lineage row, one audit entry — or nothing.
 */
export function createParcelLineageRepository(db: DatabaseClient, parcels: ParcelsRepository) {
  /** The parts the line makes, with their codes and columns; or why the line cannot split the parcel. */
  async function planSplit(executor: Executor, id: number, line: LineString, givenCodes?: readonly string[]): Promise<SplitPlan> {
    const { rows: [facts] } = await splitLineFactsSql(id, line).execute(executor);
    if (!facts.valid) return { refusal: { reason: SPLIT_LINE_INVALID, detail: facts.reason } };
    if (!facts.meets) return { refusal: { reason: SPLIT_LINE_MISSES_PARCEL } };
    if (facts.start_inside || facts.end_inside) {
      return { refusal: { reason: SPLIT_LINE_ENDS_INSIDE, ends: [...(facts.start_inside ? ['start' as const] : []), ...(facts.end_inside ? ['end' as const] : [])] } };
    }
    const { rows: parts } = await splitPartsSql(id, line).execute(executor);
    if (parts.length < 2) return { refusal: { reason: SPLIT_LINE_DOES_NOT_DIVIDE } };
    if (parts.length > SPLIT_MAX_PARTS) return { refusal: { reason: SPLIT_TOO_MANY_PARTS, parts: parts.length } };
    const sliver = parts.findIndex((part) => part.area_m2 < SPLIT_MIN_PART_M2);
    if (sliver >= 0) return { refusal: { reason: SPLIT_SLIVER, part: sliver + 1, areaM2: parts[sliver].area_m2 } };
    const { rows: [{ row: parent }] } = await parcelRowsSql([id]).execute(executor);
    const wholeM2 = Number(parent.area_m2);
    const sumM2 = parts.reduce((sum, part) => sum + part.area_m2, 0);
    if (Math.abs(sumM2 - wholeM2) > AREA_TOLERANCE_M2) return { refusal: { reason: LINEAGE_AREA_MISMATCH, wholeM2, partsM2: sumM2 } };
    const code = String(parent.code);
    let codes: string[];
    if (givenCodes) {
      if (givenCodes.length !== parts.length) return { refusal: { reason: SPLIT_CODES_COUNT, parts: parts.length, codes: givenCodes.length } };
      const repeated = givenCodes.filter((candidate, index) => givenCodes.indexOf(candidate) !== index);
      const taken = [...new Set([...repeated, ...await takenCodes(executor, givenCodes)])];
      if (taken.length > 0) return { refusal: { reason: PARCEL_CODE_TAKEN, codes: taken } };
      codes = [...givenCodes];
    } else {
      const candidates = Array.from({ length: parts.length + 100 }, (_value, index) => `${code}-${index + 1}`);
      codes = splitCodes(code, parts.length, await takenCodes(executor, candidates));
    }
    const rows = splitAttributes(parent, parts.map((part) => part.area_m2), codes);
    return {
      code, wholeM2, sumM2,
      parts: parts.map((part, index) => ({
        code: codes[index], areaM2: part.area_m2, geometry: part.geometry, ewkb: part.ewkb, row: rows[index],
        registeredAreaM2: rows[index].registered_area_m2 === undefined || rows[index].registered_area_m2 === null ? null : Number(rows[index].registered_area_m2),
      })),
    };
  }

  async function operationsOf(executor: Executor, id: number): Promise<LineageOperation[]> {
    const { rows } = await operationsOfSql(id).execute(executor);
    return rows.map((row) => {
      const retired = new Set(row.retired_ids.map(String));
      const parcelsOf = (ids: string[], codes: string[]) => ids.map((parcelId, index) => ({ id: Number(parcelId), code: codes[index], retired: retired.has(String(parcelId)) }));
      return {
        operationId: Number(row.id), kind: row.kind, at: row.at.toISOString(), actor: row.actor, note: row.note,
        parents: parcelsOf(row.parent_ids, row.parent_codes), children: parcelsOf(row.child_ids, row.child_codes),
      };
    });
  }

  /** Records the operation (lineage row, archive, audit entry); the successors exist already. */
  async function record(transaction: Transaction<Database>, kind: 'split' | 'merge', parents: { id: number; code: string }[], children: { id: number; code: string; areaM2: number }[], writer: Writer, details: Record<string, unknown>): Promise<LineageOperation> {
    const { id: operationId } = await transaction.insertInto('parcel_lineage').values({
      kind, parent_ids: parents.map((parcel) => parcel.id), parent_codes: parents.map((parcel) => parcel.code),
      child_ids: children.map((parcel) => parcel.id), child_codes: children.map((parcel) => parcel.code),
      actor: writer.actor, note: writer.note ?? null, request_id: writer.requestId ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    await carryEnterpriseLinksSql(parents.map((parcel) => parcel.id), children.map((parcel) => parcel.id), writer.actor).execute(transaction);
    await retireParcelsSql(parents.map((parcel) => parcel.id), kind, children.map((parcel) => parcel.id), operationId, writer.actor).execute(transaction);
    const verb = kind === 'split' ? '分割' : '合并';
    await recordEvent(transaction, {
      entity: 'parcel_lineage', entityId: operationId, action: kind, actor: writer.actor, requestId: writer.requestId,
      before: { parcels: parents },
      after: {
        summary: `${verb} ${parents.map((parcel) => parcel.code).join('、')} → ${children.map((parcel) => parcel.code).join('、')}`,
        parcels: children.map((parcel) => ({ ...parcel, areaM2: round2(parcel.areaM2) })), note: writer.note ?? null, ...details,
      },
    });
    return (await operationsOf(transaction, parents[0].id)).find((operation) => operation.operationId === Number(operationId))!;
  }

  return {
    /** A parcel retired by a split or merge, with the live parcels it became; undefined when it is not retired. */
    async retired(id: number): Promise<RetiredParcel | undefined> {
      const { rows: [row] } = await retiredParcelSql(id).execute(db);
      if (!row) return undefined;
      return {
        id: Number(row.id), code: row.code, districtCode: row.district_code, districtName: row.district_name,
        retiredAt: row.retired_at.toISOString(), reason: row.retired_reason, successors: row.successors,
      };
    },

    /** Where parcel `id` (live or retired) came from and what it became; undefined when there is no such parcel. */
    async lineage(id: number): Promise<(ParcelLineage & { districtCode: string; districtName: string }) | undefined> {
      const live = await parcels.find(id);
      const retired = live ? undefined : await this.retired(id);
      if (!live && !retired) return undefined;
      const operations = await operationsOf(db, id);
      return {
        id, code: (live ?? retired)!.code, retired: !live,
        districtCode: (live ?? retired)!.districtCode, districtName: (live ?? retired)!.districtName,
        successors: retired ? retired.successors.map((successor) => ({ ...successor, retired: false })) : [],
        origin: operations.find((operation) => operation.children.some((child) => child.id === id)) ?? null,
        end: operations.find((operation) => operation.parents.some((parent) => parent.id === id)) ?? null,
      };
    },

    /** The parts a line would make, without writing: their codes, areas and shapes; or the refusal. */
    async previewSplit(id: number, line: LineString, codes?: readonly string[]): Promise<SplitPreview | { refusal: LineageRefusal }> {
      const plan = await planSplit(db, id, line, codes);
      if ('refusal' in plan) return plan;
      return {
        id, code: plan.code, wholeM2: plan.wholeM2, sumM2: plan.sumM2,
        parts: plan.parts.map((part) => ({ code: part.code, areaM2: part.areaM2, registeredAreaM2: part.registeredAreaM2, geometry: part.geometry as SplitPreview['parts'][number]['geometry'] })),
      };
    },

    /** Splits parcel `id` by the line inside the caller's transaction; nothing is written on a refusal. */
    async split(transaction: Transaction<Database>, input: { id: number; version: number; line: LineString; codes?: readonly string[] }, writer: Writer): Promise<SplitOutcome> {
      const conflicts = await parcels.lockVersions(transaction, [{ id: input.id, version: input.version }]);
      if (conflicts.length > 0) return { conflicts };
      const plan = await planSplit(transaction, input.id, input.line, input.codes);
      if ('refusal' in plan) return plan;
      const children: { id: number; code: string; areaM2: number }[] = [];
      for (const part of plan.parts) {
        const { rows: [inserted] } = await insertParcelSql(part.row, part.ewkb, writer.actor).execute(transaction);
        children.push({ id: Number(inserted.id), code: part.code, areaM2: inserted.area_m2 });
      }
      // The yearly 产值/税收 are shared like the other amounts, year by year.
      const { rows: yearly } = await yearlyFiguresSql([input.id]).execute(transaction);
      const areas = plan.parts.map((part) => part.areaM2);
      const shareOf = (value: string | null) => (value === null ? areas.map(() => null) : shareAmount(Number(value), areas));
      const childYearly = yearly.flatMap((row) => {
        const outputs = shareOf(row.output_wan);
        const taxes = shareOf(row.tax_wan);
        return children.map((child, index) => ({ parcelId: child.id, year: row.year, outputWan: outputs[index], taxWan: taxes[index] }));
      });
      if (childYearly.length > 0) await insertYearlyFiguresSql(childYearly, writer.actor).execute(transaction);
      const operation = await record(transaction, 'split', [{ id: input.id, code: plan.code }], children, writer, { wholeM2: round2(plan.wholeM2) });
      return { operation, childIds: children.map((child) => child.id), wholeM2: plan.wholeM2, sumM2: children.reduce((sum, child) => sum + child.areaM2, 0) };
    },

    /** The 并宗 conditions for these parcels, each passing or failing, with the facts they were judged on. */
    async checkMerge(executor: Executor, ids: readonly number[]): Promise<MergeCheck> {
      const { rows } = await mergeCandidatesSql(ids).execute(executor);
      const { rows: shared } = await sharedBoundariesSql(ids).execute(executor);
      const candidates = rows.map((row) => ({
        id: Number(row.id), code: row.code, version: row.version, owner: row.owner, ownershipNature: row.ownership_nature,
        landUseCode: row.land_use_code, districtCode: row.district_code, districtName: row.district_name, areaM2: row.area_m2,
      }));
      const conditions = judgeMerge(candidates, shared.map((edge) => ({ a: Number(edge.a), b: Number(edge.b), sharedM: edge.shared_m })));
      return {
        pass: conditions.every((condition) => condition.pass), conditions, source: MERGE_CONDITIONS_SOURCE,
        parcels: candidates, sumM2: candidates.reduce((sum, candidate) => sum + candidate.areaM2, 0),
      };
    },

    /** Merges the parcels (并宗) inside the caller's transaction; nothing is written on a refusal. */
    async merge(transaction: Transaction<Database>, input: { parcels: readonly { id: number; version: number }[]; code?: string }, writer: Writer): Promise<MergeOutcome> {
      const conflicts = await parcels.lockVersions(transaction, input.parcels);
      if (conflicts.length > 0) return { conflicts };
      const ids = input.parcels.map((parcel) => parcel.id);
      const check = await this.checkMerge(transaction, ids);
      if (!check.pass) return { refusal: { reason: MERGE_CONDITIONS_UNMET, conditions: check.conditions } };
      const { rows: [union] } = await mergeUnionSql(ids).execute(transaction);
      if (union.sum_m2 - union.union_m2 > AREA_TOLERANCE_M2) return { refusal: { reason: MERGE_OVERLAP, overlapM2: union.sum_m2 - union.union_m2 } };
      if (Math.abs(union.sum_m2 - union.union_m2) > AREA_TOLERANCE_M2) return { refusal: { reason: LINEAGE_AREA_MISMATCH, wholeM2: union.union_m2, partsM2: union.sum_m2 } };
      const { rows: parentRows } = await parcelRowsSql(ids).execute(transaction);
      const rows = parentRows.map((row) => row.row);
      const principal = rows.reduce((largest, row) => (Number(row.area_m2) > Number(largest.area_m2) ? row : largest));
      let code: string;
      if (input.code) {
        if ((await takenCodes(transaction, [input.code])).size > 0) return { refusal: { reason: PARCEL_CODE_TAKEN, codes: [input.code] } };
        code = input.code;
      } else {
        const base = String(principal.code);
        const candidates = Array.from({ length: 100 }, (_value, index) => `${base}-H${index === 0 ? '' : index + 1}`);
        code = mergeCode(base, await takenCodes(transaction, candidates));
      }
      const { attributes, differences } = mergeAttributes(rows, code);
      const { rows: [inserted] } = await insertParcelSql(attributes, union.ewkb, writer.actor).execute(transaction);
      const child = { id: Number(inserted.id), code, areaM2: inserted.area_m2 };
      // The yearly 产值/税收 of the parcels, summed per year.
      const { rows: yearly } = await yearlyFiguresSql(ids).execute(transaction);
      const years = new Map<number, { outputWan: number | null; taxWan: number | null }>();
      const add = (sum: number | null, value: string | null) => (value === null ? sum : round2((sum ?? 0) + Number(value)));
      for (const row of yearly) {
        const year = years.get(row.year) ?? { outputWan: null, taxWan: null };
        years.set(row.year, { outputWan: add(year.outputWan, row.output_wan), taxWan: add(year.taxWan, row.tax_wan) });
      }
      if (years.size > 0) await insertYearlyFiguresSql([...years].map(([year, sums]) => ({ parcelId: child.id, year, ...sums })), writer.actor).execute(transaction);
      const operation = await record(transaction, 'merge', rows.map((row) => ({ id: Number(row.id), code: String(row.code) })), [child], writer, {
        sumM2: round2(union.sum_m2), differences,
      });
      return { operation, childId: child.id, sumM2: union.sum_m2, differences };
    },
  };
}

export type ParcelLineageRepository = ReturnType<typeof createParcelLineageRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    parcelLineageRepository: ParcelLineageRepository;
  }
}

/** The split/merge repository, built once per app beside the parcels repository. */
export const parcelLineageRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('parcelLineageRepository', createParcelLineageRepository(app.db, app.parcelsRepository));
}, { name: 'parcel-lineage-repository', dependencies: ['database', 'parcels-repository'] });
