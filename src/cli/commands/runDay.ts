import type { Command } from 'commander';
import { VERIFY_LAYERS } from '../../workflows/verifyLayers.js';
import type { RunDayOptions, VerifyOptions } from '../actions/runDay.js';

export function registerRunDay(program: Command): void {
  program
    .command('run-day')
    .description('Run one UTC day through Temporal (export, seal, load, models) and print its summary')
    .requiredOption('--date <YYYY-MM-DD>', 'UTC day to run')
    .option('--chain-id <n>', 'chain id (default: CHAIN_ID, else asked from RPC_URL)')
    .option('--export-parallelism <n>', 'chunk groups exported at once')
    .option('--supersede <reason>', 'when the day is sealed with other bytes, write a new manifest version recording this reason (the old one stays)')
    .option('--no-wait', 'print the workflow id and return at once')
    .option('--json', 'print the summary as JSON')
    .action(async (options: RunDayOptions) => (await import('../actions/runDay.js')).runDay(options));

  program
    .command('verify-day')
    .description('Prove a sealed day on three layers: lake objects and signature, chain re-export, warehouse rows')
    .requiredOption('--date <YYYY-MM-DD>', 'UTC day to verify')
    .option('--chain-id <n>', 'chain id (default: CHAIN_ID, else asked from RPC_URL)')
    .option('--layers <list>', `comma-separated subset of ${VERIFY_LAYERS.join(',')}`, VERIFY_LAYERS.join(','))
    .option('--json', 'print the report as JSON')
    .action(async (options: VerifyOptions) => (await import('../actions/runDay.js')).runVerify(options));
}
