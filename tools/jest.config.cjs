// tools/nx-plugin is a project of its own, with its own Jest config.
const preset = require('../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'tools',
  roots: ['<rootDir>/lint', '<rootDir>/bench', '<rootDir>/dev'],
  // tools/dev's event sink uses the client library, whose sources import each other as `./x.js`.
  moduleNameMapper: { ...preset.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
};
