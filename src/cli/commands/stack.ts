import { type Command, InvalidArgumentError } from 'commander';
import type { StackUpOptions } from '../actions/stack.js';

const integer = (min: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got ${value}`);
  return n;
};

export function registerStack(program: Command): void {
  const stack = program
    .command('stack')
    .description('Local stack on 127.0.0.1: Temporal dev server, PostgreSQL, s3rver and a seeded anvil chain');
  const dirOption = ['--dir <path>', 'state directory (default .stack, or LEDGERFLOW_STACK_DIR)'] as const;

  stack
    .command('up')
    .description('start what is not running (idempotent), seed the chain, print the env')
    .option(...dirOption)
    .option('--days <n>', 'complete UTC days of seeded history', integer(1), 3)
    .option('--finality-depth <n>', 'blocks mined after the last day (and FINALITY_DEPTH)', integer(0), 64)
    .option('--seed <n>', 'seed of the chain generator', integer(0), 1)
    .option('--start-date <yyyy-mm-dd>', 'first seeded day', '2024-01-01')
    .action(async (opts: StackUpOptions) => (await import('../actions/stack.js')).runStackUp(opts));

  stack
    .command('down')
    .description('stop the services this stack started (by pid)')
    .option(...dirOption)
    .option('--purge', 'also delete the state directory (databases, lake, logs)')
    .action(async (opts: { dir?: string; purge?: boolean }) => (await import('../actions/stack.js')).runStackDown(opts));

  stack
    .command('status')
    .description('what runs where: pid, port, healthy?, and the manifest signing key id')
    .option(...dirOption)
    .option('--json', 'machine-readable output: { dir, services, signingKey }')
    .action(async (opts: { dir?: string; json?: boolean }) => (await import('../actions/stack.js')).runStackStatus(opts));

  stack
    .command('env')
    .description('print `export` lines for the running stack')
    .option(...dirOption)
    .action(async (opts: { dir?: string }) => (await import('../actions/stack.js')).runStackEnv(opts));
}
