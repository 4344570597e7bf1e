module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'capture-api',
  roots: ['<rootDir>/src'],
  // Repository specs open an embedded database and a PostgreSQL schema each.
  testTimeout: 30_000,
};
