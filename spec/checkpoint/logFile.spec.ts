import { crc32 } from 'node:zlib';
import { decodeLogFile, encodeLogFile } from '../../lib/checkpoint/logFile';

const sample = encodeLogFile(1, [
  '{"batchWatermarkMs":0,"batchTimestampMs":1700000000000,"conf":{"a":"b"},"queryId":"q"}',
  '{"partition":{"0":42}}',
  '-',
  '"ünïcødé ✓"',
]);

describe('logFile', () => {
  it('round-trips header, lines and version', () => {
    expect(decodeLogFile(sample, 1)).toEqual({
      kind: 'ok',
      version: 1,
      lines: [
        '{"batchWatermarkMs":0,"batchTimestampMs":1700000000000,"conf":{"a":"b"},"queryId":"q"}',
        '{"partition":{"0":42}}',
        '-',
        '"ünïcødé ✓"',
      ],
    });
    expect(decodeLogFile(Buffer.from(sample), 1).kind).toBe('ok');
    expect(decodeLogFile(encodeLogFile(3, []), 5)).toEqual({ kind: 'ok', version: 3, lines: [] });
    expect(sample.startsWith('v1\n')).toBe(true);
    expect(sample).toMatch(/\ncrc32:[0-9a-f]{8}\n$/);
  });

  it('decodes every strict prefix (a write cut short) as torn', () => {
    const bytes = Buffer.from(sample);
    for (let length = 0; length < bytes.length; length++) {
      const decoded = decodeLogFile(bytes.subarray(0, length), 1);
      if (decoded.kind !== 'torn') throw new Error(`prefix of ${length} bytes decoded as ${decoded.kind}`);
    }
  });

  it('decodes every single-bit flip as corrupt: never ok, never mistaken for a tear', () => {
    const bytes = Buffer.from(sample);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[i] = (flipped[i] as number) ^ (1 << bit);
        const decoded = decodeLogFile(flipped, 1);
        if (decoded.kind !== 'corrupt') throw new Error(`flip of bit ${bit} at byte ${i} decoded as ${decoded.kind}`);
      }
    }
  });

  it('reports a newer version as unsupported, and a bad header as corrupt', () => {
    expect(decodeLogFile(encodeLogFile(9, ['{}']), 1)).toEqual({ kind: 'unsupportedVersion', version: 9, maxVersion: 1 });
    // A correct checksum over a bad body: damage the checksum cannot see, only the header check can.
    const forged = (body: string): string =>
      `${body}crc32:${(crc32(Buffer.from(body)) >>> 0).toString(16).padStart(8, '0')}\n`;
    expect(decodeLogFile(forged('x1\n{}\n'), 1)).toMatchObject({ kind: 'corrupt' });
    expect(decodeLogFile(forged('v0\n'), 1)).toMatchObject({ kind: 'corrupt' });
    expect(decodeLogFile(forged(''), 1)).toMatchObject({ kind: 'corrupt' });
  });

  it('names the usual tears', () => {
    expect(decodeLogFile('', 1)).toEqual({ kind: 'torn', reason: 'empty file' });
    expect(decodeLogFile('v1\n{}', 1).kind).toBe('torn');
    expect(decodeLogFile('v1\n{}\n', 1).kind).toBe('torn');
    expect(decodeLogFile('\n', 1).kind).toBe('torn');
  });

  it('refuses body lines with a newline or that look like a checksum trailer', () => {
    expect(() => encodeLogFile(1, ['a\nb'])).toThrow();
    expect(() => encodeLogFile(1, ['crc32:0123abcd'])).toThrow();
    expect(() => encodeLogFile(1, ['xcrc32:0123abcd'])).toThrow();
    expect(() => encodeLogFile(1, ['crc33:0123abcd'])).toThrow();
    expect(() => encodeLogFile(0, [])).toThrow();
  });
});
