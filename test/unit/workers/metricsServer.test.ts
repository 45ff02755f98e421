import { afterEach, describe, expect, it } from 'vitest';
import { Registry, Counter } from 'prom-client';
import { startMetricsServer } from '../../../src/workers/metricsServer.js';

describe('worker metrics server', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function start(isReady?: () => boolean) {
    const registry = new Registry();
    new Counter({ name: 'ledgerflow_test_total', help: 'test counter', registers: [registry] }).inc(3);
    const server = await startMetricsServer({ registry, port: 0, host: '127.0.0.1', ...(isReady ? { isReady } : {}) });
    closers.push(server.close);
    return `http://127.0.0.1:${server.port}`;
  }

  it('serves liveness, readiness that follows the workers, and the registry', async () => {
    let ready = false;
    const base = await start(() => ready);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('ledgerflow_test_total 3');
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });
});
