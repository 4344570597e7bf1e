import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heapDiff, renderHeapDiff } from './heap-diff';

describe('heap-diff', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'heap-diff-'));
    // A small process that keeps 5,000 more instances of one class between its two snapshots.
    const script = `
      const v8 = require('node:v8');
      class RetainedEntry { constructor(i) { this.i = i; this.label = 'entry-' + i; } }
      const kept = [];
      v8.writeHeapSnapshot(${JSON.stringify(join(dir, 'before.heapsnapshot'))});
      for (let i = 0; i < 5000; i++) kept.push(new RetainedEntry(i));
      v8.writeHeapSnapshot(${JSON.stringify(join(dir, 'after.heapsnapshot'))});
      globalThis.kept = kept;`;
    execFileSync(process.execPath, ['-e', script]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('names the constructor whose instances were retained, with their count', () => {
    const rows = heapDiff(join(dir, 'before.heapsnapshot'), join(dir, 'after.heapsnapshot'), 10);
    const entry = rows.find((r) => r.name === 'object:RetainedEntry');
    expect(entry?.countDelta).toBe(5000);
    expect(entry?.bytesDelta).toBeGreaterThan(5000 * 16);
    expect(renderHeapDiff(rows)).toContain('object:RetainedEntry');
  });
});
