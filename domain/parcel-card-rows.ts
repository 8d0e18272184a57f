import {
  inefficiencyTypeLabel,
  redevelopmentIntentLabel,
  statusLabel,
} from './efficiency.js';
import { industryLabel } from './industry-codes.js';
import { landUseLabel } from './land-use.js';
import { PARCEL_CODE_LABELS, PARCEL_FIELDS, PARCEL_GROUPS, PARK_SIDES, type ParcelField } from './parcel-fields.js';
import { areaInUnits, formatNumber, squareMetresToMu } from './units.js';
import type { ParcelDetail } from './api/parcels.schemas.js';

/** Shown for every attribute the survey left empty, so a blank never looks like a zero. */
export const EMPTY_VALUE = '—';

export interface ParcelCardRow {
  key: ParcelField['key'];
  label: string;
  value: string;
  /** Second line under the value, e.g. the area in 公顷 and 亩. */
  detail?: string;
}

export interface ParcelCardGroup {
  group: ParcelField['group'];
  title: string;
  rows: ParcelCardRow[];
}

/** 'YYYY-MM-DD' (or an ISO timestamp) → 'YYYY年M月D日'; anything else is shown as given. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return EMPTY_VALUE;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

export function formatBoolean(value: boolean | null | undefined): string {
  if (value === null || value === undefined) return EMPTY_VALUE;
  return value ? '是' : '否';
}

function withUnit(text: string, unit: string | undefined): string {
  if (text === EMPTY_VALUE || !unit) return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/** Area in the three units reports use: m² on the line, 公顷 and 亩 under it. */
export function areaDetail(m2: number | null | undefined): string | undefined {
  if (m2 === null || m2 === undefined || Number.isNaN(m2)) return undefined;
  const area = areaInUnits(m2);
  return `${formatNumber(area.ha, 4)} 公顷 · ${formatNumber(area.mu, 4)} 亩`;
}

function enumText(field: ParcelField, parcel: ParcelDetail): string {
  switch (field.key) {
    case 'landUseCode':
      return landUseLabel(parcel.landUseCode);
    case 'status':
      return parcel.status ? statusLabel(parcel.status) : EMPTY_VALUE;
    case 'inefficiencyType':
      return inefficiencyTypeLabel(parcel.inefficiencyType);
    case 'redevelopmentIntent':
      return redevelopmentIntentLabel(parcel.redevelopmentIntent);
    case 'evaluationGrade':
      return parcel.evaluationGrade ? `${parcel.evaluationGrade} 级` : EMPTY_VALUE;
    case 'parkSide':
      return PARK_SIDES.find((side) => side.code === parcel.parkSide)?.label ?? parcel.parkSide ?? EMPTY_VALUE;
    default: {
      const value = parcel[field.key];
      if (value === null || value === undefined || value === '') return EMPTY_VALUE;
      // 低效用地类别, 填报单位, 低效居住类型: codes shown as their labels.
      return PARCEL_CODE_LABELS[field.key]?.find((entry) => entry.code === value)?.label ?? String(value);
    }
  }
}

function textValue(field: ParcelField, parcel: ParcelDetail): string {
  if (field.key === 'industryCode') return industryLabel(parcel.industryCode);
  if (field.key === 'districtCode') {
    if (!parcel.districtCode) return parcel.districtName ?? EMPTY_VALUE;
    return parcel.districtName ? `${parcel.districtName}（${parcel.districtCode}）` : parcel.districtCode;
  }
  const value = parcel[field.key];
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  return String(value);
}

function numberValue(parcel: ParcelDetail, key: ParcelField['key']): number | null {
  const value = parcel[key];
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}

/**
 * A 万元 total per 亩 of the parcel, under the total: 附件1 writes 投资强度 in 万元 and the 约定投资强度
 * in 万元/亩, so the card shows the invested amount both ways (the area: 登记面积, else the drawn one).
 */
export function perMuDetail(wan: number | null, parcel: Pick<ParcelDetail, 'registeredAreaM2' | 'areaM2'>): string | undefined {
  const areaM2 = parcel.registeredAreaM2 && parcel.registeredAreaM2 > 0 ? parcel.registeredAreaM2 : parcel.areaM2;
  if (wan === null || !areaM2 || areaM2 <= 0) return undefined;
  const basis = areaM2 === parcel.registeredAreaM2 ? '按登记面积' : '按图形面积';
  return `折合 ${formatNumber(wan / squareMetresToMu(areaM2), 2)} 万元/亩（${basis}）`;
}

/** One attribute of the card as the official reads it: Chinese label, formatted value with unit. */
export function parcelCardRow(field: ParcelField, parcel: ParcelDetail): ParcelCardRow {
  const row: ParcelCardRow = { key: field.key, label: field.label, value: EMPTY_VALUE };
  switch (field.kind) {
    case 'number': {
      const value = numberValue(parcel, field.key);
      row.value = withUnit(formatNumber(value, field.decimals ?? 2), field.unit);
      if (field.unit === 'm²' && (field.key === 'areaM2' || field.key === 'registeredAreaM2')) {
        row.detail = areaDetail(value);
      }
      if (field.unit === '万元') row.detail = perMuDetail(value, parcel);
      break;
    }
    case 'fraction': {
      // Fractions are stored 0–1 and read as percentages (建筑密度 45.20%).
      const value = numberValue(parcel, field.key);
      row.value = withUnit(formatNumber(value === null ? null : value * 100, field.decimals ?? 2), '%');
      break;
    }
    case 'boolean': {
      const value = parcel[field.key];
      row.value = formatBoolean(typeof value === 'boolean' ? value : null);
      break;
    }
    case 'date': {
      const value = parcel[field.key];
      row.value = formatDate(typeof value === 'string' ? value : null);
      break;
    }
    case 'enum':
      row.value = enumText(field, parcel);
      break;
    case 'text':
      row.value = textValue(field, parcel);
      break;
  }
  return row;
}

/** Every attribute of PARCEL_FIELDS, grouped as PARCEL_GROUPS orders them (一宗一卡). */
export function parcelCardGroups(parcel: ParcelDetail): ParcelCardGroup[] {
  const groups = Object.keys(PARCEL_GROUPS) as ParcelField['group'][];
  return groups
    .map((group) => ({
      group,
      title: PARCEL_GROUPS[group],
      rows: PARCEL_FIELDS.filter((field) => field.group === group).map((field) => parcelCardRow(field, parcel)),
    }))
    .filter((group) => group.rows.length > 0);
}

/** Card title: 宗地编号 and 土地使用权人, whichever are known. */
export function parcelCardTitle(parcel: ParcelDetail): string {
  const parts = [parcel.code, parcel.owner].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(' · ') : `地块 ${parcel.id}`;
}
