-- A layer's rows get their ids from one sequence; a (layer_id, id) primary key only cost a btree
-- build per million-row import. Patches are addressed by layer and position, never referenced.
DO $$
DECLARE
  name text;
BEGIN
  SELECT conname INTO name FROM pg_constraint WHERE conrelid = 'survey_patches'::regclass AND contype = 'p';
  IF name IS NOT NULL THEN
    EXECUTE format('ALTER TABLE survey_patches DROP CONSTRAINT %I', name);
  END IF;
END;
$$;
CREATE INDEX survey_patches_layer_idx ON survey_patches (layer_id);
