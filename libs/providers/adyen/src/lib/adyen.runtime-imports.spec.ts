import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// `@adyen/api-library` (the HMAC oracle) and the JSON Schema validator of the fidelity tests are
// devDependencies, for tests only: no file the service loads may import them.
const LIB = join(__dirname);
const runtimeFiles = readdirSync(LIB).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
const IMPORTS_TEST_ONLY = /(?:from\s+|import\s*\(|require\s*\()\s*['"](?:@adyen\/api-library|ajv|ajv-formats)(?:\/[^'"]*)?['"]/;

describe('the test-only packages stay out of the runtime path', () => {
  it.each([...runtimeFiles, '../index.ts'])('%s imports none of them', (name) => {
    expect(readFileSync(join(LIB, name), 'utf8')).not.toMatch(IMPORTS_TEST_ONLY);
  });

  it('would see an import if one were there', () => {
    expect("import { hmacValidator } from '@adyen/api-library';").toMatch(IMPORTS_TEST_ONLY);
    expect("const v = require('@adyen/api-library/lib/src/utils/hmacValidator')").toMatch(IMPORTS_TEST_ONLY);
    expect("import Ajv2020 from 'ajv/dist/2020';").toMatch(IMPORTS_TEST_ONLY);
    expect(readFileSync(join(LIB, 'adyen.webhook.spec.ts'), 'utf8')).toMatch(IMPORTS_TEST_ONLY);
    expect(runtimeFiles).toEqual(expect.arrayContaining(['adyen.plugin.ts', 'adyen.webhook.ts', 'adyen.hmac.ts']));
  });
});
