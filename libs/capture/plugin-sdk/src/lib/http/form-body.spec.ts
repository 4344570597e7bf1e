import { formEncode } from './form-body';

describe('formEncode', () => {
  it('writes nested objects as bracketed keys and arrays by index or with empty brackets', () => {
    const body = { amount: 1500, metadata: { order: '1001', nested: { deep: true } }, expand: ['latest_charge', 'customer'] };
    expect(formEncode(body)).toBe(
      'amount=1500&metadata[order]=1001&metadata[nested][deep]=true&expand[0]=latest_charge&expand[1]=customer',
    );
    expect(formEncode({ expand: ['latest_charge'] }, 'brackets')).toBe('expand[]=latest_charge');
  });

  it('leaves undefined out, writes null as an empty value (an unset), and encodes what must be', () => {
    expect(formEncode({ a: undefined, b: null, c: 'x y&z=1+é' })).toBe('b=&c=x+y%26z%3D1%2B%C3%A9');
  });

  it('refuses a number that is not finite rather than sending "NaN"', () => {
    expect(() => formEncode({ amount: Number.NaN })).toThrow('amount');
  });
});
