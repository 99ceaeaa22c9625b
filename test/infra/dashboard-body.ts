/**
 * Reading the synthesized dashboards back: each `AWS::CloudWatch::Dashboard`'s `DashboardBody`
 * (an `Fn::Join` of JSON text and stack tokens) parsed as CloudWatch will read it, and each graph's
 * `metrics` array turned into the metric identities CloudWatch will query.
 */
import type { Template } from 'aws-cdk-lib/assertions';

/** Stands for the stack's region, a token until deployment. */
export const REGION = '<region>';

export interface DashboardWidget {
  readonly type: string;
  /** Position in grid units: column from the left, row from the top. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: unknown[][];
    readonly alarms?: string[];
    readonly period?: number;
    readonly annotations?: { horizontal?: Array<{ value: number; label?: string }> };
  };
}

export interface SynthesizedDashboard {
  readonly logicalId: string;
  readonly name: string;
  readonly body: { readonly start?: string; readonly periodOverride?: string; widgets: DashboardWidget[] };
}

/** One line of a graph as CloudWatch queries it, defaults filled in (stat Average, period 300). */
export interface GraphedMetric {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly expression?: string;
  readonly stat?: string;
  readonly period: number;
  readonly id?: string;
  readonly label?: string;
  readonly visible: boolean;
}

/** Joins a token-bearing string: the region becomes {@link REGION}, an ARN `arn:<logical id>`. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v.Ref === 'AWS::Region') return REGION;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return `arn:${String(getAtt[0])}`;
  const join = v['Fn::Join'];
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1])) return join[1].map(joined).join('');
  throw new Error(`unexpected token in a dashboard: ${JSON.stringify(value)}`);
}

/** Every dashboard of the template, in template order. */
export function dashboardsOf(template: Template): SynthesizedDashboard[] {
  const resources = template.findResources('AWS::CloudWatch::Dashboard');
  return Object.entries(resources).map(([logicalId, resource]) => {
    const props = (resource as { Properties: { DashboardName: unknown; DashboardBody: unknown } }).Properties;
    return { logicalId, name: joined(props.DashboardName), body: JSON.parse(joined(props.DashboardBody)) };
  });
}

/** The dashboard whose logical id starts with `prefix` (e.g. `DashboardTargets2`). */
export function dashboardNamed(template: Template, prefix: string): SynthesizedDashboard {
  const found = dashboardsOf(template).filter((d) => d.logicalId.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one dashboard ${prefix}*, found ${found.length}`);
  return found[0] as SynthesizedDashboard;
}

/** The graphs of a dashboard by title. */
export function graphsOf(dashboard: SynthesizedDashboard): Map<string, DashboardWidget> {
  return new Map(
    dashboard.body.widgets
      .filter((w) => w.type === 'metric')
      .map((w): [string, DashboardWidget] => [w.properties.title ?? '', w]),
  );
}

/** The graph whose title starts with `prefix`. */
export function graphTitled(dashboard: SynthesizedDashboard, prefix: string): DashboardWidget {
  const found = [...graphsOf(dashboard)].filter(([title]) => title.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one graph "${prefix}…", found ${found.length}`);
  return (found[0] as [string, DashboardWidget])[1];
}

/** A graph's lines as metric identities (dimension order ignored, CloudWatch's defaults filled in). */
export function graphedMetrics(widget: DashboardWidget): GraphedMetric[] {
  return (widget.properties.metrics ?? []).map((entry) => {
    const last = entry[entry.length - 1];
    const options = (typeof last === 'object' && last !== null ? last : {}) as Record<string, unknown>;
    const common = {
      period: (options.period as number | undefined) ?? widget.properties.period ?? 300,
      visible: options.visible !== false,
      ...(options.id === undefined ? {} : { id: options.id as string }),
      ...(options.label === undefined ? {} : { label: options.label as string }),
    };
    if (typeof options.expression === 'string') return { expression: options.expression, ...common };
    const [namespace, metricName, ...rest] = entry.filter((part) => typeof part === 'string') as string[];
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i] as string] = rest[i + 1] as string;
    return {
      namespace,
      metricName,
      dimensions,
      stat: (options.stat as string | undefined) ?? 'Average',
      ...common,
    };
  });
}
