import fc from 'fast-check';
import { charsetOf, decodeText, encodeText, type Charset } from '../../lib/formats/charset';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { expectWeirError } from '../support/expectWeirError';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 100);

describe('charset', () => {
  it('decode(encode(s)) is s in every Unicode charset (BOM handling included)', () => {
    for (const c of ['UTF-8', 'UTF-16', 'UTF-16LE', 'UTF-16BE'] as Charset[]) {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme' }), (s) => {
          // A leading U+FEFF in UTF-8 is a byte order mark to readers, not text.
          fc.pre(c !== 'UTF-8' || !s.startsWith('\uFEFF'));
          expect(decodeText(encodeText(s, c), c)).toBe(s);
        }),
        { numRuns },
      );
    }
  });

  it('ISO-8859-1 and US-ASCII keep what they can represent and write ? for the rest (one per code point)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((n) => String.fromCharCode(n)) }), (s) => {
        expect(decodeText(encodeText(s, 'ISO-8859-1'), 'ISO-8859-1')).toBe(s);
      }),
      { numRuns },
    );
    expect(decodeText(encodeText('aé€😀', 'ISO-8859-1'), 'ISO-8859-1')).toBe('aé??');
    expect(decodeText(encodeText('aé😀', 'US-ASCII'), 'US-ASCII')).toBe('a??');
  });

  it('reads a UTF-16 byte order mark either way, big-endian without one (Java), and strips a UTF-8 BOM', () => {
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x61, 0x00]), 'UTF-16')).toBe('a');
    expect(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x61]), 'UTF-16')).toBe('a');
    expect(decodeText(Buffer.from([0x00, 0x61]), 'UTF-16')).toBe('a');
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'UTF-8')).toBe('a');
  });

  it('names charsets case-insensitively through encoding or charset, and refuses unknown ones', async () => {
    expect(charsetOf(new FormatOptions())).toBe('UTF-8');
    expect(charsetOf(new FormatOptions({ encoding: 'utf-16le' }))).toBe('UTF-16LE');
    expect(charsetOf(new FormatOptions({ charset: 'Latin1' }))).toBe('ISO-8859-1');
    const e = await expectWeirError(() => charsetOf(new FormatOptions({ charset: 'Shift_JIS' })), 'INVALID_ARGUMENT');
    expect(e.context).toMatchObject({ option: 'charset', value: 'Shift_JIS' });
  });
});
