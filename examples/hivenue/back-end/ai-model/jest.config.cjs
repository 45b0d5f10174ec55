module.exports = {
  displayName: '@hivenue/ai-model',
  preset: '../../jest.preset.cjs',
};
