module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'capture-client',
  // The sources import each other as `./x.js`, as Node's ESM loader needs in the published package.
  moduleNameMapper: { ...require('../../../jest.preset.cjs').moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
};
