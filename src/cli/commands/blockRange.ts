import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerBlockRange(program: Command): void {
  program.command('block-range').description('(not built yet)').action(() => {
    throw new Error('ledgerflow block-range is not built yet');
  });
}
