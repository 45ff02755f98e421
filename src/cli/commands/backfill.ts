import type { Command } from 'commander';
import type { BackfillOptions } from '../actions/backfill.js';

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description('Run every UTC day in [from, to] as child runs, at most --window at once; complete days are skipped')
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day (inclusive)')
    .option('--window <n>', 'days running at once', '4')
    .option('--force', 're-run days that are already sealed and loaded')
    .option('--adaptive-window', 'shrink the window to what the cluster has room for (clusterCapacity activity)')
    .option('--chain-id <n>', 'chain id (default: CHAIN_ID, else asked from RPC_URL)')
    .option('--no-wait', 'print the workflow id and return at once')
    .option('--json', 'print the summary as JSON')
    .action(async (options: BackfillOptions) => (await import('../actions/backfill.js')).runBackfill(options));
}
