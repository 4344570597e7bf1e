import { MAX_SIGNATURE_HEADER_LENGTH, parseSignatureHeader } from './signature-header';

const SIG_A = 'a'.repeat(64);
const SIG_B = `${'0123456789abcdef'.repeat(3)}${'0123456789ABCDEF'}`;

describe('parseSignatureHeader', () => {
  it('reads the timestamp and the one v1 signature', () => {
    expect(parseSignatureHeader(`t=1700000000,v1=${SIG_A}`)).toEqual({ ok: true, timestamp: 1_700_000_000, signatures: [SIG_A] });
  });

  it("reads Stripe's Stripe-Signature: several v1 values in order, the v0 scheme ignored", () => {
    const header = `t=1492774577,v1=${SIG_A},v0=${'6'.repeat(64)},v1=${SIG_B}`;
    expect(parseSignatureHeader(header)).toEqual({ ok: true, timestamp: 1_492_774_577, signatures: [SIG_A, SIG_B] });
  });

  it('tolerates whitespace, unknown keys, parts without "=" and empty parts, whatever their order', () => {
    const header = `  v1 = ${SIG_A} , scheme=hmac,  ,junk, t = 1700000000 ,`;
    expect(parseSignatureHeader(header)).toEqual({ ok: true, timestamp: 1_700_000_000, signatures: [SIG_A] });
  });

  it('skips a v1 that is not 64 hex digits, so one odd entry does not hide a good one', () => {
    const header = `t=1,v1=${SIG_A.slice(1)},v1=${SIG_A}0,v1=${'g'.repeat(64)},v1=,v1=${SIG_B}`;
    expect(parseSignatureHeader(header)).toEqual({ ok: true, timestamp: 1, signatures: [SIG_B] });
  });

  it.each([
    ['no t=', `v1=${SIG_A}`, 'no_timestamp'],
    ['an empty header', '', 'no_timestamp'],
    ['prose', 'not a signature header', 'no_timestamp'],
    ['another scheme only', 'sha256=abc', 'no_timestamp'],
    ['a t= that is not a number', `t=soon,v1=${SIG_A}`, 'bad_timestamp'],
    ['a negative t=', `t=-1,v1=${SIG_A}`, 'bad_timestamp'],
    ['a t= of 13 digits', `t=1234567890123,v1=${SIG_A}`, 'bad_timestamp'],
    ['an empty t=', `t=,v1=${SIG_A}`, 'bad_timestamp'],
    ['two t=', `t=1,t=2,v1=${SIG_A}`, 'bad_timestamp'],
    ['no v1=', 't=1700000000', 'no_signature'],
    ['only v0=', `t=1700000000,v0=${SIG_A}`, 'no_signature'],
    ['only malformed v1=', 't=1700000000,v1=abc', 'no_signature'],
  ])('refuses %s', (_, header, problem) => {
    expect(parseSignatureHeader(header)).toMatchObject({ ok: false, problem, message: expect.any(String) });
  });

  it('refuses a header longer than the bound before reading it, and takes a bound of its caller', () => {
    const long = `t=1,v1=${SIG_A}${',v1='.padEnd(MAX_SIGNATURE_HEADER_LENGTH, 'x')}`;
    expect(parseSignatureHeader(long)).toMatchObject({ ok: false, problem: 'too_long' });
    expect(parseSignatureHeader(`t=1,v1=${SIG_A}`, 20)).toMatchObject({
      ok: false,
      problem: 'too_long',
      message: 'is longer than 20 characters',
    });
    expect(parseSignatureHeader(`t=1,v1=${SIG_A}`, 71)).toMatchObject({ ok: true });
  });

  it('never quotes the header in its message', () => {
    const result = parseSignatureHeader(`t=secretish,v1=${SIG_A}`);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('secretish');
  });
});
