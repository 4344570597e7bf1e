import { type Tree, formatFiles, generateFiles, getProjects, joinPathFragments, names, updateJson, workspaceRoot } from '@nx/devkit';
import { join } from 'node:path';

// Nx may load this file as an ES module (Node strips the types), where __dirname does not exist.
const TEMPLATES = join(workspaceRoot, 'tools/nx-plugin/src/generators/provider/files');

export interface ProviderGeneratorSchema {
  name: string;
  displayName?: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks the name before anything is written, so a refused run leaves the tree untouched. */
export function validateProviderName(tree: Tree, name: string): void {
  if (!KEBAB.test(name)) {
    throw new Error(
      `Provider name "${name}" must be kebab-case: lower-case letters and digits, words joined by "-" (e.g. "acmepay", "acme-pay")`,
    );
  }
  const projectName = `provider-${name}`;
  if (tree.exists(`libs/providers/${name}`) || getProjects(tree).has(projectName)) {
    throw new Error(`A provider named "${name}" exists already (libs/providers/${name} or project ${projectName})`);
  }
}

export async function providerGenerator(tree: Tree, options: ProviderGeneratorSchema): Promise<void> {
  validateProviderName(tree, options.name);
  const projectRoot = `libs/providers/${options.name}`;
  const n = names(options.name);
  generateFiles(tree, TEMPLATES, projectRoot, {
    name: options.name,
    displayName: options.displayName ?? n.className,
    className: n.className,
    propertyName: n.propertyName,
    projectName: `provider-${options.name}`,
    offset: '../../../',
    tmpl: '',
  });
  updateJson(tree, 'tsconfig.base.json', (json) => {
    const paths = (json.compilerOptions.paths ??= {});
    paths[`@capture-gateway/provider-${options.name}`] = [`./${joinPathFragments(projectRoot, 'src/index.ts')}`];
    paths[`@capture-gateway/provider-${options.name}/sandbox`] = [`./${joinPathFragments(projectRoot, 'src/sandbox/index.ts')}`];
    return json;
  });
  // The workspace's Prettier style for every file written: updateJson writes tsconfig.base.json as plain
  // JSON.stringify, and a long provider name can push a template's line past the print width.
  await formatFiles(tree);
}

export default providerGenerator;
