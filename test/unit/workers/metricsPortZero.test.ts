import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../../src/config.js';
import { createMetricsRegistry } from '../../../src/metrics/createMetricsRegistry.js';
import { startWorkers } from '../../../src/workers/main.js';
import { workerSettingsFromEnv } from '../../../src/workers/workerSettings.js';
import { freePort } from '../../../src/stack/freePort.js';

describe('METRICS_PORT=0', () => {
  it('logs the port it picked before the worker connects to Temporal, and frees it when start fails', async () => {
    const logs = new PassThrough();
    let text = '';
    logs.on('data', (d: Buffer) => (text += d.toString()));
    const config = configFromEnv({
      RPC_URL: 'http://127.0.0.1:1/',
      S3_BUCKET: 'unused',
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      // Nothing listens here: start fails right after the metrics server is up.
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      METRICS_PORT: '0',
    });
    const start = startWorkers({
      config,
      settings: workerSettingsFromEnv({ LEDGERFLOW_ROLES: 'workflows' }),
      logger: pino({ level: 'info' }, logs),
      registry: createMetricsRegistry(),
    });
    await expect(start).rejects.toThrow();
    const line = text.split('\n').map((l) => (l ? (JSON.parse(l) as { msg: string; metrics_port?: number }) : undefined)).find((l) => l?.metrics_port !== undefined);
    expect(line?.msg).toBe(`METRICS_PORT=0: metrics on free port ${line?.metrics_port}`);
    expect(line?.metrics_port).toBeGreaterThan(0);
    await expect(fetch(`http://127.0.0.1:${line?.metrics_port}/healthz`)).rejects.toThrow();
  });
});
