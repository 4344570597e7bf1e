import type { CaptureEventStore, DeliveryState, EventFilter, StoredEvent } from '../capture-events.store';
import { type DeliveryRow, deliveryState } from '../delivery.rows';
import { type EventRow, storedEvent } from '../event.rows';
import type { SqliteDatabase } from './sqlite.database';

/** The capture events outbox on SQLite. */
export class SqliteCaptureEventStore implements CaptureEventStore {
  constructor(private readonly db: SqliteDatabase) {}

  async list(filter: EventFilter): Promise<StoredEvent[]> {
    return this.db
      .all<EventRow>(
        `SELECT * FROM capture_events
         WHERE client_id = ?1
           AND (?2 IS NULL OR type = ?2)
           AND (?3 IS NULL OR capture_id = ?3)
           AND (?4 IS NULL OR id > ?4)
           AND (?5 IS NULL OR created_at >= ?5)
         ORDER BY id LIMIT ?6`,
        filter.clientId,
        filter.type ?? null,
        filter.captureId ?? null,
        filter.after ?? null,
        filter.since?.toISOString() ?? null,
        filter.limit,
      )
      .map(storedEvent);
  }

  async find(clientId: string, id: string): Promise<StoredEvent | undefined> {
    const row = this.db.get<EventRow>('SELECT * FROM capture_events WHERE client_id = ? AND id = ?', clientId, id);
    return row ? storedEvent(row) : undefined;
  }

  async deliveries(eventId: string): Promise<DeliveryState[]> {
    return this.db
      .all<DeliveryRow>('SELECT * FROM capture_event_deliveries WHERE event_id = ? ORDER BY subscription_id', eventId)
      .map(deliveryState);
  }
}
