/** Exit code for bad input or usage: the user can fix it by changing the command or the file. */
export const EXIT_USAGE = 2;
/** Exit code for an unexpected internal failure: a bug to report. */
export const EXIT_INTERNAL = 1;

/**
 * An error the user caused and can fix (bad flag, missing file, malformed CSV). The CLI prints
 * `selfheal: <message>` on one line and exits with {@link EXIT_USAGE}; no stack trace.
 */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
