import { describe, expect, it } from 'vitest';
import { printable, printableLines } from '../../cli/printable';

describe('printable', () => {
  it.each([
    ['disk-full-/var/log on i-0abc', 'disk-full-/var/log on i-0abc'],
    ['café ✓ 日本語 (U+00A0 and up stay)', 'café ✓ 日本語 (U+00A0 and up stay)'],
    // ESC [ 2 J clears the screen; OSC 52 ... BEL writes the clipboard.
    ['a\u001b[2Jb', 'a\\x1b[2Jb'],
    ['\u001b]52;c;Y3VybCBldmlsIHwgc2gK\u0007', '\\x1b]52;c;Y3VybCBldmlsIHwgc2gK\\x07'],
    ['line\nforged\r\ttab\u0000', 'line\\x0aforged\\x0d\\x09tab\\x00'],
    // DEL, and the 8-bit CSI and OSC of the C1 range.
    ['\u007f\u009b2J\u009d', '\\x7f\\x9b2J\\x9d'],
    // Bidirectional overrides, isolates and marks: the text is shown in the order it has.
    ['evil\u202etxt.exe', 'evil\\u202etxt.exe'],
    [
      '\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c',
      '\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c',
    ],
  ])('shows %j as %j', (text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  it('keeps one line per element, a line break inside one shown', () => {
    expect(printableLines(['first', 'second\nforged'])).toBe('first\nsecond\\x0aforged\n');
  });
});
