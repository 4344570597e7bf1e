module.exports = { ...require('../../jest.preset.cjs'), displayName: 'nx-plugin' };
