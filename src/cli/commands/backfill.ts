import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerBackfill(program: Command): void {
  program.command('backfill').description('(not built yet)').action(() => {
    throw new Error('ledgerflow backfill is not built yet');
  });
}
