import type { Command } from 'commander';
import type { MetricsListOptions, MetricsRefreshOptions, MetricsRunOptions, MetricsValidateOptions } from '../actions/metrics.js';
import type { MetricsSyncSchedulesOptions } from '../actions/metricSchedules.js';

export function registerMetrics(program: Command): void {
  const metrics = program
    .command('metrics')
    .description('The metric registry: built-in models and metrics plus the SQL files in LEDGERFLOW_METRICS_DIR, read at run time');
  metrics
    .command('list')
    .description('Show every metric: name, source (built-in or user), kind, grains, schedule and dependencies; files left out go to stderr')
    .option('--json', 'print JSON for scripts')
    .action(async (options: MetricsListOptions) => (await import('../actions/metrics.js')).runMetricsList(options));
  metrics
    .command('validate')
    .description("Parse every file and run each metric's SQL for one day in a transaction that is rolled back; errors name file and line")
    .option('--date <YYYY-MM-DD>', 'the day to run for (default: the latest loaded day)')
    .option('--metric <name>', 'only this metric')
    .action(async (options: MetricsValidateOptions) => (await import('../actions/metrics.js')).runMetricsValidate(options));
  metrics
    .command('run')
    .description("Compute metrics for one UTC day's buckets (then again for every later loaded day, so carried-over state stays right)")
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--metric <name>', 'only this metric (default: all, in dependency order)')
    .action(async (options: MetricsRunOptions) => (await import('../actions/metrics.js')).runMetricsRun(options));
  metrics
    .command('refresh')
    .description('Rebuild metrics over [--from, --to], or from everything loaded when both are left out')
    .option('--from <YYYY-MM-DD>', 'first UTC day')
    .option('--to <YYYY-MM-DD>', 'last UTC day')
    .option('--metric <name>', 'only this metric (default: all, in dependency order)')
    .action(async (options: MetricsRefreshOptions) => (await import('../actions/metrics.js')).runMetricsRefresh(options));
  metrics
    .command('sync-schedules')
    .description('Create, update or delete one Temporal Schedule per metric with a `-- schedule: cron ...` calendar, from the registry')
    .option('--chain-id <id>', 'chain the scheduled runs are for (default: $CHAIN_ID, else asked from RPC_URL)')
    .option('--dry-run', 'print what would change and change nothing')
    .action(async (options: MetricsSyncSchedulesOptions) => (await import('../actions/metricSchedules.js')).runMetricsSyncSchedules(options));
}
