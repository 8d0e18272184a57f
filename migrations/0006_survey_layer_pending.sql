-- A survey layer is written while pending (invisible) and becomes current in one short transaction,
-- so its million rows can be inserted by several connections while readers see either the old layer
-- or the new one, never half of it.
ALTER TABLE survey_layers ADD COLUMN committed boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN survey_layers.committed IS 'false while an import is still writing the layer (never shown)';
DROP INDEX survey_layers_current_idx;
CREATE UNIQUE INDEX survey_layers_current_idx ON survey_layers (year, layer_name) WHERE superseded_at IS NULL AND committed;
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT DELETE ON survey_patches, survey_layers TO biaotu_app;
  END IF;
END;
$$;
