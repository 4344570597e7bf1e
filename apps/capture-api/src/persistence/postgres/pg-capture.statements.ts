// The two statements of a capture's hot path, one round trip each. A statement with data-modifying
// CTEs is atomic on its own, so none needs BEGIN/COMMIT. Its CTEs share one snapshot: each sees what
// the others wrote only through RETURNING, and foreign keys are checked when the statement ends.

const CAPTURE_COLUMNS = `id, client_id, account, provider, authorisation_id, single_capture, requested_amount,
    requested_currency, status, provider_references, description, metadata, created_at, updated_at, next_check_at, idempotency_key`;

// $1..$13 the capture, $14 its idempotency key (or null). Casts: INSERT … SELECT does not type parameters from its target.
const CAPTURE_VALUES = `$1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean, $7::bigint, $8::text, 'unknown',
    $9::jsonb, $10::text, $11::jsonb, $12::timestamptz, $12::timestamptz, $13::timestamptz, $14::text`;

// The insert's history row: the client ($2) as actor, the request id in parameter `requestId`.
const auditInserted = (requestId: string) => `audited AS (
    INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, actor, request_id, changed_at)
    SELECT id, NULL, 'unknown', 'api', $2::text, ${requestId}::text, created_at FROM inserted
  )`;

/**
 * Claims the idempotency key ($15 the request hash; $16 the request id), and only if it was claimed inserts the capture in
 * `unknown` with its audit row and link. A concurrent statement on the same key waits for this one's
 * transaction and then finds the conflict: one request per key reaches the provider, on any replica.
 * The once-per-authorisation index may still refuse the capture: the key is then claimed, unlinked.
 */
export const CLAIM_AND_INSERT = {
  name: 'capture_claim_and_insert',
  text: `WITH claimed AS (
    INSERT INTO idempotency_keys (client_id, key, request_hash, state, created_at, updated_at)
    VALUES ($2, $14, $15, 'in_progress', now(), now())
    ON CONFLICT DO NOTHING RETURNING key
  ), inserted AS (
    INSERT INTO captures (${CAPTURE_COLUMNS})
    SELECT ${CAPTURE_VALUES} FROM claimed
    ON CONFLICT DO NOTHING RETURNING id, created_at
  ), ${auditInserted('$16')}
  SELECT (SELECT count(*) FROM claimed)::int AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`,
};

/** Inserts the capture with its audit row, linked to a key already held ($14) or to none (null); $15 the request id. */
export const INSERT = {
  name: 'capture_insert',
  text: `WITH inserted AS (
    INSERT INTO captures (${CAPTURE_COLUMNS})
    SELECT ${CAPTURE_VALUES}
    ON CONFLICT DO NOTHING RETURNING id, created_at
  ), ${auditInserted('$15')}
  SELECT 1 AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`,
};

/**
 * The fast path after the provider call: applies the outcome only to a row still exactly as inserted
 * (nothing, such as a webhook, touched it meanwhile), writes the audit row when the status moves
 * ($9), the next check ($14), the capture's first event ($15 id, $16 type, $17 payload), and
 * completes the idempotency key ($10, $11) with the response ($12, $13) computed from that row.
 * $18 actor, $19 request id; $20 the event's deliveries, `[{ id, client_id }]` of the event's type,
 * kept for the capture's own client; $21, $22 the provider's latency and kind of answer (provider
 * health). No row updated: the caller takes the careful path.
 */
export const APPLY_FIRST_OUTCOME = {
  name: 'capture_apply_first_outcome',
  text: `WITH applied AS (
    UPDATE captures SET status = $2::text, captured_amount = $3, captured_currency = $4, error = $5::jsonb,
      provider_references = provider_references || $6::jsonb, card = COALESCE($7::jsonb, card), updated_at = $8::timestamptz,
      next_check_at = $14::timestamptz, event_sequence = 1, provider_latency_ms = $21::int, provider_outcome = $22::text
    WHERE id = $1 AND status = 'unknown' AND updated_at = created_at AND event_sequence = 0
      AND provider_references = '{}'::jsonb AND card IS NULL AND error IS NULL
    RETURNING id, client_id, account
  ), audited AS (
    INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, actor, request_id, changed_at)
    SELECT id, 'unknown', $2::text, 'api', $18::text, $19::text, $8::timestamptz FROM applied WHERE $9::boolean
  ), evented AS (
    INSERT INTO capture_events (id, client_id, account, capture_id, type, sequence, payload, created_at)
    SELECT $15::text, client_id, account, id, $16::text, 1, $17::text, $8::timestamptz FROM applied
  ), delivered AS (
    INSERT INTO capture_event_deliveries (event_id, subscription_id, state, next_attempt_at, created_at)
    SELECT $15::text, t.id, 'pending', $8::timestamptz, $8::timestamptz
    FROM applied, jsonb_to_recordset($20::jsonb) AS t(id text, client_id text) WHERE t.client_id = applied.client_id
  ), completed AS (
    UPDATE idempotency_keys SET state = 'completed', response_status = $12::int, response_body = $13::text, capture_id = $1::text, updated_at = now()
    WHERE client_id = $10::text AND key = $11::text AND EXISTS (SELECT 1 FROM applied)
  )
  SELECT (SELECT count(*) FROM applied)::int AS applied`,
};
