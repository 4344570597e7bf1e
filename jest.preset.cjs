// Shared Jest settings. Test files are compiled to CommonJS by SWC (decorator metadata on, for Nest);
// ESM-only packages (ky, @nestjs/* 12) are loaded natively, which needs Node 24 and --experimental-vm-modules.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&')}$`,
    path.join(__dirname, target),
  ]),
);

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec).ts'],
  // Provider verifications run in their own `pact-verify` target, after the consumer tests wrote the pact.
  testPathIgnorePatterns: ['/node_modules/', '\\.pact-verify\\.spec\\.ts$'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper,
};
