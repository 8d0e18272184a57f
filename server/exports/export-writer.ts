import type { ExportFilters } from '../../domain/api/exports.schemas.js';
import type { ExportCrs, ExportEncoding, ExportFormat, ExportLayer } from '../../domain/exports/export-kinds.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';

/**
 * One export job as a writer sees it. The exports service (exports.service.ts) owns the job: it
 * validates the request, creates the job's folder, calls the writer registered for (layer, format)
 * in the background, records progress, the result or the failure, and serves the file.
 */
export interface ExportJobContext {
  id: string;
  layer: ExportLayer;
  format: ExportFormat;
  /** As requested; a geodata writer resolves `gauss-kruger` to a zone and reports it in `crs`. */
  crs: ExportCrs;
  encoding: ExportEncoding;
  filters: ExportFilters;
  /** The requesting user's scope: a writer exports only what it covers. */
  scope: Scope;
  /** Who asked, for names and footers ("导出人"). */
  actor: { username: string; displayName: string };
  /** An empty folder of this job's own; write the file (and any temporary files) here. */
  directory: string;
  /** The app: repositories and services (writers do not talk SQL; they call repositories). */
  app: AppInstance;
  /** GDAL's dataset string and environment for reading the database (`PG:…`, PGPASSWORD). */
  gdal: { dataset: string; env: NodeJS.ProcessEnv };
  /** Report progress, 0–1 (throttled by the service). */
  progress(fraction: number): void;
  /** Aborted when the user cancels or the app closes: stop child processes and return. */
  signal: AbortSignal;
  /** The export's date, for file names (YYYYMMDD, local time of Asia/Shanghai). */
  stamp: string;
}

/** A file written: its path inside the job's folder and what the user gets told. */
export interface ExportOutput {
  ok: true;
  /** Absolute path of the finished file inside `directory`. */
  file: string;
  /** The download name, saying what is inside: e.g. 厦门市湖里区_地块_疑似低效_20261202.zip */
  fileName: string;
  rowCount: number;
  /** The coordinate system written (`EPSG:4527`), or null for tables and PDFs. */
  crs: string | null;
  /** The encoding written (Shapefile: GBK or UTF-8), or null. */
  encoding: string | null;
  /** What the user should know: the zone chosen, an encoding fallback, renamed fields… (Chinese). */
  notes: string[];
}

/** An expected failure: nothing to export, a filter that does not apply… (a 4xx-like outcome). */
export interface ExportRefusal {
  ok: false;
  reason: string;
  message: string;
}

export type ExportWriter = (job: ExportJobContext) => Promise<ExportOutput | ExportRefusal>;

/** Reason constants of refusals every writer may give. */
export const EXPORT_EMPTY = 'empty_selection';
export const EXPORT_NOT_FOUND = 'not_found';
/** The thing asked for (an area, a parcel) lies outside the user's districts (管辖范围). */
export const EXPORT_OUT_OF_SCOPE = 'out_of_scope';
