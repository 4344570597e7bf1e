import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defined, dockerIgnore, execForm, readDockerfile, type Stage, withOptions, WORKSPACE_ROOT } from '@capture-gateway/e2e-support';

// No container runtime runs on our machines: the Dockerfile is checked as text here, and replayed
// outside Docker (its runtime stage started and used) in image-replay.e2e.spec.ts.
const DOCKERFILE = join(WORKSPACE_ROOT, 'Dockerfile');
const stages = readDockerfile(DOCKERFILE);
const pkg = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const deployConfig = parseYaml(readFileSync(join(WORKSPACE_ROOT, 'deploy/capture.yaml'), 'utf8')) as {
  server: { port: number };
  metrics: { port: number };
};

const args = (stage: Stage | undefined, keyword: string) =>
  (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
const build = stages.find((s) => s.name === 'build');
const runtime = stages.at(-1);

/** The Dockerfile's HEALTHCHECK command, as it would be run in the container. */
const healthcheckOf = (stage: Stage | undefined) => execForm(withOptions(args(stage, 'HEALTHCHECK')[0] ?? '').rest.replace(/^CMD /, ''));

describe('the Dockerfile', () => {
  test("has a build stage and a runtime stage, both on the Node that package.json's `node` brings", () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    for (const stage of stages) expect(stage.image).toBe(`node:${pkg.devDependencies['node']}-bookworm-slim`);
  });

  test('builds with every dependency, and runs with production dependencies only', () => {
    expect(args(build, 'RUN')).toEqual(['npm ci', 'npm run build']);
    expect(args(runtime, 'RUN')).toEqual(['npm ci --omit=dev --ignore-scripts && npm cache clean --force']);
    expect(args(runtime, 'COPY')).toContain('--from=build /app/dist ./dist');
  });

  test('runs as a user that is not root', () => {
    const user = defined(args(runtime, 'USER').at(-1), 'a USER instruction');
    expect(['root', '0']).not.toContain(user.split(':')[0]);
  });

  test("runs package.json's start:prod, node itself as the process that receives SIGTERM", () => {
    expect(args(runtime, 'CMD')).toHaveLength(1);
    expect(execForm(defined(args(runtime, 'CMD')[0], 'a CMD instruction'))).toEqual(pkg.scripts['start:prod']?.split(' '));
  });

  test("checks its health on /health/ready at the API's port, with node (no curl in a slim image)", () => {
    const command = healthcheckOf(runtime);
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain(`(process.env.PORT || ${deployConfig.server.port}) + '/health/ready'`);
  });

  test("exposes the API's and the metrics' ports of deploy/capture.yaml", () => {
    expect(args(runtime, 'EXPOSE').flatMap((a) => a.split(' ').map(Number))).toEqual([deployConfig.server.port, deployConfig.metrics.port]);
  });

  test('skips install scripts only where package.json denies them: no production package needs one', () => {
    const lock = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>;
    };
    const scripted = Object.entries(lock.packages)
      .filter(([key, entry]) => key && !entry.dev && entry.hasInstallScript)
      .map(([key]) => key.replace(/^.*node_modules\//, ''));
    for (const name of scripted) expect([name, pkg.allowScripts[name]]).toEqual([name, false]);
  });
});

describe('.dockerignore', () => {
  const ignored = dockerIgnore(readFileSync(join(WORKSPACE_ROOT, '.dockerignore'), 'utf8'));

  test('keeps dependencies, builds, data, caches and git history out of the build context', () => {
    const out = [
      'node_modules/pg/index.js',
      'libs/x/node_modules/y',
      'dist/apps/x.js',
      'tmp/a',
      '.nx/cache',
      '.data/capture-api/capture.sqlite',
    ];
    for (const path of [...out, 'apps/capture-api/.data/capture.sqlite', '.git', 'coverage/lcov.info']) {
      expect([path, ignored(path)]).toEqual([path, true]);
    }
  });

  test('lets in what the build reads', () => {
    const kept = ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.base.json', 'tools/build/build-service.ts'];
    for (const path of [...kept, 'apps/capture-api/src/main.ts', 'apps/capture-api/src/persistence/postgres/migrations/001_captures.sql']) {
      expect([path, ignored(path)]).toEqual([path, false]);
    }
  });
});
