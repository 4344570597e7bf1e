import nx from '@nx/eslint-plugin';

// Arrows point one way: app -> SDK -> domain. Providers reach the app only through configuration;
// e2e projects (and their shared support library) and tools may use sandboxes to drive the app from outside.
const depConstraints = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:sdk', 'type:domain'] },
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:sdk', 'type:domain'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:e2e', 'type:app', 'type:provider', 'type:client', 'type:sdk', 'type:domain'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:provider', 'type:sdk', 'type:domain', 'type:client'] },
];

// Inside the service, layers too: the stores sit below the features that use them, observability
// below everything it observes. Production files only: a spec may start the whole app.
const below = (layer, folders) => ({
  files: [`apps/capture-api/src/${layer}/**/*.ts`],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(${folders.join('|')})/`,
            message: `${layer}/ sits below ${folders.join(', ')}: pass what it needs down, or move the type to the layer that owns it`,
          },
        ],
      },
    ],
  },
});

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
  below('persistence', ['captures', 'webhooks', 'reconciler', 'ops', 'events', 'auth', 'docs', 'providers', 'retention']),
  below('observability', ['persistence', 'plugins', 'errors', 'captures', 'webhooks', 'reconciler', 'ops', 'events', 'auth', 'docs']),
];
