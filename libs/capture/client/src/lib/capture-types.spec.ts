// Type-level checks, run by `typecheck`: the client writes its own types (the published package
// cannot import the domain), and these assertions fail the build when they drift from the domain's
// schemas. The runtime test below only makes Jest count the file.
import type {
  CaptureEvent as DomainCaptureEvent,
  CaptureEventType as DomainCaptureEventType,
  CaptureError as DomainCaptureError,
  CaptureRecord as DomainCapture,
  CaptureRequest as DomainCaptureRequest,
  CaptureRequestSchema,
  CaptureStatus as DomainCaptureStatus,
  ErrorCode as DomainErrorCode,
  MaskedCard as DomainMaskedCard,
  Money as DomainMoney,
  ProviderReferences as DomainProviderReferences,
  StatusSource as DomainStatusSource,
} from '@capture-gateway/domain';
import type { z } from 'zod';
import type { CaptureEvent, CaptureEventOf, CaptureEventType, StatusSource } from './capture-event.types.js';
import type { CreateCaptureRequest } from './capture-client.types.js';
import type {
  Capture,
  CaptureError,
  CaptureRequest,
  CaptureStatus,
  ErrorCode,
  MaskedCard,
  Money,
  ProviderReferences,
} from './capture.types.js';

/** True only when A and B are the same type (optional fields and all), not merely assignable. */
type Equal<A, B> = (<T>() => T extends Simplify<A> ? 1 : 2) extends <T>() => T extends Simplify<B> ? 1 : 2 ? true : false;
/** Flattens intersections and nested objects, so `X & { status: S }` compares equal to its written-out form. */
type Simplify<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]: Simplify<T[K]> } : T;
type Assignable<From, To> = [From] extends [To] ? true : false;
type Expect<T extends true> = T;

/** A domain event narrowed to one status: what the service sends for that status. */
type DomainEventOf<S extends DomainCaptureStatus> = Omit<DomainCaptureEvent, 'type' | 'data'> & {
  type: `capture.${S}`;
  data: Omit<DomainCaptureEvent['data'], 'capture'> & { capture: DomainCapture & { status: S } };
};

export type Checks = [
  Expect<Equal<CaptureStatus, DomainCaptureStatus>>,
  Expect<Equal<ErrorCode, DomainErrorCode>>,
  Expect<Equal<Money, DomainMoney>>,
  Expect<Equal<MaskedCard, DomainMaskedCard>>,
  Expect<Equal<ProviderReferences, DomainProviderReferences>>,
  Expect<Equal<CaptureError, DomainCaptureError>>,
  Expect<Equal<Capture, DomainCapture>>,
  Expect<Equal<CaptureRequest, DomainCaptureRequest>>,
  // What the service accepts before parsing, too (no defaults or transforms hide a difference).
  Expect<Equal<CreateCaptureRequest, z.input<typeof CaptureRequestSchema>>>,
  Expect<Equal<StatusSource, DomainStatusSource>>,
  Expect<Equal<CaptureEventType, DomainCaptureEventType>>,
  Expect<Equal<CaptureEvent['type'], DomainCaptureEvent['type']>>,
  // Every client event is a domain event…
  Expect<Assignable<CaptureEvent, DomainCaptureEvent>>,
  // …and every domain event whose capture status matches its type is the client's event of that type.
  Expect<Equal<CaptureEventOf<'pending'>, DomainEventOf<'pending'>>>,
  Expect<Equal<CaptureEventOf<'succeeded'>, DomainEventOf<'succeeded'>>>,
  Expect<Equal<CaptureEventOf<'failed'>, DomainEventOf<'failed'>>>,
  Expect<Equal<CaptureEventOf<'unknown'>, DomainEventOf<'unknown'>>>,
  Expect<Assignable<DomainEventOf<'succeeded'>, CaptureEvent>>,
  // The union is discriminated on type: narrowing on it narrows the capture's status.
  Expect<Equal<Extract<CaptureEvent, { type: 'capture.failed' }>['data']['capture']['status'], 'failed'>>,
  // And the checks above can fail: a differing type is caught.
  Expect<Equal<Equal<Capture, Omit<DomainCapture, 'card'>>, false>>,
  Expect<Equal<Equal<ErrorCode, Exclude<DomainErrorCode, 'rate_limited'>>, false>>,
];

it('the client types match the domain (checked by typecheck)', () => {
  const checks: Checks['length'] = 21;
  expect(checks).toBe(21);
});
