import { statementShape } from './statement-span';

describe('statement spans', () => {
  test.each([
    ['INSERT INTO captures (id, account) VALUES (?, ?)', 'INSERT captures', 'captures'],
    ['SELECT * FROM captures WHERE id = $1 FOR UPDATE', 'SELECT captures', 'captures'],
    ['  update idempotency_keys SET state = $2 WHERE key = $1', 'UPDATE idempotency_keys', 'idempotency_keys'],
    [
      'WITH claimed AS (\n  INSERT INTO idempotency_keys (client_id) VALUES ($1) RETURNING 1) SELECT 1',
      'INSERT idempotency_keys',
      'idempotency_keys',
    ],
    ['DELETE FROM webhook_events WHERE received_at < $1 RETURNING event_id', 'DELETE webhook_events', 'webhook_events'],
    ['COMMIT', 'COMMIT', undefined],
    ['SELECT 1 AS ok', 'SELECT', undefined],
  ])('%s is named %s', (sql, name, table) => {
    const shape = statementShape('postgresql', sql);
    expect(shape.name).toBe(name);
    expect(shape.attributes['db.collection.name']).toBe(table);
    expect(shape.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.system': 'postgresql',
      'db.operation.name': name.split(' ')[0],
    });
  });
});
