/**
 * The text of an input file or standard input: UTF-16 when it starts with a UTF-16 byte-order
 * mark (Windows PowerShell 5.1's `>` and `Out-File` write UTF-16LE with one), or when it has none
 * but the NUL bytes of UTF-16 text (see {@link utf16WithoutMark}); else UTF-8. The mark itself,
 * UTF-8's included, is not part of the text. Bytes that are not valid in the encoding become
 * U+FFFD, as Node's `readFile(path, 'utf8')` does.
 */
export function decodeText(bytes: Uint8Array): string {
  const [b0, b1] = bytes;
  const encoding =
    b0 === 0xff && b1 === 0xfe
      ? 'utf-16le'
      : b0 === 0xfe && b1 === 0xff
        ? 'utf-16be'
        : (utf16WithoutMark(bytes) ?? 'utf-8');
  // TextDecoder drops a leading byte-order mark of its encoding (ignoreBOM is false by default).
  return new TextDecoder(encoding).decode(bytes);
}

/** How many leading bytes {@link utf16WithoutMark} looks at. */
const SAMPLE_BYTES = 4096;

/**
 * The UTF-16 byte order of `bytes` without a byte-order mark, by the pattern of NUL bytes of text
 * in UTF-16: a character below U+0100 (ASCII, as a CSV's digits, commas and line ends are, and
 * Latin-1) has a zero high byte, the second of each pair in UTF-16LE and the first in UTF-16BE,
 * and a non-zero low byte but for U+0000, which text does not hold. So, in the first 4 KiB: at
 * least 3/4 of the byte pairs have that one byte zero, and at most 1/4 the other. UTF-8 text
 * holds no NUL byte, and binary data seldom this pattern; either is `undefined`, read as UTF-8.
 */
function utf16WithoutMark(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(Math.min(bytes.length, SAMPLE_BYTES) / 2);
  if (pairs === 0) return undefined;
  let firstZero = 0;
  let secondZero = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) firstZero++;
    if (bytes[2 * i + 1] === 0) secondZero++;
  }
  const most = (zeros: number) => zeros * 4 >= pairs * 3;
  const few = (zeros: number) => zeros * 4 <= pairs;
  if (most(secondZero) && few(firstZero)) return 'utf-16le';
  if (most(firstZero) && few(secondZero)) return 'utf-16be';
  return undefined;
}
