import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTraces } from '../../../bench/protocol';
import { readTraceFile } from '../../../bench/trace-file';
import { CsvError } from '../../../lambdas/core/series/csv';

describe('readTraceFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-trace-file-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads a trace onto its grid, filling a gap', () => {
    const file = write(
      'ok.csv',
      'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,2\n2014-04-10 00:15:00,4\n',
    );

    const { series, report } = readTraceFile(file);

    expect(series.stepSec).toBe(300);
    expect(Array.from(series.values)).toEqual([1, 2, 3, 4]);
    expect(report.filledRuns).toHaveLength(1);
  });

  it('fails naming the file and line of a CSV problem, keeping the CsvError as its cause', () => {
    const file = write('bad.csv', 'timestamp,value\n2014-04-10 00:00:00,1\nnot-a-time,2\n');

    const thrown = (() => {
      try {
        readTraceFile(file);
      } catch (error) {
        return error;
      }
    })();

    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(new RegExp(`^cannot read trace ${file}:3: `));
    expect((thrown as Error).cause).toBeInstanceOf(CsvError);
  });

  it('fails naming the file of a series regularizing refuses', () => {
    const file = write('one.csv', 'timestamp,value\n2014-04-10 00:00:00,1\n');

    expect(() => readTraceFile(file)).toThrow(`cannot read trace ${file}: `);
  });

  it('fails naming the file it cannot open', () => {
    const file = join(dir, 'absent.csv');

    expect(() => readTraceFile(file)).toThrow(`cannot read trace ${file}: ENOENT`);
  });
});

describe('loadTraces (accuracy bench)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-load-traces-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails naming the file and line of a trace that cannot be read', () => {
    mkdirSync(join(dir, 'realAWSCloudwatch'));
    const file = join(dir, 'realAWSCloudwatch', 'broken.csv');
    writeFileSync(file, 'timestamp,value\nnot-a-time,1\n');

    expect(() => loadTraces(dir)).toThrow(`cannot read trace ${file}:2: `);
  });
});
