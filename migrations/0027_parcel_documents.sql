-- 一地一档 (seed 004 四): documents filed per parcel — scanned contracts, certificates, photos,
-- drawings — with a category, a note, the type read from the content, size and SHA-256. The bytes
-- live in the database (document_contents, bytea), so pg_dump and the backup's per-table checksums
-- cover them. Removal is soft and on record (who, when, why); nothing is ever deleted.
-- No foreign key to parcels: a parcel retired by a split or merge leaves `parcels` for an archive,
-- and its file stays on record under the same parcel id.
CREATE TABLE parcel_documents (
  id              bigserial PRIMARY KEY,
  parcel_id       bigint NOT NULL,
  category        text NOT NULL CHECK (category IN ('contract', 'certificate', 'photo', 'drawing', 'approval', 'plan', 'other')),
  note            text CHECK (char_length(note) <= 500),
  file_name       text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 200),
  media_type      text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/tiff',
                    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
  byte_size       bigint NOT NULL CHECK (byte_size > 0),
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  taken_at        timestamptz,
  position        geometry(Point, 4490),
  exif            jsonb,
  uploaded_by     text NOT NULL,
  uploaded_at     timestamptz NOT NULL DEFAULT now(),
  removed_by      text,
  removed_at      timestamptz,
  removal_reason  text CHECK (char_length(removal_reason) <= 500),
  CHECK ((removed_at IS NULL) = (removed_by IS NULL) AND (removed_at IS NULL) = (removal_reason IS NULL))
);
COMMENT ON TABLE parcel_documents IS '一地一档: a parcel''s filed documents (metadata); bytes in document_contents; removal is soft';
COMMENT ON COLUMN parcel_documents.media_type IS 'detected from the content (magic bytes), never the uploader''s claim';
COMMENT ON COLUMN parcel_documents.byte_size IS 'bytes';
COMMENT ON COLUMN parcel_documents.sha256 IS 'SHA-256 of the content, hex';
COMMENT ON COLUMN parcel_documents.taken_at IS 'photos: EXIF DateTimeOriginal (with OffsetTimeOriginal, else read as UTC+8)';
COMMENT ON COLUMN parcel_documents.position IS 'photos: EXIF GPS position; GPS records WGS84, taken as CGCS2000 (they differ by centimetres)';
CREATE INDEX parcel_documents_parcel_idx ON parcel_documents (parcel_id, uploaded_at DESC);
-- The same file twice on one parcel is refused while the first is filed (removed ones do not count).
CREATE UNIQUE INDEX parcel_documents_checksum_idx ON parcel_documents (parcel_id, sha256) WHERE removed_at IS NULL;
CREATE INDEX parcel_documents_position_idx ON parcel_documents USING gist (position) WHERE position IS NOT NULL;

CREATE TABLE document_contents (
  document_id  bigint PRIMARY KEY REFERENCES parcel_documents (id),
  content      bytea NOT NULL
);
COMMENT ON TABLE document_contents IS 'the bytes of each parcel_documents row, written once';
-- Scans, photos and PDFs are compressed already: stored out of line without another try at compressing.
ALTER TABLE document_contents ALTER COLUMN content SET STORAGE EXTERNAL;

-- Documents are written once: only the removal (who, when, why) may be added, once; never deleted.
CREATE FUNCTION parcel_documents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'parcel documents are removed on record (removed_at), never deleted';
  END IF;
  IF OLD.removed_at IS NOT NULL
     OR (to_jsonb(NEW) - ARRAY['removed_by', 'removed_at', 'removal_reason']) <> (to_jsonb(OLD) - ARRAY['removed_by', 'removed_at', 'removal_reason']) THEN
    RAISE EXCEPTION 'a parcel document is written once: only its removal may be recorded, once';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER parcel_documents_guard BEFORE UPDATE OR DELETE ON parcel_documents
  FOR EACH ROW EXECUTE FUNCTION parcel_documents_guard();
CREATE FUNCTION document_contents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'document contents are written once';
END;
$$;
CREATE TRIGGER document_contents_guard BEFORE UPDATE OR DELETE ON document_contents
  FOR EACH ROW EXECUTE FUNCTION document_contents_guard();

-- Every upload and removal is on the audit log (history): who, when, which request, before and after.
CREATE TRIGGER parcel_documents_history AFTER INSERT OR UPDATE ON parcel_documents
  FOR EACH ROW EXECUTE FUNCTION record_history('id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    -- The schema's default privileges would give DELETE and UPDATE too: taken back.
    REVOKE ALL ON parcel_documents, document_contents FROM biaotu_app;
    GRANT SELECT, INSERT, UPDATE ON parcel_documents TO biaotu_app;
    GRANT SELECT, INSERT ON document_contents TO biaotu_app;
    GRANT USAGE, SELECT ON SEQUENCE parcel_documents_id_seq TO biaotu_app;
  END IF;
END;
$$;
