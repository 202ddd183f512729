/**
 * Kafka's SSL settings (PEM flavour) become Node TLS options; the other store types get a named error, and the
 * key password never shows in messages. (The TLS handshake itself is kafkajs's and Node's.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clientConfigFromOptions, tlsFromParams } from '../../lib/kafka/kafkaOptions';

const PEM_CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

describe('Kafka SSL options', () => {
  it('plain SSL uses the system CAs; PLAINTEXT has no TLS', () => {
    expect(clientConfigFromOptions({ 'kafka.bootstrap.servers': 'h:1', 'kafka.security.protocol': 'SSL' }, 'kafka source').ssl).toBe(true);
    expect(clientConfigFromOptions({ 'kafka.bootstrap.servers': 'h:1' }, 'kafka source').ssl).toBeUndefined();
  });

  it('reads PEM trust and key stores from files or inline, with the key password and host-name check switch', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weir-tls-'));
    try {
      writeFileSync(path.join(dir, 'ca.pem'), PEM_CA);
      writeFileSync(path.join(dir, 'client.pem'), 'KEY+CHAIN');
      const tls = tlsFromParams(
        new Map([
          ['ssl.truststore.type', 'PEM'],
          ['ssl.truststore.location', path.join(dir, 'ca.pem')],
          ['ssl.keystore.type', 'PEM'],
          ['ssl.keystore.location', path.join(dir, 'client.pem')],
          ['ssl.key.password', 's3cret'],
          ['ssl.endpoint.identification.algorithm', ''],
        ]),
        'kafka sink',
      ) as Record<string, unknown>;
      expect(tls).toMatchObject({ ca: [PEM_CA], key: 'KEY+CHAIN', cert: 'KEY+CHAIN', passphrase: 's3cret' });
      expect(typeof tls.checkServerIdentity).toBe('function');
      expect(tlsFromParams(new Map([['ssl.truststore.certificates', PEM_CA], ['ssl.keystore.key', 'K'], ['ssl.keystore.certificate.chain', 'C']]), 'x')).toEqual({
        ca: [PEM_CA],
        key: 'K',
        cert: 'C',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects JKS/PKCS12 stores and unreadable files with named errors', () => {
    expect(() => tlsFromParams(new Map([['ssl.truststore.location', '/x.jks']]), 'kafka source')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('kafka.ssl.truststore.type JKS is not supported') }),
    );
    expect(() => tlsFromParams(new Map([['ssl.keystore.type', 'PKCS12'], ['ssl.keystore.location', '/x.p12']]), 'kafka source')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => tlsFromParams(new Map([['ssl.truststore.type', 'PEM'], ['ssl.truststore.location', '/nonexistent/ca.pem']]), 'kafka source')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', context: expect.objectContaining({ path: '/nonexistent/ca.pem' }) }),
    );
  });
});
