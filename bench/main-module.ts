/**
 * Whether a bench module is the script node was started with (`npx tsx bench/<name>.ts`), so it
 * runs its own section only then and not when bench/run.ts imports it.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * True when `moduleUrl` (the module's `import.meta.url`) is the file `script` names, as a path
 * relative to the working directory or absolute (default: `process.argv[1]`). Compared as real
 * paths: the URL percent-encodes what the path does not, such as a space, and node names the
 * module by its real path while `argv[1]` keeps a symbolic link it was started through.
 */
export function isMainModule(moduleUrl: string, script: string | undefined = process.argv[1]): boolean {
  return script !== undefined && realPath(fileURLToPath(moduleUrl)) === realPath(resolve(script));
}

/** `path` with symbolic links resolved, or as given when it does not exist. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
