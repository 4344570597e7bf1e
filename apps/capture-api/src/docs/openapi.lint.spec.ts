import { buildOpenApiDocument } from './openapi.document';
import { fakePlugins } from './testing/fake-plugins';
import { redoclyLint } from './testing/redocly-lint';

// Redocly's own linter, with the rules in apps/capture-api/redocly.yaml: the document is generated,
// so this is what keeps the generator honest.
it('passes `redocly lint` with no error and no warning', async () => {
  const output = await redoclyLint(JSON.stringify(buildOpenApiDocument({ plugins: fakePlugins, version: '1.0.0' }), null, 2));
  expect(output).toContain('Your API description is valid');
  expect(output).not.toMatch(/warning/i);
}, 60_000);
