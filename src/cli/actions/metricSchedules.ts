import path from 'node:path';
import { ConfigurationError } from '../../errors/LedgerflowError.js';
import { loadMetricRegistry } from '../../warehouse/metricRegistry.js';
import { chainIdFor } from '../temporal/chainIdFor.js';
import { connectClient } from '../temporal/connectClient.js';
import { applyScheduleSync, existingMetricSchedules, planScheduleSync, type CalendarMetric } from '../temporal/metricSchedules.js';

export interface MetricsSyncSchedulesOptions {
  /** The chain the scheduled runs are for; CHAIN_ID, else asked from RPC_URL, when absent. */
  chainId?: string;
  /** Print what would change and change nothing. */
  dryRun?: boolean;
}

/**
 * `ledgerflow metrics sync-schedules`: one Temporal Schedule per calendar metric of the registry
 * (built-in files and LEDGERFLOW_METRICS_DIR), made or made anew to match it, and the
 * `ledgerflow-metric-*` schedules of metrics that are gone or back on after-load deleted.
 * Needs Temporal only: no warehouse, no lake.
 */
export async function runMetricsSyncSchedules(options: MetricsSyncSchedulesOptions = {}): Promise<void> {
  const chainId = await chainIdFor(options.chainId);
  // The same directory the metrics workers read; its setting lives with the warehouse's, which this command does not need.
  const userDir = process.env.LEDGERFLOW_METRICS_DIR || undefined;
  const registry = await loadMetricRegistry(userDir ? { userDir } : {});
  // An unreadable directory (a missing mount) would read as "every user metric is gone".
  const unreadable = registry.problems.find((p) => p.source === 'user' && p.file === userDir);
  if (unreadable) {
    throw new ConfigurationError(`Not syncing metric schedules: LEDGERFLOW_METRICS_DIR=${userDir} cannot be read, so every user metric would look gone`, {
      fix: 'point LEDGERFLOW_METRICS_DIR at a readable directory of *.sql metric files, or unset it',
    });
  }
  const wanted: CalendarMetric[] = registry.metrics.flatMap((m) => (m.schedule.kind === 'calendar' ? [{ name: m.name, cron: m.schedule.cron }] : []));
  const leftOut = new Map(registry.problems.map((p) => [path.basename(p.file, '.sql'), p.message]));
  for (const problem of registry.problems) process.stderr.write(`ledgerflow: left out: ${problem.message}\n`);

  const { client, close } = await connectClient();
  try {
    const changes = planScheduleSync({ wanted, existing: await existingMetricSchedules(client, wanted), chainId, leftOut });
    if (!options.dryRun) await applyScheduleSync(client, changes, chainId);
    const suffix = options.dryRun ? ' (dry run: nothing changed)' : '';
    for (const c of changes) {
      const detail = c.note ?? (c.cron ? `cron ${c.cron} UTC, chain ${chainId}` : '');
      process.stdout.write(`${c.scheduleId}\t${c.action}${detail ? `\t${detail}` : ''}${suffix}\n`);
    }
    if (changes.length === 0) process.stdout.write(`no calendar metrics and no ledgerflow-metric-* schedules${suffix}\n`);
  } finally {
    await close();
  }
}
