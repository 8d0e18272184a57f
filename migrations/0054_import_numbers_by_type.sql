-- A mapped figure of a staged field GDAL wrote as a floating-point column (a Real of the source:
-- TBMJ, KCMJ, TBDLMJ …) as numeric without going through its text and a pattern: NULL for NaN and
-- ±Infinity, which numeric cannot hold or the checks would misread, as import_to_numeric() answers
-- for text that is no number.
CREATE FUNCTION import_float_to_numeric(value double precision) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN value <> 'NaN'::float8 AND value > '-Infinity'::float8 AND value < 'Infinity'::float8 THEN value::numeric END
$$;
