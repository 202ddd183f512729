/**
 * A real, single-node Apache Kafka (KRaft, combined broker + controller) for weir's tests and benchmarks.
 *
 * Invariant: the broker listens on loopback only, on ports picked free at start, with its storage in a fresh
 * temporary folder that `stop()` removes; nothing outlives the process tree that started it except the jar cache
 * (`.cache/kafka/libs`, filled from Maven Central by `tools/kafka/pom.xml`). Besides the PLAINTEXT listener it has
 * an SSL listener requiring client certificates, with throw-away TLS material made by `makeTestTls` in the same
 * folder, and a SASL_PLAINTEXT listener (mechanism PLAIN, one static user: {@link TEST_SASL_USER}).
 *
 * Run by hand: `node -r @swc-node/register tools/kafka/broker.ts` prints the address and runs until Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { makeTestTls, type TestTlsFiles } from './testTls';

/** The repository root (this file is tools/kafka/broker.ts). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where Maven copies the broker's jars. */
export const KAFKA_LIBS_DIR = path.join(REPO_ROOT, '.cache', 'kafka', 'libs');

/** A running broker started by `startKafkaBroker`. */
export interface KafkaBroker {
  /** `host:port` of the PLAINTEXT listener. */
  readonly brokers: string;
  /** `host:port` of the SSL listener (client certificate required). */
  readonly sslBrokers: string;
  /** The CA, broker and client PEM files of the SSL listener. */
  readonly tls: TestTlsFiles;
  /** `host:port` of the SASL_PLAINTEXT listener (mechanism PLAIN, user {@link TEST_SASL_USER}). */
  readonly saslBrokers: string;
  /** The temporary folder holding config, data and the broker's log. */
  readonly dir: string;
  readonly pid: number | undefined;
  /** Stops the JVM (SIGTERM, then SIGKILL after `graceMs`) and removes the temporary folder. */
  stop(graceMs?: number): Promise<void>;
}

/** Thrown when the JDK or Maven needed for the test broker is missing or the broker fails to start. */
export class KafkaBrokerSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

function which(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Ensures the broker jars are in the cache, fetching them with Maven when missing. */
export function ensureKafkaJars(): string {
  const hasBroker = (): boolean =>
    fs.existsSync(KAFKA_LIBS_DIR) && fs.readdirSync(KAFKA_LIBS_DIR).some((f) => /^kafka_2\.13-.*\.jar$/.test(f));
  if (hasBroker()) return KAFKA_LIBS_DIR;
  if (!which('mvn', ['-v'])) {
    throw new KafkaBrokerSetupError(
      'The Kafka test suite needs Apache Maven (mvn) to fetch the broker jars from Maven Central into ' +
        `${KAFKA_LIBS_DIR}, and mvn was not found on PATH. Install Maven and JDK 17 (e.g. apt-get install ` +
        'maven openjdk-17-jdk-headless), or point the suite at an existing cluster with KAFKA_BROKERS=host:port.',
    );
  }
  const r = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      path.join(REPO_ROOT, 'tools', 'kafka', 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${KAFKA_LIBS_DIR}`,
    ],
    { encoding: 'utf8', timeout: 10 * 60_000 },
  );
  if (r.status !== 0 || !hasBroker()) {
    throw new KafkaBrokerSetupError(
      `mvn failed to fetch the Kafka broker jars (exit ${r.status}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`,
    );
  }
  return KAFKA_LIBS_DIR;
}

function ensureJava(): void {
  if (!which('java', ['-version'])) {
    throw new KafkaBrokerSetupError(
      'The Kafka test suite starts a real Apache Kafka broker and needs a Java runtime (JDK 17+): `java` was not ' +
        'found on PATH. Install it (e.g. apt-get install openjdk-17-jdk-headless), or point the suite at an ' +
        'existing cluster with KAFKA_BROKERS=host:port.',
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding, never starting with '-' (Kafka's
 * Uuid.randomUuid draws again then: the storage tool's argument parser would take such an id for an option, which
 * failed one CI run in 64 on average).
 */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

const JVM_FLAGS = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Xshare:auto',
  '-Djava.awt.headless=true',
];

/** The one user of the test broker's SASL/PLAIN listener (throw-away credentials of a loopback test broker). */
export const TEST_SASL_USER = { username: 'weir', password: 'weir-test-secret' } as const;

function serverProperties(opts: { port: number; sslPort: number; saslPort: number; controllerPort: number; dataDir: string; tls: TestTlsFiles }): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${opts.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${opts.port},SSL://127.0.0.1:${opts.sslPort},SASL_PLAINTEXT://127.0.0.1:${opts.saslPort},CONTROLLER://127.0.0.1:${opts.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${opts.port},SSL://127.0.0.1:${opts.sslPort},SASL_PLAINTEXT://127.0.0.1:${opts.saslPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT',
    // The SASL listener: PLAIN with one static user.
    'sasl.enabled.mechanisms=PLAIN',
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${TEST_SASL_USER.username}="${TEST_SASL_USER.password}";`,
    // The SSL listener: PEM key and trust stores (KIP-651), client certificates required.
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${opts.tls.brokerKeystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${opts.tls.ca}`,
    'ssl.client.auth=required',
    `log.dirs=${opts.dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    // Test topics are tiny: small segments keep deleteRecords and retention cheap.
    'log.segment.bytes=16777216',
    'num.network.threads=2',
    'num.io.threads=2',
    'background.threads=2',
    'log.cleaner.threads=1',
    '',
  ].join('\n');
}

const WATCHDOG = [
  'parent=$1; dir=$2; shift 2',
  'java "$@" & j=$!',
  // On TERM/INT (stop(), or a signal to the whole process group): stop the JVM; remove the folder if the parent
  // is gone too (stop() removes it otherwise).
  "trap 'kill -TERM $j 2>/dev/null; wait $j; code=$?; kill -0 \"$parent\" 2>/dev/null || rm -rf \"$dir\"; exit $code' TERM INT",
  'while kill -0 "$parent" 2>/dev/null && kill -0 $j 2>/dev/null; do sleep 1; done',
  'kill -TERM $j 2>/dev/null; wait $j; code=$?',
  'kill -0 "$parent" 2>/dev/null || rm -rf "$dir"',
  'exit $code',
].join('\n');

const LOG4J = [
  'log4j.rootLogger=WARN, file',
  'log4j.appender.file=org.apache.log4j.FileAppender',
  'log4j.appender.file.File=${kafka.logs.dir}/server.log',
  'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka=WARN',
  'log4j.logger.org.apache.kafka=WARN',
  '',
].join('\n');

/** Waits until a kafkajs admin can describe the cluster and create a topic. */
async function waitUntilAnswering(brokers: string, deadlineMs: number, exited: () => string | undefined): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadlineMs) {
    const why = exited();
    if (why !== undefined) throw new KafkaBrokerSetupError(why);
    const admin = new Kafka({
      clientId: 'weir-broker-probe',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0) {
        await admin.disconnect();
        return;
      }
    } catch (e) {
      lastError = e;
    }
    await admin.disconnect().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new KafkaBrokerSetupError(
    `The Kafka broker at ${brokers} did not answer in time: ${(lastError as Error)?.message ?? lastError}`,
  );
}

/**
 * Formats a KRaft storage folder in a temporary directory and starts a single-node broker on free loopback ports.
 * Resolves once the broker answers a kafkajs admin; rejects with `KafkaBrokerSetupError` (carrying the tail of the
 * broker log) otherwise.
 */
export async function startKafkaBroker(options: { startTimeoutMs?: number } = {}): Promise<KafkaBroker> {
  const { startTimeoutMs = 90_000 } = options;
  ensureJava();
  const libs = ensureKafkaJars();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-kafka-'));
  const dataDir = path.join(dir, 'data');
  const logsDir = path.join(dir, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });
  const port = await freePort();
  const taken = new Set([port]);
  const otherPort = async (): Promise<number> => {
    let p = await freePort();
    while (taken.has(p)) p = await freePort();
    taken.add(p);
    return p;
  };
  const controllerPort = await otherPort();
  const sslPort = await otherPort();
  const saslPort = await otherPort();
  let tls: TestTlsFiles;
  try {
    tls = makeTestTls(path.join(dir, 'tls'));
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new KafkaBrokerSetupError((e as Error).message);
  }
  const propsFile = path.join(dir, 'server.properties');
  fs.writeFileSync(propsFile, serverProperties({ port, sslPort, saslPort, controllerPort, dataDir, tls }));
  const log4jFile = path.join(dir, 'log4j.properties');
  fs.writeFileSync(log4jFile, LOG4J);
  const classpath = `${libs}${path.sep}*`;
  const sysProps = [`-Dlog4j.configuration=file:${log4jFile}`, `-Dkafka.logs.dir=${logsDir}`];

  const format = spawnSync(
    'java',
    [
      ...JVM_FLAGS,
      ...sysProps,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      randomClusterId(),
      '-c',
      propsFile,
      '--ignore-formatted',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (format.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new KafkaBrokerSetupError(
      `Formatting the KRaft storage failed (exit ${format.status}):\n${format.stdout}${format.stderr}`,
    );
  }

  const outFile = path.join(logsDir, 'stdout.log');
  const out = fs.openSync(outFile, 'a');
  // A bash watchdog runs the JVM and stops it when this process dies, even by SIGKILL: no broker outlives its
  // test run.
  const child: ChildProcess = spawn(
    'bash',
    ['-c', WATCHDOG, 'weir-kafka-watchdog', String(process.pid), dir, ...JVM_FLAGS, ...sysProps, '-cp', classpath, 'kafka.Kafka', propsFile],
    { stdio: ['ignore', out, out], detached: false },
  );
  fs.closeSync(out);
  let exitInfo: string | undefined;
  child.on('exit', (code, signal) => {
    exitInfo = `The Kafka broker exited early (code ${code}, signal ${signal}). Log tail:\n${tail(logsDir)}`;
  });
  const brokers = `127.0.0.1:${port}`;
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(brokers, Date.now() + startTimeoutMs, () => exitInfo);
  } catch (e) {
    await stop(2000);
    throw e;
  }
  return { brokers, sslBrokers: `127.0.0.1:${sslPort}`, saslBrokers: `127.0.0.1:${saslPort}`, tls, dir, pid: child.pid, stop };
}

function tail(logsDir: string): string {
  const parts: string[] = [];
  for (const f of ['stdout.log', 'server.log']) {
    try {
      const text = fs.readFileSync(path.join(logsDir, f), 'utf8');
      parts.push(`--- ${f}\n${text.split('\n').slice(-40).join('\n')}`);
    } catch {
      // absent log: nothing to show
    }
  }
  return parts.join('\n');
}

if (require.main === module) {
  const t0 = Date.now();
  startKafkaBroker()
    .then((broker) => {
      process.stdout.write(
        `Kafka broker at ${broker.brokers}, SSL listener at ${broker.sslBrokers}, SASL/PLAIN listener at ${broker.saslBrokers} (CA ${broker.tls.ca}; started in ${Date.now() - t0} ms, dir ${broker.dir})\n`,
      );
      const shutdown = (): void => {
        void broker.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    });
}
