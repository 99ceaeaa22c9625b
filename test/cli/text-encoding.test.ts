import { gzipSync } from 'node:zlib';
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

  it.each([
    // What `iconv -t UTF-16LE`, .NET's Encoding.Unicode.GetBytes and many exporters write: no mark.
    { encoding: 'UTF-16LE', text: TEXT, bytes: Buffer.from(TEXT, 'utf16le') },
    { encoding: 'UTF-16BE', text: TEXT, bytes: Buffer.from(TEXT, 'utf16le').swap16() },
    { encoding: 'UTF-16LE of one character', text: '1', bytes: Buffer.from('1', 'utf16le') },
    {
      encoding: 'UTF-16BE of Latin-1 letters',
      text: 'ä,ß\n',
      bytes: Buffer.from('ä,ß\n', 'utf16le').swap16(),
    },
  ])('reads $encoding without a byte-order mark as the text, by its NUL bytes', ({ text, bytes }) => {
    expect(decodeText(bytes)).toBe(text);
  });

  it('looks at the first 4 KiB only: UTF-16LE text stays UTF-16LE after them', () => {
    const text = `${'1,2\n'.repeat(1024)}${'\u4e2d'.repeat(4096)}`;
    expect(decodeText(Buffer.from(text, 'utf16le'))).toBe(text);
  });

  it.each([
    { what: 'NUL bytes only', bytes: new Uint8Array(1000) },
    { what: 'binary data', bytes: gzipSync(Buffer.from(TEXT.repeat(200))) },
    { what: 'a NUL byte among UTF-8 text', bytes: Buffer.from(`${TEXT}\u0000${TEXT}`, 'utf8') },
    { what: 'NUL bytes at both parities', bytes: Uint8Array.from([0x31, 0, 0, 0x32, 0x33, 0, 0, 0x34]) },
  ])('reads $what as UTF-8, as before (the CSV reader then names the line)', ({ bytes }) => {
    expect(decodeText(bytes)).toBe(new TextDecoder('utf-8').decode(bytes));
  });

  it('reads empty input as empty text', () => {
    expect(decodeText(new Uint8Array())).toBe('');
  });

  it('reads bytes that are not UTF-8 as U+FFFD, as Node does', () => {
    expect(decodeText(Uint8Array.from([0x61, 0xff, 0x62]))).toBe('a\uFFFDb');
  });
});
