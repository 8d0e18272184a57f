import type { DatabaseClient } from '../../db/database.js';
import type { ArchiveLimits } from '../archive.js';
import type { ImportPhase, ImportsRepository } from '../imports.repository.js';
import type { ParcelsRepository } from '../../parcels/parcels.repository.js';

/** What every stage of the import pipeline may use: repositories, the work folder, GDAL's connection. */
export interface StageContext {
  /** For the commit transactions, which name their actor (`writeAs`). */
  db: DatabaseClient;
  imports: ImportsRepository;
  parcels: ParcelsRepository;
  /** The folder of one import: `upload/` as received, `files/` as unpacked. */
  folderOf(id: string): string;
  /** Connection GDAL uses to load staging tables (the application's role). */
  databaseUrl: string;
  databaseRole?: string;
  archiveLimits: ArchiveLimits;
  /** Records how far a phase has come (0–1), for `GET /api/imports/{id}`. */
  progress(id: string, phase: ImportPhase, fraction: number): Promise<void>;
}
