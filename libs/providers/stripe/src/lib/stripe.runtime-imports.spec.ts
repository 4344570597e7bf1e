import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The official `stripe` package is a test oracle only (a devDependency): no file the service loads may import it.
const LIB = join(__dirname);
const runtimeFiles = readdirSync(LIB).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
const IMPORTS_STRIPE = /(?:from\s+|import\s*\(|require\s*\()\s*['"]stripe(?:\/[^'"]*)?['"]/;

describe('the stripe package stays out of the runtime path', () => {
  it.each([...runtimeFiles, '../index.ts'])('%s does not import it', (name) => {
    expect(readFileSync(join(LIB, name), 'utf8')).not.toMatch(IMPORTS_STRIPE);
  });

  it('would see an import if one were there', () => {
    expect("import Stripe from 'stripe';").toMatch(IMPORTS_STRIPE);
    expect("const s = require('stripe/cjs/x')").toMatch(IMPORTS_STRIPE);
    expect(runtimeFiles).toContain('stripe.plugin.ts');
  });
});
