// Jest settings shared by every back-end package. A package's jest.config.cjs names this file
// as its preset; Jest resolves <rootDir> below to that package's folder.
const path = require('node:path');

const toolsDir = path.join(__dirname, 'tools', 'jest');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // Tests run against shared's TypeScript source, so they never need shared to be built first.
  moduleNameMapper: {
    '^@hivenue/shared$': '<rootDir>/../shared/src/index.ts',
  },
  // One MongoDB stand-in per jest run; each test file works in a database of its own.
  globalSetup: path.join(toolsDir, 'mongo-global-setup.cjs'),
  globalTeardown: path.join(toolsDir, 'mongo-global-teardown.cjs'),
  reporters: [
    'default',
    [
      'jest-junit',
      {
        outputDirectory: '<rootDir>/reports',
        outputName: 'junit.xml',
        suiteNameTemplate: '{filepath}',
        classNameTemplate: '{classname}',
        titleTemplate: '{title}',
        ancestorSeparator: ' › ',
        addFileAttribute: 'true',
        reportTestSuiteErrors: 'true',
      },
    ],
  ],
};
