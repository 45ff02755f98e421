import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { configFromEnv } from '../../config.js';
import { createLogger } from '../../log.js';
import { createMetricsRegistry } from '../../metrics/createMetricsRegistry.js';
import { stackUp } from '../../stack/index.js';
import { migrate } from '../../warehouse/migrate.js';
import { warehouseFromConfig } from '../../warehouse/warehouseFromConfig.js';
import { startWorkers } from '../../workers/main.js';
import { workerSettingsFromEnv } from '../../workers/workerSettings.js';
import { DEFAULT_SCHEDULE_ID } from '../../workflows/names.js';
import { awaitScheduledDay } from '../temporal/awaitScheduledDay.js';
import { connectClient } from '../temporal/connectClient.js';
import { backfillSchedule, createDailySchedule } from '../temporal/schedules.js';
import { writeReport } from './report.js';

export interface DemoOptions {
  dir?: string;
  exit?: boolean;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const say = (line: string) => process.stderr.write(`demo: ${line}\n`);
  const env = await stackUp({ ...(options.dir ? { dir: options.dir } : {}), log: (line) => say(line) });
  Object.assign(process.env, env);
  const days = env.LEDGERFLOW_DAYS.split(',').filter(Boolean);
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) throw new Error('the local stack reports no seeded days');

  // Several engineers share this machine: a fixed metrics port would collide, so pick a free one unless asked.
  const config = { ...configFromEnv(), ...(process.env.METRICS_PORT ? {} : { metricsPort: 0 }) };
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', { component: 'demo' });

  const warehouse = warehouseFromConfig(config, logger);
  try {
    const migrated = await migrate(warehouse);
    say(`warehouse schema ${config.warehouseSchema} at version ${migrated.version}`);
  } finally {
    await warehouse.close();
  }

  const workers = await startWorkers({ config, settings: workerSettingsFromEnv(process.env), logger, registry: createMetricsRegistry({ collectDefault: true }) });
  say(`worker running (${workers.roles.join(', ')}); metrics on http://127.0.0.1:${workers.metricsPort}/metrics`);

  const { client, close } = await connectClient(config);
  try {
    const chainId = Number(env.CHAIN_ID);
    // Paused: the seeded chain ends in the past, so today's firing would wait for a day that never comes.
    const { created } = await createDailySchedule(client, { chainId, paused: true, note: 'demo: seeded chain, runs come from backfill' });
    say(`schedule ${DEFAULT_SCHEDULE_ID} ${created ? 'created' : 'exists'} (daily 00:30 UTC, paused)`);
    const since = new Date();
    await backfillSchedule(client.schedule.getHandle(DEFAULT_SCHEDULE_ID), { from: first, to: last, overlap: ScheduleOverlapPolicy.ALLOW_ALL });
    say(`schedule backfill ${first}..${last}: ${days.length} runs`);

    const header = ['day', 'blocks', 'transactions', 'logs', 'token_transfers', 'security_token_events', 'seconds'];
    process.stdout.write(`${header.map((h, i) => (i === 0 ? h.padEnd(10) : h.padStart(h.length + 1))).join(' ')}\n`);
    const rows = await Promise.all(days.map((date) => awaitScheduledDay(client, { scheduleId: DEFAULT_SCHEDULE_ID, date, since })));
    for (const { summary, seconds } of rows) {
      const cells = [summary.blocks, summary.loaded.transactions ?? 0, summary.loaded.logs ?? 0, summary.loaded.token_transfers ?? 0, summary.loaded.security_token_events ?? 0];
      const line = [summary.date.padEnd(10), ...cells.map((c, i) => String(c).padStart((header[i + 1] ?? '').length + 1)), seconds.toFixed(1).padStart(8)];
      process.stdout.write(`${line.join(' ')}\n`);
    }
    const report = await writeReport({ from: first, to: last, out: path.join(env.LEDGERFLOW_STACK_DIR, 'report.html'), grain: 'day' });
    process.stdout.write(`Report: ${report.path} (open it in a browser; no network needed)\n`);
    process.stdout.write(`Temporal Web: ${env.TEMPORAL_UI_URL}/namespaces/${config.temporalNamespace}/workflows\n`);
  } finally {
    await close();
  }

  if (options.exit) {
    await workers.shutdown();
    return;
  }
  say('worker keeps running; Ctrl-C drains it and exits (`ledgerflow stack down` stops the stack)');
  await workers.done;
}
