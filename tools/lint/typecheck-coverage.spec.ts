import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import ts from 'typescript';

// `npm test` type-checks the workspace as one program (the root tsconfig.json, `tools:typecheck-all`)
// instead of one per project, which re-checked the shared libraries every time. That is only as
// strict as the per-project `typecheck` targets if it holds every file they check, with their options.
const root = join(__dirname, '../..');

function program(configPath: string): { files: Set<string>; options: ts.CompilerOptions } {
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath), undefined, configPath);
  return { files: new Set(parsed.fileNames), options: parsed.options };
}

// The configuration file each project's `typecheck` target reads (the build config of the
// published client, tsconfig.lib.json, is checked by its own build).
const projectConfigs = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*tsconfig.json'], { cwd: root })
  .toString()
  .split('\n')
  .filter((file) => file !== '' && file !== 'tsconfig.json')
  .map((file) => join(root, file));

const workspace = program(join(root, 'tsconfig.json'));

it('finds the projects', () => {
  expect(projectConfigs.length).toBeGreaterThanOrEqual(13);
});

it.each(projectConfigs.map((config) => [config.slice(root.length + 1), config]))(
  'the workspace program checks every file of %s, with the same options',
  (_name, config) => {
    const project = program(config);
    const missing = [...project.files].filter((file) => !workspace.files.has(file));
    expect(missing).toEqual([]);
    const { configFilePath: _a, ...projectOptions } = project.options;
    const { configFilePath: _b, ...workspaceOptions } = workspace.options;
    expect(projectOptions).toEqual(workspaceOptions);
  },
);
