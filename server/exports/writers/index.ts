import type { ExportFormat, ExportLayer } from '../../../domain/exports/export-kinds.js';
import type { ExportWriter } from '../export-writer.js';
import { geodataWriter } from './geodata.js';
import { packageWorkbookWriter } from '../../stock-packages/package-export.js';
import { areaReportWriter } from '../reports/area-report.js';
import { parcelCardWriter } from '../reports/parcel-card.js';
import { districtFiguresWriter, parcelsCsvWriter, parcelsXlsxWriter } from './tables.js';

/**
 * The writer of each (layer, format) pair. A pair of LAYER_FORMATS without a writer here is refused
 * by the service (400 naming `format`) rather than accepted and failed.
 */
export const EXPORT_WRITERS: Partial<Record<`${ExportLayer}:${ExportFormat}`, ExportWriter>> = {
  ...Object.fromEntries((['parcels', 'survey', 'areas'] as const).flatMap((layer) =>
    (['geojson', 'shapefile', 'gpkg', 'filegdb'] as const).map((format) => [`${layer}:${format}`, geodataWriter(format)]))),
  'area-report:pdf': areaReportWriter,
  'parcel-card:pdf': parcelCardWriter,
  'parcels:xlsx': parcelsXlsxWriter,
  'parcels:csv': parcelsCsvWriter,
  'district-figures:xlsx': districtFiguresWriter,
  'stock-package:gpkg': geodataWriter('gpkg'),
  'stock-package:xlsx': packageWorkbookWriter,
};
