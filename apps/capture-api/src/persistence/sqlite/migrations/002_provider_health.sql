-- The embedded store's side of PostgreSQL's migration 009: the provider's first answer to a
-- capture (its latency and kind, written with that answer), and the contradicting webhooks that the
-- operations page lists. 001 is never edited: data folders made with it already exist.
ALTER TABLE captures ADD COLUMN provider_latency_ms INTEGER;
ALTER TABLE captures ADD COLUMN provider_outcome TEXT CHECK (provider_outcome IN ('succeeded', 'pending', 'declined', 'error', 'timeout'));

CREATE INDEX webhook_events_contradicting ON webhook_events (capture_id) WHERE contradicts;
