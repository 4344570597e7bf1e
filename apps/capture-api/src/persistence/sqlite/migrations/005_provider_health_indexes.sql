-- Provider health on the embedded store counts a window's captures per account, provider, first
-- answer and latency bin in SQL, a minute of ids at a time. captures_provider_health holds every column
-- that count reads, so it walks the id range in the index alone, never seeking a table row.
CREATE INDEX captures_provider_health ON captures (account, id, provider_outcome, provider_latency_ms, provider);

-- First answers that reached no provider (a refusal ending "nothing was sent", see health.rows.ts):
-- rare, so this partial index is small; they are counted on it and taken off the counts above. Its
-- WHERE must stay the same text as NOT_SENT in sqlite-ops.store.ts, or the planner will not use it.
CREATE INDEX captures_not_sent ON captures (account, id, provider_outcome, provider_latency_ms, provider)
  WHERE status = 'failed' AND provider_outcome IN ('declined', 'error') AND substr(json_extract(error, '$.message'), -16) = 'nothing was sent';
