-- The capture state machine (libs/capture/domain lifecycle): the stores write what `settle` decides.
-- A row version, so the first answer is written only over the row as inserted (and every write
-- says which version it saw); re-sends to idempotent providers; an open flag, when a report
-- contradicted the capture or took more than asked, until an operator acknowledges or resolves it.
ALTER TABLE captures ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE captures ADD COLUMN resends integer NOT NULL DEFAULT 0;
ALTER TABLE captures ADD COLUMN flag jsonb;

-- History rows of every kind: a status move, a flag, its acknowledgement, a re-send. `detail`
-- holds a flag's reason (and the webhook event that raised it) or a re-send's attempt.
ALTER TABLE capture_status_changes ADD COLUMN kind text NOT NULL DEFAULT 'status'
  CHECK (kind IN ('status', 'flag', 'acknowledge', 'resend'));

-- Webhooks that contradicted a final status were kept on their event row, and vanished from the
-- history when it was pruned: they become flag rows, and each such capture's latest one its flag.
INSERT INTO capture_status_changes (capture_id, kind, from_status, to_status, source, actor, reason, detail, changed_at)
SELECT w.capture_id, 'flag', c.status, w.requested_status, 'webhook', c.provider,
       format('A webhook reported %s for a capture that is %s; not applied', w.requested_status, c.status),
       jsonb_build_object('flag', 'contradicted', 'eventId', w.event_id), w.received_at
  FROM webhook_events w JOIN captures c ON c.id = w.capture_id
 WHERE w.contradicts;

UPDATE captures c
   SET flag = jsonb_build_object('reason', 'contradicted', 'reported', w.requested_status, 'source', 'webhook',
                                 'message', format('A webhook reported %s for a capture that is %s; not applied', w.requested_status, c.status),
                                 'at', to_char(w.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  FROM (SELECT DISTINCT ON (capture_id) capture_id, requested_status, received_at
          FROM webhook_events WHERE contradicts ORDER BY capture_id, received_at DESC) w
 WHERE c.id = w.capture_id;

DROP INDEX webhook_events_contradicting;
ALTER TABLE webhook_events DROP COLUMN contradicts;

-- The operations page lists flagged captures: few, so a small partial index.
CREATE INDEX captures_flagged ON captures (account, id) WHERE flag IS NOT NULL;
