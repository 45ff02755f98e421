import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerLake(program: Command): void {
  program.command('lake').description('(not built yet)').action(() => {
    throw new Error('ledgerflow lake is not built yet');
  });
}
