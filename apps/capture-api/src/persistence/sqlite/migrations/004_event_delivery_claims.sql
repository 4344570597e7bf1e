-- The embedded store's side of PostgreSQL's migration 020: each claim of a delivery is counted, and
-- an attempt's result is written only while its claim is still the latest.
ALTER TABLE capture_event_deliveries ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
