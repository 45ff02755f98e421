import type { Command } from 'commander';
import type { DemoOptions } from '../actions/demo.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Local stack + in-process worker + daily schedule; backfill every seeded day and print one row per day')
    .option('--dir <path>', 'stack state directory (default .stack)')
    .option('--exit', 'stop the worker and exit when every day is done (the stack keeps running)')
    .action(async (options: DemoOptions) => (await import('../actions/demo.js')).runDemo(options));
}
