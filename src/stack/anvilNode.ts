import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isRunning, spawnDetached, stopProcess, waitUntilHealthy } from './processes.js';
import { StackError } from './StackError.js';
import { jsonRpc } from './seed/jsonRpc.js';
import { seedChain, type SeedSummary } from './seed/seedChain.js';
import { genesisTimestampOf, plannedBlockCount, type SeedOptions } from './seed/seedPlan.js';

export const ANVIL_CHAIN_ID = 31337;

export interface AnvilRecord {
  pid: number;
  port: number;
  logFile: string;
  binary: string;
  seed: SeedSummary;
}

/** ANVIL_BIN, else the binary shipped by @foundry-rs/anvil's platform package, else `anvil` on PATH. */
export function anvilBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ANVIL_BIN) return env.ANVIL_BIN;
  try {
    const pkg = createRequire(import.meta.url).resolve('@foundry-rs/anvil-linux-amd64/package.json');
    const bin = join(dirname(pkg), 'bin', 'anvil');
    if (existsSync(bin)) return bin;
  } catch {
    // Platform package absent (not linux-x64): fall back to PATH.
  }
  return 'anvil';
}

/**
 * Flags from local-infra-notes.md: `--prune-history N` keeps states in memory (no multi-GB
 * state files) while N above the chain length keeps every historical state for tracing;
 * `--steps-tracing` fills structLogs; `--no-mining` and `--order fifo` let the seeder decide
 * exactly which transactions land in which block, and `--timestamp` fixes genesis.
 */
export function anvilArgs(port: number, seed: SeedOptions): string[] {
  const keep = Math.max(10_000, plannedBlockCount(seed) * 2);
  return [
    '--host', '127.0.0.1',
    '--port', String(port),
    '--chain-id', String(ANVIL_CHAIN_ID),
    '--timestamp', String(genesisTimestampOf(seed)),
    '--prune-history', String(keep),
    '--steps-tracing',
    '--no-mining',
    '--order', 'fifo',
    '--accounts', '10',
    '--gas-limit', '30000000',
  ];
}

export function anvilUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** Starts anvil on `port`, waits until it answers, and seeds it (compiled contracts cached in `cacheDir`, default `<dir>/cache`). */
export async function startAnvil(options: { dir: string; port: number; seed: SeedOptions; cacheDir?: string }): Promise<AnvilRecord> {
  const logDir = join(options.dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, 'anvil.log');
  const binary = anvilBinary();
  const pid = await spawnDetached({ command: binary, args: anvilArgs(options.port, options.seed), logFile });
  const rpc = jsonRpc(anvilUrl(options.port), 5_000);
  try {
    await waitUntilHealthy('anvil', async () => (await rpc<string>('eth_chainId')) !== undefined, { pid, logFile, timeoutMs: 30_000 });
    const seed = await seedChain(jsonRpc(anvilUrl(options.port)), options.seed, options.cacheDir ?? join(options.dir, 'cache'));
    return { pid, port: options.port, logFile, binary, seed };
  } catch (error) {
    await stopProcess(pid);
    if (error instanceof StackError) throw error;
    throw new StackError(`anvil did not start: ${(error as Error).message}`, { context: { log: logFile }, cause: error });
  }
}

/** Healthy when the process runs and answers with the seeded chain's id and head hash. */
export async function anvilHealth(record: AnvilRecord): Promise<boolean> {
  if (!isRunning(record.pid, `--port ${record.port}`)) return false;
  try {
    const rpc = jsonRpc(anvilUrl(record.port), 2_000);
    const block = await rpc<{ hash: string } | null>('eth_getBlockByNumber', [`0x${record.seed.head.toString(16)}`, false]);
    return Number(await rpc<string>('eth_chainId')) === record.seed.chainId && block?.hash === record.seed.headHash;
  } catch {
    return false;
  }
}

export async function stopAnvil(record: Pick<AnvilRecord, 'pid' | 'port'>): Promise<void> {
  await stopProcess(record.pid, `--port ${record.port}`);
}
