import { describe, expect, it } from 'vitest';
import { decodeText } from '../../cli/text-encoding';

const TEXT = 'timestamp,value\r\n2014-04-10 00:00:00,1 €\r\n';

describe('decodeText', () => {
  it.each([
    { encoding: 'UTF-8', bytes: Buffer.from(TEXT, 'utf8') },
    { encoding: 'UTF-8 with a byte-order mark', bytes: Buffer.from(`\uFEFF${TEXT}`, 'utf8') },
    // What Windows PowerShell 5.1's `>` and Out-File write.
    { encoding: 'UTF-16LE with a byte-order mark', bytes: Buffer.from(`\uFEFF${TEXT}`, 'utf16le') },
    {
      encoding: 'UTF-16BE with a byte-order mark',
      bytes: Buffer.from(`\uFEFF${TEXT}`, 'utf16le').swap16(),
    },
  ])('reads $encoding as the text, without the mark', ({ bytes }) => {
    expect(decodeText(bytes)).toBe(TEXT);
  });

  it('reads empty input as empty text', () => {
    expect(decodeText(new Uint8Array())).toBe('');
  });

  it('reads bytes that are not UTF-8 as U+FFFD, as Node does', () => {
    expect(decodeText(Uint8Array.from([0x61, 0xff, 0x62]))).toBe('a\uFFFDb');
  });
});
