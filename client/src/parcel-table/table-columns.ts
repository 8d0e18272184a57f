import { TABLE_NUMBER_KEYS, type FieldAggregate, type ParcelTableFilter, type ParcelTableRow } from '@domain/api/parcel-table.schemas.js';
import type { ParcelDetail } from '@domain/api/parcels.schemas.js';
import { EMPTY_VALUE, parcelCardRow } from '@domain/parcel-card-rows.js';
import { PARCEL_FIELDS, PARCEL_GROUPS, type ParcelField, type ParcelKey } from '@domain/parcel-fields.js';
import { areaInUnits } from '@domain/units.js';

/** Columns shown until the user chooses: what a first look at a parcel needs. */
export const DEFAULT_COLUMNS: readonly ParcelKey[] = [
  'code', 'districtCode', 'townOrPark', 'owner', 'areaM2', 'landUseCode', 'industryCode', 'floorAreaRatio', 'taxPerMu', 'status', 'inefficiencyType',
];
export const COLUMNS_STORAGE_KEY = 'biaotu.tableColumns';

export function fieldOf(key: string): ParcelField | undefined {
  return PARCEL_FIELDS.find((field) => field.key === key);
}

/** A column's width by what it holds: names and addresses wide, figures narrow. */
export function columnWidth(field: ParcelField): number {
  if (['owner', 'location', 'certificateNo'].includes(field.key)) return 240;
  if (['townOrPark', 'contractNo', 'plannedFunction', 'industryCode', 'landUseCode', 'districtCode'].includes(field.key)) return 170;
  if (field.key === 'code') return 150;
  if (field.kind === 'boolean') return 110;
  return 130;
}

/** The header: label and unit (fractions read as %). */
export function columnTitle(field: ParcelField): string {
  const unit = field.kind === 'fraction' ? '%' : field.unit;
  return unit ? `${field.label} (${unit})` : field.label;
}

/** A cell's text as the parcel card writes it, without the unit the header already gives. */
export function cellText(field: ParcelField, row: ParcelTableRow): string {
  const text = parcelCardRow(field, row as unknown as ParcelDetail).value;
  if (text === EMPTY_VALUE) return text;
  const unit = field.kind === 'fraction' ? '%' : field.unit;
  return unit && text.endsWith(unit) ? text.slice(0, -unit.length).trimEnd() : text;
}

/** The chosen columns, read back from storage: known keys only, the default when none. */
export function readColumns(stored: string | null): ParcelKey[] {
  try {
    const keys = JSON.parse(stored ?? 'null') as unknown;
    if (Array.isArray(keys)) {
      const known = keys.filter((key): key is ParcelKey => typeof key === 'string' && fieldOf(key) !== undefined);
      if (known.length > 0) return known;
    }
  } catch {
    // A garbled value: the default.
  }
  return [...DEFAULT_COLUMNS];
}

/** Fields grouped as the card groups them (the column chooser). */
export function fieldGroups(): { label: string; fields: ParcelField[] }[] {
  return (Object.keys(PARCEL_GROUPS) as ParcelField['group'][]).map((group) => ({
    label: PARCEL_GROUPS[group],
    fields: PARCEL_FIELDS.filter((field) => field.group === group),
  }));
}

function formatFigure(value: number, decimals: number): string {
  return value.toLocaleString('zh-CN', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * The footer's words for one figure over the filtered rows: amounts (m²) are summed (with 公顷),
 * ratios and per-亩 figures averaged, since a sum of 容积率 means nothing.
 */
export function aggregateText(aggregate: FieldAggregate): { label: string; text: string } | null {
  const field = fieldOf(aggregate.key);
  if (!field || !TABLE_NUMBER_KEYS.includes(field.key) || aggregate.count === 0) return null;
  const decimals = field.decimals ?? 2;
  if (field.unit === 'm²' && aggregate.sum !== null) {
    const hectares = areaInUnits(aggregate.sum).ha;
    return { label: field.label, text: `合计 ${formatFigure(aggregate.sum, 0)} m²（${formatFigure(hectares, 2)} 公顷）· 平均 ${formatFigure(aggregate.avg ?? 0, decimals)}` };
  }
  const scale = field.kind === 'fraction' ? 100 : 1;
  const unit = field.kind === 'fraction' ? '%' : field.unit ? ` ${field.unit}` : '';
  return { label: field.label, text: `平均 ${formatFigure((aggregate.avg ?? 0) * scale, decimals)}${unit}（${aggregate.count.toLocaleString('zh-CN')} 宗有值）` };
}

/** Whether any filter narrows the table (the empty state words it). */
export function filterIsEmpty(filter: ParcelTableFilter): boolean {
  return Object.values(filter).every((value) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0));
}
