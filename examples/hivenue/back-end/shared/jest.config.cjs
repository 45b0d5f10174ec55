module.exports = {
  displayName: '@hivenue/shared',
  preset: '../../jest.preset.cjs',
};
