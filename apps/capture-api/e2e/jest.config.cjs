module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'capture-api-e2e',
  // Child processes start the service through @swc-node/register: a few seconds each.
  testTimeout: 60_000,
  // The client's sources import each other as `./x.js`, as Node's ESM loader needs in its package.
  moduleNameMapper: { ...require('../../../jest.preset.cjs').moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
};
