/** Usage texts, kept together so `--help` output and the README's CLI section are easy to compare. */

export const MAIN_HELP = `Usage: selfheal <command> [flags]

Operator tools for selfheal's predictive scaler and remediation engine (history and reset-rule
use the ledger table in AWS).

Commands:
  forecast   Forecast a timestamp,value CSV with the auto-selected model
  backtest   Replay a trace under reactive, predictive+reactive and oracle scaling
  explain    Show what the remediation engine would do with an alarm event
  history    List recent remediations from the ledger, or one remediation's timeline
  reset-rule Lift the error-budget freeze of a rule (a frozen rule escalates every alarm)

Flags:
  -h, --help      Show this help (or 'selfheal <command> --help', 'selfheal help <command>')
  -V, --version   Print the version

Exit codes: 0 success, 2 bad input or usage, 1 internal error (SELFHEAL_DEBUG=1 shows the stack).
`;

export const FORECAST_HELP = `Usage: selfheal forecast --input FILE.csv|- [--horizon-steps N] [--format table|csv|json]
                        [--weekend-utc-offset-hours H]

Reads a timestamp,value CSV (UTF-8, or UTF-16 with or without a byte-order mark; a header line
is optional; '-' reads standard input), infers the step (at most 1 day: the models learn the daily
cycle), fills gaps, picks the best forecasting model by rolling-origin validation and prints the
point forecast and its p90 upper bound for each future step, with the model and the deployed
scaler's trust verdict. As the scaler, it reads the last 14 days of the file, from their first
real point on: the model is chosen and scored on them, fewer than 24 h of them is not trusted, nor
is a filled gap of more than 6 h in them.

Flags:
  --input FILE|-        CSV to forecast (required)
  --horizon-steps N     Future steps to forecast, 1 to 525,600 (default: 24 h worth of steps,
                        at most 525,600)
  --format FORMAT       table (default, for people), csv (timestamp,value,upper; the model and
                        trust verdict go to stderr) or json
  --weekend-utc-offset-hours H
                        UTC offset of the local time whose Saturday and Sunday are the series'
                        weekend, as a target's weekendUtcOffsetHours: -12 to 14 in quarter hours
                        (default 0, UTC; 9 for Tokyo; a negative one as
                        --weekend-utc-offset-hours=-8)
  -h, --help            Show this help

JSON output: {"model", "stepSeconds", "trust": {"trusted", "reason"}, "scores": [...],
              "forecast": [{"timestamp", "value", "upper"}, ...]}, timestamps in ISO 8601 UTC
              (with milliseconds when the step is not a whole number of seconds).
`;

export const BACKTEST_HELP = `Usage: selfheal backtest [--trace FILE.csv] [--target-value N] [--warmup-sec N]
                        [--block-sec N] [--planning-bound block-max|upper]
                        [--metric-period-sec N] [--weekend-utc-offset-hours H]
                        [--json OUT.json] [--chart OUT.svg|OUT.html]

Replays a load trace (default: the bundled ELB request-count trace) under three scaling
policies: reactive target tracking alone, predictive floors + reactive (re-forecast hourly on
the data known then, planned 48 h ahead, trusted as the deployed scaler would trust it), and
an oracle that knows the future. Prints their cost (instance-hours) and risk
(under-provisioned time), the equal-cost ratio against the reactive frontier, and the
forecast accuracy. The first 24 h feed the first forecast and are not scored.

Flags:
  --trace FILE          timestamp,value CSV of a load (no negative values) with at least 2 days
                        of data and a step that divides an hour, e.g. 60 or 300 s (default:
                        bundled trace)
  --target-value N      Load one instance should carry (default: p99 load / 15, two significant
                        digits, so busy periods need about 15 instances; the value used is printed)
  --warmup-sec N        Instance warm-up, launch to in service, in seconds (default 300)
  --block-sec N         Planning block length in seconds, 301 to 86400: longer than the planner's
                        300 s scheduling buffer (default: the planner's, 3600)
  --planning-bound B    What each block is planned on, as the deployed scaler's planningBound:
                        block-max (default: the point forecast plus the median of the chosen
                        model's block-peak validation errors) or upper (the p90 upper bound)
  --metric-period-sec N Period of the datapoints target tracking's alarms count (3 to scale out,
                        15 to scale in): 10, 30, 60 or a multiple of 60 up to 86400, as CloudWatch
                        alarms accept; default: the trace's step when an alarm accepts it, else
                        60 below a minute (a 15 s trace) and the next multiple of 60 above.
                        60 = 1-minute detailed monitoring, so on a 5-minute trace the alarm fires
                        on the first breaching step; a period longer than the step (60 on a 15 s
                        trace) makes each datapoint the average of the steps in its period
  --weekend-utc-offset-hours H
                        UTC offset of the trace's weekend, as in 'selfheal forecast' and a
                        target's weekendUtcOffsetHours (default 0, UTC)
  --json OUT            Write the summary (policies, frontier, ratio, accuracy, settings) as JSON
  --chart OUT           Write a chart of load, forecast and capacity: .svg, or .html with a summary
  -h, --help            Show this help
`;

export const EXPLAIN_HELP = `Usage: selfheal explain --event FILE.json|- [--config FILE] [--json]

Reads one EventBridge event as AWS delivers it (a "CloudWatch Alarm State Change") and shows,
without AWS access, what the remediation engine would do on its first occurrence: which rule
matched, each guardrail's verdict in evaluation order, the outcome, and the exact SSM
StartAutomationExecution call (document, parameters, client token, tags) or why there is none.
Deployed names are derived from the stack name; the automation role ARN is a placeholder. An
instance's Auto Scaling group is not read, and the blastRadius verdict says so.

An event of another kind prints one line saying what it is (exit 0); a file that is not a
valid event, or an invalid configuration, prints one line naming the problem (exit 2); a JSON
syntax error is named by file, line and column.

Flags:
  --event FILE|-   EventBridge event JSON (required; '-' reads standard input)
  --config FILE|-  App configuration (default: config/example.json of this checkout)
  --json           Print the decision object as JSON
  -h, --help       Show this help
`;

export const HISTORY_HELP = `Usage: selfheal history --table NAME [--region R] [--limit N] [--id REMEDIATION_ID] [--json]

Reads the remediation ledger (DynamoDB) with the default AWS credential chain and prints the
latest remediations, newest first: when (UTC), id (what --id takes), rule, resource, alarm,
mode, final state, time to recover, SSM execution id, and for escalations the SNS message id
and OpsItem id (or why the OpsItem failed). With --id it prints one remediation's timeline,
each state it entered with its time (a state entered twice, each time), and every guardrail
verdict with its reason. AWS_ENDPOINT_URL points it at an emulator.

Flags:
  --table NAME     Ledger table name (required; the stack output LedgerTableName)
  --region R       AWS region name, e.g. eu-west-1 (default: AWS_REGION or the profile's)
  --limit N        How many remediations to list, 1 to 500 (default 20)
  --id ID          Show one remediation's timeline and guardrail verdicts
  --json           Print the ledger records as JSON (an array, or one record with --id)
  -h, --help       Show this help

AWS errors (no credentials, table not found, access denied) and SDK settings that cannot work
(a region that is not a region name, an AWS_ENDPOINT_URL that is not a URL or not DynamoDB)
print one line naming the error and what to check, exit 2.
`;

export const RESET_RULE_HELP = `Usage: selfheal reset-rule --table NAME --rule ID [--region R] [--by WHO] [--json]

Lifts the error-budget freeze of one remediation rule. A rule whose failed verifications reach
limits.errorBudgetFailures within errorBudgetWindowHours is frozen: every alarm it matches
escalates, and stays so until a human resets it with this command. It reads the rule's freeze
item in the ledger (DynamoDB, default AWS credential chain) and prints what it lifts: frozen
since when, why, and the failed verifications recorded since the last reset. It then records
the reset (frozen false, who, when); the engine counts failed verifications from the reset on,
so the failures already in the window no longer freeze the rule again at the next alarm.

A rule that is not frozen is reported as such and nothing is written (exit 0): its failures
still count. The CLI does not read the deployed configuration, so it cannot tell an unknown rule
id from a rule never frozen; the output says when the ledger holds nothing for the id.

Flags:
  --table NAME     Ledger table name (required; the stack output LedgerTableName)
  --rule ID        Rule id, as remediation.rules[].id of the config (required)
  --region R       AWS region name, e.g. eu-west-1 (default: AWS_REGION or the profile's)
  --by WHO         Who resets it, recorded in the ledger (default: $USER@<hostname>)
  --json           Print what was read and done as JSON
  -h, --help       Show this help

It needs dynamodb:GetItem, dynamodb:Query and dynamodb:UpdateItem on the table. AWS errors and
SDK settings that cannot work print one line naming the error and what to check, exit 2, as for
history.
`;
