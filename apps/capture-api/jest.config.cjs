module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'capture-api',
  roots: ['<rootDir>/src'],
  // Repository specs open an embedded database and a PostgreSQL schema each.
  testTimeout: 30_000,
  // Jest defaults to one worker on two cores; Chromium, databases and servers leave a core idle.
  maxWorkers: 2,
};
