import { anvilHealth, startAnvil, stopAnvil } from './anvilNode.js';
import { ensureCodecKey, readCodecSecrets } from './codecKey.js';
import { codecServerHealth, codecServerUrl, startCodecServerProcess, stopCodecServer } from './codecServerProcess.js';
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
  ports?: Partial<Record<'temporal' | 'temporalUi' | 'postgres' | 's3' | 'anvil' | 'codec', number>>;
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
  const { created: codecCreated, ...codecKey } = await ensureCodecKey(dir);
  state.codecKey = codecKey;
  log(codecCreated ? `generated payload codec key ${codecKey.keyId} and codec server token (${codecKey.keysPath})` : `payload codec key ${codecKey.keyId}`);
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

  // Temporal Web learns the codec server's URL when it starts (--ui-codec-endpoint), and the codec
  // server learns Web's origin (CORS): the codec port is picked first, Temporal's UI port next.
  // A running dev server keeps the endpoint it was started with, so its port is reused.
  const codecPort = portOf(state.temporal?.uiCodecEndpoint) ?? state.codec?.port ?? options.ports?.codec ?? (await freePort());
  let temporalUp: Promise<void> | undefined;
  const ensureTemporal = () =>
    (temporalUp ??= (async () => {
      if (state.temporal && (await temporalHealth(state.temporal))) {
        if (!state.temporal.uiCodecEndpoint) log('temporal was started without a codec endpoint: Temporal Web shows payloads encrypted until `stack down` and `stack up`');
        return log(`temporal already running (pid ${state.temporal.pid})`);
      }
      if (state.temporal) await stopTemporal(state.temporal);
      const binary = await ensureTemporalBinary({ log });
      const uiCodecEndpoint = codecServerUrl(codecPort);
      state.temporal = await startWithRetry('temporal', async () => startTemporal({ dir, port: await port('temporal'), uiPort: await port('temporalUi'), binary, uiCodecEndpoint }));
      log(`temporal started on 127.0.0.1:${state.temporal.port}, UI on ${state.temporal.uiPort} (pid ${state.temporal.pid})`);
    })());

  const ensure: Record<ServiceName, () => Promise<void>> = {
    temporal: ensureTemporal,
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
    codec: async () => {
      await ensureTemporal().catch(() => undefined);
      const corsOrigin = state.temporal ? `http://127.0.0.1:${state.temporal.uiPort}` : undefined;
      if (state.codec && state.codec.corsOrigin === corsOrigin && (await codecServerHealth(state.codec))) {
        if (state.codec.keyId !== codecKey.keyId) log(`codec server still serves key ${state.codec.keyId}; \`stack down\` and \`stack up\` to serve ${codecKey.keyId}`);
        return log(`codec server already running (pid ${state.codec.pid})`);
      }
      if (state.codec) await stopCodecServer(state.codec);
      const { keys, token } = readCodecSecrets(codecKey);
      let first = true;
      state.codec = await startWithRetry('codec server', async () => {
        // The first try takes the port Temporal Web was told about; a retry can only take another.
        const codecServerPort = first ? codecPort : await port('codec');
        first = false;
        return startCodecServerProcess({ dir, port: codecServerPort, keys, token, keyId: codecKey.keyId, corsOrigin });
      });
      if (state.codec.port !== codecPort) log(`codec server moved to port ${state.codec.port}: Temporal Web still asks ${codecServerUrl(codecPort)}`);
      log(`codec server started on ${codecServerUrl(state.codec.port)} (pid ${state.codec.pid})`);
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

function portOf(url: string | undefined): number | undefined {
  if (!url) return undefined;
  const port = Number(new URL(url).port);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
