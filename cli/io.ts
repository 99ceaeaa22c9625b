/**
 * Everything the CLI touches outside its own memory, injected so the commands can be tested
 * without spawning a process or touching the disk.
 */
export interface CliIo {
  /** Writes to standard output as-is (callers add the newlines). */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Progress is drawn only on an interactive stderr, so logs and pipes stay clean. */
  readonly stderrIsTty: boolean;
  /** Rejects with a Node.js error carrying `code` (`ENOENT`, `EISDIR`, …) like `fs.promises.readFile`. */
  readonly readFile: (path: string) => Promise<string>;
  /**
   * Writes every file or none: a failure (a full disk, a directory gone since
   * {@link CliIo.checkWritable}) leaves no file half-written and none of the others written.
   * Rejects with the Node.js error, its `path` set to the file asked for; an `EEXIST` error also
   * carries `stagingPath`, the hidden sibling it found already there (and left alone).
   */
  readonly writeFiles: (files: readonly OutputFile[]) => Promise<void>;
  /**
   * Resolves when `path` could be written (its directory exists and is writable, and it is not a
   * directory), without creating it; rejects with a Node.js error carrying `code` otherwise. Lets a
   * command refuse an output path before minutes of work rather than after.
   */
  readonly checkWritable: (path: string) => Promise<void>;
  /**
   * `path` made absolute with symbolic links and `..` resolved, so two spellings of one file
   * compare equal; a file that does not exist yet resolves through its directory.
   */
  readonly realPath: (path: string) => Promise<string>;
  readonly readStdin: () => Promise<string>;
  /** Absolute path of the trace `backtest` uses when `--trace` is not given. */
  readonly defaultTracePath: string;
  /** Configuration `explain` reads when `--config` is not given (the repository's example). */
  readonly defaultConfigPath?: string;
  /**
   * Directory of the shipped SSM documents' YAML (`lib/ssm-documents/`), whose parameter patterns
   * `explain` checks with as the engine does. @default - found next to the source module (tsx, tests)
   */
  readonly shippedDocumentsDir?: string;
  /**
   * Who runs the CLI, `$USER@<hostname>`, which `reset-rule` records when `--by` is not given;
   * undefined when `$USER` is unset or blank.
   */
  readonly operator?: string;
  /** From `SELFHEAL_DEBUG=1`: print stacks of internal errors. */
  readonly debug: boolean;
}

/** One output file of a command, e.g. the backtest's JSON summary or chart. */
export interface OutputFile {
  readonly path: string;
  readonly text: string;
}
