-- Deliveries of capture events to the product teams' subscriptions: one row per event and
-- subscription, written in the transaction of the event itself, leased to one replica at a time,
-- with every attempt kept.
CREATE TABLE capture_event_deliveries (
  event_id        text NOT NULL REFERENCES capture_events (id),
  subscription_id text NOT NULL,          -- <client id>/<subscription id>
  state           text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until     timestamptz,
  last_status     integer,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (event_id, subscription_id)
);

-- Small: only deliveries still to make.
CREATE INDEX capture_event_deliveries_due ON capture_event_deliveries (subscription_id, next_attempt_at) WHERE state = 'pending';

CREATE TABLE capture_event_attempts (
  id              bigserial PRIMARY KEY,
  event_id        text NOT NULL REFERENCES capture_events (id),
  subscription_id text NOT NULL,
  attempt         integer NOT NULL,
  status          integer,
  duration_ms     integer NOT NULL,
  error           text,
  attempted_at    timestamptz NOT NULL
);

CREATE INDEX capture_event_attempts_by_event ON capture_event_attempts (event_id, id);
CREATE INDEX capture_events_by_time ON capture_events (created_at);
