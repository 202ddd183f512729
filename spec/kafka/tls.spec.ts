/**
 * The Kafka source and the exactly-once sink over TLS, against the test broker's SSL listener (client certificates
 * required): PEM inline and from files, a PKCS12 key store, the named errors (with the conversion command that
 * works) for JKS and PKCS12 trust stores, and no secret in errors, progress or explain().
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import type { Source } from '../../lib/contracts';
import type { WeirError } from '../../lib/errors';
import { startQuery } from '../../lib/query/startQuery';
import { rows } from '../../operators';
import { kafkaSink } from '../../connectors/kafka/sink';
import { kafka, type KafkaRow } from '../../connectors/kafka/source';
import { CLIENT_KEY_PASSWORD, type TestTlsFiles } from '../../tools/kafka/testTls';
import { expectWeirError } from '../support/expectWeirError';
import { ManualClock } from '../support/ManualClock';
import { testClient, uniqueTopic } from './support/kafka';
import { produce, readTopic } from './support/produce';

const sslBrokers = process.env.KAFKA_SSL_BROKERS;
// An external cluster (KAFKA_BROKERS set by hand) has no SSL listener of ours: these tests need the suite's broker.
const describeTls = sslBrokers ? describe : describe.skip;

describeTls('Kafka over TLS (SSL listener, client certificate required)', () => {
  const tls = JSON.parse(process.env.KAFKA_TLS_FILES ?? '{}') as TestTlsFiles;
  const pem = (f: string): string => readFileSync(f, 'utf8');
  const client = testClient();
  let dir: string;
  const opened: Source<KafkaRow>[] = [];
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-tls-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.stop();
  });
  afterAll(async () => {
    await client.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Runs `cmd` (openssl or keytool) in `dir`. */
  function run(cmd: string, args: string[]): void {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? ''} ${r.stderr}`);
  }

  /** Runs a conversion command as the error shows it (a shell line), with the store password appended. */
  function runShown(command: string, passwordArgs: string): void {
    const r = spawnSync('bash', ['-c', `${command.replace(/ >/, ` ${passwordArgs} >`)}${command.includes('>') ? '' : ` ${passwordArgs}`}`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  }

  async function topicWith(values: string[]): Promise<string> {
    const topic = uniqueTopic('tls');
    await client.createTopic(topic);
    await produce(client, values.map((value) => ({ topic, key: null, value })));
    return topic;
  }

  /** Reads every record of `topic` through `source` (already configured for the SSL listener). */
  async function readAll(source: Source<KafkaRow>): Promise<string[]> {
    const metadataPath = path.join(dir, 'sources', randomUUID());
    await fs.mkdir(metadataPath, { recursive: true });
    await source.open({ metadataPath, sourceIndex: 0, clock: new ManualClock(0), notifyDataAvailable: () => {} });
    opened.push(source);
    const o0 = await source.initialOffset();
    const o1 = await source.latestOffset(o0, { kind: 'all' });
    const out: string[] = [];
    await new Promise<void>((resolve, reject) =>
      source.read(o0, o1).subscribe({ next: (r) => out.push(r.value!.toString()), error: reject, complete: resolve }),
    );
    return out;
  }

  const base = (topic: string) => ({
    'kafka.bootstrap.servers': sslBrokers!,
    'kafka.security.protocol': 'SSL',
    subscribe: topic,
    startingOffsets: 'earliest',
  });

  it('runs source → exactly-once sink over TLS: inline PEM on one side, PEM files with an encrypted key on the other; no secret shows', async () => {
    const input = await topicWith(['a', 'b', 'c']);
    const output = uniqueTopic('tls-out');
    const keystoreFile = path.join(dir, 'client-keystore.pem');
    await fs.writeFile(keystoreFile, pem(tls.clientKeyEncrypted) + pem(tls.clientCert));
    const checkpoint = path.join(dir, 'checkpoint');
    const sink = kafkaSink({
      'kafka.bootstrap.servers': sslBrokers!,
      'kafka.security.protocol': 'SSL',
      'kafka.ssl.truststore.type': 'PEM',
      'kafka.ssl.truststore.location': tls.ca,
      'kafka.ssl.keystore.type': 'PEM',
      'kafka.ssl.keystore.location': keystoreFile,
      'kafka.ssl.key.password': CLIENT_KEY_PASSWORD,
      topic: output,
      deliveryGuarantee: 'exactly-once',
    });
    const q = await startQuery({
      source: kafka({
        ...base(input),
        'kafka.ssl.truststore.certificates': pem(tls.ca),
        'kafka.ssl.keystore.key': pem(tls.clientKey),
        'kafka.ssl.keystore.certificate.chain': pem(tls.clientCert),
      }),
      pipeline: [rows(map((r: KafkaRow) => ({ value: r.value!.toString().toUpperCase() })))],
      sink,
      checkpointLocation: checkpoint,
      queryName: 'tls',
    });
    try {
      await q.processAllAvailable();
      const shown = `${q.explain(true)} ${JSON.stringify(q.lastProgress)} ${JSON.stringify(sink.redactedOptions)}`;
      expect(shown).not.toContain(CLIENT_KEY_PASSWORD);
      expect(shown).not.toContain('PRIVATE KEY');
      expect(sink.redactedOptions['kafka.ssl.key.password']).toBe('*********(redacted)');
    } finally {
      await q.stop();
    }
    expect(sink.lastCommittedBatchId).toBe(0);
    expect((await readTopic(client, output)).map((r) => r.value)).toEqual(['A', 'B', 'C']);
  }, 60_000);

  it('reads with a PKCS12 key store (kafka.ssl.keystore.type=PKCS12); a wrong store password fails at construction, redacted', async () => {
    const topic = await topicWith(['p12']);
    const storePassword = 'weir-p12-store-password';
    run('openssl', ['pkcs12', '-export', '-in', tls.clientCert, '-inkey', tls.clientKey, '-name', 'client', '-out', 'client.p12', '-passout', `pass:${storePassword}`]);
    const options = {
      ...base(topic),
      'kafka.ssl.truststore.type': 'PEM',
      'kafka.ssl.truststore.location': tls.ca,
      'kafka.ssl.keystore.type': 'PKCS12',
      'kafka.ssl.keystore.location': path.join(dir, 'client.p12'),
    };
    expect(await readAll(kafka({ ...options, 'kafka.ssl.keystore.password': storePassword }))).toEqual(['p12']);
    const wrong = 'not-the-password-4711';
    const e = await expectWeirError(() => kafka({ ...options, 'kafka.ssl.keystore.password': wrong }), 'INVALID_ARGUMENT');
    expect(e.context.option).toBe('kafka.ssl.keystore.location');
    expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain(wrong);
  }, 60_000);

  it('rejects JKS and PKCS12 trust stores and JKS key stores with the command that converts them, and that command works', async () => {
    const topic = await topicWith(['converted']);
    const pw = 'weir-store-password';
    run('keytool', ['-importcert', '-noprompt', '-alias', 'ca', '-file', tls.ca, '-keystore', 'trust.jks', '-storetype', 'JKS', '-storepass', pw]);
    run('keytool', ['-importcert', '-noprompt', '-alias', 'ca', '-file', tls.ca, '-keystore', 'trust.p12', '-storetype', 'PKCS12', '-storepass', pw]);
    run('openssl', ['pkcs12', '-export', '-in', tls.clientCert, '-inkey', tls.clientKey, '-name', 'client', '-out', 'identity.p12', '-passout', `pass:${pw}`]);
    run('keytool', ['-importkeystore', '-noprompt', '-srckeystore', 'identity.p12', '-srcstoretype', 'PKCS12', '-srcstorepass', pw, '-destkeystore', 'client.jks', '-deststoretype', 'JKS', '-deststorepass', pw]);
    const identity = { 'kafka.ssl.keystore.key': pem(tls.clientKey), 'kafka.ssl.keystore.certificate.chain': pem(tls.clientCert) };
    const trustPem = { 'kafka.ssl.truststore.type': 'PEM', 'kafka.ssl.truststore.location': tls.ca };

    // A JKS trust store (Kafka's default type: no kafka.ssl.truststore.type given).
    const jks = await expectWeirError(
      () => kafka({ ...base(topic), ...identity, 'kafka.ssl.truststore.location': path.join(dir, 'trust.jks'), 'kafka.ssl.truststore.password': pw }),
      'INVALID_ARGUMENT',
    );
    expect(jks.context).toMatchObject({ option: 'kafka.ssl.truststore.type', value: 'JKS' });
    expect(jks.message).toContain(String(jks.context.convert));
    expect(`${jks.message} ${JSON.stringify(jks.context)}`).not.toContain(pw);
    runShown(String(jks.context.convert), `-storepass ${pw}`);
    const fromJks = path.join(dir, 'truststore.pem');
    expect(await readAll(kafka({ ...base(topic), ...identity, 'kafka.ssl.truststore.type': 'PEM', 'kafka.ssl.truststore.location': fromJks }))).toEqual([
      'converted',
    ]);
    await fs.rm(fromJks);

    // A PKCS12 trust store.
    const p12 = await expectWeirError(
      () => kafka({ ...base(topic), ...identity, 'kafka.ssl.truststore.type': 'PKCS12', 'kafka.ssl.truststore.location': path.join(dir, 'trust.p12') }),
      'INVALID_ARGUMENT',
    );
    expect(p12.context).toMatchObject({ option: 'kafka.ssl.truststore.type', value: 'PKCS12' });
    runShown(String(p12.context.convert), `-passin pass:${pw}`);
    expect(await readAll(kafka({ ...base(topic), ...identity, 'kafka.ssl.truststore.type': 'PEM', 'kafka.ssl.truststore.location': fromJks }))).toEqual([
      'converted',
    ]);

    // A JKS key store: converted to PKCS12, which the source reads.
    const keyJks = await expectWeirError(
      () => kafka({ ...base(topic), ...trustPem, 'kafka.ssl.keystore.type': 'JKS', 'kafka.ssl.keystore.location': path.join(dir, 'client.jks') }),
      'INVALID_ARGUMENT',
    );
    expect(keyJks.context).toMatchObject({ option: 'kafka.ssl.keystore.type', value: 'JKS' });
    runShown(String(keyJks.context.convert), `-srcstorepass ${pw} -deststorepass ${pw} -noprompt`);
    expect(
      await readAll(
        kafka({
          ...base(topic),
          ...trustPem,
          'kafka.ssl.keystore.type': 'PKCS12',
          'kafka.ssl.keystore.location': path.join(dir, 'keystore.p12'),
          'kafka.ssl.keystore.password': pw,
        }),
      ),
    ).toEqual(['converted']);
  }, 120_000);

  it('without a client certificate the broker refuses the connection (the key store options are what lets the others in)', async () => {
    const source = kafka({
      ...base(uniqueTopic('tls-refused')),
      'kafka.ssl.truststore.certificates': pem(tls.ca),
      'kafka.request.timeout.ms': '3000',
      'kafka.socket.connection.setup.timeout.ms': '2000',
    });
    const e = (await readAll(source).then(
      () => undefined,
      (err: unknown) => err,
    )) as WeirError | undefined;
    expect(e).toBeDefined();
    expect(e!.code).toBe('SOURCE_ERROR');
  }, 60_000);
});
