import type { HistoryRow } from '@capture-gateway/domain';
import { historyRowsJson } from './history.rows';

describe('historyRowsJson', () => {
  it('writes each row with every column the statement reads, absent ones as null', () => {
    const rows: HistoryRow[] = [
      {
        kind: 'status',
        from: 'unknown',
        to: 'succeeded',
        source: 'api',
        actor: 'client-a',
        requestId: 'req_1',
        at: '2026-12-05T00:00:00.000Z',
      },
      {
        kind: 'flag',
        from: 'succeeded',
        to: 'failed',
        source: 'webhook',
        reason: 'said "no"\n',
        detail: { flag: 'contradicted', eventId: 'ev_1' },
        at: '2026-12-05T00:00:01.000Z',
      },
    ];
    expect(JSON.parse(historyRowsJson(rows))).toEqual([
      {
        kind: 'status',
        from_status: 'unknown',
        to_status: 'succeeded',
        source: 'api',
        actor: 'client-a',
        reason: null,
        request_id: 'req_1',
        detail: null,
        changed_at: '2026-12-05T00:00:00.000Z',
      },
      {
        kind: 'flag',
        from_status: 'succeeded',
        to_status: 'failed',
        source: 'webhook',
        actor: null,
        reason: 'said "no"\n',
        request_id: null,
        detail: { flag: 'contradicted', eventId: 'ev_1' },
        changed_at: '2026-12-05T00:00:01.000Z',
      },
    ]);
    expect(historyRowsJson([])).toBe('[]');
  });
});
