import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Registry } from 'prom-client';
import { ConfigurationError } from '../errors/LedgerflowError.js';

/**
 * One /metrics endpoint per worker process. The Temporal SDK's Rust core can only export
 * Prometheus metrics from its own HTTP listener, so the runtime binds that to a private loopback
 * port and this server appends its text to the app's prom-client registry: scrapers, KEDA and the
 * pod annotations need one port. /healthz answers liveness probes (the process serves HTTP);
 * /readyz answers readiness: 200 only while the workers poll, 503 before they start and once they
 * drain, so Kubernetes sends no new traffic to a pod that is shutting down.
 */
export async function startMetricsServer(input: {
  registry: Registry;
  port: number;
  host?: string;
  sdkMetricsUrl?: string;
  isReady?: () => boolean;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (request.url === '/readyz') {
      const ready = input.isReady?.() ?? true;
      response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
      return;
    }
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    void renderMetrics(input.registry, input.sdkMetricsUrl).then(
      (text) => response.writeHead(200, { 'content-type': input.registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  const host = input.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(metricsPortError(error, input.port, host)));
    server.listen(input.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : input.port;
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Several workers on one host all default to the same port; the second one must say which setting
 * to change instead of dying with a bare EADDRINUSE.
 */
function metricsPortError(error: Error, port: number, host: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const fix = 'set METRICS_PORT to a free port, or METRICS_PORT=0 to pick one';
  if (code === 'EADDRINUSE') {
    return new ConfigurationError(`METRICS_PORT ${port} is already in use on ${host} (another worker on this host?)`, { fix, cause: error });
  }
  if (code === 'EACCES') {
    return new ConfigurationError(`METRICS_PORT ${port} needs privileges this process does not have`, { fix: 'set METRICS_PORT to a port above 1023, or METRICS_PORT=0 to pick one', cause: error });
  }
  return error;
}

async function renderMetrics(registry: Registry, sdkMetricsUrl: string | undefined): Promise<string> {
  const app = await registry.metrics();
  if (!sdkMetricsUrl) return app;
  const sdk = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(2000) })
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  return `${app.trimEnd()}\n${sdk}`;
}

/** A free loopback port for the SDK's private Prometheus listener (its bind address needs a number). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
