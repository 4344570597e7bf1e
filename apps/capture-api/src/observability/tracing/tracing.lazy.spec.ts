import { startTracing } from './tracing.setup';

// The factory runs only when `tracing.sdk` is first loaded: it counts loads of the OpenTelemetry SDK
// and exporter, which tracing off must never pay for at start-up.
const mockSdk = { loads: 0 };
jest.mock('./tracing.sdk', () => {
  mockSdk.loads++;
  return jest.requireActual('./tracing.sdk');
});

describe('startTracing loads the OpenTelemetry SDK only when tracing is on', () => {
  test('unset: the SDK and its exporter are never loaded', async () => {
    const tracing = await startTracing({});
    expect(tracing.enabled).toBe(false);
    expect(mockSdk.loads).toBe(0);
  });

  test('a bad endpoint is refused before anything is loaded', async () => {
    await expect(startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).rejects.toThrow('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(mockSdk.loads).toBe(0);
  });

  test('set: the SDK is loaded and a provider registered', async () => {
    const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(tracing.enabled).toBe(true);
    expect(mockSdk.loads).toBe(1);
    await tracing.shutdown();
  });
});
