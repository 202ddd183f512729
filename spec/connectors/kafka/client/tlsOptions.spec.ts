/**
 * Kafka's SSL settings (PEM, and PKCS12 key stores) become Node TLS options; JKS stores and PKCS12 trust stores get
 * a named error with the converting command. The handshake itself is tested against the broker in tls.spec.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clientConfigFromOptions, tlsFromParams } from '../../../../connectors/kafka/client/kafkaOptions';

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

  it('rejects JKS stores and PKCS12 trust stores (with the converting command) and unreadable files with named errors', () => {
    expect(() => tlsFromParams(new Map([['ssl.truststore.location', '/x.jks']]), 'kafka source')).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('kafka.ssl.truststore.type JKS is not supported'),
        context: expect.objectContaining({ convert: 'keytool -list -rfc -keystore /x.jks -storetype JKS > truststore.pem' }),
      }),
    );
    expect(() => tlsFromParams(new Map([['ssl.truststore.type', 'pkcs12'], ['ssl.truststore.location', '/t.p12']]), 'kafka source')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', context: expect.objectContaining({ convert: 'openssl pkcs12 -in /t.p12 -nokeys -out truststore.pem' }) }),
    );
    expect(() => tlsFromParams(new Map([['ssl.keystore.location', '/k.jks']]), 'kafka source')).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        context: expect.objectContaining({
          option: 'kafka.ssl.keystore.type',
          convert: 'keytool -importkeystore -srckeystore /k.jks -srcstoretype JKS -destkeystore keystore.p12 -deststoretype PKCS12',
        }),
      }),
    );
    // PKCS12 key stores are read (by Node's OpenSSL): a missing one is an unreadable file.
    expect(() => tlsFromParams(new Map([['ssl.keystore.type', 'PKCS12'], ['ssl.keystore.location', '/x.p12']]), 'kafka source')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', context: expect.objectContaining({ option: 'kafka.ssl.keystore.location', path: '/x.p12' }) }),
    );
    expect(() => tlsFromParams(new Map([['ssl.truststore.type', 'PEM'], ['ssl.truststore.location', '/nonexistent/ca.pem']]), 'kafka source')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', context: expect.objectContaining({ path: '/nonexistent/ca.pem' }) }),
    );
  });
});
