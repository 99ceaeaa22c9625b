/**
 * JSON files for the CLI: parsed with `JSON.parse`, and on failure located by a small scanner so
 * the message reads `file:line:col: not valid JSON: <reason>` on one line. V8's own messages carry
 * no position for an unexpected token and quote the text around it, newlines included.
 */
import { CliUsageError } from './errors';

/** Where and why a text is not JSON: a 0-based offset into the text and a short reason. */
export interface JsonSyntaxProblem {
  readonly offset: number;
  readonly reason: string;
}

/**
 * Parses `text` as JSON (a leading byte-order mark is ignored); a syntax error becomes a
 * {@link CliUsageError} `label:line:col: not valid JSON: reason`.
 */
export function parseJsonText(label: string, text: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const problem = findJsonSyntaxError(body);
    if (problem === undefined) {
      // The scanner accepts what JSON.parse rejected: keep V8's reason, first line only.
      const message = err instanceof Error ? err.message : String(err);
      throw new CliUsageError(`${label}: not valid JSON: ${message.split('\n')[0] ?? ''}`);
    }
    const { line, column } = lineColumn(body, problem.offset);
    throw new CliUsageError(`${label}:${line}:${column}: not valid JSON: ${problem.reason}`);
  }
}

/** 1-based line and column of a 0-based offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax error in `text` by RFC 8259, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.document();
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxProblem) return { offset: err.offset, reason: err.message };
    // Nesting deep enough to exhaust the stack: no position to give.
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;
const SINGLE_QUOTE = 'a single quote (JSON takes double quotes)';
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

class Scanner {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.ws();
    this.value();
    this.ws();
    if (this.i < this.text.length) this.fail('unexpected text after the JSON value');
  }

  private value(): void {
    const c = this.text[this.i];
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else this.literal(c);
  }

  private literal(c: string | undefined): void {
    WORD.lastIndex = this.i;
    const word = WORD.exec(this.text)?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      this.i += word.length;
      return;
    }
    if (c === undefined) this.fail('unexpected end of input, expected a value');
    if (c === "'") this.fail(`expected a value, found ${SINGLE_QUOTE}`);
    this.fail(`expected a value, found ${word === undefined ? describe(c) : `'${word}'`}`);
  }

  private object(): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      if (this.text[this.i] !== '"')
        this.fail(`expected a property name in double quotes, found ${this.found()}`);
      this.string();
      this.ws();
      if (this.text[this.i] !== ':') this.fail(`expected ':' after the property name, found ${this.found()}`);
      this.i++;
      this.ws();
      this.value();
      this.ws();
      const c = this.text[this.i];
      if (c === '}') {
        this.i++;
        return;
      }
      if (c !== ',') this.fail(`expected ',' or '}' after a property value, found ${this.found()}`);
      this.i++;
      this.ws();
      if (this.text[this.i] === '}') this.fail("trailing comma before '}'");
    }
  }

  private array(): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      const c = this.text[this.i];
      if (c === ']') {
        this.i++;
        return;
      }
      if (c !== ',') this.fail(`expected ',' or ']' after an array element, found ${this.found()}`);
      this.i++;
      this.ws();
      if (this.text[this.i] === ']') this.fail("trailing comma before ']'");
    }
  }

  private string(): void {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) throw new SyntaxProblem(start, 'string not closed');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        const e = this.text[this.i + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) this.i += 6;
        else if (e !== undefined && ESCAPES.has(e)) this.i += 2;
        else this.fail(`invalid escape \\${e ?? ''} in a string`);
      } else if (c < ' ') {
        this.fail(`${c === '\n' ? 'line break' : describe(c)} inside a string (escape it, e.g. \\n)`);
      } else {
        this.i++;
      }
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail(`invalid number, found ${this.found()}`);
    else this.i += m[0].length;
    const next = this.text[this.i];
    if (next !== undefined && /[0-9.eE]/.test(next)) this.fail(`invalid number, found ${describe(next)}`);
  }

  private ws(): void {
    while (/^[ \t\n\r]$/.test(this.text[this.i] ?? '')) this.i++;
  }

  private found(): string {
    const c = this.text[this.i];
    if (c === "'") return SINGLE_QUOTE;
    return c === undefined ? 'the end of the input' : describe(c);
  }

  private fail(reason: string): never {
    throw new SyntaxProblem(this.i, reason);
  }
}

/** A character for a message: printable ones quoted, others by code point. */
function describe(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
}
