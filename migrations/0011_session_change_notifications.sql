-- Servers keep resolved sessions in memory for a short while (a tile or API call must not cost a
-- query for the session). Any change to users, their scopes or sessions (other than the sliding
-- expiry) tells every server to forget them, whoever makes it.
CREATE FUNCTION notify_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('session_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER users_sessions_notify AFTER UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER user_scopes_sessions_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_scopes
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER sessions_notify AFTER DELETE OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
-- districts feed the scope (a city scope covers its districts).
CREATE TRIGGER districts_sessions_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON districts
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
