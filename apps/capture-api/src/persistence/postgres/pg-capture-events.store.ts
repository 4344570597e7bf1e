import type { CaptureEventStore, DeliveryState, EventFilter, StoredEvent } from '../capture-events.store';
import { type DeliveryRow, deliveryState } from '../delivery.rows';
import { type EventRow, storedEvent } from '../event.rows';
import type { SqlDatabase } from './sql.database';

/** The capture events outbox on PostgreSQL. */
export class PgCaptureEventStore implements CaptureEventStore {
  constructor(private readonly db: SqlDatabase) {}

  async list(filter: EventFilter): Promise<StoredEvent[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT * FROM capture_events
       WHERE client_id = $1
         AND ($2::text IS NULL OR type = $2)
         AND ($3::text IS NULL OR capture_id = $3)
         AND ($4::text IS NULL OR id > $4)
         AND ($5::timestamptz IS NULL OR created_at >= $5)
       ORDER BY id LIMIT $6`,
      [
        filter.clientId,
        filter.type ?? null,
        filter.captureId ?? null,
        filter.after ?? null,
        filter.since?.toISOString() ?? null,
        filter.limit,
      ],
    );
    return rows.map(storedEvent);
  }

  async find(clientId: string, id: string): Promise<StoredEvent | undefined> {
    const [row] = await this.db.query<EventRow>('SELECT * FROM capture_events WHERE client_id = $1 AND id = $2', [clientId, id]);
    return row ? storedEvent(row) : undefined;
  }

  async deliveries(eventId: string): Promise<DeliveryState[]> {
    const rows = await this.db.query<DeliveryRow>('SELECT * FROM capture_event_deliveries WHERE event_id = $1 ORDER BY subscription_id', [
      eventId,
    ]);
    return rows.map(deliveryState);
  }
}
