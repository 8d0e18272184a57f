-- Search suggestions under 100 ms on 1 M parcels (issue 15 item 3): two characters.
--
-- Trigrams cannot serve a two-character needle: '%宏兴%' gives pg_trgm no trigram at all, so the
-- trigram index (0026) reads every entry or the planner scans the table (0.3–0.6 s on the bench
-- city). A Chinese name is most often searched by two characters (宏兴, 湖里), so the names people
-- search by — 土地使用权人 and 坐落 — also get their overlapping character pairs in an array index:
-- '宏兴' is then one entry of the index, the parcels holding it.
CREATE FUNCTION parcel_name_bigrams(owner text, location text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 2 AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
  FROM unnest(ARRAY[lower(owner), lower(location)]) AS t, generate_series(1, length(t) - 1) AS i
$$;
COMMENT ON FUNCTION parcel_name_bigrams(text, text) IS
  'The overlapping two-character pieces of 土地使用权人 and 坐落, lower-case: a two-character search (e.g. 宏兴) looks them up in parcels_name_bigrams_idx';

CREATE INDEX parcels_name_bigrams_idx ON parcels USING gin (parcel_name_bigrams(owner, location));

-- The text test beside the pair lookup, run first (the lower COST): a scan — a common pair such as
-- 机械, ended early by the LIMIT — computes the pairs of the matching rows only. PL/pgSQL, so the
-- planner does not read it as a second, independent LIKE and multiply the pair's frequency down,
-- and the pairs' COST kept low: otherwise it builds the index's bitmap of 43 000 rows for 机械
-- (35–57 ms) instead of reading the table's first few hundred rows (2 ms).
CREATE FUNCTION parcel_names_contain(owner text, location text, pattern text)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1 AS $$
BEGIN
  RETURN lower(owner) LIKE pattern OR lower(location) LIKE pattern;
END
$$;
COMMENT ON FUNCTION parcel_names_contain(text, text, text) IS
  'Whether 土地使用权人 or 坐落 (lower-case) is LIKE the pattern: the search box''s check beside parcel_name_bigrams';
