import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeEndpoints } from '../../../../src/chain/rpc/probeEndpoints.js';
import { startReplayServer, type ReplayServer } from '../../../support/replayServer.js';

const run = promisify(execFile);
const KEY = 'k3yk3yk3yk3yk3yk3yk3yk3yk3yk3yk3';

/** A node at `head` that answers the four probed methods. */
function node(head: number) {
  return startReplayServer({
    handle: (method, params) => {
      const hex = `0x${head.toString(16)}`;
      if (method === 'eth_blockNumber') return hex;
      if (method === 'eth_getBlockByNumber') return Number(params[0]) <= head ? { number: params[0], hash: `0x${'ab'.repeat(32)}`, transactions: [] } : null;
      if (method === 'eth_getBlockReceipts') return [];
      if (method === 'eth_call') return '0x';
      return undefined;
    },
  });
}

let healthy: ReplayServer;
let behind: ReplayServer;

beforeAll(async () => {
  healthy = await node(1_000);
  behind = await node(900);
});
afterAll(async () => {
  await healthy.close();
  await behind.close();
});

describe('probeEndpoints (real loopback JSON-RPC servers)', () => {
  it('times each method on each endpoint and gives the pool\'s verdict: healthy, lagging, failing', async () => {
    const closed = 'http://127.0.0.1:1/';
    const probes = await probeEndpoints([`${healthy.url}v2/${KEY}`, behind.url, closed], { samples: 3, timeoutMs: 2_000 });
    expect(probes.map((p) => p.verdict)).toEqual(['healthy', 'lagging', 'failing']);
    expect(probes.map((p) => p.head)).toEqual([1_000, 900, undefined]);
    expect(probes.map((p) => p.lag)).toEqual([0, 100, undefined]);
    const [first] = probes;
    expect(first?.methods.map((m) => m.method)).toEqual(['eth_blockNumber', 'eth_getBlockByNumber', 'eth_getBlockReceipts', 'eth_call']);
    for (const m of first?.methods ?? []) {
      expect(m.errors).toBe(0);
      expect(m.p50Ms).toBeGreaterThan(0);
      expect(m.p99Ms).toBeGreaterThanOrEqual(m.p50Ms ?? Infinity);
    }
    expect(probes[2]?.methods.every((m) => m.errors === 3 && m.p50Ms === undefined)).toBe(true);
    expect(JSON.stringify(probes)).not.toContain(KEY);
  });

  it('`ledgerflow rpc status --json` prints the same data, exits 3 unless all are healthy, and never the key', async () => {
    const ok = await run(process.execPath, ['bin/ledgerflow.js', 'rpc', 'status', '--rpc', `${healthy.url}v2/${KEY}`, '--samples', '2', '--json']);
    const report = JSON.parse(ok.stdout) as { samples: number; endpoints: Array<{ verdict: string; head: number }> };
    expect(report.samples).toBe(2);
    expect(report.endpoints).toMatchObject([{ verdict: 'healthy', head: 1_000 }]);
    expect(ok.stdout + ok.stderr).not.toContain(KEY);

    const mixed = await run(process.execPath, ['bin/ledgerflow.js', 'rpc', 'status', '--rpc', `${healthy.url},${behind.url}`, '--samples', '1']).catch((e: unknown) => e as { code: number; stdout: string });
    expect(mixed).toMatchObject({ code: 3 });
    expect((mixed as { stdout: string }).stdout).toMatch(/lagging/);
    expect((mixed as { stdout: string }).stdout).toMatch(/eth_getBlockReceipts/);
  });
});
