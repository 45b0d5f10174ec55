module.exports = {
  displayName: '@hivenue/admin',
  preset: '../../jest.preset.cjs',
};
