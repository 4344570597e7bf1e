// `node -r @swc-node/register tools/bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [rows]`:
// what grew between two V8 heap snapshots, by constructor (objects), function name (closures) or type.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  name: string;
  count: number;
  bytes: number;
}

export interface HeapGroupDelta extends HeapGroup {
  countDelta: number;
  bytesDelta: number;
}

/** Live nodes of one snapshot grouped by `type:name` (self sizes, not retained sizes). */
export function heapGroups(file: string): Map<string, HeapGroup> {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const groups = new Map<string, HeapGroup>();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt] as number] ?? '?';
    // Strings and numbers are named by their content: group them by type alone.
    const named = type === 'object' || type === 'closure' || type === 'native';
    const name = named ? `${type}:${heap.strings[heap.nodes[i + nameAt] as number]}` : `(${type})`;
    const group = groups.get(name) ?? { name, count: 0, bytes: 0 };
    group.count++;
    group.bytes += heap.nodes[i + sizeAt] as number;
    groups.set(name, group);
  }
  return groups;
}

/** The groups that grew the most between two snapshots, largest growth in bytes first. */
export function heapDiff(beforeFile: string, afterFile: string, rows = 20): HeapGroupDelta[] {
  const before = heapGroups(beforeFile);
  const after = heapGroups(afterFile);
  return [...after.values()]
    .map((g) => {
      const was = before.get(g.name);
      return { ...g, countDelta: g.count - (was?.count ?? 0), bytesDelta: g.bytes - (was?.bytes ?? 0) };
    })
    .sort((a, b) => b.bytesDelta - a.bytesDelta)
    .slice(0, rows);
}

export function renderHeapDiff(rows: HeapGroupDelta[]): string {
  const line = ([first = '', ...rest]: string[]) => `${first.padEnd(60)} ${rest.map((c) => c.padStart(12)).join(' ')}`;
  return [
    line(['group', 'count', '+count', 'KB', '+KB']),
    ...rows.map((r) =>
      line([r.name.slice(0, 60), String(r.count), String(r.countDelta), (r.bytes / 1024).toFixed(0), (r.bytesDelta / 1024).toFixed(1)]),
    ),
  ].join('\n');
}

if (require.main === module) {
  const [before, after, rows] = process.argv.slice(2);
  if (!before || !after) {
    console.error('usage: heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [rows]');
    process.exit(2);
  }
  console.log(renderHeapDiff(heapDiff(before, after, Number(rows ?? 20))));
}
