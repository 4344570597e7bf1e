import { bearerToken } from './bearer';

describe('bearerToken', () => {
  test.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['bEaReR   abc  ', 'abc'],
  ])('reads %j: the scheme is case-insensitive (RFC 7235)', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  test.each([[undefined], [''], ['Bearer'], ['Bearer '], ['Basic abc'], ['Bearerabc'], ['abc']])('finds no token in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
