-- The embedded store's side of PostgreSQL's migration 013: partial captures and re-sends.
ALTER TABLE captures ADD COLUMN final INTEGER NOT NULL DEFAULT 1 CHECK (final IN (0, 1));
ALTER TABLE captures ADD COLUMN provider_options TEXT CHECK (json_valid(provider_options));

CREATE TABLE authorisations (
  account             TEXT NOT NULL,
  authorisation_id    TEXT NOT NULL,
  authorised_amount   INTEGER,
  authorised_currency TEXT,
  closed_by_provider  INTEGER NOT NULL DEFAULT 0 CHECK (closed_by_provider IN (0, 1)),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  PRIMARY KEY (account, authorisation_id),
  CHECK ((authorised_amount IS NULL) = (authorised_currency IS NULL))
) STRICT;
