/**
 * Throw-away TLS material for the test broker's SSL listener: a CA, a broker key and certificate (for 127.0.0.1
 * and localhost) and a client key and certificate, all signed by the CA, made with `openssl` in a folder the caller
 * owns (and removes).
 *
 * Invariant: nothing here is reused across runs; keys are EC P-256 (fast to make), in PKCS#8 PEM as Kafka's PEM
 * key stores need. The client key is also written encrypted (AES-256, password `CLIENT_KEY_PASSWORD`) to exercise
 * `ssl.key.password`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The password of `clientKeyEncrypted`. Test material only. */
export const CLIENT_KEY_PASSWORD = 'weir-test-key-password';

/** Paths of the generated PEM files. */
export interface TestTlsFiles {
  readonly dir: string;
  /** The CA certificate (trust store of both sides). */
  readonly ca: string;
  /** The broker's key and certificate chain in one file (Kafka `ssl.keystore.type=PEM`). */
  readonly brokerKeystore: string;
  /** The client certificate (signed by the CA). */
  readonly clientCert: string;
  /** The client key, PKCS#8, unencrypted. */
  readonly clientKey: string;
  /** The client key, PKCS#8, encrypted with `CLIENT_KEY_PASSWORD`. */
  readonly clientKeyEncrypted: string;
}

/** Thrown when `openssl` is missing or fails. */
export class TestTlsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error !== undefined || r.status !== 0) {
    throw new TestTlsError(
      `openssl ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr ?? ''}. The Kafka test ` +
        "suite's SSL listener needs the openssl command (apt-get install openssl).",
    );
  }
}

function signed(dir: string, name: string, subject: string, extensions: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.pem`],
    dir,
  );
}

/**
 * Writes a CA, a broker key store and a client certificate into `dir` (created if absent).
 *
 * @example
 * ```ts
 * const tls = makeTestTls(fs.mkdtempSync(path.join(os.tmpdir(), 'tls-')));
 * ```
 */
export function makeTestTls(dir: string): TestTlsFiles {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key'], dir);
  openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=weir-test-ca', '-days', '2', '-sha256', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.pem'],
    dir,
  );
  signed(dir, 'broker', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  signed(dir, 'client', '/CN=weir-test-client', 'extendedKeyUsage=clientAuth\n');
  openssl(['pkcs8', '-topk8', '-in', 'client.key', '-v2', 'aes-256-cbc', '-passout', `pass:${CLIENT_KEY_PASSWORD}`, '-out', 'client-encrypted.key'], dir);
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  fs.writeFileSync(path.join(dir, 'broker-keystore.pem'), read('broker.key') + read('broker.pem') + read('ca.pem'));
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    brokerKeystore: path.join(dir, 'broker-keystore.pem'),
    clientCert: path.join(dir, 'client.pem'),
    clientKey: path.join(dir, 'client.key'),
    clientKeyEncrypted: path.join(dir, 'client-encrypted.key'),
  };
}
