import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceNodeFlags } from './service-node-flags';

describe('serviceNodeFlags', () => {
  test("the repository's start:prod caps both V8 generations (the RSS targets depend on it)", () => {
    const flags = serviceNodeFlags();
    expect(flags).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--max-semi-space-size=\d+$/), expect.stringMatching(/^--max-old-space-size=\d+$/)]),
    );
  });

  test('reads the flags, not the script around them', () => {
    const root = mkdtempSync(join(tmpdir(), 'node-flags-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { 'start:prod': 'node --a=1 --b dist/main.js' } }));
    expect(serviceNodeFlags(root)).toEqual(['--a=1', '--b']);
  });

  test('a package.json without start:prod is an error naming it', () => {
    const root = mkdtempSync(join(tmpdir(), 'node-flags-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: {} }));
    expect(() => serviceNodeFlags(root)).toThrow('start:prod');
  });
});
