/**
 * Three projects: `default` (everything under spec/ except the two below), `kafka` (spec/kafka, run against a
 * real Apache Kafka broker that the project's globalSetup starts) and `package` (spec/package: the packed tarball
 * installed into fresh consumer projects by its globalSetup, README blocks run there). Jest runs a project's globalSetup only when a
 * test of that project is selected, so `npx jest spec/util` never starts a JVM. `KAFKA_BROKERS=host:port` points
 * the Kafka suite at an existing cluster instead.
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // hyparquet and hyparquet-writer ship ES modules only; jest's module system cannot require them (Node >= 20.19
    // can, outside jest), so they are compiled to CommonJS for the tests.
    '^.+/node_modules/(hyparquet|hyparquet-writer)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'default',
      roots: ['<rootDir>/spec'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/kafka/', '<rootDir>/spec/package/'],
    },
    {
      ...shared,
      displayName: 'package',
      roots: ['<rootDir>/spec/package'],
      globalSetup: '<rootDir>/spec/package/support/globalSetup.ts',
    },
    {
      ...shared,
      displayName: 'kafka',
      roots: ['<rootDir>/spec/kafka'],
      globalSetup: '<rootDir>/spec/kafka/support/globalSetup.ts',
      globalTeardown: '<rootDir>/spec/kafka/support/globalTeardown.ts',
    },
  ],
};
