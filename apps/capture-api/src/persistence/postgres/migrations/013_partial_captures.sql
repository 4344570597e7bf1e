-- Several partial captures of one authorisation (issue #24), and re-sends to idempotent providers.
-- A capture says whether it is final (false: more may follow) and keeps its provider options as
-- given, so a re-send sends exactly what was first sent. An authorisation row holds what its
-- captures declared (the authorised amount) and whether the provider closed it; captures of one
-- authorisation are admitted one at a time under its row lock.
ALTER TABLE captures ADD COLUMN final boolean NOT NULL DEFAULT true;
ALTER TABLE captures ADD COLUMN provider_options jsonb;

CREATE TABLE authorisations (
  account             text NOT NULL,
  authorisation_id    text NOT NULL,
  authorised_amount   bigint,
  authorised_currency text,
  closed_by_provider  boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (account, authorisation_id),
  CHECK ((authorised_amount IS NULL) = (authorised_currency IS NULL))
);
