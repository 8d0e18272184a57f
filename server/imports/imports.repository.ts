import { sql } from 'kysely';
import type { DatabaseClient } from '../db/database.js';

export type ImportStatus = 'processing' | 'needs-input' | 'ready' | 'committing' | 'committed' | 'failed' | 'refused' | 'cancelled';
export type ImportPhase = 'upload' | 'read' | 'validate' | 'commit' | 'done';

export interface ImportRow {
  id: string;
  kind: 'survey' | 'parcels';
  year: number | null;
  file_name: string;
  file_size: number;
  status: ImportStatus;
  phase: ImportPhase;
  progress: number;
  detected: Record<string, unknown>;
  layers: ImportLayerState[];
  options: ImportOptions;
  report: Record<string, unknown>;
  needs: Record<string, unknown> | null;
  error: { reason: string; message: string } | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  committed_at: Date | null;
}

export interface ImportOptions {
  srid?: number;
  encoding?: string;
  layers?: string[];
  year?: number;
  mapping?: Record<string, string | null>;
}

/** One layer of an import, as shown to the user and as the pipeline needs it. */
export interface ImportLayerState {
  id: string;
  name: string;
  format: string;
  source: string;
  gdalLayer: string | null;
  geometryType: string;
  featureCount: number;
  fields: { name: string; type: string }[];
  extent: { minX: number; minY: number; maxX: number; maxY: number } | null;
  selected: boolean;
  skipped: { reason: string; message: string } | null;
  encoding: { encoding: string; confidence: number; source: string; reason: string } | null;
  crs: { srid: number | null; label: string; confidence: number; source: string; reason: string; refused?: { reason: string; message: string }; sourceWkt?: string } | null;
  crsCheck: { consistent: boolean; reason?: string; message?: string; suggestedSrid?: number | null } | null;
  stagingTable: string | null;
  mapping: Record<string, string | null> | null;
  /** Units read from the headings (亩, 公顷, 元/亩…), converted on commit. */
  units: Record<string, string> | null;
}

export function createImportsRepository(db: DatabaseClient) {
  return {
    async insert(row: { id: string; kind: string; year: number | null; fileName: string; createdBy: string; options: ImportOptions }): Promise<void> {
      await sql`INSERT INTO imports (id, kind, year, file_name, status, phase, options, created_by)
        VALUES (${row.id}, ${row.kind}, ${row.year}, ${row.fileName}, 'processing', 'upload', ${JSON.stringify(row.options)}::jsonb, ${row.createdBy})`.execute(db);
    },

    async find(id: string): Promise<ImportRow | undefined> {
      const { rows } = await sql<ImportRow>`SELECT * FROM imports WHERE id = ${id}`.execute(db);
      return rows[0];
    },

    async update(id: string, changes: Partial<Pick<ImportRow, 'status' | 'phase' | 'progress' | 'detected' | 'layers' | 'options' | 'report' | 'needs' | 'error' | 'file_size' | 'year' | 'committed_at'>>): Promise<void> {
      const set: Record<string, unknown> = { updated_at: new Date() };
      for (const [key, value] of Object.entries(changes)) {
        set[key] = ['detected', 'layers', 'options', 'report', 'needs', 'error'].includes(key) && value !== null ? JSON.stringify(value) : value;
      }
      await db.updateTable('imports').set(set).where('id', '=', id).execute();
    },
  };
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>;
