-- The embedded store's side of PostgreSQL's migration 011: a row version, re-sends, an open flag,
-- history rows of every kind, and contradicting webhooks turned into flag rows and flags.
ALTER TABLE captures ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE captures ADD COLUMN resends INTEGER NOT NULL DEFAULT 0;
ALTER TABLE captures ADD COLUMN flag TEXT CHECK (json_valid(flag));

ALTER TABLE capture_status_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'status'
  CHECK (kind IN ('status', 'flag', 'acknowledge', 'resend'));

INSERT INTO capture_status_changes (capture_id, kind, from_status, to_status, source, actor, reason, detail, changed_at)
SELECT w.capture_id, 'flag', c.status, w.requested_status, 'webhook', c.provider,
       printf('A webhook reported %s for a capture that is %s; not applied', w.requested_status, c.status),
       json_object('flag', 'contradicted', 'eventId', w.event_id), w.received_at
  FROM webhook_events w JOIN captures c ON c.id = w.capture_id
 WHERE w.contradicts;

UPDATE captures
   SET flag = (SELECT json_object('reason', 'contradicted', 'reported', w.requested_status, 'source', 'webhook',
                                  'message', printf('A webhook reported %s for a capture that is %s; not applied', w.requested_status, captures.status),
                                  'at', w.received_at)
                 FROM webhook_events w WHERE w.capture_id = captures.id AND w.contradicts
                 ORDER BY w.received_at DESC LIMIT 1)
 WHERE id IN (SELECT capture_id FROM webhook_events WHERE contradicts);

DROP INDEX webhook_events_contradicting;
ALTER TABLE webhook_events DROP COLUMN contradicts;

CREATE INDEX captures_flagged ON captures (account, id) WHERE flag IS NOT NULL;
