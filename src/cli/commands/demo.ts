import type { Command } from 'commander';

// Placeholder registration: replaced by the real command.
export function registerDemo(program: Command): void {
  program.command('demo').description('(not built yet)').action(() => {
    throw new Error('ledgerflow demo is not built yet');
  });
}
