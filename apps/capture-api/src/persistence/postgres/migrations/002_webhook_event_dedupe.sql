-- Webhook events are now recorded in the same transaction as the status change they cause, with
-- the capture they touched and the status they asked for: a repeated (account, event_id) is refused
-- by the primary key and changes nothing.
ALTER TABLE webhook_events ADD COLUMN capture_id text REFERENCES captures (id);
ALTER TABLE webhook_events ADD COLUMN requested_status text;
