-- Each claim of a delivery is counted, and an attempt's result is written only while its claim is
-- still the latest: an attempt that outlived its lease (a stalled process, a slow write) cannot write
-- its result over the attempt of the replica that took the delivery over. A constant default: adding
-- the column rewrites nothing.
ALTER TABLE capture_event_deliveries ADD COLUMN claims integer NOT NULL DEFAULT 0;
