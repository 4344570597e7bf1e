module.exports = { ...require('./jest.config.cjs'), testMatch: ['**/*.pact-verify.spec.ts'], testPathIgnorePatterns: ['/node_modules/'] };
