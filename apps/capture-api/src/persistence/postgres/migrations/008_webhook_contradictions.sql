-- A signed webhook event that asked for another status than the final one its capture already had:
-- not applied, but kept visible in the capture's history.
ALTER TABLE webhook_events ADD COLUMN contradicts boolean NOT NULL DEFAULT false;
