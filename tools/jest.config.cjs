// tools/nx-plugin is a project of its own, with its own Jest config.
module.exports = { ...require('../jest.preset.cjs'), displayName: 'tools', roots: ['<rootDir>/lint', '<rootDir>/bench', '<rootDir>/dev'] };
