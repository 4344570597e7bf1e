/** Security and parameters the path operations share. */
export const BEARER = [{ bearerAuth: [] }];
export const PUBLIC: never[] = [];

export const captureIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Our id of the capture',
  schema: { type: 'string', pattern: '^cap_[0-9A-Za-z]{8,64}$' },
};
