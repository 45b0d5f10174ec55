module.exports = {
  displayName: '@hivenue/billing',
  preset: '../../jest.preset.cjs',
};
