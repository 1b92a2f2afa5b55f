/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  testTimeout: 30000,
  // Suites close their servers, stores and child processes; a stray handle in a third-party client
  // (seen once: the run finished and the process lingered) must not hold CI until its time limit.
  forceExit: true,
};
