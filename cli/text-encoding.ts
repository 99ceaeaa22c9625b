/**
 * The text of an input file or standard input: UTF-16 when it starts with a UTF-16 byte-order
 * mark (Windows PowerShell 5.1's `>` and `Out-File` write UTF-16LE with one), else UTF-8. The mark
 * itself, UTF-8's included, is not part of the text. Bytes that are not valid in the encoding
 * become U+FFFD, as Node's `readFile(path, 'utf8')` does.
 */
export function decodeText(bytes: Uint8Array): string {
  const [b0, b1] = bytes;
  const encoding =
    b0 === 0xff && b1 === 0xfe ? 'utf-16le' : b0 === 0xfe && b1 === 0xff ? 'utf-16be' : 'utf-8';
  // TextDecoder drops a leading byte-order mark of its encoding (ignoreBOM is false by default).
  return new TextDecoder(encoding).decode(bytes);
}
