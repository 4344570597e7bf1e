-- Provider health for the operations page. The provider's first answer to a capture, written by the
-- statement that already stores that answer (no extra statement, no index on captures): how long
-- the call took, and what kind of answer it was (succeeded, pending, declined, error, timeout),
-- kept apart from the status, which a reconciler, a webhook or an operator may change later.
-- Nullable with no default, the check NOT VALID: adding them rewrites and scans nothing on a large
-- table, and new rows are checked all the same.
ALTER TABLE captures ADD COLUMN provider_latency_ms integer;
ALTER TABLE captures ADD COLUMN provider_outcome text;
ALTER TABLE captures ADD CONSTRAINT captures_provider_outcome_check
  CHECK (provider_outcome IN ('succeeded', 'pending', 'declined', 'error', 'timeout')) NOT VALID;

-- Webhooks that contradicted a final status are rare and wanted by the operations page; this
-- partial index holds only them (webhook_events is pruned after the idempotency retention).
CREATE INDEX webhook_events_contradicting ON webhook_events (capture_id) WHERE contradicts;
