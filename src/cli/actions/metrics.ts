import { configForSections } from '../../config.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { createLogger } from '../../log.js';
import { findMetric, loadMetricRegistry, type Metric, type MetricRegistry } from '../../warehouse/metricRegistry.js';
import { refreshMetrics, runMetric, type ModelRunResult } from '../../warehouse/runMetric.js';
import type { SqlWarehouseDeps } from '../../warehouse/types.js';
import { validateMetrics } from '../../warehouse/validateMetrics.js';
import { sqlWarehouseFromConfig } from '../../warehouse/warehouseFromConfig.js';
import { isoDate } from './isoDateOption.js';

export interface MetricsListOptions {
  json?: boolean;
}

export interface MetricsValidateOptions {
  date?: string;
  metric?: string;
}

export interface MetricsRunOptions {
  date: string;
  metric?: string;
}

export interface MetricsRefreshOptions {
  from?: string;
  to?: string;
  metric?: string;
}

/** Listing needs no warehouse: it reads the built-in files and LEDGERFLOW_METRICS_DIR. */
export async function runMetricsList(options: MetricsListOptions): Promise<void> {
  const registry = await loadMetricRegistry(userDir());
  if (options.json) {
    const metrics = registry.metrics.map((m) => ({ name: m.name, source: m.source, kind: m.kind, grains: m.grains, schedule: scheduleText(m), depends: m.depends, table: m.table, file: m.path }));
    process.stdout.write(`${JSON.stringify({ metrics, problems: registry.problems }, null, 2)}\n`);
    return;
  }
  const rows = registry.metrics.map((m) => [m.name, m.source, m.kind, m.grains.join(',') || '-', scheduleText(m), m.depends.join(',') || '-']);
  process.stdout.write(table(['NAME', 'SOURCE', 'KIND', 'GRAINS', 'SCHEDULE', 'DEPENDS ON'], rows));
  reportProblems(registry);
}

/** Parses every file, then runs each metric's SQL for one day in a transaction that is rolled back. */
export async function runMetricsValidate(options: MetricsValidateOptions): Promise<void> {
  await withSqlWarehouse(async (deps) => {
    const registry = await loadMetricRegistry(userDir(deps));
    if (options.metric) findMetric(registry, options.metric);
    const { date, checks } = await validateMetrics(deps, registry, { ...(options.date ? { date: isoDate(options.date, '--date') } : {}), ...(options.metric ? { metric: options.metric } : {}) });
    for (const c of checks) process.stdout.write(c.error ? `FAIL ${c.error}\n` : `ok   ${c.metric}\t${c.rows ?? 0} row(s) for ${date}\n`);
    reportProblems(registry);
    const failed = checks.filter((c) => c.error).length + (options.metric ? 0 : registry.problems.length);
    if (failed > 0) {
      process.stderr.write(`ledgerflow: ${failed} metric file(s) failed validation; nothing was written\n`);
      process.exitCode = 1;
    }
  });
}

export async function runMetricsRun(options: MetricsRunOptions): Promise<void> {
  const date = isoDate(options.date, '--date');
  await withSqlWarehouse(async (deps) => {
    const registry = await loadMetricRegistry(userDir(deps));
    if (options.metric) {
      printResults([await runMetric(deps, { metric: options.metric, date }, registry)]);
      return;
    }
    // Each metric on its own, as the workflows run them: one that fails never stops the others.
    let failed = 0;
    for (const metric of registry.metrics) {
      try {
        printResults([await runMetric(deps, { metric: metric.name, date }, registry)]);
      } catch (error) {
        failed += 1;
        process.stderr.write(`ledgerflow: metric ${metric.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    reportProblems(registry);
    if (failed + registry.problems.length > 0) process.exitCode = 1;
  });
}

export async function runMetricsRefresh(options: MetricsRefreshOptions): Promise<void> {
  if (Boolean(options.from) !== Boolean(options.to)) {
    throw new InvalidInputError('Pass both --from and --to, or neither (everything loaded)', { fix: 'ledgerflow metrics refresh --from 2024-01-01 --to 2024-01-31' });
  }
  const from = options.from ? isoDate(options.from, '--from') : undefined;
  const to = options.to ? isoDate(options.to, '--to') : undefined;
  if (from && to && from > to) throw new InvalidInputError(`--from ${from} is after --to ${to}`, { fix: 'swap them' });
  await withSqlWarehouse(async (deps) => {
    printResults(await refreshMetrics(deps, { ...(options.metric ? { metric: options.metric } : {}), ...(from && to ? { from, to } : {}) }));
  });
}

function scheduleText(metric: Metric): string {
  return metric.schedule.kind === 'after-load' ? 'after-load' : `cron ${metric.schedule.cron}`;
}

function printResults(results: readonly ModelRunResult[]): void {
  for (const r of results) process.stdout.write(`${r.model}\t${r.rows}\t${r.ms} ms\n`);
}

/** Left-out files go to stderr, one line each: they never stop the others. */
function reportProblems(registry: MetricRegistry): void {
  for (const problem of registry.problems) process.stderr.write(`ledgerflow: left out: ${problem.message}\n`);
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).map((l) => `${l}\n`).join('');
}

function userDir(deps?: SqlWarehouseDeps): { userDir?: string } {
  const dir = deps ? deps.metricsDir : process.env.LEDGERFLOW_METRICS_DIR || undefined;
  return dir ? { userDir: dir } : {};
}

async function withSqlWarehouse(action: (deps: SqlWarehouseDeps) => Promise<void>): Promise<void> {
  // Metrics only run SQL: no lake settings, no node.
  const config = configForSections(['warehouse'], { neededBy: () => 'the `ledgerflow metrics` commands' });
  const deps = sqlWarehouseFromConfig(config, createLogger(config.logLevel));
  try {
    await action(deps);
  } finally {
    await deps.close();
  }
}
