const preset = require('../../../../jest.preset.cjs');

// The lifecycle half of the service's end-to-end tests (api/ holds the other): two Nx projects, so
// `npm test` runs the halves side by side. Each run makes its own schemas, databases and folders.
module.exports = {
  ...preset,
  displayName: 'capture-api-e2e-lifecycle',
  // Child processes start the service through @swc-node/register: a few seconds each.
  testTimeout: 60_000,
  // Jest defaults to one worker on two cores; these files mostly wait on the processes they start,
  // so two workers share the cores (alone: 137 s in band, 72 s with two, for the lifecycle half).
  maxWorkers: 2,
  // The client's sources import each other as `./x.js`, as Node's ESM loader needs in its package.
  moduleNameMapper: { ...preset.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
};
