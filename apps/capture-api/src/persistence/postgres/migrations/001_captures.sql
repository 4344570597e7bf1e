-- Captures, their status history and idempotency keys. Correctness across replicas comes from the
-- constraints here, not from process memory.
CREATE TABLE captures (
  id                  text PRIMARY KEY,
  client_id           text NOT NULL,
  account             text NOT NULL,
  provider            text NOT NULL,
  authorisation_id    text NOT NULL,
  -- true when the plugin allows one capture per authorisation (capabilities.multipleCaptures false)
  single_capture      boolean NOT NULL,
  requested_amount    bigint,
  requested_currency  text,
  captured_amount     bigint,
  captured_currency   text,
  status              text NOT NULL CHECK (status IN ('unknown', 'pending', 'succeeded', 'failed')),
  error               jsonb,
  provider_references jsonb NOT NULL DEFAULT '{}'::jsonb,
  card                jsonb,
  description         text,
  metadata            jsonb,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);

-- At most one live capture of an authorisation that its provider lets capture only once.
CREATE UNIQUE INDEX captures_one_per_authorisation
  ON captures (account, authorisation_id)
  WHERE single_capture AND status <> 'failed';

CREATE INDEX captures_by_account ON captures (account, id);
CREATE INDEX captures_by_authorisation ON captures (account, authorisation_id);

CREATE TABLE capture_status_changes (
  id           bigserial PRIMARY KEY,
  capture_id   text NOT NULL REFERENCES captures (id),
  from_status  text,
  to_status    text NOT NULL,
  source       text NOT NULL CHECK (source IN ('api', 'webhook')),
  detail       jsonb,
  changed_at   timestamptz NOT NULL
);

CREATE INDEX capture_status_changes_by_capture ON capture_status_changes (capture_id, id);

CREATE TABLE idempotency_keys (
  client_id       text NOT NULL,
  key             text NOT NULL,
  request_hash    text NOT NULL,
  state           text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  response_status integer,
  response_body   text,           -- the JSON text as first sent: replays are byte for byte
  capture_id      text REFERENCES captures (id),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (client_id, key)
);

CREATE TABLE webhook_events (
  account      text NOT NULL,
  event_id     text NOT NULL,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (account, event_id)
);
