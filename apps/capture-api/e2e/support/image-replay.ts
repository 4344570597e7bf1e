import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, relative } from 'node:path';
import { copyOf, dockerIgnore, envOf, execForm, readDockerfile, withOptions } from './dockerfile';
import { WORKSPACE_ROOT } from './service';

/** The last stage of an image, its files laid out on this machine as they would be in the image. */
export interface ReplayedImage {
  /** Where the image's WORKDIR is on this machine. */
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd: string[];
  healthcheck: string[];
  remove(): void;
}

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd: string[];
  healthcheck: string[];
}

/**
 * Builds a Dockerfile without Docker (no daemon runs here): the context is this workspace filtered by
 * its .dockerignore; COPY copies, WORKDIR/ENV/USER/CMD/HEALTHCHECK are recorded, and RUN knows the
 * few commands our Dockerfile uses: `npm ci` (this workspace's node_modules, installed from the same
 * lock), `npm ci --omit=dev` (only the lock's production packages) and `npm run <script>` (run for real).
 * Anything else is refused, so the Dockerfile cannot grow a step this replay skips.
 */
export function replayImage(dockerfile: string, contextDir = WORKSPACE_ROOT): ReplayedImage {
  const work = mkdtempSync(join(tmpdir(), 'capture-image-'));
  try {
    const context = join(work, 'context');
    const ignored = dockerIgnore(readFileSync(join(contextDir, '.dockerignore'), 'utf8'));
    cpSync(contextDir, context, { recursive: true, filter: (source) => !ignored(relative(contextDir, source)) });
    const stages = new Map<string, StageState>();
    let last: StageState | undefined;
    readDockerfile(dockerfile).forEach((stage, index) => {
      last = { root: join(work, `stage-${index}`), workdir: '/', env: {}, cmd: [], healthcheck: [] };
      for (const { keyword, args } of stage.instructions) apply(last, keyword, args, context, stages);
      stages.set(stage.name ?? String(index), last);
    });
    if (!last) throw new Error(`${dockerfile} has no stage`);
    const { root, workdir, ...rest } = last;
    return { ...rest, workdir: join(root, workdir), remove: () => rmSync(work, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

function apply(state: StageState, keyword: string, args: string, context: string, stages: Map<string, StageState>): void {
  const here = (path: string) => join(state.root, posix.resolve(state.workdir, path));
  switch (keyword) {
    case 'WORKDIR':
      state.workdir = posix.resolve(state.workdir, args);
      mkdirSync(here('.'), { recursive: true });
      return;
    case 'ENV':
      Object.assign(state.env, envOf(args));
      return;
    case 'USER':
      state.user = args;
      return;
    case 'CMD':
      state.cmd = execForm(args);
      return;
    case 'HEALTHCHECK':
      state.healthcheck = execForm(withOptions(args).rest.replace(/^CMD\s+/, ''));
      return;
    case 'EXPOSE':
    case 'STOPSIGNAL':
    case 'LABEL':
      return;
    case 'COPY':
      return copy(state, args, context, stages);
    case 'RUN':
      for (const command of args.split('&&').map((c) => c.trim().replace(/\s+/g, ' '))) run(command, here('.'));
      return;
    default:
      throw new Error(`the image replay does not know ${keyword}: teach apps/capture-api/e2e/support/image-replay.ts`);
  }
}

function copy(state: StageState, args: string, context: string, stages: Map<string, StageState>): void {
  const { from, sources, dest } = copyOf(args);
  const fromStage = from === undefined ? undefined : stages.get(from);
  if (from !== undefined && !fromStage) throw new Error(`COPY --from=${from}: no such stage`);
  const target = join(state.root, posix.resolve(state.workdir, dest));
  for (const source of sources) {
    const path = fromStage ? join(fromStage.root, posix.resolve(fromStage.workdir, source)) : join(context, source);
    if (!existsSync(path)) throw new Error(`COPY ${args}: ${source} is not in the ${from ? `stage ${from}` : 'build context'}`);
    // A folder's contents go into the destination; files go into it when it is a folder (ends in /).
    const into = statSync(path).isDirectory() || !(dest.endsWith('/') || sources.length > 1) ? target : join(target, basename(path));
    mkdirSync(dirname(into), { recursive: true });
    cpSync(path, into, { recursive: true });
  }
}

function run(command: string, cwd: string): void {
  if (command === 'npm cache clean --force') return;
  if (command === 'npm ci') return installAll(cwd);
  if (/^npm ci --omit=dev( --ignore-scripts)?$/.test(command)) return installProduction(cwd);
  const script = /^npm run ([\w:-]+)$/.exec(command)?.[1];
  if (script) {
    // Only what a fresh build would have: no NODE_OPTIONS or SWC settings inherited from the test runner.
    const result = spawnSync('npm', ['run', script], { cwd, env: { PATH: process.env['PATH'], HOME: cwd }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`RUN ${command} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    return;
  }
  throw new Error(`the image replay does not know RUN ${command}: teach apps/capture-api/e2e/support/image-replay.ts`);
}

type Lock = { packages: Record<string, { dev?: boolean; optional?: boolean }> };

function lockIn(cwd: string): Lock {
  const path = join(cwd, 'package-lock.json');
  if (!existsSync(path)) throw new Error('npm ci without a package-lock.json beside package.json');
  const lock = readFileSync(path, 'utf8');
  // This workspace's node_modules stands for the install only if it came from the same lock.
  if (lock !== readFileSync(join(WORKSPACE_ROOT, 'package-lock.json'), 'utf8')) throw new Error('the image has another lock file');
  return JSON.parse(lock) as Lock;
}

function installAll(cwd: string): void {
  lockIn(cwd);
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(cwd, 'node_modules'));
}

// The lock's top-level packages not marked dev, each linked whole (its nested dependencies with it).
function installProduction(cwd: string): void {
  for (const [key, entry] of Object.entries(lockIn(cwd).packages)) {
    const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key)?.[1];
    if (!name || entry.dev) continue;
    const installed = join(WORKSPACE_ROOT, 'node_modules', name);
    if (!existsSync(installed)) {
      if (entry.optional) continue; // another platform's binary
      throw new Error(`${name} is a production dependency missing from node_modules`);
    }
    mkdirSync(dirname(join(cwd, 'node_modules', name)), { recursive: true });
    symlinkSync(installed, join(cwd, 'node_modules', name));
  }
}
