-- Pruning after the retention (idempotency keys, provider webhook event ids) finds old rows by time.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (updated_at);
CREATE INDEX webhook_events_by_age ON webhook_events (received_at);
