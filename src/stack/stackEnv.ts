import { StackError } from './StackError.js';
import { anvilUrl } from './anvilNode.js';
import { readCodecSecrets } from './codecKey.js';
import { codecServerUrl } from './codecServerProcess.js';
import { databaseUrl } from './postgresCluster.js';
import { S3_BUCKET, S3RVER_CREDENTIALS, s3Endpoint } from './s3Server.js';
import type { StackState } from './stackState.js';

/**
 * The environment a running stack hands to the CLI, the workers and the tests. Plain strings, as
 * `stack env` prints them and config.ts reads them; serialisable for vitest's provide/inject.
 */
export interface StackEnv {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_UI_URL: string;
  DATABASE_URL: string;
  S3_ENDPOINT: string;
  S3_BUCKET: string;
  S3_FORCE_PATH_STYLE: string;
  S3_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  RPC_URL: string;
  CHAIN_ID: string;
  FINALITY_DEPTH: string;
  /** Complete generated UTC days, comma-separated YYYY-MM-DD. */
  LEDGERFLOW_DAYS: string;
  LEDGERFLOW_STACK_DIR: string;
  /** Path of the dev ed25519 private key (PEM) that seals day manifests; the path, never the key. */
  LEDGERFLOW_SIGNING_KEY: string;
  /** Path of its public key (PEM), the one key verification trusts locally. */
  LEDGERFLOW_TRUSTED_KEYS: string;
  /**
   * The payload codec key (`id=base64`): workers, clients and the demo encrypt every payload with
   * it. The key itself, read from its 0600 file, as workers take it from a secret in production.
   */
  LEDGERFLOW_CODEC_KEYS?: string;
  /** Bearer token of the codec server (`temporal ... --codec-auth "Bearer $LEDGERFLOW_CODEC_TOKEN"`). */
  LEDGERFLOW_CODEC_TOKEN?: string;
  /** The codec server (`temporal ... --codec-endpoint $LEDGERFLOW_CODEC_ENDPOINT`). */
  LEDGERFLOW_CODEC_ENDPOINT?: string;
}

export function stackEnvOf(state: StackState): StackEnv {
  const { temporal, postgres, s3, anvil, signingKey, codecKey, codec } = state;
  if (!temporal || !postgres || !s3 || !anvil) {
    const missing = (['temporal', 'postgres', 's3', 'anvil'] as const).filter((name) => !state[name]);
    throw new StackError(`The local stack is not up: ${missing.join(', ')} not started`, {
      context: { dir: state.dir },
      fix: 'run `ledgerflow stack up` (with the same --dir)',
    });
  }
  if (!signingKey) {
    throw new StackError('The local stack has no manifest signing key (it was created before signed manifests)', {
      context: { dir: state.dir },
      fix: 'run `ledgerflow stack up` (with the same --dir): it adds a dev key pair and leaves running services alone',
    });
  }
  return {
    TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${temporal.uiPort}`,
    DATABASE_URL: databaseUrl(postgres.port),
    S3_ENDPOINT: s3Endpoint(s3.port),
    S3_BUCKET,
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    RPC_URL: anvilUrl(anvil.port),
    CHAIN_ID: String(anvil.seed.chainId),
    FINALITY_DEPTH: String(anvil.seed.options.finalityDepth),
    LEDGERFLOW_DAYS: anvil.seed.days.map((d) => d.date).join(','),
    LEDGERFLOW_STACK_DIR: state.dir,
    LEDGERFLOW_SIGNING_KEY: signingKey.privateKeyPath,
    LEDGERFLOW_TRUSTED_KEYS: signingKey.publicKeyPath,
    // A stack from before encrypted payloads has no key yet (its next `stack up` adds one): plaintext until then.
    ...(codecKey ? codecEnv(codecKey) : {}),
    ...(codec ? { LEDGERFLOW_CODEC_ENDPOINT: codecServerUrl(codec.port) } : {}),
  };
}

function codecEnv(record: NonNullable<StackState['codecKey']>): Pick<StackEnv, 'LEDGERFLOW_CODEC_KEYS' | 'LEDGERFLOW_CODEC_TOKEN'> {
  const { keys, token } = readCodecSecrets(record);
  return { LEDGERFLOW_CODEC_KEYS: keys, LEDGERFLOW_CODEC_TOKEN: token };
}

/** `export NAME='value'` lines for `eval "$(ledgerflow stack env)"`. */
export function formatExports(env: StackEnv): string {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
