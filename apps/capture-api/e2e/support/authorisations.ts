import type { AuthorisationSummary } from './api.types';
import { call, getHistory } from './http';

/** `GET /v1/authorisations/{account}/{authorisationId}`: its captures, captured total and whether it is closed. */
export const readAuthorisation = async (baseUrl: string, account: string, authorisationId: string, key?: string) =>
  (
    await call<AuthorisationSummary>(
      baseUrl,
      'GET',
      `/v1/authorisations/${account}/${encodeURIComponent(authorisationId)}`,
      key ? { key } : {},
    )
  ).body;

/** A capture's history as short strings: `succeeded:api`, `check#1:found`, `resend#1:succeeded`, `flag:amount_above_requested`. */
export const historyOf = async (baseUrl: string, id: string, key?: string) =>
  (await getHistory(baseUrl, id, key ? { key } : {})).body.data.map((h) =>
    h.kind === 'check'
      ? `check#${h.attempt}:${h.answer}`
      : h.kind === 'resend'
        ? `resend#${h.attempt}:${h.answerStatus}`
        : h.kind === 'flag'
          ? `flag:${h.reason}`
          : h.kind === 'acknowledge'
            ? `acknowledge:${h.flag}`
            : `${h.to}:${h.source}`,
  );
