/**
 * The CloudWatch dashboards the stack deploys (lib/constructs/selfheal-dashboard.ts): an overview
 * of the forecaster's runs and the remediation engine, and pages of per-target load and capacity
 * graphs. Part of the one app configuration (see ./schema), which checks that `targetIds` name
 * configured targets.
 */
import * as z from 'zod';
import { addDuplicateIssues } from './unique-entries';

/**
 * Most targets on one page: each takes a row of two graphs, so a full page holds 201 widgets,
 * well within the 500 a CloudWatch dashboard takes, and still loads in one scroll.
 */
export const MAX_TARGETS_PER_DASHBOARD = 100;

export const dashboardSchema = z
  .object({
    /** Deploy the dashboards. */
    enabled: z.boolean().default(true),
    /** Targets per target dashboard; more targets than this are split over several dashboards. */
    targetsPerDashboard: z.number().int().min(1).max(MAX_TARGETS_PER_DASHBOARD).default(25),
    /**
     * The targets to graph, by `id`, in this order. Absent: every target, in config order. For
     * configurations with more targets than the dashboards can hold in one stack.
     */
    targetIds: z
      .array(z.string().min(1))
      .min(1, 'list at least one target id, or leave targetIds out to graph every target')
      .optional(),
  })
  .strict()
  .superRefine((d, ctx) =>
    addDuplicateIssues(ctx, d.targetIds ?? [], {
      list: 'targetIds',
      what: 'listed twice',
      advice: 'list each target once',
    }),
  );

export type DashboardConfig = z.output<typeof dashboardSchema>;
