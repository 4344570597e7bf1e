// Read by the API key guard and by /metrics' token check (a layer below auth), so it lives here.
// RFC 7235: the scheme is a case-insensitive token, followed by one or more spaces.
const BEARER = /^bearer +(.*)$/i;

/** The credentials of an `Authorization: Bearer <token>` header (any case of the scheme); undefined otherwise. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1]?.trim();
  return token ? token : undefined;
}
