import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { code as currencyByCode } from 'currency-codes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildOpenApiDocument } from './openapi.document';
import { CAPTURE_REQUEST_EXAMPLES, EXAMPLE_ACCOUNTS } from './openapi.examples';
import { fakePlugins } from './testing/fake-plugins';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Swagger's "Try it out" sends these examples as they stand: each must be valid for the schema it
// illustrates, and name an account that `npm start`'s dev config really has.
describe('the OpenAPI examples', () => {
  const doc = buildOpenApiDocument({ plugins: fakePlugins, version: '1.2.3' }) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc['components'] });
  const errorsOf = (schema: Json, value: unknown) => {
    const validate = schema['$ref'] ? ajv.getSchema(`openapi.json${schema['$ref']}`) : ajv.compile(schema);
    if (!validate) throw new Error(`no schema at ${JSON.stringify(schema)}`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
  const devConfig = parse(readFileSync(join(__dirname, '../../config/capture.dev.yaml'), 'utf8')) as { accounts: { id: string }[] };
  const devAccounts = devConfig.accounts.map((account) => account.id);

  // Every example or examples[*].value in the document, with the schema beside it.
  const examples: Array<{ where: string; schema: Json; value: unknown }> = [];
  const collect = (node: unknown, where: string): void => {
    if (node === null || typeof node !== 'object') return;
    const object = node as Json;
    if (object['schema'] && 'example' in object) examples.push({ where, schema: object['schema'], value: object['example'] });
    if (object['schema'] && object['examples']) {
      for (const [name, example] of Object.entries(object['examples'] as Json)) {
        examples.push({ where: `${where} examples.${name}`, schema: object['schema'], value: (example as Json)['value'] });
      }
    }
    for (const [key, child] of Object.entries(object)) collect(child, `${where}/${key}`);
  };
  collect(doc['paths'], 'paths');

  it('gives capture a request example for every dev account, and the header and answers theirs', () => {
    const where = examples.map((example) => example.where);
    expect(where).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/v1\/captures\/post\/parameters\/0$/),
        expect.stringMatching(/\/v1\/captures\/post\/requestBody\/content\/application\/json examples\.stripe$/),
        expect.stringMatching(/\/v1\/captures\/post\/responses\/201\/content\/application\/json$/),
        expect.stringMatching(/\/v1\/captures\/post\/responses\/202\/content\/application\/json$/),
      ]),
    );
    expect(Object.values(CAPTURE_REQUEST_EXAMPLES).map((example) => example.value['account'])).toEqual([...EXAMPLE_ACCOUNTS]);
  });

  it('validates every example against its own schema', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const { where, schema, value } of examples) expect({ where, errors: errorsOf(schema, value) }).toEqual({ where, errors: [] });
  });

  it('refuses what Swagger used to generate (a schema that accepts anything would not)', () => {
    const request = { $ref: '#/components/schemas/CaptureRequest' };
    expect(errorsOf(request, { account: 'po-jp', authorisationId: 'x', amount: { amount: 1.5, currency: 'JPY' } })).not.toEqual([]);
    expect(errorsOf(request, { authorisationId: 'x' })).not.toEqual([]);
  });

  it('names dev accounts, in real currencies, for everyday amounts', () => {
    const moneyOf = (value: Json): Json[] => [value['amount'], value['requestedAmount'], value['capturedAmount']].filter(Boolean);
    const captures = examples
      .map((e) => e.value)
      .filter((value): value is Json => typeof value === 'object' && value !== null && 'account' in value);
    expect(captures.length).toBeGreaterThanOrEqual(6);
    for (const value of captures) {
      expect(devAccounts).toContain(value['account']);
      for (const money of moneyOf(value)) {
        expect(currencyByCode(money['currency'])).toBeDefined();
        expect(money['amount']).toBeGreaterThan(0);
        expect(money['amount']).toBeLessThanOrEqual(100_000);
      }
    }
  });
});
