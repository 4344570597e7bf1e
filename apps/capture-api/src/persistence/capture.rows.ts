import type { CaptureRecord } from '@capture-gateway/domain';

export interface CaptureRow {
  id: string;
  account: string;
  provider: string;
  authorisation_id: string;
  requested_amount: number | string | null;
  requested_currency: string | null;
  captured_amount: number | string | null;
  captured_currency: string | null;
  status: CaptureRecord['status'];
  error: CaptureRecord['error'] | null;
  provider_references: CaptureRecord['providerReferences'] | null;
  card: CaptureRecord['card'] | null;
  description: string | null;
  metadata: CaptureRecord['metadata'] | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const money = (amount: number | string | null, currency: string | null) =>
  amount === null || currency === null ? undefined : { amount: Number(amount), currency };

const iso = (value: Date | string) => new Date(value).toISOString();

/** A row as the API shows it: absent fields left out rather than null. */
export function recordFromRow(row: CaptureRow): CaptureRecord {
  const record: CaptureRecord = {
    id: row.id,
    account: row.account,
    provider: row.provider,
    authorisationId: row.authorisation_id,
    requestedAmount: money(row.requested_amount, row.requested_currency),
    capturedAmount: money(row.captured_amount, row.captured_currency),
    status: row.status,
    error: row.error ?? undefined,
    providerReferences: row.provider_references ?? {},
    card: row.card ?? undefined,
    description: row.description ?? undefined,
    metadata: row.metadata ?? undefined,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as CaptureRecord;
}

export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
