// `node -r @swc-node/register tools/bench/profile-summary.ts <file.cpuprofile> [top]`: where a CPU
// profile's time went, by function (self time) and by package or workspace folder.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const where = (url: string) =>
  url.includes('node_modules/')
    ? (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url)
    : url.startsWith('node:')
      ? 'node internals'
      : url === ''
        ? '(native, gc)'
        : url.replace(/.*\/work\/[^/]+\//, '').replace(/\/[^/]+$/, '');
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
// The service's own code, compiled (dist/apps, dist/libs) or run from source; not the bench's preloads.
const ours = (url: string) => /\/(apps|libs)\//.test(url) && !url.includes('node_modules/');
const frameName = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${frame.lineNumber}`;
// Each sample charged to the nearest of the workspace's own functions on its stack, with all the
// library and Node code it called: what each of the service's steps costs, whoever does the work.
const ownerOf = (id: number): string => {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame && ours(frame.url)) return frameName(frame);
  }
  return '(no workspace function on the stack: Node, Fastify or pg on their own)';
};
const byOwner = new Map<string, number>();
const selfTime = new Map<string, number>();
const byPlace = new Map<string, number>();
// Shares are of the busy time: a service profiled over a whole bench run is mostly idle.
let busy = 0;
for (const sample of profile.samples) {
  const frame = byId.get(sample)?.callFrame;
  if (!frame || frame.functionName === '(idle)') continue;
  busy++;
  const name = frameName(frame);
  selfTime.set(name, (selfTime.get(name) ?? 0) + 1);
  byPlace.set(where(frame.url), (byPlace.get(where(frame.url)) ?? 0) + 1);
  const owner = ownerOf(sample);
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + 1);
}
const print = (title: string, table: Map<string, number>, top: number) => {
  console.log(`\n${title}`);
  for (const [name, count] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((count / busy) * 100).toFixed(1).padStart(5)} %  ${name}`);
  }
};
console.log(
  `busy in ${((busy / profile.samples.length) * 100).toFixed(1)} % of ${profile.samples.length} samples; shares of the busy time:`,
);
print('self time by package or folder', byPlace, 25);
print('self time by function', selfTime, Number(topArg ?? 30));
print('by the nearest workspace function on the stack (its own time and everything it called)', byOwner, Number(topArg ?? 30));
