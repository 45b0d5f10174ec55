module.exports = {
  displayName: '@hivenue/platform',
  preset: '../../jest.preset.cjs',
};
