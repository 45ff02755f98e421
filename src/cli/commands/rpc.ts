import type { Command } from 'commander';
import type { RpcStatusOptions } from '../actions/rpc.js';

export function registerRpc(program: Command): void {
  const rpc = program.command('rpc').description('Check the JSON-RPC endpoints Ledgerflow exports from');
  rpc
    .command('status')
    .description('Probe each endpoint: head, lag behind the best head, p50/p95/p99 latency and errors per method, and the pool\'s verdict (exit 3 unless all are healthy)')
    .option('--rpc <urls>', 'JSON-RPC endpoint URL(s), comma-separated (default: $RPC_URL)')
    .option('--samples <n>', 'timed calls per method and endpoint', '5')
    .option('--json', 'print the same data as JSON, for scripts')
    .action(async (options: RpcStatusOptions) => (await import('../actions/rpc.js')).runRpcStatus(options));
}
