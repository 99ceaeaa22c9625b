import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../cli/errors';
import { findJsonSyntaxError, lineColumn, parseJsonText } from '../../cli/json-text';

describe('findJsonSyntaxError', () => {
  it.each([
    ['', 0, 'unexpected end of input, expected a value'],
    ['not json', 0, "expected a value, found 'not'"],
    ['{"a":1,}', 7, "trailing comma before '}'"],
    ['[1,2,]', 5, "trailing comma before ']'"],
    ['{"a":1', 6, "expected ',' or '}' after a property value, found the end of the input"],
    ['[1 2]', 3, "expected ',' or ']' after an array element, found '2'"],
    ['{"a" 1}', 5, "expected ':' after the property name, found '1'"],
    [
      "{'a':1}",
      1,
      'expected a property name in double quotes, found a single quote (JSON takes double quotes)',
    ],
    ['{"a":"b\nc"}', 7, 'line break inside a string (escape it, e.g. \\n)'],
    ['{"a":"\\q"}', 6, 'invalid escape \\q in a string'],
    ['"abc', 0, 'string not closed'],
    ['01', 1, "invalid number, found '1'"],
    ['{"a":1e}', 6, "invalid number, found 'e'"],
    ['{"a":tru}', 5, "expected a value, found 'tru'"],
    ['{"a":1}}', 7, 'unexpected text after the JSON value'],
  ])('finds %j wrong at offset %i: %s', (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);

    expect(findJsonSyntaxError(text)).toEqual({ offset, reason });
  });

  it('accepts every JSON file JSON.parse accepts among the event fixtures and the example config', () => {
    const dir = new URL('../fixtures/events/', import.meta.url);
    const texts = [
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => readFileSync(new URL(f, dir), 'utf8')),
      readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8'),
      '{"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n\\"",{}],"b":[]}',
    ];

    for (const text of texts) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });
});

describe('parseJsonText', () => {
  it('parses JSON, ignoring a leading byte-order mark', () => {
    expect(parseJsonText('f.json', '\uFEFF{"a":1}')).toEqual({ a: 1 });
  });

  it('fails with label:line:col and the reason on one line', () => {
    const act = () => parseJsonText('f.json', '{\n  "a": 1,\n  "b": x\n}\n');

    expect(act).toThrow(CliUsageError);
    expect(act).toThrow(/^f\.json:3:8: not valid JSON: expected a value, found 'x'$/);
  });
});

describe('lineColumn', () => {
  it.each([
    [0, 1, 1],
    [3, 1, 4],
    [4, 2, 1],
    [6, 2, 3],
  ])('puts offset %i at line %i, column %i', (offset, line, column) => {
    expect(lineColumn('abc\nde\n', offset)).toEqual({ line, column });
  });
});
