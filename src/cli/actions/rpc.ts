import { probeEndpoints, type EndpointProbe } from '../../chain/rpc/probeEndpoints.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { rpcUrlsFrom } from './rpcUrls.js';

export interface RpcStatusOptions {
  rpc?: string;
  samples: string;
  json?: boolean;
}

/** `ledgerflow rpc status`: each endpoint's head, lag, per-method latency and errors, and the pool's verdict. */
export async function runRpcStatus(options: RpcStatusOptions): Promise<void> {
  const urls = rpcUrlsFrom(options.rpc);
  const samples = Number(options.samples);
  if (!Number.isInteger(samples) || samples < 1 || samples > 1000) {
    throw new InvalidInputError(`--samples must be a whole number from 1 to 1000, got "${options.samples}"`, { fix: 'pass e.g. --samples 20' });
  }
  const probes = await probeEndpoints(urls, { samples });
  process.stdout.write(options.json ? `${JSON.stringify({ samples, endpoints: probes }, null, 2)}\n` : formatProbes(probes, samples));
  // Scripts can act on the exit code: 0 when every endpoint is healthy.
  if (probes.some((p) => p.verdict !== 'healthy')) process.exitCode = 3;
}

function formatProbes(probes: readonly EndpointProbe[], samples: number): string {
  const lines: string[] = [];
  for (const probe of probes) {
    lines.push(`${probe.endpoint}  head ${probe.head ?? 'unknown'}  lag ${probe.lag ?? '-'}  ${probe.verdict}`);
    const rows = probe.methods.map((m) => [
      m.method,
      ms(m.p50Ms),
      ms(m.p95Ms),
      ms(m.p99Ms),
      `${m.errors}/${samples}`,
      m.firstError ?? '',
    ]);
    const header = ['method', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'first error'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    for (const row of [header, ...rows]) lines.push(`  ${row.map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd()}`);
  }
  return `${lines.join('\n')}\n`;
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(1);
}
