-- Foundation schema. Timestamps are ISO-8601 UTC text ('2026-11-22T10:00:00.000Z'): sortable as text,
-- readable in the sqlite3 shell, and identical to what the API returns.

CREATE TABLE skills (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE wrap_up_code_sets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE wrap_up_codes (
  id              INTEGER PRIMARY KEY,
  set_id          INTEGER NOT NULL REFERENCES wrap_up_code_sets(id),
  code            TEXT NOT NULL,
  label           TEXT NOT NULL,
  -- What choosing this code does besides recording it.
  action          TEXT NOT NULL DEFAULT 'none'
                  CHECK (action IN ('none', 'schedule_callback', 'do_not_call', 'lifecycle_change')),
  -- Target stage when action = 'lifecycle_change'.
  action_lifecycle_stage TEXT CHECK (action_lifecycle_stage IN ('new', 'active', 'at_risk', 'lost', 'won_back')),
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  UNIQUE (set_id, code),
  CHECK (action <> 'lifecycle_change' OR action_lifecycle_stage IS NOT NULL)
);

CREATE TABLE call_queues (
  id                      INTEGER PRIMARY KEY,
  name                    TEXT NOT NULL UNIQUE COLLATE NOCASE,
  time_zone               TEXT NOT NULL DEFAULT 'UTC',
  priority                INTEGER NOT NULL DEFAULT 0,
  -- JSON object: extra priority by customer tier and other rules, e.g. {"tierBoost":{"platinum":60}}.
  priority_rules          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(priority_rules)),
  strategy                TEXT NOT NULL DEFAULT 'longest_idle'
                          CHECK (strategy IN ('longest_idle', 'least_occupied', 'skills_best_match', 'round_robin')),
  sl_target_seconds       INTEGER NOT NULL DEFAULT 20 CHECK (sl_target_seconds > 0),
  sl_target_percent       INTEGER NOT NULL DEFAULT 80 CHECK (sl_target_percent BETWEEN 1 AND 100),
  max_wait_seconds        INTEGER CHECK (max_wait_seconds > 0),
  max_wait_action         TEXT NOT NULL DEFAULT 'voicemail' CHECK (max_wait_action IN ('voicemail', 'callback', 'hangup')),
  overflow_after_seconds  INTEGER CHECK (overflow_after_seconds > 0),
  overflow_queue_id       INTEGER REFERENCES call_queues(id),
  acw_policy              TEXT NOT NULL DEFAULT 'optional' CHECK (acw_policy IN ('none', 'optional', 'mandatory', 'timed')),
  acw_seconds             INTEGER CHECK (acw_seconds > 0),
  wrap_up_code_set_id     INTEGER REFERENCES wrap_up_code_sets(id),
  recording_policy        TEXT NOT NULL DEFAULT 'none' CHECK (recording_policy IN ('none', 'all', 'on_demand')),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  CHECK (acw_policy <> 'timed' OR acw_seconds IS NOT NULL)
);

CREATE TABLE queue_skills (
  queue_id        INTEGER NOT NULL REFERENCES call_queues(id) ON DELETE CASCADE,
  skill_id        INTEGER NOT NULL REFERENCES skills(id),
  min_proficiency INTEGER NOT NULL DEFAULT 1 CHECK (min_proficiency BETWEEN 1 AND 5),
  PRIMARY KEY (queue_id, skill_id)
);

-- Everyone who logs into the console is an Agent; the role says what they may do.
CREATE TABLE agents (
  id              INTEGER PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name    TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  password_hash   TEXT NOT NULL,
  -- Where the agent's audio leg goes: a SIP address, or a phone number (E.164) when audio_target = 'phone'.
  sip_address     TEXT,
  phone_number    TEXT,
  audio_target    TEXT NOT NULL DEFAULT 'sip' CHECK (audio_target IN ('sip', 'phone')),
  ui_language     TEXT NOT NULL DEFAULT 'en' CHECK (ui_language IN ('en', 'zh-CN')),
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

CREATE TABLE agent_skills (
  agent_id        INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  skill_id        INTEGER NOT NULL REFERENCES skills(id),
  proficiency     INTEGER NOT NULL CHECK (proficiency BETWEEN 1 AND 5),
  PRIMARY KEY (agent_id, skill_id)
);

-- BCP 47 language tags the agent can serve customers in.
CREATE TABLE agent_languages (
  agent_id        INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  language        TEXT NOT NULL,
  PRIMARY KEY (agent_id, language)
);

CREATE TABLE sessions (
  -- SHA-256 of the cookie token: a leaked database does not leak live sessions.
  token_hash      TEXT PRIMARY KEY,
  agent_id        INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE customers (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  company         TEXT,
  tier            TEXT NOT NULL DEFAULT 'bronze' CHECK (tier IN ('platinum', 'gold', 'silver', 'bronze')),
  lifecycle_stage TEXT NOT NULL DEFAULT 'new' CHECK (lifecycle_stage IN ('new', 'active', 'at_risk', 'lost', 'won_back')),
  language        TEXT NOT NULL DEFAULT 'en-US',
  tags            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  attributes      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
  do_not_call     INTEGER NOT NULL DEFAULT 0 CHECK (do_not_call IN (0, 1)),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  -- Set when the customer's personal data was erased on request; the row stays so history keeps its shape.
  erased_at       TEXT
);

CREATE TABLE customer_phones (
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  e164            TEXT NOT NULL UNIQUE,
  label           TEXT NOT NULL DEFAULT 'mobile',
  created_at      TEXT NOT NULL
);
CREATE INDEX customer_phones_customer ON customer_phones(customer_id);

CREATE TABLE customer_emails (
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  label           TEXT NOT NULL DEFAULT 'work',
  created_at      TEXT NOT NULL
);
CREATE INDEX customer_emails_customer ON customer_emails(customer_id);

CREATE TABLE customer_notes (
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  author_agent_id INTEGER REFERENCES agents(id),
  body            TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE INDEX customer_notes_customer ON customer_notes(customer_id, created_at);

-- Substring search over name, company, emails and phone digits. The trigram tokenizer makes
-- "any 3+ characters anywhere" an index lookup, which is what a fragment of a phone number needs.
-- Kept in step by the customers repository in the same transaction as every write.
CREATE VIRTUAL TABLE customer_search USING fts5(
  name, company, emails, phones,
  tokenize = 'trigram remove_diacritics 1'
);

CREATE TABLE interactions (
  id                  INTEGER PRIMARY KEY,
  direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  channel             TEXT NOT NULL DEFAULT 'voice' CHECK (channel IN ('voice')),
  provider            TEXT NOT NULL CHECK (provider IN ('twilio', 'sip', 'demo')),
  provider_call_id    TEXT,
  customer_id         INTEGER REFERENCES customers(id),
  caller_number       TEXT,
  queue_id            INTEGER REFERENCES call_queues(id),
  agent_id            INTEGER REFERENCES agents(id),
  state               TEXT NOT NULL DEFAULT 'ivr'
                      CHECK (state IN ('ivr', 'queued', 'offered', 'connected', 'wrap_up', 'completed')),
  arrived_at          TEXT NOT NULL,
  ivr_left_at         TEXT,
  queued_at           TEXT,
  offered_at          TEXT,
  answered_at         TEXT,
  held_seconds        INTEGER NOT NULL DEFAULT 0 CHECK (held_seconds >= 0),
  ended_at            TEXT,
  wrap_up_ended_at    TEXT,
  outcome             TEXT CHECK (outcome IN ('answered', 'abandoned', 'voicemail', 'callback', 'transferred', 'failed')),
  wrap_up_code_id     INTEGER REFERENCES wrap_up_codes(id),
  notes               TEXT,
  ivr_answers         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(ivr_answers)),
  recording_ref       TEXT,
  UNIQUE (provider, provider_call_id)
);
CREATE INDEX interactions_customer_timeline ON interactions(customer_id, arrived_at DESC);
CREATE INDEX interactions_agent ON interactions(agent_id, arrived_at);
CREATE INDEX interactions_queue ON interactions(queue_id, arrived_at);
CREATE INDEX interactions_arrived ON interactions(arrived_at);

-- Append-only timeline of each interaction.
CREATE TABLE interaction_events (
  id              INTEGER PRIMARY KEY,
  interaction_id  INTEGER NOT NULL REFERENCES interactions(id),
  at              TEXT NOT NULL,
  type            TEXT NOT NULL,
  agent_id        INTEGER REFERENCES agents(id),
  data            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data))
);
CREATE INDEX interaction_events_interaction ON interaction_events(interaction_id, id);
CREATE TRIGGER interaction_events_no_update BEFORE UPDATE ON interaction_events
BEGIN SELECT RAISE(ABORT, 'interaction_events is append-only'); END;
CREATE TRIGGER interaction_events_no_delete BEFORE DELETE ON interaction_events
BEGIN SELECT RAISE(ABORT, 'interaction_events is append-only'); END;

CREATE TABLE follow_ups (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('callback', 'task')),
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  interaction_id  INTEGER REFERENCES interactions(id),
  queue_id        INTEGER REFERENCES call_queues(id),
  owner_agent_id  INTEGER REFERENCES agents(id),
  due_at          TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  note            TEXT,
  created_at      TEXT NOT NULL,
  completed_at    TEXT
);
CREATE INDEX follow_ups_customer_open ON follow_ups(customer_id, status, due_at);
CREATE INDEX follow_ups_owner_open ON follow_ups(owner_agent_id, status, due_at);

CREATE TABLE audit_log (
  id              INTEGER PRIMARY KEY,
  at              TEXT NOT NULL,
  actor_agent_id  INTEGER REFERENCES agents(id),
  action          TEXT NOT NULL,
  entity_type     TEXT NOT NULL,
  entity_id       TEXT,
  ip              TEXT,
  details         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Facts about the database itself, e.g. that it holds demo data.
CREATE TABLE app_meta (
  key             TEXT PRIMARY KEY,
  value           TEXT NOT NULL
);
