-- Exports (issue 14): one row per export job, its choices, progress, outcome and file.
-- The file lives under .data/exports/<id>/ until it expires; the row stays on record.
CREATE TABLE exports (
  id           uuid PRIMARY KEY,
  layer        text NOT NULL CHECK (layer IN ('parcels', 'survey', 'areas', 'district-figures', 'area-report', 'parcel-card')),
  format       text NOT NULL CHECK (format IN ('geojson', 'shapefile', 'gpkg', 'filegdb', 'xlsx', 'csv', 'pdf')),
  crs_request  text NOT NULL DEFAULT 'gauss-kruger',
  crs          text,
  encoding     text,
  filters      jsonb NOT NULL DEFAULT '{}',
  status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'expired')),
  progress     real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  row_count    integer,
  file_name    text,
  file_path    text,
  bytes        bigint,
  notes        jsonb NOT NULL DEFAULT '[]',
  error        jsonb,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  expires_at   timestamptz
);
COMMENT ON TABLE exports IS '导出任务: what was exported, by whom, with which filters, format and outcome';
COMMENT ON COLUMN exports.crs IS 'the coordinate system written, e.g. EPSG:4527; null for tables and PDFs';
CREATE INDEX exports_created_by_idx ON exports (created_by, created_at DESC);
CREATE INDEX exports_status_idx ON exports (status, updated_at);
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE ON exports TO biaotu_app;
  END IF;
END;
$$;

-- Every export is on the audit log (who, what, filters, format, row count).
ALTER TABLE history DROP CONSTRAINT history_action_check;
ALTER TABLE history ADD CONSTRAINT history_action_check CHECK (action IN (
  'insert', 'update', 'delete', 'bulk_load', 'login', 'login_failed', 'logout', 'password_change', 'locked', 'import_commit', 'supersede', 'clear',
  'status', 'restore', 'export'));
