import { type Command, InvalidArgumentError } from 'commander';
import { formatExports, readStackState, resolveStackDir, stackDown, stackEnvOf, stackSigningKey, stackStatus, stackUp } from '../../stack/index.js';

const integer = (min: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got ${value}`);
  return n;
};

const progress = (line: string): void => {
  process.stderr.write(`stack: ${line}\n`);
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
    .action(async (opts: { dir?: string; days: number; finalityDepth: number; seed: number; startDate: string }) => {
      const env = await stackUp({
        dir: opts.dir,
        seed: { days: opts.days, finalityDepth: opts.finalityDepth, seed: opts.seed, startDate: opts.startDate },
        log: progress,
      });
      progress(`up; load the environment with: eval "$(npx ledgerflow stack env${opts.dir ? ` --dir ${opts.dir}` : ''})"`);
      process.stdout.write(`${formatExports(env)}\n`);
    });

  stack
    .command('down')
    .description('stop the services this stack started (by pid)')
    .option(...dirOption)
    .option('--purge', 'also delete the state directory (databases, lake, logs)')
    .action(async (opts: { dir?: string; purge?: boolean }) => {
      const stopped = await stackDown({ dir: opts.dir, purge: opts.purge });
      progress(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
    });

  stack
    .command('status')
    .description('what runs where: pid, port, healthy?, and the manifest signing key id')
    .option(...dirOption)
    .option('--json', 'machine-readable output: { dir, services, signingKey }')
    .action(async (opts: { dir?: string; json?: boolean }) => {
      const [statuses, signingKey] = await Promise.all([stackStatus({ dir: opts.dir }), stackSigningKey({ dir: opts.dir })]);
      const dir = resolveStackDir(opts.dir);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ dir, services: statuses, signingKey }, null, 2)}\n`);
      } else {
        process.stdout.write(`stack dir ${dir}\n`);
        for (const s of statuses) {
          const state = s.pid === null ? 'not started' : !s.running ? 'not running' : s.healthy ? 'healthy' : 'UNHEALTHY';
          process.stdout.write(`${s.name.padEnd(9)} ${state.padEnd(12)} pid ${String(s.pid ?? '-').padEnd(8)} ${s.url ?? ''}${s.logFile ? `  log ${s.logFile}` : ''}\n`);
        }
        // The id and where the key lives; the key itself stays in its 0600 file.
        process.stdout.write(
          signingKey
            ? `signing  key id ${signingKey.keyId}  private ${signingKey.privateKeyPath}  public ${signingKey.publicKeyPath}\n`
            : 'signing  none         run `ledgerflow stack up` to generate the dev key pair\n',
        );
      }
      if (statuses.some((s) => !s.healthy) || !signingKey) process.exitCode = 1;
    });

  stack
    .command('env')
    .description('print `export` lines for the running stack')
    .option(...dirOption)
    .action(async (opts: { dir?: string }) => {
      const state = await readStackState(resolveStackDir(opts.dir));
      process.stdout.write(`${formatExports(stackEnvOf(state))}\n`);
    });
}
