import { z } from 'zod';
import { startScriptedProvider, type ScriptedProvider } from '../../testing';
import type { AnyCapturePlugin } from '../plugin.contract';
import { pluginFromModule } from '../plugin.guard';
import { defineHttpCapturePlugin } from './http-capture.plugin';

const Answer = z.object({ amount: z.int(), currency: z.string() });

const acme = (zeroAmount?: boolean) =>
  defineHttpCapturePlugin({
    id: 'acme',
    displayName: 'Acme',
    version: '0.0.1',
    configSchema: z.object({ baseUrl: z.url() }),
    capabilities: {
      partialCapture: true,
      multipleCaptures: false,
      captureWithoutAmount: false,
      webhooks: false,
      currencies: 'any',
      ...(zeroAmount === undefined ? {} : { zeroAmount }),
    },
    path: 'capture',
    headers: () => ({}),
    toWire: (request) => ({ amount: request.amount?.amount, currency: request.amount?.currency }),
    answerSchema: Answer,
    readAnswer: (body, { money }) => ({ status: 'succeeded', capturedAmount: money.fromMinorUnitInteger(body.amount, body.currency) }),
    errorSchema: z.unknown(),
    readError: () => undefined,
    errorCodes: {},
  });

const zero = { captureId: 'cap_zero', authorisationId: 'auth_1', amount: { amount: 0, currency: 'USD' }, options: undefined };

describe('a capture of zero', () => {
  const started: ScriptedProvider[] = [];
  const start = async (plugin: AnyCapturePlugin) => {
    const provider = await startScriptedProvider(plugin, (baseUrl) => ({ baseUrl }));
    started.push(provider);
    return provider;
  };
  afterAll(() => Promise.all(started.map((p) => p.close())));

  it.each([
    ['does not declare zeroAmount', undefined],
    ['declares zeroAmount: false', false],
  ])('is refused before sending when the plugin %s', async (_, zeroAmount) => {
    const provider = await start(acme(zeroAmount));
    const outcome = await provider.answer({ status: 201, json: { amount: 0, currency: 'USD' } }, zero);
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'unsupported_by_provider', message: expect.stringContaining('zero') },
    });
    expect(provider.received).toEqual([]);
  });

  it('is sent when the plugin declares zeroAmount: true', async () => {
    const provider = await start(acme(true));
    const outcome = await provider.answer({ status: 201, json: { amount: 0, currency: 'USD' } }, zero);
    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(provider.received).toEqual(['POST /capture']);
  });

  it('is a capability the loader accepts, and a 1.1 plugin without it still loads', () => {
    expect(pluginFromModule({ default: acme(true) }).capabilities.zeroAmount).toBe(true);
    expect(pluginFromModule({ default: { ...acme(), contractVersion: '1.1.0' } }).capabilities.zeroAmount).toBeUndefined();
    expect(() => pluginFromModule({ default: { ...acme(), capabilities: { ...acme().capabilities, zeroAmount: 'yes' } } })).toThrow(
      'capabilities.zeroAmount',
    );
  });
});
