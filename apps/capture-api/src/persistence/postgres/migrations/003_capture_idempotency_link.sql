-- A capture now names the idempotency key that started it: one statement claims the key, inserts the
-- capture and links them. The link lives on the capture because a key row cannot reference a capture
-- that the same statement may have refused (the once-per-authorisation index). The unique index
-- below also lets at most one capture start from a key, whichever request runs it.
-- idempotency_keys.capture_id is still filled when a key completes, for older readers.
ALTER TABLE captures ADD COLUMN idempotency_key text;

UPDATE captures SET idempotency_key = k.key
  FROM idempotency_keys k
  WHERE k.capture_id = captures.id AND k.client_id = captures.client_id;

CREATE UNIQUE INDEX captures_one_per_idempotency_key
  ON captures (client_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
