-- Parcels cut ahead of time at z18 too, beside z14, z16 and z17 (0048, 0050). Issue 19: with the
-- attributes stored beside the cuts (0050), z16 and z17 served alone were well ahead of the plain
-- route a user would write, and z18, still cut per request, was the band left at about 1× of it.
-- The same rules as the other precut zooms: one row per parcel and tile its box (grown by the
-- 64/4096 buffer) meets, no simplification (z ≥ 15), a parcel over 2 km on a side cut per request
-- instead (0049); the triggers of 0050 keep them, reading the zooms from this function.
CREATE OR REPLACE FUNCTION parcel_precut_zooms() RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ARRAY[14, 16, 17, 18] $$;

INSERT INTO parcel_tile_geometries (z, x, y, parcel_id, status, inefficiency_type, evaluation_grade, land_category, district_code, geom)
SELECT 18, c.x, c.y, p.id, p.status, p.inefficiency_type, p.evaluation_grade, p.land_category, p.district_code, c.geom
FROM parcels p, parcel_tile_cuts(parcel_precut_geometry(p.geom_3857, 18), 18) c
WHERE c.geom IS NOT NULL
ORDER BY c.x, c.y, p.id;
