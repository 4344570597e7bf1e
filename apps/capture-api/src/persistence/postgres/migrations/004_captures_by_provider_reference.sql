-- Webhooks of providers that allow several captures per authorisation name the exact capture by the
-- provider's capture reference: find it without scanning the account.
CREATE INDEX captures_by_provider_capture_id
  ON captures (account, (provider_references ->> 'captureId'));
