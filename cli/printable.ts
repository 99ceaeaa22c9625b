/**
 * Text from outside the CLI (ledger items, event files) made safe to print to a terminal. Anyone
 * who can write the ledger table, or hand an operator an event file, controls those strings; a
 * control character in one would reach the terminal as a command (ESC [ 2 J clears the screen,
 * OSC 52 writes the clipboard, OSC 8 hides a link behind harmless text, a line break or cursor
 * movement forges a line), and a bidirectional override would show text in an order other than
 * the one it has. CloudWatch itself refuses control characters in alarm names and dimension
 * values, so legitimate text never changes.
 */

/**
 * C0 controls (line breaks and tabs included), DEL and C1 controls (U+0080–U+009F: 8-bit CSI,
 * OSC, ...), and the bidirectional formatting characters: the embeddings and overrides
 * U+202A–U+202E, the isolates U+2066–U+2069, and the marks U+200E, U+200F and U+061C.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's purpose.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control and bidirectional formatting character shown as an escape, `\x1b`
 * (two hex digits up to U+00FF) or `\u202e`, so a terminal shows it instead of obeying it.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One line per element, each made {@link printable} (a line break inside one is shown, not kept), and a final newline. */
export function printableLines(lines: readonly string[]): string {
  return `${lines.map(printable).join('\n')}\n`;
}
