-- Split and merge of parcels (issue 15 item 5; seed 002 case 3: 土地分割 and 并宗).
--
-- A parcel that is split or merged is retired, not deleted: its row MOVES from `parcels` to
-- `retired_parcels` in the same transaction that inserts its successors. Tiles, lists, figures,
-- exports and search read `parcels` only, so they need no new condition; the statement triggers
-- on parcels (tile notifications, parcel_cells, parcel_type_cells, parcel_z14_geometries) see a
-- delete and inserts and keep themselves exact. The history trigger records the row's delete with
-- its full before-image; `parcel_lineage` says what it became.

-- 权属性质 (seed 002 case 3: 并宗 needs 土地权利人、权属性质和土地用途等一致). Not invented for
-- existing rows: unknown until surveyed (the demo city fills it).
ALTER TABLE parcels ADD COLUMN ownership_nature text CHECK (ownership_nature IN ('国有', '集体'));
COMMENT ON COLUMN parcels.ownership_nature IS '权属性质: 国有 / 集体 (三调 QSXZ 10/20 国有, 30/31/32/33 集体)';

-- One row per split or merge: which parcels it retired and which it created, who, when, why.
CREATE TABLE parcel_lineage (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('split', 'merge')),
  parent_ids    bigint[] NOT NULL CHECK (cardinality(parent_ids) >= 1),
  parent_codes  text[] NOT NULL,
  child_ids     bigint[] NOT NULL CHECK (cardinality(child_ids) >= 1),
  child_codes   text[] NOT NULL,
  actor         text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  note          text CHECK (char_length(note) <= 500),
  request_id    text,
  CHECK (cardinality(parent_ids) = cardinality(parent_codes) AND cardinality(child_ids) = cardinality(child_codes)),
  CHECK ((kind = 'split' AND cardinality(parent_ids) = 1 AND cardinality(child_ids) >= 2)
      OR (kind = 'merge' AND cardinality(parent_ids) >= 2 AND cardinality(child_ids) = 1))
);
COMMENT ON TABLE parcel_lineage IS '地块分割/合并 (土地分割, 并宗): parents retired into retired_parcels, children inserted into parcels; append-only';
COMMENT ON COLUMN parcel_lineage.note IS '说明, e.g. the approval (批准文号) the operation follows';
CREATE INDEX parcel_lineage_parents_idx ON parcel_lineage USING gin (parent_ids);
CREATE INDEX parcel_lineage_children_idx ON parcel_lineage USING gin (child_ids);

-- Retired parcels: the searchable identity typed, every other column as it was (attributes, the
-- row's to_jsonb without geometry), so columns added to parcels later need no change here.
CREATE TABLE retired_parcels (
  id             bigint PRIMARY KEY,
  code           text NOT NULL,
  district_code  text NOT NULL REFERENCES districts (code),
  owner          text,
  area_m2        double precision NOT NULL,
  geom           geometry(MultiPolygon, 4490) NOT NULL,
  attributes     jsonb NOT NULL,
  retired_at     timestamptz NOT NULL DEFAULT now(),
  retired_by     text NOT NULL,
  retired_reason text NOT NULL CHECK (retired_reason IN ('split', 'merge')),
  successor_ids  bigint[] NOT NULL CHECK (cardinality(successor_ids) >= 1),
  operation_id   bigint NOT NULL REFERENCES parcel_lineage (id)
);
COMMENT ON TABLE retired_parcels IS '已注销地块: parcels retired by a split or merge, moved out of parcels (not deleted); successors in successor_ids';
COMMENT ON COLUMN retired_parcels.attributes IS 'the parcels row as it was when retired (to_jsonb, without geometry columns)';
CREATE INDEX retired_parcels_code_idx ON retired_parcels (code);

CREATE FUNCTION forbid_rewrite_of_lineage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$;
CREATE TRIGGER parcel_lineage_append_only BEFORE UPDATE OR DELETE ON parcel_lineage
  FOR EACH ROW EXECUTE FUNCTION forbid_rewrite_of_lineage();
CREATE TRIGGER retired_parcels_append_only BEFORE UPDATE OR DELETE ON retired_parcels
  FOR EACH ROW EXECUTE FUNCTION forbid_rewrite_of_lineage();

-- The live parcels that ids (live or retired) stand for now: a retired id becomes its successors,
-- transitively (a part of a split that was merged later becomes the merged parcel). Saved
-- 成片改造区域 keep the parcel ids they were checked with; a re-check reads them through this.
CREATE FUNCTION parcel_successors(ids bigint[]) RETURNS bigint[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH RECURSIVE walk(id) AS (
    SELECT unnest(ids)
    UNION
    SELECT unnest(r.successor_ids) FROM walk w JOIN retired_parcels r ON r.id = w.id
  )
  SELECT coalesce(array_agg(w.id ORDER BY w.id), '{}') FROM walk w WHERE NOT EXISTS (SELECT FROM retired_parcels r WHERE r.id = w.id)
$$;

-- The 零星用地 among them: the successors of the parcels marked 零星, except those that also stand
-- for a parcel of the project (a 零星用地 merged into its neighbour, 并宗, is project land now).
CREATE FUNCTION parcel_fragment_successors(fragments bigint[], parcels bigint[]) RETURNS bigint[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM (
    SELECT unnest(parcel_successors(fragments)) AS id
    EXCEPT
    SELECT unnest(parcel_successors(ARRAY(SELECT unnest(coalesce(parcels, '{}')) EXCEPT SELECT unnest(fragments))))
  ) successors
$$;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT ON parcel_lineage, retired_parcels TO biaotu_app;
    GRANT USAGE ON SEQUENCE parcel_lineage_id_seq TO biaotu_app;
  END IF;
END;
$$;

-- A split and a merge are each one entry of the audit log (the parcels' own rows are recorded by
-- the history trigger). Added to whatever actions the constraint allows at this point, so that
-- migrations adding other actions beside this one keep theirs.
DO $$
DECLARE
  definition text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO definition FROM pg_constraint WHERE conname = 'history_action_check' AND conrelid = 'history'::regclass;
  IF definition NOT LIKE '%''split''%' THEN
    ALTER TABLE history DROP CONSTRAINT history_action_check;
    EXECUTE 'ALTER TABLE history ADD CONSTRAINT history_action_check CHECK (action = ANY (ARRAY[''split''::text, ''merge''::text]) OR ' || substring(definition FROM '^CHECK \((.*)\)$') || ')';
  END IF;
END;
$$;
