/**
 * Importing the installed package loads no heavy dependency: kafkajs, LevelDB, the Parquet and CSV libraries load
 * when first used (a Kafka source or sink opens, a state store opens, a file of that format is read).
 */
import { spawnSync } from 'node:child_process';
import { ensurePackedConsumers } from '../../tools/pack-check/consumers';

const HEAVY = ['kafkajs', 'classic-level', 'hyparquet', 'hyparquet-writer', 'csv-parse', 're2js'];

function loadedPackages(dir: string, script: string): string[] {
  const run = spawnSync(process.execPath, ['-e', `${script}; console.log(JSON.stringify(Object.keys(require.cache)))`], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  const files = JSON.parse(run.stdout.trim().split('\n').pop()!) as string[];
  return HEAVY.filter((p) => files.some((f) => f.includes(`/node_modules/${p}/`)));
}

describe('start-up of the installed package', () => {
  const { cjs } = ensurePackedConsumers();

  it.each(['weir-streams', 'weir-streams/operators', 'weir-streams/sources', 'weir-streams/sinks', 'weir-streams/functions'])(
    "require('%s') loads none of the heavy dependencies",
    (entry) => expect(loadedPackages(cjs, `require('${entry}')`)).toEqual([]),
  );

  it('making a Kafka source does not connect or load kafkajs; its first use does', () => {
    expect(loadedPackages(cjs, "require('weir-streams/sources').kafka({ 'kafka.bootstrap.servers': '127.0.0.1:1', subscribe: 't' })")).toEqual([]);
    expect(loadedPackages(cjs, "require('weir-streams').Session; require('./node_modules/weir-streams/dist/connectors/kafka/client/createKafkajsClient.js').createKafkajsClient({ brokers: ['127.0.0.1:1'] })")).toEqual(['kafkajs']);
  });
});
