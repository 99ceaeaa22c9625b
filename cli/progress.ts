import type { CliIo } from './io';

/** A progress reporter: `update` takes a fraction in [0, 1]; `done` clears the line. */
export interface Progress {
  readonly update: (fraction: number) => void;
  readonly done: () => void;
}

/**
 * Draws `label NN %` on one rewritten stderr line, only when stderr is a terminal: logs and
 * pipes get nothing, and stdout is never touched.
 */
export function createProgress(io: CliIo, label: string): Progress {
  if (!io.stderrIsTty) return { update: () => {}, done: () => {} };
  let shown = -1;
  return {
    update: (fraction) => {
      const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
      // Redraw only when the whole percent changes: simulators report per step, thousands of times.
      if (percent === shown) return;
      shown = percent;
      io.stderr(`\r${label} ${String(percent).padStart(3)} %`);
    },
    done: () => {
      if (shown >= 0) io.stderr('\r\x1b[2K');
    },
  };
}
