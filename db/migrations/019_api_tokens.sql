-- API tokens for server-to-server clients (issue 16). A token acts as the admin who created it,
-- limited to the token's role. The secret is shown once; only its SHA-256 is kept. public_id is
-- the token's visible part after `cti_`, so finding a presented token is one indexed read.
CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  public_id     TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  secret_hash   TEXT NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES agents(id),
  created_at    TEXT NOT NULL,
  -- NULL: never expires.
  expires_at    TEXT,
  -- Written at most once a minute per token.
  last_used_at  TEXT,
  revoked_at    TEXT,
  revoked_by    INTEGER REFERENCES agents(id)
);

-- The token a request authenticated with, on every audit row it caused (NULL: a session).
ALTER TABLE audit_log ADD COLUMN api_token_id INTEGER REFERENCES api_tokens(id);
