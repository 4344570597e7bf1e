import type { CaptureOutcome } from '../capture/capture-outcome.schemas';
import type { CaptureRecord } from '../capture/capture.schemas';

/**
 * A record with its fields in the schema's order and absent ones left out, so that every copy of a
 * capture (an answer, a read, an event) serialises alike.
 */
export function orderedRecord(record: CaptureRecord): CaptureRecord {
  const ordered: CaptureRecord = {
    id: record.id,
    account: record.account,
    provider: record.provider,
    authorisationId: record.authorisationId,
    requestedAmount: record.requestedAmount,
    capturedAmount: record.capturedAmount,
    status: record.status,
    error: record.error,
    providerReferences: record.providerReferences,
    card: record.card,
    description: record.description,
    metadata: record.metadata,
    final: record.final,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  return Object.fromEntries(Object.entries(ordered).filter(([, v]) => v !== undefined)) as CaptureRecord;
}

/**
 * The record once an outcome applies: its status; the captured amount only on success (the amount
 * asked for when the provider names none); the error only when failed or unknown; the provider's
 * references merged over the ones known (newer keys win); the card when it names one.
 */
export function withOutcome(record: CaptureRecord, outcome: CaptureOutcome, at: string): CaptureRecord {
  const capturedAmount = outcome.status === 'succeeded' ? (outcome.capturedAmount ?? record.requestedAmount) : undefined;
  const error = outcome.status === 'failed' || outcome.status === 'unknown' ? outcome.error : undefined;
  return orderedRecord({
    ...record,
    status: outcome.status,
    capturedAmount,
    error,
    providerReferences: { ...record.providerReferences, ...outcome.references },
    card: outcome.card ?? record.card,
    updatedAt: at,
  });
}
