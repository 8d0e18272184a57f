-- Policy rule sets (成片改造区域 checks): data, not code. Every revision is a new row (version + 1);
-- the current rule set is its highest version; a saved check records the version it used.
CREATE TABLE rule_sets (
  id          text NOT NULL CHECK (id ~ '^[a-z0-9-]{1,64}$'),
  version     integer NOT NULL CHECK (version >= 1),
  city        text NOT NULL,
  name        text NOT NULL,
  rules       jsonb NOT NULL,
  note        text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
COMMENT ON TABLE rule_sets IS 'policy rule sets per city, versioned; rules = [{id, name, measure, comparison, limit, denominator, source, gapToleranceM?}] (domain/rules/rules.ts)';

-- Versions are history: never changed, never deleted.
CREATE FUNCTION rule_sets_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rule set versions are append-only: add a new version instead';
END;
$$;
CREATE TRIGGER rule_sets_append_only BEFORE UPDATE OR DELETE ON rule_sets
  FOR EACH ROW EXECUTE FUNCTION rule_sets_append_only();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    REVOKE UPDATE, DELETE ON rule_sets FROM biaotu_app;
    GRANT SELECT, INSERT ON rule_sets TO biaotu_app;
  END IF;
END;
$$;
