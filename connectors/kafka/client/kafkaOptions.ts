/**
 * Options shared by the Kafka source and sink: Spark's option names, `kafka.`-prefixed client settings, and the
 * redaction of secrets.
 *
 * Invariant: an option value whose key looks secret (Spark's `spark.redaction.regex` plus `jaas`) never leaves
 * this module unredacted: descriptions, `explain()`, progress and error contexts use `redactOptions`.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import { durationToMs } from '../../../lib/util/interval';
import type { KafkaClientConfig, IsolationLevel } from './KafkaClient';
import { CaseInsensitiveMap } from '../../../lib/connector/CaseInsensitiveMap';
import { REDACTED, SECRET_KEY } from '../../../lib/connector/redaction';

/** An option value as the DataFrame face (strings) or the RxJS face (typed values) gives it. */
export type KafkaOptionValue = string | number | boolean | Record<string, unknown> | undefined;

/** Raw options: Spark's names (case-insensitive) plus `kafka.*` client settings (case-sensitive, as Kafka's). */
export type KafkaRawOptions = Readonly<Record<string, KafkaOptionValue>>;

export { REDACTED } from '../../../lib/connector/redaction';

/** A copy of `options` with secret values replaced by `*********(redacted)`. */
export function redactOptions(options: KafkaRawOptions): Record<string, KafkaOptionValue> {
  const out: Record<string, KafkaOptionValue> = {};
  for (const [k, v] of Object.entries(options)) out[k] = SECRET_KEY.test(k) ? REDACTED : v;
  return out;
}

/** Removes every secret value of `options` from `text`. */
export function redactText(text: string, options: KafkaRawOptions): string {
  let out = text;
  for (const [k, v] of Object.entries(options)) {
    if (!SECRET_KEY.test(k) || v === undefined) continue;
    const secret = String(v);
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
    for (const m of secret.matchAll(/password\s*=\s*"([^"]*)"/g)) {
      if (m[1]) out = out.split(m[1]).join(REDACTED);
    }
  }
  return out;
}

/** A case-insensitive view of Spark-named options (not `kafka.*`), through the connectors' one options map. */
export class OptionReader {
  private readonly options: CaseInsensitiveMap<KafkaOptionValue>;
  constructor(
    readonly raw: KafkaRawOptions,
    private readonly what: string,
  ) {
    this.options = new CaseInsensitiveMap(Object.entries(raw).filter(([k, v]) => v !== undefined && !k.startsWith('kafka.')));
  }

  has(name: string): boolean {
    return this.options.has(name);
  }

  get(name: string): KafkaOptionValue {
    return this.options.get(name);
  }

  string(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  boolean(name: string, dflt: boolean): boolean {
    const v = this.get(name);
    if (v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    throw this.invalid(name, v, 'must be true or false');
  }

  positiveInt(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isSafeInteger(n) || n <= 0) throw this.invalid(name, v, 'must be a positive integer');
    return n;
  }

  durationMs(name: string, dflt: number): number {
    const v = this.get(name);
    if (v === undefined) return dflt;
    if (typeof v === 'number') return durationToMs(v, name);
    const s = String(v).trim();
    const m = /^(\d+)\s*(ms|s|m|min|h|d)?$/i.exec(s);
    if (m) {
      const unit = (m[2] ?? 'ms').toLowerCase();
      const mult = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
      return Number(m[1]) * mult;
    }
    try {
      return durationToMs(s, name);
    } catch (e) {
      throw this.invalid(name, v, "must be a duration such as '15m', '30s' or '10 seconds'", e);
    }
  }

  /** A JSON option given as text or as an object. */
  json(name: string): Record<string, unknown> | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v === 'object') return v;
    try {
      const parsed: unknown = JSON.parse(String(v));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw this.invalid(name, v, 'must be a JSON object');
  }

  invalid(name: string, value: unknown, requirement: string, cause?: unknown): WeirError {
    return new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `${this.what}: option '${name}' ${requirement}, got ${JSON.stringify(SECRET_KEY.test(name) ? REDACTED : value)}`,
      { context: { option: name, value: SECRET_KEY.test(name) ? REDACTED : value, source: this.what }, cause },
    );
  }
}

/** The `kafka.*` settings, prefix removed. */
export function kafkaParams(options: KafkaRawOptions): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(options)) {
    if (k.startsWith('kafka.') && v !== undefined) out.set(k.slice('kafka.'.length), String(v));
  }
  return out;
}

/**
 * Parses `kafka.bootstrap.servers` and security settings into a client config. `kafka.bootstrap.servers` is
 * required unless `brokersOptional` (a source or sink handed a client: then `brokers` may be empty).
 */
export function clientConfigFromOptions(options: KafkaRawOptions, what: string, brokersOptional = false): KafkaClientConfig {
  const params = kafkaParams(options);
  const servers = params.get('bootstrap.servers') ?? (brokersOptional ? '' : undefined);
  if (servers === undefined || (servers.trim() === '' && !brokersOptional)) {
    throw new WeirError(
      ErrorCodes.MISSING_OPTION,
      `Option 'kafka.bootstrap.servers' must be specified for configuring Kafka ${what === 'kafka sink' ? 'producer' : 'consumer'}`,
      { context: { option: 'kafka.bootstrap.servers', source: what } },
    );
  }
  const protocol = (params.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${what}: unknown kafka.security.protocol ${protocol}`, {
      context: { option: 'kafka.security.protocol', value: protocol },
    });
  }
  let sasl: KafkaClientConfig['sasl'];
  if (protocol.startsWith('SASL')) {
    const mechanism = (params.get('sasl.mechanism') ?? 'PLAIN').toLowerCase();
    const jaas = params.get('sasl.jaas.config') ?? '';
    const username = params.get('sasl.username') ?? /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    const password = params.get('sasl.password') ?? /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    if (username === undefined || password === undefined) {
      throw new WeirError(
        ErrorCodes.MISSING_OPTION,
        `${what}: SASL needs kafka.sasl.jaas.config (username="..." password="...") or kafka.sasl.username/kafka.sasl.password`,
        { context: { option: 'kafka.sasl.jaas.config' } },
      );
    }
    sasl = { mechanism, username, password };
  }
  const timeout = (k: string): number | undefined => {
    const v = params.get(k);
    return v === undefined ? undefined : Number(v);
  };
  return {
    brokers: servers.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    clientId: params.get('client.id'),
    ssl: protocol.endsWith('SSL') ? tlsFromParams(params, what) : undefined,
    sasl,
    connectionTimeoutMs: timeout('socket.connection.setup.timeout.ms'),
    requestTimeoutMs: timeout('request.timeout.ms'),
  };
}

/** `kafka.isolation.level` (Kafka's default: read_uncommitted). */
export function isolationFromOptions(options: KafkaRawOptions, what: string): IsolationLevel {
  const v = kafkaParams(options).get('isolation.level');
  if (v === undefined) return 'read_uncommitted';
  if (v === 'read_committed' || v === 'read_uncommitted') return v;
  throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${what}: kafka.isolation.level must be read_committed or read_uncommitted`, {
    context: { option: 'kafka.isolation.level', value: v },
  });
}

/** Turns a `Map` (the DataFrame face's options) into raw options. */
export function optionsFromMap(options: ReadonlyMap<string, string> | KafkaRawOptions): KafkaRawOptions {
  return options instanceof Map ? Object.fromEntries(options) : (options as KafkaRawOptions);
}

/** A file named by a `kafka.ssl.*.location` option. */
function readStore(params: ReadonlyMap<string, string>, option: string, what: string): Buffer {
  const file = params.get(option)!;
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${what}: cannot read kafka.${option} (${file})`, {
      context: { option: `kafka.${option}`, path: file },
      cause,
    });
  }
}

/**
 * The command that turns a store Node's TLS cannot read into one it can (shown in the error). Passwords are
 * prompted for, never part of the command.
 */
export function storeConversionCommand(store: 'truststore' | 'keystore', type: string, location: string): string {
  if (store === 'truststore') {
    return type === 'PKCS12'
      ? `openssl pkcs12 -in ${location} -nokeys -out truststore.pem`
      : `keytool -list -rfc -keystore ${location} -storetype ${type} > truststore.pem`;
  }
  return `keytool -importkeystore -srckeystore ${location} -srcstoretype ${type} -destkeystore keystore.p12 -deststoretype PKCS12`;
}

/**
 * Node TLS options from Kafka's own SSL settings:
 * - trust: `ssl.truststore.certificates` (inline PEM) or `ssl.truststore.location` with `ssl.truststore.type=PEM`
 *   → `ca`;
 * - identity: `ssl.keystore.key` + `ssl.keystore.certificate.chain` (inline PEM) or `ssl.keystore.location` with
 *   `ssl.keystore.type=PEM` (key and chain in one file) → `key`/`cert`, `ssl.key.password` → `passphrase`; or
 *   `ssl.keystore.location` with `ssl.keystore.type=PKCS12` → `pfx` (read by Node's OpenSSL) with
 *   `ssl.keystore.password`, checked here so a wrong password fails at construction;
 * - `ssl.endpoint.identification.algorithm=` (empty) turns host-name verification off, as in Kafka.
 * Without any of these, TLS with the system's trusted CAs. JKS stores (Kafka's default type) and PKCS#12 trust
 * stores are rejected with the command that converts them (Node reads neither; no dependency is added for it).
 */
export function tlsFromParams(params: ReadonlyMap<string, string>, what: string): true | Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const store of ['truststore', 'keystore'] as const) {
    const type = (params.get(`ssl.${store}.type`) ?? 'JKS').toUpperCase();
    const location = params.get(`ssl.${store}.location`);
    if (location === undefined) continue;
    if (type === 'PEM' || (store === 'keystore' && type === 'PKCS12')) continue;
    const command = storeConversionCommand(store, type, location);
    const then = store === 'truststore' ? 'kafka.ssl.truststore.type=PEM' : 'kafka.ssl.keystore.type=PKCS12';
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `${what}: kafka.ssl.${store}.type ${type} is not supported (Node's TLS reads PEM${store === 'keystore' ? ' and PKCS12 key stores' : ''}): ` +
        `convert it with \`${command}\` and set kafka.ssl.${store}.location to the new file and ${then}`,
      { context: { option: `kafka.ssl.${store}.type`, value: type, path: location, convert: command } },
    );
  }
  const ca =
    params.get('ssl.truststore.certificates') ??
    (params.has('ssl.truststore.location') ? readStore(params, 'ssl.truststore.location', what).toString('utf8') : undefined);
  if (ca !== undefined) out.ca = [ca];
  const keystoreType = (params.get('ssl.keystore.type') ?? 'JKS').toUpperCase();
  if (params.has('ssl.keystore.location') && keystoreType === 'PKCS12') {
    const buf = readStore(params, 'ssl.keystore.location', what);
    const passphrase = params.get('ssl.keystore.password') ?? params.get('ssl.key.password');
    try {
      createSecureContext({ pfx: buf, passphrase });
    } catch (cause) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `${what}: kafka.ssl.keystore.location (${params.get('ssl.keystore.location')}) is not a PKCS12 key store that kafka.ssl.keystore.password opens: ${(cause as Error).message}`,
        { context: { option: 'kafka.ssl.keystore.location', path: params.get('ssl.keystore.location') }, cause },
      );
    }
    out.pfx = [passphrase === undefined ? { buf } : { buf, passphrase }];
  } else {
    const keystore = params.has('ssl.keystore.location') ? readStore(params, 'ssl.keystore.location', what).toString('utf8') : undefined;
    const key = params.get('ssl.keystore.key') ?? keystore;
    const cert = params.get('ssl.keystore.certificate.chain') ?? keystore;
    if (key !== undefined) out.key = key;
    if (cert !== undefined) out.cert = cert;
    const passphrase = params.get('ssl.key.password');
    if (passphrase !== undefined) out.passphrase = passphrase;
  }
  if (params.get('ssl.endpoint.identification.algorithm') === '') out.checkServerIdentity = () => undefined;
  return Object.keys(out).length === 0 ? true : out;
}
