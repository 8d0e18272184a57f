import { convertValue } from '../../../domain/import/field-mapping.js';
import type { ParcelCommitResult } from '../../../domain/api/imports.schemas.js';
import { columnName } from '../../../domain/parcel-fields.js';
import { forbiddenParcelFields } from '../../../domain/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { Scope } from '../../auth/scope.js';
import { writeAs } from '../../db/actor.js';
import { ForbiddenFieldsError, StaleVersionError } from '../../errors.js';
import type { ImportedParcel } from '../../parcels/parcels.repository.js';
import type { ImportLayerState, ImportRow } from '../imports.repository.js';
import type { StageContext } from './stage-context.js';

/** Problem lines kept in the commit result. */
const MAX_PROBLEMS = 200;

/**
 * The parcel fields an import of these layers would set: every mapped target, and the geometry.
 * They obey the same field→action rule as an edit (PARCEL_FIELD_ACTIONS).
 */
function fieldsSet(layers: readonly ImportLayerState[]): string[] {
  const targets = new Set<string>(['geometry']);
  for (const layer of layers) for (const target of Object.values(layer.mapping ?? {})) if (target) targets.add(target);
  return [...targets];
}

/**
 * The parcel values of one staged feature, converted and checked (units, ranges, the limits of
 * PARCEL_FIELD_DEFINITIONS), with a problem line for each value left out; validation shows the
 * same lines before the commit. The lines name the field, and the record by its 宗地编号 when it has one.
 */
export function parcelValues(layer: ImportLayerState, attributes: Record<string, unknown>): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const failures: string[] = [];
  for (const [source, target] of Object.entries(layer.mapping ?? {})) {
    if (!target) continue;
    const converted = convertValue('parcels', target, attributes[source], layer.units?.[source]);
    if (converted.ok) values[target] = converted.value;
    else failures.push(`${source}: ${converted.message}`);
  }
  const code = typeof values.code === 'string' && values.code.trim() !== '' ? `宗地编号 ${values.code.trim()}，` : '';
  return { values, problems: failures.map((failure) => `${code}${failure}`) };
}

/**
 * Stage 5, commit parcels: inserted or updated by 宗地编号 through the parcels repository, in one
 * transaction that names the importer (each change recorded by the history trigger). Done, with
 * notes: a feature outside the importer's districts, outside every district, matching a parcel
 * of a district the importer may not change, or moving a parcel out of its district, is left out
 * with a problem line. A mapped field the importer's role may not set refuses the whole commit
 * (403 forbidden_fields), as the same field in an edit would.
 */
export async function commitParcels(context: StageContext, row: ImportRow, layers: ImportLayerState[], principal: Principal, requestId: string): Promise<ParcelCommitResult> {
  const forbidden = forbiddenParcelFields(principal.role, fieldsSet(layers));
  if (forbidden.length > 0) throw new ForbiddenFieldsError(principal.role, forbidden, '请在字段对应中把这些字段设为“不导入”，或请有权限的用户导入。');
  const scope = Scope.of(principal);
  return writeAs(context.db, { name: principal.username, requestId }, async (transaction) => {
    let skipped = 0;
    const problems: { fid: number; message: string }[] = [];
    // Only the first lines are answered; a million-feature file must not build a million strings.
    const note = (fid: number, message: () => string) => {
      if (problems.length < MAX_PROBLEMS) problems.push({ fid, message: message() });
    };
    const candidates: (Omit<ImportedParcel, 'id'> & { fid: number })[] = [];
    for (const layer of layers) {
      for (const feature of await context.imports.stagedParcelFeatures(transaction, layer)) {
        if (!feature.district_code || !scope.covers(feature.district_code)) {
          skipped++;
          note(feature.fid, () => (feature.district_code ? `位于 ${feature.district_code}，不在您的管辖范围内` : '不在任何行政区内'));
          continue;
        }
        const { values, problems: lines } = parcelValues(layer, feature.attributes);
        for (const line of lines) note(feature.fid, () => line);
        const code = typeof values.code === 'string' && values.code.trim() !== '' ? values.code.trim() : `${feature.district_code}-I${row.id.slice(0, 8)}-${feature.fid}`;
        delete values.code;
        const columns: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(values)) columns[columnName(key)] = value;
        candidates.push({ fid: feature.fid, code, districtCode: feature.district_code, columns, geometry: feature.geometry });
      }
    }
    const existing = await context.parcels.findByCodes(transaction, [...new Set(candidates.map((candidate) => candidate.code))]);
    // The import states the parcels it started from by the validation's history mark: a parcel
    // edited since is a stale write (409), as an edit's would be. The importer has now seen those
    // changes (the answer lists them), so the mark moves on and a second commit writes over them.
    if (row.parcels_read_up_to !== null) {
      const stale = await context.parcels.changedAfterMark(transaction, [...existing.values()].map((parcel) => parcel.id), row.parcels_read_up_to);
      if (stale.length > 0) {
        await context.imports.update(row.id, { parcels_read_up_to: await context.parcels.historyMark() });
        throw new StaleVersionError(stale, 'import');
      }
    }
    const names = await context.imports.districtNames([...new Set([...existing.values()].map((parcel) => parcel.districtCode))]);
    const rows: ImportedParcel[] = [];
    for (const { fid, ...candidate } of candidates) {
      const match = existing.get(candidate.code);
      // The parcel a code matches is the one written: its district decides, not the new geometry's.
      if (match && !scope.covers(match.districtCode)) {
        skipped++;
        note(fid, () => `宗地编号 ${candidate.code} 是 ${names.get(match.districtCode) ?? match.districtCode} (${match.districtCode}) 的地块，不在您的管辖范围内，未更新`);
        continue;
      }
      if (match && match.districtCode !== candidate.districtCode) {
        skipped++;
        note(fid, () => `宗地编号 ${candidate.code} 的地块属于 ${names.get(match.districtCode) ?? match.districtCode} (${match.districtCode})，新图形位于 ${candidate.districtCode}，未更新`);
        continue;
      }
      rows.push({ ...candidate, id: match?.id ?? null });
    }
    const { inserted, updated } = await context.parcels.upsertByCode(transaction, rows, principal.username);
    await context.imports.recordImportCommit(transaction, {
      entity: 'imports', entityId: row.id, actor: principal.username, before: null, requestId,
      after: { kind: 'parcels', inserted, updated, skipped, file: row.file_name },
    });
    return { kind: 'parcels', inserted, updated, skipped, problems };
  });
}
