-- The attribute table and search everywhere (issue 15, items 2 and 3).
--
-- Search runs on trigrams (pg_trgm, shipped with PostgreSQL): they work on Chinese text in a UTF-8
-- cluster (C.UTF-8 classes CJK characters as letters), so '机械' finds '厦门鹭江机械有限公司'. One
-- expression index covers the five texts people search a parcel by; the function is the only
-- place that says which texts, and queries call it so the planner matches the index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION parcel_search_text(code text, owner text, location text, contract_no text, certificate_no text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(code || ' ¦ ' || coalesce(owner, '') || ' ¦ ' || coalesce(location, '') || ' ¦ '
    || coalesce(contract_no, '') || ' ¦ ' || coalesce(certificate_no, ''))
$$;
COMMENT ON FUNCTION parcel_search_text(text, text, text, text, text) IS
  '宗地编号, 土地使用权人, 坐落, 出让合同号 and 不动产权证号 of a parcel in one lower-case text: what the table''s search and the map''s search box match (trigram index parcels_search_trgm_idx)';

CREATE INDEX parcels_search_trgm_idx ON parcels
  USING gin (parcel_search_text(code, owner, location, contract_no, certificate_no) gin_trgm_ops);

-- 宗地编号 by prefix as the user types, in code order: LIKE 'x%' and ORDER BY need the "C" collation.
CREATE INDEX parcels_code_prefix_idx ON parcels ((code COLLATE "C"));

-- 街道/园区 by name: their few distinct names are read by skipping through this index.
CREATE INDEX parcels_town_or_park_idx ON parcels (town_or_park, district_code);

-- A bulk edit of the attribute table: one entry for the batch (each parcel's own row change is
-- recorded by the history trigger as usual).
ALTER TABLE history DROP CONSTRAINT history_action_check;
ALTER TABLE history ADD CONSTRAINT history_action_check CHECK (action IN (
  'insert', 'update', 'delete', 'bulk_load', 'login', 'login_failed', 'logout', 'password_change', 'locked', 'import_commit', 'supersede', 'clear',
  'status', 'restore', 'export', 'bulk_edit'));
