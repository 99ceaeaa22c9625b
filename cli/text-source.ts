import { CliUsageError } from './errors';
import type { CliIo } from './io';

/** An input's text and the name to show in messages (the path, or `<stdin>`). */
export interface TextSource {
  readonly label: string;
  readonly text: string;
}

/**
 * Reads `path`, or standard input when it is `-`; file-system problems become one-line usage
 * errors naming the path (`kind` says what a directory should have been: `CSV`, `JSON`).
 */
export async function readTextSource(io: CliIo, path: string, kind: string): Promise<TextSource> {
  if (path === '-') return { label: '<stdin>', text: await io.readStdin() };
  try {
    return { label: path, text: await io.readFile(path) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const problem = typeof code === 'string' ? fileProblem(code, kind) : undefined;
    if (problem === undefined) throw err;
    throw new CliUsageError(`${path}: ${problem}`);
  }
}

function fileProblem(code: string, kind: string): string | undefined {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return `is a directory, expected a ${kind} file`;
    case 'ENOTDIR':
      // `data.csv/` or `data.csv/x.csv`: a file stands where open(2) needs a directory.
      return 'no such file (part of the path is a file, not a directory)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'path too long';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return undefined;
  }
}
