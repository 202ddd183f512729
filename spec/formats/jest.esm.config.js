/**
 * The root jest config with one addition: the ESM-only Parquet libraries (hyparquet, hyparquet-writer) are
 * transformed to CommonJS, because jest on Node 20 cannot require ES modules. Until the two keys below are merged
 * into jest.config.js, run the file specs with `npx jest -c spec/formats/jest.esm.config.js <paths>`.
 */
/* global require, module, __dirname */
const path = require('node:path');
const root = require('../../jest.config.js');

const repo = path.resolve(__dirname, '..', '..');
const esm = {
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
  extraTransform: {
    '^.+/node_modules/(hyparquet|hyparquet-writer)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
};

module.exports = {
  ...root,
  rootDir: repo,
  projects: root.projects.map((p) => ({
    ...p,
    rootDir: repo,
    transform: { ...p.transform, ...esm.extraTransform },
    transformIgnorePatterns: esm.transformIgnorePatterns,
  })),
};
