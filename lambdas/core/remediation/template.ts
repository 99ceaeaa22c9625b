/**
 * Automation parameters templated from the alarm: `{{resourceId}}`, `{{alarmName}}`,
 * `{{region}}`, `{{account}}` and `{{dimension:Name}}`. An unknown variable is a configuration
 * defect (the config schema rejects it too); a dimension the alarm lacks means nothing to act on.
 */
import { TEMPLATE_VARIABLES, unknownTemplateVariables } from '../../../lib/config/remediation-schema';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export { TEMPLATE_VARIABLES, unknownTemplateVariables };

/** What the templates are filled from. */
export interface TemplateContext {
  readonly resourceId: string;
  readonly alarmName: string;
  readonly region: string;
  readonly account: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Rendered parameters (SSM's `Record<string, string[]>`), or the first problem. */
export type RenderResult =
  | { readonly ok: true; readonly parameters: Record<string, string[]> }
  | { readonly ok: false; readonly problem: 'unknownVariable' | 'missingDimension'; readonly reason: string };

/** Renders every parameter; values stay in configuration order. */
export function renderParameters(
  parameters: Readonly<Record<string, string | readonly string[]>>,
  ctx: TemplateContext,
): RenderResult {
  const out: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(parameters)) {
    const values: string[] = [];
    for (const value of typeof raw === 'string' ? [raw] : raw) {
      const rendered = renderOne(name, value, ctx);
      if (!rendered.ok) return rendered;
      values.push(rendered.value);
    }
    out[name] = values;
  }
  return { ok: true, parameters: out };
}

type OneResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly problem: 'unknownVariable' | 'missingDimension'; readonly reason: string };

function renderOne(param: string, value: string, ctx: TemplateContext): OneResult {
  let failure: OneResult | undefined;
  const rendered = value.replace(PLACEHOLDER, (whole, name: string) => {
    if (failure !== undefined) return whole;
    const resolved = lookup(name, ctx);
    const dimension = name.startsWith('dimension:') ? name.slice('dimension:'.length) : undefined;
    // An empty dimension names nothing, like an absent one (the resource dimension is read alike).
    if (resolved !== undefined && (resolved !== '' || dimension === undefined)) return resolved;
    failure =
      dimension !== undefined
        ? {
            ok: false,
            problem: 'missingDimension',
            reason:
              resolved === ''
                ? `parameters.${param}: the alarm's dimension ${dimension} is empty ("") for {{${name}}}; nothing to act on`
                : `parameters.${param}: the alarm has no dimension ${dimension} for {{${name}}}; nothing to act on`,
          }
        : {
            ok: false,
            problem: 'unknownVariable',
            reason: `parameters.${param}: unknown template variable {{${name}}}; allowed: ${[...TEMPLATE_VARIABLES, 'dimension:<Name>'].map((v) => `{{${v}}}`).join(', ')}`,
          };
    return whole;
  });
  return failure ?? { ok: true, value: rendered };
}

function lookup(name: string, ctx: TemplateContext): string | undefined {
  if (name.startsWith('dimension:')) return ctx.dimensions[name.slice('dimension:'.length)];
  switch (name) {
    case 'resourceId':
      return ctx.resourceId;
    case 'alarmName':
      return ctx.alarmName;
    case 'region':
      return ctx.region;
    case 'account':
      return ctx.account;
    default:
      return undefined;
  }
}
