-- The capture lifecycle. Every status change records who made it and why; a capture in doubt
-- carries when the reconciler checks it next (NULL: never), with its attempts and a lease so
-- replicas share the work; each check is kept; and each change writes the event product teams are
-- told of, in the same transaction (the outbox).
ALTER TABLE capture_status_changes DROP CONSTRAINT capture_status_changes_source_check;
ALTER TABLE capture_status_changes
  ADD CONSTRAINT capture_status_changes_source_check CHECK (source IN ('api', 'webhook', 'reconciler', 'operator'));
ALTER TABLE capture_status_changes ADD COLUMN actor text;
ALTER TABLE capture_status_changes ADD COLUMN reason text;
ALTER TABLE capture_status_changes ADD COLUMN request_id text;

ALTER TABLE captures ADD COLUMN next_check_at timestamptz;
ALTER TABLE captures ADD COLUMN check_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE captures ADD COLUMN check_lease_until timestamptz;
-- The number of the capture's latest event: the next one is this plus one.
ALTER TABLE captures ADD COLUMN event_sequence integer NOT NULL DEFAULT 0;

-- Captures in doubt before this migration are checked at the reconciler's first pass.
UPDATE captures SET next_check_at = updated_at WHERE status IN ('unknown', 'pending');

-- Small: only captures in doubt have a next check.
CREATE INDEX captures_due_for_check ON captures (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX captures_in_doubt ON captures (account, status, updated_at) WHERE status IN ('unknown', 'pending');

CREATE TABLE capture_checks (
  id          bigserial PRIMARY KEY,
  capture_id  text NOT NULL REFERENCES captures (id),
  attempt     integer NOT NULL,
  answer      text NOT NULL CHECK (answer IN ('found', 'not_received', 'cannot_tell')),
  status      text,          -- what the provider reported, when found
  message     text,
  checked_at  timestamptz NOT NULL
);

CREATE INDEX capture_checks_by_capture ON capture_checks (capture_id, id);

CREATE TABLE capture_events (
  id          text PRIMARY KEY,          -- evt_…, sorts by time
  client_id   text NOT NULL,             -- the client whose capture it is: only it may see the event
  account     text NOT NULL,
  capture_id  text NOT NULL REFERENCES captures (id),
  type        text NOT NULL,
  sequence    integer NOT NULL,
  payload     text NOT NULL,             -- the event's JSON as delivered, byte for byte
  created_at  timestamptz NOT NULL
);

CREATE INDEX capture_events_by_client ON capture_events (client_id, id);
