import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerWorker(program: Command): void {
  program.command('worker').description('(not built yet)').action(() => {
    throw new Error('ledgerflow worker is not built yet');
  });
}
