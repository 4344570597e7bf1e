import nx from '@nx/eslint-plugin';

// Arrows point one way: app -> SDK -> domain. Providers reach the app only through configuration;
// e2e projects and tools may use sandboxes to drive the app from outside.
const depConstraints = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:sdk', 'type:domain'] },
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:sdk', 'type:domain'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:provider', 'type:client', 'type:sdk', 'type:domain'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:provider', 'type:sdk', 'type:domain', 'type:client'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.nx', '**/coverage', '**/.data'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
