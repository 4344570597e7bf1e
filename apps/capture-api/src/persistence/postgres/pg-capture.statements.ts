// The two statements of a capture's hot path, one round trip each. A statement with data-modifying
// CTEs is atomic on its own, so none needs BEGIN/COMMIT. Its CTEs share one snapshot: each sees what
// the others wrote only through RETURNING, and foreign keys are checked when the statement ends.

const CAPTURE_COLUMNS = `id, client_id, account, provider, authorisation_id, single_capture, requested_amount,
    requested_currency, status, provider_references, description, metadata, created_at, updated_at, next_check_at, idempotency_key,
    final, provider_options`;

// $1..$13 the capture, $14 its idempotency key (or null), then whether it is final and its provider options.
// Casts: INSERT … SELECT does not type parameters from its target.
const captureValues = (final: string, options: string) => `$1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean,
    $7::bigint, $8::text, 'unknown', $9::jsonb, $10::text, $11::jsonb, $12::timestamptz, $12::timestamptz, $13::timestamptz,
    $14::text, ${final}::boolean, ${options}::jsonb`;

// The insert's history row: the client ($2) as actor, the request id in parameter `requestId`.
const auditInserted = (requestId: string) => `audited AS (
    INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, actor, request_id, changed_at)
    SELECT id, NULL, 'unknown', 'api', $2::text, ${requestId}::text, created_at FROM inserted
  )`;

/**
 * Claims the idempotency key ($15 the request hash; $16 the request id; $17, $18 final and options), and only if it was claimed inserts the capture in
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
    SELECT ${captureValues('$17', '$18')} FROM claimed
    ON CONFLICT DO NOTHING RETURNING id, created_at
  ), ${auditInserted('$16')}
  SELECT (SELECT count(*) FROM claimed)::int AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`,
};

/** Inserts the capture with its audit row, linked to a key already held ($14) or to none (null); $15 the request id; $16, $17 final and options. */
export const INSERT = {
  name: 'capture_insert',
  text: `WITH inserted AS (
    INSERT INTO captures (${CAPTURE_COLUMNS})
    SELECT ${captureValues('$16', '$17')}
    ON CONFLICT DO NOTHING RETURNING id, created_at
  ), ${auditInserted('$15')}
  SELECT 1 AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`,
};

/**
 * What `settle` decided, written over the row's version $2 (the first answer: the row as inserted;
 * under `change`'s row lock: the version it read). The captures columns ($3..$17, from
 * `writeColumns`), the history rows ($18, a JSON record set), the check ($19..$22, $31 its time), the event
 * ($23 id, $24 type, $25 payload; $11 its sequence) and its deliveries ($26, subscription ids), and
 * the idempotency key ($27, $28) completed with the response ($29, $30), the authorisation closed by
 * the provider ($32). Every part is written only
 * if the row was: `applied` 0 means the capture moved, and nothing was written.
 */
export const WRITE_CAPTURE = {
  name: 'capture_write',
  text: `WITH applied AS (
    UPDATE captures SET status = $3::text, captured_amount = $4::bigint, captured_currency = $5::text, error = $6::jsonb,
      provider_references = $7::jsonb, card = $8::jsonb, updated_at = $9::timestamptz, next_check_at = $10::timestamptz,
      event_sequence = $11::int, check_attempts = $12::int, resends = $13::int, flag = $14::jsonb, version = $2::int + 1,
      check_lease_until = CASE WHEN $15::boolean THEN NULL ELSE check_lease_until END,
      provider_latency_ms = COALESCE($16::int, provider_latency_ms), provider_outcome = COALESCE($17::text, provider_outcome)
    WHERE id = $1::text AND version = $2::int
    RETURNING id, client_id, account, authorisation_id
  ), closed AS (
    INSERT INTO authorisations (account, authorisation_id, closed_by_provider, created_at, updated_at)
    SELECT account, authorisation_id, true, $9::timestamptz, $9::timestamptz FROM applied WHERE $32::boolean
    ON CONFLICT (account, authorisation_id) DO UPDATE SET closed_by_provider = true, updated_at = EXCLUDED.updated_at
  ), history AS (
    INSERT INTO capture_status_changes (capture_id, kind, from_status, to_status, source, actor, reason, request_id, detail, changed_at)
    SELECT applied.id, h.kind, h.from_status, h.to_status, h.source, h.actor, h.reason, h.request_id, h.detail, h.changed_at
    FROM applied, jsonb_to_recordset($18::jsonb) AS h(kind text, from_status text, to_status text, source text, actor text,
      reason text, request_id text, detail jsonb, changed_at timestamptz)
  ), checked AS (
    INSERT INTO capture_checks (capture_id, attempt, answer, status, message, checked_at)
    SELECT id, $19::int, $20::text, $21::text, $22::text, $31::timestamptz FROM applied WHERE $19::int IS NOT NULL
  ), evented AS (
    INSERT INTO capture_events (id, client_id, account, capture_id, type, sequence, payload, created_at)
    SELECT $23::text, client_id, account, id, $24::text, $11::int, $25::text, $9::timestamptz FROM applied WHERE $23::text IS NOT NULL
  ), delivered AS (
    INSERT INTO capture_event_deliveries (event_id, subscription_id, state, next_attempt_at, created_at)
    SELECT $23::text, s.id, 'pending', $9::timestamptz, $9::timestamptz FROM applied, jsonb_array_elements_text($26::jsonb) AS s(id)
  ), completed AS (
    UPDATE idempotency_keys SET state = 'completed', response_status = $29::int, response_body = $30::text, capture_id = $1::text,
      updated_at = now()
    WHERE client_id = $27::text AND key = $28::text AND EXISTS (SELECT 1 FROM applied)
  )
  SELECT (SELECT count(*) FROM applied)::int AS applied`,
};
