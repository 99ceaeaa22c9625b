import pkg from '../package.json';
import { type BacktestRunner, backtestCommand } from './backtest-command';
import { CliUsageError, EXIT_INTERNAL, EXIT_USAGE } from './errors';
import { explainCommand } from './explain-command';
import { forecastCommand, type SelectForecastFn } from './forecast-command';
import { BACKTEST_HELP, EXPLAIN_HELP, FORECAST_HELP, HISTORY_HELP, MAIN_HELP, RESET_RULE_HELP } from './help';
import { historyCommand, type OpenLedger } from './history-command';
import type { CliIo } from './io';
import { printable } from './printable';
import { type OpenRuleLedger, resetRuleCommand } from './reset-rule-command';

/** The domain entry points the commands call, injected so tests can substitute small fakes. */
export interface CliDeps {
  readonly selectForecast: SelectForecastFn;
  readonly runBacktest: BacktestRunner;
  /** Opens the remediation ledger table `history` reads. */
  readonly openLedger: OpenLedger;
  /** Opens the remediation ledger table `reset-rule` reads and writes. */
  readonly openRuleLedger: OpenRuleLedger;
}

const COMMANDS = 'forecast, backtest, explain, history or reset-rule';

/**
 * Runs the `selfheal` CLI on `argv` (without the node and script paths) and returns the exit code.
 * Never throws: usage errors print one line and return 2, anything else one line and return 1.
 */
export async function main(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  try {
    return await dispatch(argv, io, deps);
  } catch (err) {
    return reportError(err, io);
  }
}

async function dispatch(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'forecast':
      return forecastCommand(rest, io, deps.selectForecast);
    case 'backtest':
      return backtestCommand(rest, io, deps.runBacktest);
    case 'explain':
      return explainCommand(rest, io);
    case 'history':
      return historyCommand(rest, io, deps.openLedger);
    case 'reset-rule':
      return resetRuleCommand(rest, io, deps.openRuleLedger);
    case '-h':
    case '--help':
      io.stdout(MAIN_HELP);
      return 0;
    case 'help':
      io.stdout(helpFor(rest));
      return 0;
    case '-V':
    case '--version':
      io.stdout(`${pkg.version}\n`);
      return 0;
    case undefined:
      throw new CliUsageError(`missing command: ${COMMANDS} (see 'selfheal --help')`);
    default:
      throw new CliUsageError(
        command.startsWith('-')
          ? `unknown flag ${command} (see 'selfheal --help')`
          : `unknown command '${command}': expected ${COMMANDS} (see 'selfheal --help')`,
      );
  }
}

const COMMAND_HELP: Record<string, string> = {
  forecast: FORECAST_HELP,
  backtest: BACKTEST_HELP,
  explain: EXPLAIN_HELP,
  history: HISTORY_HELP,
  'reset-rule': RESET_RULE_HELP,
};

/** `selfheal help [command]`: the command's help, as `selfheal <command> --help` prints it. */
function helpFor(args: readonly string[]): string {
  const [topic, ...extra] = args;
  if (topic === undefined) return MAIN_HELP;
  const text = COMMAND_HELP[topic];
  if (text === undefined) {
    throw new CliUsageError(`no help for '${topic}': expected ${COMMANDS} (see 'selfheal --help')`);
  }
  if (extra.length > 0) throw new CliUsageError(`help takes one command, got '${args.join(' ')}'`);
  return text;
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CliUsageError) {
    // A message may quote what the user handed over (an event's fields, a ledger key): one line, shown.
    io.stderr(`${printable(`selfheal: ${err.message}`)}\n`);
    return EXIT_USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  // First line only: the contract is one line per failure; the stack is opt-in for bug reports.
  io.stderr(
    `${printable(`selfheal: internal error: ${message.split('\n')[0] ?? ''}`)}${io.debug ? '' : ' (set SELFHEAL_DEBUG=1 for details)'}\n`,
  );
  if (io.debug && err instanceof Error && err.stack !== undefined) io.stderr(`${err.stack}\n`);
  return EXIT_INTERNAL;
}
