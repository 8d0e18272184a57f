import type { AreaFigures, PackageGroup, StockPackage, StockPackageDetail } from '../../domain/api/stock-packages.schemas.js';
import { stockDepartmentName } from '../../domain/departments.js';
import { statusLabel } from '../../domain/efficiency.js';
import { landCategoryLabel } from '../../domain/land-categories.js';
import { legacyStatusLabel } from '../../domain/legacy-land.js';
import { problemStatusLabel } from '../../domain/problems.js';
import { packageNextStatuses, packageStatusLabel, type PackageStatus } from '../../domain/stock-packages.js';
import { roundTo, squareMetresToHectares, squareMetresToMu } from '../../domain/units.js';
import type { StockListsRepository } from '../stock-lists/stock-lists.repository.js';
import type { PackageRow, StockPackagesRepository } from './stock-packages.repository.js';

/** An ellipsoidal area as official figures give it: m² (2 decimals), 公顷 and 亩 (4 decimals). */
export const areaFigures = (m2: number): AreaFigures => ({ areaM2: roundTo(m2, 2), areaHa: roundTo(squareMetresToHectares(m2), 4), areaMu: roundTo(squareMetresToMu(m2), 4) });

/** A package as the API gives it. */
export function packageView(row: PackageRow): StockPackage {
  return {
    id: row.id, districtCode: row.districtCode, districtName: row.districtName, version: row.version, asOf: row.asOf, title: row.title,
    status: row.status as PackageStatus, statusLabel: packageStatusLabel(row.status), statusAt: new Date(row.statusAt).toISOString(), previousId: row.previousId,
    assembledAt: new Date(row.assembledAt).toISOString(), assembledBy: row.assembledBy,
    consent: row.consentDocumentNo && row.consentDate && row.consentFileName ? {
      documentNo: row.consentDocumentNo, date: row.consentDate, note: row.consentNote, fileName: row.consentFileName, mediaType: row.consentMediaType ?? 'application/octet-stream',
      byteSize: row.consentByteSize ?? 0, url: `/api/stock-packages/${row.id}/consent-document`,
    } : null,
    reviewRemarks: row.reviewRemarks, parcelCount: row.parcelCount, legacyCount: row.legacyCount, problemCount: row.problemCount,
    parcelAreaM2: roundTo(row.parcelAreaM2, 2), legacyAreaM2: roundTo(row.legacyAreaM2, 2), nextStatuses: [...packageNextStatuses(row.status)],
    createdBy: row.createdBy, createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** A package with the figures of its snapshot (counts, areas per category, state, period, department) and its steps. */
export async function packageDetail(packages: StockPackagesRepository, lists: StockListsRepository, id: number): Promise<StockPackageDetail> {
  const row = (await packages.find(id))!;
  const [summary, steps, periods] = await Promise.all([packages.summary(id), packages.steps(id), lists.labels('legacy_period')]);
  const group = (entries: { code: string; count: number; areaM2: number }[], label: (code: string) => string): PackageGroup[] =>
    entries.map((entry) => ({ code: entry.code, label: label(entry.code), count: entry.count, ...areaFigures(entry.areaM2) }));
  const plain = (entries: { code: string; count: number }[], label: (code: string) => string) => entries.map((entry) => ({ code: entry.code, label: label(entry.code), count: entry.count }));
  return {
    ...packageView(row),
    summary: {
      parcels: {
        count: row.parcelCount, ...areaFigures(row.parcelAreaM2),
        byCategory: group(summary.byCategory, (code) => landCategoryLabel(code === 'none' ? null : code)), byStatus: group(summary.byParcelStatus, statusLabel),
      },
      legacy: {
        count: row.legacyCount, ...areaFigures(row.legacyAreaM2),
        byStatus: group(summary.byLegacyStatus, legacyStatusLabel), byPeriod: group(summary.byPeriod, (code) => periods.get(code) ?? code),
      },
      problems: {
        count: row.problemCount, overdue: summary.overdue,
        byStatus: plain(summary.byProblemStatus, problemStatusLabel), byDepartment: plain(summary.byDepartment, stockDepartmentName),
      },
    },
    steps: steps.map((entry) => ({ ...entry, toLabel: packageStatusLabel(entry.to), at: new Date(entry.at).toISOString() })),
  };
}
