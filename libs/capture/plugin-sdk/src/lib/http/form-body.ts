/** How a form body writes an array: `expand[]=a&expand[]=b` or `expand[0]=a&expand[1]=b` (both Stripe's). */
export type FormArrays = 'brackets' | 'indices';

/** What a form body can carry: strings, numbers, booleans, and objects and arrays of them, nested. */
export type FormValue = string | number | boolean | null | undefined | readonly FormValue[] | { readonly [key: string]: FormValue };

/**
 * A body as `application/x-www-form-urlencoded`, nested keys written the way form APIs read them:
 * `metadata[order]=1001`, arrays by `arrays`. `undefined` is left out, `null` is an empty value (Stripe's
 * "unset"), numbers must be finite (a money amount is always an integer of minor units).
 */
export function formEncode(body: { readonly [key: string]: FormValue }, arrays: FormArrays = 'indices'): string {
  const params = new URLSearchParams();
  const add = (key: string, value: FormValue): void => {
    if (value === undefined) return;
    if (value === null) return params.append(key, '');
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError(`Form field ${key} is not a finite number`);
      return params.append(key, String(value));
    }
    if (typeof value !== 'object') return params.append(key, String(value));
    if (isArray(value)) {
      value.forEach((item, index) => add(`${key}[${arrays === 'indices' ? index : ''}]`, item));
      return;
    }
    for (const [name, item] of Object.entries(value)) add(`${key}[${name}]`, item);
  };
  for (const [key, value] of Object.entries(body)) add(key, value);
  // Brackets left as written, as Stripe's own library sends them: readable, and read the same either way.
  return params.toString().replace(/%5B/g, '[').replace(/%5D/g, ']');
}

const isArray = (value: unknown): value is readonly FormValue[] => Array.isArray(value);
