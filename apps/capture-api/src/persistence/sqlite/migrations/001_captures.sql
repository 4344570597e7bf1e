-- The embedded store's schema: the same tables, columns and constraints as PostgreSQL's migrations
-- 001 to 008, in SQLite's dialect. STRICT tables check each value's type as PostgreSQL would.
-- jsonb columns are TEXT holding JSON whose object keys are already in jsonb's order (by byte
-- length, then bytes), so a read gives the same objects as on PostgreSQL. Timestamps are ISO-8601
-- text in UTC (toISOString), which sorts and compares as time.
CREATE TABLE captures (
  id                  TEXT NOT NULL PRIMARY KEY,
  client_id           TEXT NOT NULL,
  account             TEXT NOT NULL,
  provider            TEXT NOT NULL,
  authorisation_id    TEXT NOT NULL,
  -- 1 when the plugin allows one capture per authorisation (capabilities.multipleCaptures false)
  single_capture      INTEGER NOT NULL CHECK (single_capture IN (0, 1)),
  requested_amount    INTEGER,
  requested_currency  TEXT,
  captured_amount     INTEGER,
  captured_currency   TEXT,
  status              TEXT NOT NULL CHECK (status IN ('unknown', 'pending', 'succeeded', 'failed')),
  error               TEXT CHECK (json_valid(error)),
  provider_references TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(provider_references)),
  card                TEXT CHECK (json_valid(card)),
  description         TEXT,
  metadata            TEXT CHECK (json_valid(metadata)),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  -- the idempotency key that started the capture (see the unique index below)
  idempotency_key     TEXT,
  -- the lifecycle: when the reconciler checks it next (NULL: never), its checks so far, a replica's
  -- lease on the check, and the number of its latest event
  next_check_at       TEXT,
  check_attempts      INTEGER NOT NULL DEFAULT 0,
  check_lease_until   TEXT,
  event_sequence      INTEGER NOT NULL DEFAULT 0
) STRICT;

-- At most one live capture of an authorisation that its provider lets capture only once.
CREATE UNIQUE INDEX captures_one_per_authorisation
  ON captures (account, authorisation_id)
  WHERE single_capture AND status <> 'failed';

-- At most one capture starts from a key, whichever request runs it.
CREATE UNIQUE INDEX captures_one_per_idempotency_key
  ON captures (client_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE INDEX captures_by_account ON captures (account, id);
CREATE INDEX captures_by_authorisation ON captures (account, authorisation_id);
-- Webhooks naming the exact capture by the provider's reference; queries must use this expression.
CREATE INDEX captures_by_provider_capture_id ON captures (account, json_extract(provider_references, '$.captureId'));
-- Small: only captures in doubt have a next check, or count as in doubt.
CREATE INDEX captures_due_for_check ON captures (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX captures_in_doubt ON captures (account, status, updated_at) WHERE status IN ('unknown', 'pending');

CREATE TABLE capture_status_changes (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  capture_id   TEXT NOT NULL REFERENCES captures (id),
  from_status  TEXT,
  to_status    TEXT NOT NULL,
  source       TEXT NOT NULL CHECK (source IN ('api', 'webhook', 'reconciler', 'operator')),
  detail       TEXT CHECK (json_valid(detail)),
  changed_at   TEXT NOT NULL,
  actor        TEXT,
  reason       TEXT,
  request_id   TEXT
) STRICT;

CREATE INDEX capture_status_changes_by_capture ON capture_status_changes (capture_id, id);

CREATE TABLE idempotency_keys (
  client_id       TEXT NOT NULL,
  key             TEXT NOT NULL,
  request_hash    TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
  response_status INTEGER,
  response_body   TEXT,           -- the JSON text as first sent: replays are byte for byte
  capture_id      TEXT REFERENCES captures (id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (client_id, key)
) STRICT;

-- A repeated (account, event_id) is refused by the primary key and changes nothing.
CREATE TABLE webhook_events (
  account          TEXT NOT NULL,
  event_id         TEXT NOT NULL,
  received_at      TEXT NOT NULL,
  capture_id       TEXT REFERENCES captures (id),
  requested_status TEXT,
  -- asked for another status than the capture's final one: not applied, shown in its history
  contradicts      INTEGER NOT NULL DEFAULT 0 CHECK (contradicts IN (0, 1)),
  PRIMARY KEY (account, event_id)
) STRICT;

CREATE TABLE capture_checks (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  capture_id  TEXT NOT NULL REFERENCES captures (id),
  attempt     INTEGER NOT NULL,
  answer      TEXT NOT NULL CHECK (answer IN ('found', 'not_received', 'cannot_tell')),
  status      TEXT,
  message     TEXT,
  checked_at  TEXT NOT NULL
) STRICT;

CREATE INDEX capture_checks_by_capture ON capture_checks (capture_id, id);

-- The outbox: each event written in the transaction of the status change it tells of.
CREATE TABLE capture_events (
  id          TEXT NOT NULL PRIMARY KEY,
  client_id   TEXT NOT NULL,
  account     TEXT NOT NULL,
  capture_id  TEXT NOT NULL REFERENCES captures (id),
  type        TEXT NOT NULL,
  sequence    INTEGER NOT NULL,
  payload     TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX capture_events_by_client ON capture_events (client_id, id);

-- Deliveries of events to the product teams' subscriptions, written with the event; every attempt kept.
CREATE TABLE capture_event_deliveries (
  event_id        TEXT NOT NULL REFERENCES capture_events (id),
  subscription_id TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_until     TEXT,
  last_status     INTEGER,
  last_error      TEXT,
  delivered_at    TEXT,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (event_id, subscription_id)
) STRICT;

CREATE INDEX capture_event_deliveries_due ON capture_event_deliveries (subscription_id, next_attempt_at) WHERE state = 'pending';

CREATE TABLE capture_event_attempts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT NOT NULL REFERENCES capture_events (id),
  subscription_id TEXT NOT NULL,
  attempt         INTEGER NOT NULL,
  status          INTEGER,
  duration_ms     INTEGER NOT NULL,
  error           TEXT,
  attempted_at    TEXT NOT NULL
) STRICT;

CREATE INDEX capture_event_attempts_by_event ON capture_event_attempts (event_id, id);
CREATE INDEX capture_events_by_time ON capture_events (created_at);

-- Pruning after the retention (idempotency keys, provider webhook event ids) finds old rows by time.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (updated_at);
CREATE INDEX webhook_events_by_age ON webhook_events (received_at);
