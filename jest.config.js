/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
    // jose (under the Agents SDK's jwks-rsa) ships ES modules only; Node loads them with require(esm),
    // Jest's module runtime does not, so they are compiled to CommonJS for the tests.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { isolatedModules: true, diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 30000,
  // Suites close their servers, stores and child processes; a stray handle in a third-party client
  // (seen once: the run finished and the process lingered) must not hold CI until its time limit.
  forceExit: true,
};
