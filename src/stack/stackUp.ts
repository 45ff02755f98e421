import { anvilHealth, startAnvil, stopAnvil } from './anvilNode.js';
import { freePort } from './freePort.js';
import { postgresHealth, startPostgres, stopPostgres } from './postgresCluster.js';
import { s3Health, startS3, stopS3 } from './s3Server.js';
import { DEFAULT_SEED_OPTIONS, type SeedOptions } from './seed/seedPlan.js';
import { StackError } from './StackError.js';
import { withStackLock } from './stackLock.js';
import { stackEnvOf, type StackEnv } from './stackEnv.js';
import { ensureSigningKey } from './signingKey.js';
import { readStackState, resolveStackDir, writeStackState, type ServiceName, type StackState } from './stackState.js';
import { startTemporal, ensureTemporalBinary, stopTemporal, temporalHealth } from './temporalServer.js';

export interface StackUpOptions {
  /** State directory; default `.stack` (or LEDGERFLOW_STACK_DIR). */
  dir?: string;
  seed?: Partial<SeedOptions>;
  /** Fixed ports; unset ones are picked free on 127.0.0.1. */
  ports?: Partial<Record<'temporal' | 'temporalUi' | 'postgres' | 's3' | 'anvil', number>>;
  /** Progress lines for humans (stderr in the CLI). */
  log?: (line: string) => void;
}

/**
 * Starts whatever part of the local stack is not already running and healthy, in parallel, and
 * returns its environment, including the dev key pair that signs manifests (made once, then kept). Running healthy services are left alone, so `up` is idempotent. When a
 * service fails, the others stay up (and recorded, so `down` stops them) and the error names the
 * failed service and its log file.
 */
export async function stackUp(options: StackUpOptions = {}): Promise<StackEnv> {
  const dir = resolveStackDir(options.dir);
  return withStackLock(dir, () => bringUp(dir, options));
}

async function bringUp(dir: string, options: StackUpOptions): Promise<StackEnv> {
  const state = await readStackState(dir);
  const log = options.log ?? (() => undefined);
  const seed: SeedOptions = { ...DEFAULT_SEED_OPTIONS, ...options.seed };
  // Before the services: a key is needed whatever else fails, and a stack from before signed
  // manifests gets its pair here, on its next `up`.
  const { created, ...signingKey } = await ensureSigningKey(dir);
  state.signingKey = signingKey;
  log(created ? `generated dev manifest signing key ${signingKey.keyId} (${signingKey.privateKeyPath})` : `manifest signing key ${signingKey.keyId}`);
  const port = async (name: keyof NonNullable<StackUpOptions['ports']>) => options.ports?.[name] ?? (await freePort());
  // A free port can be taken by someone else between freePort() and the bind (several engineers
  // and CI jobs share a machine): one more try, on new ports, unless the caller fixed them.
  const startWithRetry = async <T>(service: string, start: () => Promise<T>): Promise<T> => {
    try {
      return await start();
    } catch (error) {
      if (options.ports) throw error;
      log(`${service} did not start (${(error as Error).message.split('\n')[0]}); retrying on new ports`);
      return start();
    }
  };

  const ensure: Record<ServiceName, () => Promise<void>> = {
    temporal: async () => {
      if (state.temporal && (await temporalHealth(state.temporal))) return log(`temporal already running (pid ${state.temporal.pid})`);
      if (state.temporal) await stopTemporal(state.temporal);
      const binary = await ensureTemporalBinary({ log });
      state.temporal = await startWithRetry('temporal', async () => startTemporal({ dir, port: await port('temporal'), uiPort: await port('temporalUi'), binary }));
      log(`temporal started on 127.0.0.1:${state.temporal.port}, UI on ${state.temporal.uiPort} (pid ${state.temporal.pid})`);
    },
    postgres: async () => {
      if (state.postgres && (await postgresHealth(state.postgres))) return log(`postgres already running (pid ${state.postgres.pid})`);
      if (state.postgres) await stopPostgres(state.postgres);
      state.postgres = await startWithRetry('postgres', async () => startPostgres({ dir, port: await port('postgres') }));
      log(`postgres started on 127.0.0.1:${state.postgres.port} (pid ${state.postgres.pid})`);
    },
    s3: async () => {
      if (state.s3 && (await s3Health(state.s3))) return log(`s3rver already running (pid ${state.s3.pid})`);
      if (state.s3) await stopS3(state.s3);
      state.s3 = await startWithRetry('s3rver', async () => startS3({ dir, port: await port('s3') }));
      log(`s3rver started on 127.0.0.1:${state.s3.port} (pid ${state.s3.pid})`);
    },
    anvil: async () => {
      if (state.anvil && (await anvilHealth(state.anvil))) {
        if (JSON.stringify(state.anvil.seed.options) !== JSON.stringify(seed)) {
          log(`anvil already runs a chain seeded with ${JSON.stringify(state.anvil.seed.options)}; kept (run \`stack down\` first to reseed)`);
        }
        return log(`anvil already running (pid ${state.anvil.pid})`);
      }
      if (state.anvil) await stopAnvil(state.anvil);
      state.anvil = await startWithRetry('anvil', async () => startAnvil({ dir, port: await port('anvil'), seed }));
      log(`anvil started on 127.0.0.1:${state.anvil.port} and seeded to block ${state.anvil.seed.head} (pid ${state.anvil.pid})`);
    },
  };

  const names = Object.keys(ensure) as ServiceName[];
  const results = await Promise.allSettled(names.map((name) => ensure[name]()));
  const failures = results.flatMap((result, i) => (result.status === 'rejected' ? [{ name: names[i] as ServiceName, error: result.reason as unknown }] : []));
  for (const failure of failures) delete (state as Partial<StackState>)[failure.name];
  await writeStackState(state);
  if (failures.length > 0) {
    const first = failures[0]!;
    throw new StackError(`Local stack: ${failures.map((f) => f.name).join(', ')} did not start: ${(first.error as Error).message}`, {
      context: { dir },
      fix: `see the log files under ${dir}/logs; \`ledgerflow stack down --dir ${dir}\` stops what did start`,
      cause: first.error,
    });
  }
  return stackEnvOf(state);
}
