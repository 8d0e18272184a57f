-- Faster import checks: a plain SQL number test instead of a PL/pgSQL exception block (which costs
-- a subtransaction per value), so a million TBMJ values convert in a single pass.
CREATE OR REPLACE FUNCTION import_to_numeric(value text) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})?\s*$' THEN trim(value)::numeric END
$$;

-- Survey patches are found through the tile index (EPSG:3857); spatial questions in 4490 filter
-- with `geom_3857 && ST_Transform(…, 3857)` first. One GiST index to maintain per million-row import, not two.
DROP INDEX survey_patches_geom_idx;
