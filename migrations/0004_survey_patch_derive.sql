-- Survey patches arrive by the million from imports, which have already computed the ellipsoidal
-- area while checking each feature: derive only what is missing instead of computing it twice.
CREATE FUNCTION derive_missing_geometry_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.geom IS DISTINCT FROM OLD.geom THEN
    NEW.geom_3857 := NULL;
    NEW.area_m2 := NULL;
  END IF;
  IF NEW.geom_3857 IS NULL THEN NEW.geom_3857 := ST_Transform(NEW.geom, 3857); END IF;
  IF NEW.area_m2 IS NULL THEN NEW.area_m2 := ST_Area(NEW.geom::geography); END IF;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
DROP TRIGGER survey_patches_derive ON survey_patches;
CREATE TRIGGER survey_patches_derive BEFORE INSERT OR UPDATE ON survey_patches
  FOR EACH ROW EXECUTE FUNCTION derive_missing_geometry_columns();
