module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'capture-api-e2e',
  // Child processes start the service through @swc-node/register: a few seconds each.
  testTimeout: 60_000,
};
