// The two statements of a capture's hot path, one round trip each. A statement with data-modifying
// CTEs is atomic on its own, so none needs BEGIN/COMMIT. Its CTEs share one snapshot: each sees what
// the others wrote only through RETURNING, and foreign keys are checked when the statement ends.

const CAPTURE_COLUMNS = `id, client_id, account, provider, authorisation_id, single_capture, requested_amount,
    requested_currency, status, provider_references, description, metadata, created_at, updated_at, idempotency_key`;

// $1..$12 the capture, $13 its idempotency key (or null). Casts: INSERT … SELECT does not type parameters from its target.
const CAPTURE_VALUES = `$1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean, $7::bigint, $8::text, 'unknown',
    $9::jsonb, $10::text, $11::jsonb, $12::timestamptz, $12::timestamptz, $13::text`;

const AUDIT_INSERTED = `audited AS (
    INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, changed_at)
    SELECT id, NULL, 'unknown', 'api', created_at FROM inserted
  )`;

/**
 * Claims the idempotency key ($14 the request hash), and only if it was claimed inserts the capture in
 * `unknown` with its audit row and link. A concurrent statement on the same key waits for this one's
 * transaction and then finds the conflict: one request per key reaches the provider, on any replica.
 * The once-per-authorisation index may still refuse the capture: the key is then claimed, unlinked.
 */
export const CLAIM_AND_INSERT = {
  name: 'capture_claim_and_insert',
  text: `WITH claimed AS (
    INSERT INTO idempotency_keys (client_id, key, request_hash, state, created_at, updated_at)
    VALUES ($2, $13, $14, 'in_progress', now(), now())
    ON CONFLICT DO NOTHING RETURNING key
  ), inserted AS (
    INSERT INTO captures (${CAPTURE_COLUMNS})
    SELECT ${CAPTURE_VALUES} FROM claimed
    ON CONFLICT DO NOTHING RETURNING id, created_at
  ), ${AUDIT_INSERTED}
  SELECT (SELECT count(*) FROM claimed)::int AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`,
};

/** Inserts the capture with its audit row, linked to a key already held ($13) or to none (null). */
export const INSERT = {
  name: 'capture_insert',
  text: `WITH inserted AS (
    INSERT INTO captures (${CAPTURE_COLUMNS})
    SELECT ${CAPTURE_VALUES}
    ON CONFLICT DO NOTHING RETURNING id, created_at
  ), ${AUDIT_INSERTED}
  SELECT 1 AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`,
};

/**
 * The fast path after the provider call: applies the outcome only to a row still exactly as inserted
 * (nothing, such as a webhook, touched it meanwhile), writes the audit row when the status moves
 * ($9), and completes the idempotency key ($10, $11) with the response ($12, $13) computed from that
 * row. No row updated: the caller takes the careful path.
 */
export const APPLY_FIRST_OUTCOME = {
  name: 'capture_apply_first_outcome',
  text: `WITH applied AS (
    UPDATE captures SET status = $2::text, captured_amount = $3, captured_currency = $4, error = $5::jsonb,
      provider_references = provider_references || $6::jsonb, card = COALESCE($7::jsonb, card), updated_at = $8::timestamptz
    WHERE id = $1 AND status = 'unknown' AND updated_at = created_at
      AND provider_references = '{}'::jsonb AND card IS NULL AND error IS NULL
    RETURNING id
  ), audited AS (
    INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, changed_at)
    SELECT id, 'unknown', $2::text, 'api', $8::timestamptz FROM applied WHERE $9::boolean
  ), completed AS (
    UPDATE idempotency_keys SET state = 'completed', response_status = $12::int, response_body = $13::text, capture_id = $1::text, updated_at = now()
    WHERE client_id = $10::text AND key = $11::text AND EXISTS (SELECT 1 FROM applied)
  )
  SELECT (SELECT count(*) FROM applied)::int AS applied`,
};
