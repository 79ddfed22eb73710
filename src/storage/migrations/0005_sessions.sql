-- Browser sessions of the web pages: a person signs in once with their API token and gets an HttpOnly
-- cookie. Only the SHA-256 of the session id is kept; `csrf` is the per-session token every form carries.
CREATE TABLE sessions (
  id_hash     TEXT PRIMARY KEY,
  token_id    TEXT NOT NULL REFERENCES api_tokens(id),
  csrf        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
