-- Fewer index writes per capture (issue 17). Each capture inserts a row and updates it once (not a
-- HOT update: its status and indexed times change), so every index on captures is written twice.
-- Correctness indexes stay as they were: captures_one_per_authorisation, captures_one_per_idempotency_key
-- and the idempotency key's primary key. Built in the migration's transaction: on a large table,
-- writes wait for the builds.

-- Lookups by authorisation: the once-per-authorisation index already holds every live capture of a
-- once-only provider; this one holds the rest (failed captures, providers that capture several
-- times), so a row is in one of the two, not in both. Queries name both arms (see pg-capture.store.ts).
DROP INDEX captures_by_authorisation;
CREATE INDEX captures_by_authorisation_rest ON captures (account, authorisation_id) WHERE NOT single_capture OR status = 'failed';

-- A capture has no provider capture id until the provider answers: the insert writes no entry.
DROP INDEX captures_by_provider_capture_id;
CREATE INDEX captures_by_provider_capture_id ON captures (account, (provider_references ->> 'captureId'))
  WHERE (provider_references ->> 'captureId') IS NOT NULL;
-- The planner reads no statistics from a partial index's expression: without these it guesses, and
-- walks the primary key backwards instead (ORDER BY id DESC LIMIT 1).
CREATE STATISTICS captures_provider_capture_id ON (provider_references ->> 'captureId') FROM captures;

-- A status change is only ever read by its capture: one index, the primary key, instead of two.
ALTER TABLE capture_status_changes DROP CONSTRAINT capture_status_changes_pkey;
ALTER TABLE capture_status_changes ADD CONSTRAINT capture_status_changes_pkey PRIMARY KEY (capture_id, id);
DROP INDEX capture_status_changes_by_capture;

-- Pruning finds keys by created_at (updated_at is never earlier), so completing a key changes no
-- indexed column and can be a HOT update in place; the low fill factor leaves its page the room
-- for the completed row (the response body), which the inserts would otherwise have taken.
DROP INDEX idempotency_keys_by_age;
CREATE INDEX idempotency_keys_by_creation ON idempotency_keys (created_at);
ALTER TABLE idempotency_keys SET (fillfactor = 20);
