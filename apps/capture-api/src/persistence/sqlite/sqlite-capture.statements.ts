import { historyQuery } from '../history.rows';

// The statements of a capture's writes on SQLite: the insert, its history, checks, the event and its
// deliveries, and the outcome written over the version it read (the store runs them in one transaction).

export const INSERT_CAPTURE = `INSERT INTO captures (id, client_id, account, provider, authorisation_id, single_capture, requested_amount,
    requested_currency, status, provider_references, description, metadata, created_at, updated_at, idempotency_key, next_check_at,
    final, provider_options)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING`;

export const INSERT_HISTORY = `INSERT INTO capture_status_changes
    (capture_id, kind, from_status, to_status, source, actor, reason, request_id, detail, changed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const INSERT_CHECK =
  'INSERT INTO capture_checks (capture_id, attempt, answer, status, message, checked_at) VALUES (?, ?, ?, ?, ?, ?)';

export const INSERT_EVENT = `INSERT INTO capture_events (id, client_id, account, capture_id, type, sequence, payload, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

export const INSERT_DELIVERY = `INSERT INTO capture_event_deliveries (event_id, subscription_id, state, next_attempt_at, created_at)
  VALUES (?, ?, 'pending', ?, ?)`;

// What `settle` decided, written only over the version it read.
export const WRITE_CAPTURE = `UPDATE captures SET status = ?1, captured_amount = ?2, captured_currency = ?3, error = ?4,
    provider_references = ?5, card = ?6, updated_at = ?7, next_check_at = ?8, event_sequence = ?9, check_attempts = ?10,
    resends = ?11, flag = ?12, version = ?13, check_lease_until = CASE WHEN ?14 THEN NULL ELSE check_lease_until END,
    provider_latency_ms = COALESCE(?15, provider_latency_ms), provider_outcome = COALESCE(?16, provider_outcome)
  WHERE id = ?17 AND version = ?18
  RETURNING client_id`;

export const HISTORY = historyQuery('?1');
