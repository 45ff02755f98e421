import { formatExports, readStackState, resolveStackDir, stackDown, stackEnvOf, stackSigningKey, stackStatus, stackUp } from '../../stack/index.js';

const progress = (line: string): void => {
  process.stderr.write(`stack: ${line}\n`);
};

export interface StackUpOptions {
  dir?: string;
  days: number;
  finalityDepth: number;
  seed: number;
  startDate: string;
}

export async function runStackUp(opts: StackUpOptions): Promise<void> {
  const env = await stackUp({
    dir: opts.dir,
    seed: { days: opts.days, finalityDepth: opts.finalityDepth, seed: opts.seed, startDate: opts.startDate },
    log: progress,
  });
  progress(`up; load the environment with: eval "$(npx ledgerflow stack env${opts.dir ? ` --dir ${opts.dir}` : ''})"`);
  process.stdout.write(`${formatExports(env)}\n`);
}

export async function runStackDown(opts: { dir?: string; purge?: boolean }): Promise<void> {
  const stopped = await stackDown({ dir: opts.dir, purge: opts.purge });
  progress(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
}

export async function runStackStatus(opts: { dir?: string; json?: boolean }): Promise<void> {
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
}

export async function runStackEnv(opts: { dir?: string }): Promise<void> {
  const state = await readStackState(resolveStackDir(opts.dir));
  process.stdout.write(`${formatExports(stackEnvOf(state))}\n`);
}
