import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerRunDay(program: Command): void {
  program.command('run-day').description('(not built yet)').action(() => {
    throw new Error('ledgerflow run-day is not built yet');
  });
}
