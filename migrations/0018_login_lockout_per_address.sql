-- Failed logins are counted per account name and client address, and decided in one statement:
-- a burst of wrong passwords is counted exactly, a locked pair refuses even the right password
-- until the lock expires, and nobody can lock an account out for everybody else from one address.
-- Names that are not accounts are counted the same way, so the answers do not tell them apart.
CREATE TABLE login_failures (
  username         text NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  address          text NOT NULL,
  failures         integer NOT NULL CHECK (failures > 0),
  locked_until     timestamptz,
  last_failure_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (username, address)
);
COMMENT ON TABLE login_failures IS 'failed logins per user name (as typed, known or not) and client address; the pair locks after a configured number within the lock period';
COMMENT ON COLUMN login_failures.failures IS 'failed logins of this name from this address since the last success or expired lock';
COMMENT ON COLUMN login_failures.locked_until IS 'logins of this name from this address are refused until then, even with the right password';
CREATE INDEX login_failures_last_failure_idx ON login_failures (last_failure_at);

-- The account-wide counter is replaced by the table above.
ALTER TABLE users DROP COLUMN failed_attempts, DROP COLUMN locked_until;

-- Cached sessions are forgotten when something they hold changes, not on every login: a burst of
-- logins (last_login_at) no longer empties every server's session cache.
DROP TRIGGER users_sessions_notify ON users;
CREATE TRIGGER users_sessions_notify AFTER DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER users_sessions_notify_update AFTER UPDATE ON users
  FOR EACH ROW
  WHEN ((OLD.username, OLD.display_name, OLD.role, OLD.disabled, OLD.must_change_password, OLD.password_hash)
        IS DISTINCT FROM (NEW.username, NEW.display_name, NEW.role, NEW.disabled, NEW.must_change_password, NEW.password_hash))
  EXECUTE FUNCTION notify_session_change();
-- A session ended by shortening its expiry (not only by deleting it) ends at once on every server;
-- the sliding expiry only ever lengthens it and stays silent.
CREATE TRIGGER sessions_revoked_notify AFTER UPDATE OF expires_at ON sessions
  FOR EACH ROW WHEN (NEW.expires_at < OLD.expires_at)
  EXECUTE FUNCTION notify_session_change();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON login_failures TO biaotu_app;
  END IF;
END;
$$;
