import { createServer, type Server } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors/LedgerflowError.js';
import { startMetricsServer } from '../../../src/workers/metricsServer.js';
import { runCli } from '../../conformance/support/runCli.js';

/** A port held by another listener on every interface, like a first worker on the same host. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('metrics port already in use', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function held(): Promise<number> {
    const { port, server } = await occupyPort();
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    return port;
  }

  it('is a one-line ConfigurationError naming METRICS_PORT, the port and the fix', async () => {
    const port = await held();
    const error = await startMetricsServer({ registry: new Registry(), port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as ConfigurationError).message;
    expect(message).toContain(`METRICS_PORT ${port} is already in use`);
    expect(message).toContain('Fix: set METRICS_PORT to a free port, or METRICS_PORT=0 to pick one');
    expect(message).not.toContain('\n');
    expect((error as ConfigurationError).cause).toMatchObject({ code: 'EADDRINUSE' });
  });

  it('METRICS_PORT=0 picks a free port next to a busy one', async () => {
    await held();
    const server = await startMetricsServer({ registry: new Registry(), port: 0, host: '127.0.0.1' });
    cleanups.push(server.close);
    expect(server.port).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
  });

  it('`ledgerflow worker` prints exactly that line and exits 1, before it needs Temporal', async () => {
    const port = await held();
    const run = await runCli(['worker'], {
      RPC_URL: 'http://127.0.0.1:1/',
      S3_BUCKET: 'unused',
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      METRICS_PORT: String(port),
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n'), run.stderr).toEqual([
      `ledgerflow: METRICS_PORT ${port} is already in use on 0.0.0.0 (another worker on this host?) Fix: set METRICS_PORT to a free port, or METRICS_PORT=0 to pick one`,
    ]);
  });
});
