import type { Command } from 'commander';
import type { BlockRangeOptions } from '../actions/blockRange.js';

export function registerBlockRange(program: Command): void {
  program
    .command('block-range')
    .description('Print the inclusive block range of a UTC day as "<start>,<end>" (ethereum-etl get_block_range_for_date)')
    .option('--rpc <urls>', 'JSON-RPC endpoint URL(s), comma-separated for a failover pool (default: $RPC_URL)')
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--finality-depth <n>', "blocks the next day's first block must sit below the head, where the node has no finalized block tag", '64')
    .option('--retries <n>', 'retries of a failed RPC call on transient errors', '5')
    .action(async (options: BlockRangeOptions) => (await import('../actions/blockRange.js')).runBlockRange(options));
}
