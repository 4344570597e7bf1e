// Runs only the service's verification of the client's committed pact (the `pact-verify` target).
module.exports = { ...require('./jest.config.cjs'), testMatch: ['**/*.pact-verify.spec.ts'], testPathIgnorePatterns: ['/node_modules/'] };
