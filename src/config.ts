import { z } from 'zod';
import { ConfigurationError } from './errors/LedgerflowError.js';
import { ENTITY_NAMES, DEFAULT_DAILY_ENTITIES } from './chain/types.js';
import { LAKE_FORMAT_NAMES } from './lake/format/types.js';
import type { WorkerRole } from './workflows/names.js';

/**
 * One typed configuration, read from the environment (and overridden by CLI flags where a
 * command offers them). Secrets (RPC URLs with keys, DATABASE_URL passwords) stay here and in
 * activities; they never travel through workflow inputs or history.
 */
const csv = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

export const configSchema = z.object({
  rpcUrls: z.array(z.url()).min(1),
  rpcBatchSize: z.coerce.number().int().min(1).max(1000).default(100),
  rpcMaxRps: z.coerce.number().positive().default(500),
  rpcTimeoutMs: z.coerce.number().int().positive().default(30_000),
  rpcMaxRetries: z.coerce.number().int().min(0).default(5),
  rpcRetryBudgetMs: z.coerce.number().int().min(0).default(60_000),
  chainId: z.coerce.number().int().positive().optional(),
  finalityDepth: z.coerce.number().int().min(0).default(64),
  chunkSize: z.coerce.number().int().min(1).default(500),
  entities: z.array(z.enum(ENTITY_NAMES)).default([...DEFAULT_DAILY_ENTITIES]),
  s3Endpoint: z.url().optional(),
  s3Region: z.string().default('us-east-1'),
  s3Bucket: z.string().min(3),
  s3Prefix: z.string().default('ledgerflow'),
  // z.stringbool, not z.coerce.boolean: the latter reads the string "false" as true.
  s3ForcePathStyle: z.union([z.boolean(), z.stringbool()]).default(false),
  /** Format of the objects a day's export writes: gzip CSV (default; every lake sealed before Parquet) or Parquet. A load reads each object's format from its key. */
  lakeFormat: z.enum(LAKE_FORMAT_NAMES).default('csv'),
  /**
   * The lake's KMS key ARN: every PutObject, multipart upload and copy then asks for SSE-KMS with
   * it, as the bucket policy in terraform/ allows. Unset: no SSE headers (the bucket default
   * applies in AWS; local S3 servers have no KMS).
   */
  s3KmsKeyId: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), as the bucket policy compares it').optional(),
  databaseUrl: z.string().min(1),
  warehouseDialect: z.enum(['postgres', 'redshift']).default('postgres'),
  warehouseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('ledgerflow'),
  redshiftIamRole: z.string().optional(),
  /** Directory of user metric files (*.sql), read at run time beside the built-in ones; a ConfigMap volume in k8s. */
  metricsDir: z.string().min(1).optional(),
  temporalAddress: z.string().default('127.0.0.1:7233'),
  temporalNamespace: z.string().default('default'),
  temporalTls: z.union([z.boolean(), z.stringbool()]).default(false),
  /** Temporal Cloud API key; a secret, read from the environment only. */
  temporalApiKey: z.string().min(1).optional(),
  /** ed25519 private key (PEM text or a path to a PEM file) that signs day manifests; a secret. */
  signingKey: z.string().min(1).optional(),
  /** ed25519 public keys (PEM texts or paths, comma-separated) a verifier trusts; the signing key's own when absent. */
  trustedKeys: z.array(z.string().min(1)).default([]),
  /**
   * S3 Object Lock retention each sealed manifest is written with (the bucket policy in terraform/
   * refuses manifests without it). Unset locally: s3rver has no Object Lock.
   */
  manifestRetentionMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
  manifestRetentionDays: z.coerce.number().int().min(1).max(36_500).optional(),
  /** Seal without a signing key, saying so in the manifest; refused otherwise. */
  sealUnsigned: z.union([z.boolean(), z.stringbool()]).default(false),
  metricsPort: z.coerce.number().int().min(0).max(65535).default(9464),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

type Env = Record<string, string | undefined>;
type Key = keyof Config;

/**
 * The settings each worker role reads beyond the common ones (Temporal, logging, metrics, which
 * entities and chunks): the node for `export`, the lake for `export` and `load`, the warehouse for
 * `load`. A role never reads, and its Deployment never mounts, another section's secrets.
 */
const SECTIONS = {
  rpc: ['rpcUrls', 'rpcBatchSize', 'rpcMaxRps', 'rpcTimeoutMs', 'rpcMaxRetries', 'rpcRetryBudgetMs'],
  lake: ['s3Endpoint', 's3Region', 's3Bucket', 's3Prefix', 's3ForcePathStyle', 's3KmsKeyId', 'lakeFormat', 'signingKey', 'trustedKeys', 'manifestRetentionMode', 'manifestRetentionDays', 'sealUnsigned'],
  warehouse: ['databaseUrl', 'warehouseDialect', 'warehouseSchema', 'redshiftIamRole', 'metricsDir'],
} as const satisfies Record<string, readonly Key[]>;

export type Section = keyof typeof SECTIONS;
type SectionKey = (typeof SECTIONS)[Section][number];

export const ROLE_SECTIONS: Record<WorkerRole, readonly Section[]> = {
  workflows: [],
  export: ['rpc', 'lake'],
  load: ['lake', 'warehouse'],
  metrics: ['warehouse'],
};

/** What a worker running some roles has: the common settings, and the sections its roles need. */
export type RoleConfig = Omit<Config, SectionKey> & Partial<Pick<Config, SectionKey>>;

/** The common settings and the sections `S`, validated. */
export type SectionConfig<S extends Section> = RoleConfig & Pick<Config, (typeof SECTIONS)[S][number]>;

/**
 * The configuration of a worker running `roles`: only their sections are read and validated, so
 * a workflows worker starts with no RPC_URL or DATABASE_URL, and a missing setting names the
 * variable and the role that needs it.
 */
export function configForRoles(roles: readonly WorkerRole[], env: Env = process.env): RoleConfig {
  const sections = [...new Set(roles.flatMap((role) => ROLE_SECTIONS[role]))];
  return configForSections(sections, {
    env,
    neededBy: (section) => {
      const owners = roles.filter((role) => ROLE_SECTIONS[role].includes(section));
      return `the ${owners.join(' and ')} role${owners.length > 1 ? 's' : ''}`;
    },
    fix: 'set the named environment variables for this role (in k8s, its Deployment\'s secret; locally `eval "$(npx ledgerflow stack env)"`)',
  });
}

/**
 * The common settings and the named sections, nothing else: a command reads only what it uses
 * (the lake commands no DATABASE_URL, the warehouse commands no RPC_URL).
 */
export function configForSections<S extends Section>(
  sections: readonly S[],
  options: { env?: Env; overrides?: Partial<Record<Key, unknown>>; neededBy: (section: S) => string; fix?: string },
): SectionConfig<S> {
  const needed = new Set<Section>(sections);
  const skipped = new Set<Key>((Object.keys(SECTIONS) as Section[]).filter((section) => !needed.has(section)).flatMap((section) => SECTIONS[section]));
  const raw = Object.fromEntries(Object.entries({ ...rawFromEnv(options.env ?? process.env), ...options.overrides }).filter(([key]) => !skipped.has(key as Key)));
  const schema = configSchema.partial(Object.fromEntries([...skipped].map((key) => [key, true])) as Partial<Record<Key, true>>);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      const section = sections.find((s) => (SECTIONS[s] as readonly string[]).includes(key));
      return `${ENV_NAMES[key] ?? key}: ${issue.message}${section ? ` (needed by ${options.neededBy(section)})` : ''}`;
    });
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`, {
      fix: options.fix ?? 'set the named environment variables (`eval "$(npx ledgerflow stack env)"` sets them for the local stack)',
    });
  }
  const config = parsed.data as Record<string, unknown>;
  for (const key of skipped) delete config[key];
  return config as SectionConfig<S>;
}

/** Reads the configuration from environment variables; names match the `stack env` output. */
export function configFromEnv(env: Env = process.env, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw: Record<string, unknown> = { ...rawFromEnv(env), ...overrides };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${ENV_NAMES[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`, {
      fix: 'set the named environment variables (`eval "$(npx ledgerflow stack env)"` sets them for the local stack)',
    });
  }
  return parsed.data;
}

function rawFromEnv(env: Env): Record<string, unknown> {
  return {
    rpcUrls: env.RPC_URL ? csv(env.RPC_URL) : undefined,
    rpcBatchSize: env.RPC_BATCH_SIZE,
    rpcMaxRps: env.RPC_MAX_RPS,
    rpcTimeoutMs: env.RPC_TIMEOUT_MS,
    rpcMaxRetries: env.RPC_MAX_RETRIES,
    rpcRetryBudgetMs: env.RPC_RETRY_BUDGET_MS,
    chainId: env.CHAIN_ID,
    finalityDepth: env.FINALITY_DEPTH,
    chunkSize: env.CHUNK_SIZE,
    entities: env.LEDGERFLOW_ENTITIES ? csv(env.LEDGERFLOW_ENTITIES) : undefined,
    s3Endpoint: env.S3_ENDPOINT || undefined,
    s3Region: env.S3_REGION ?? env.AWS_REGION,
    s3Bucket: env.S3_BUCKET,
    s3Prefix: env.S3_PREFIX,
    s3ForcePathStyle: env.S3_FORCE_PATH_STYLE ?? (env.S3_ENDPOINT ? 'true' : undefined),
    s3KmsKeyId: env.LEDGERFLOW_S3_KMS_KEY_ID || undefined,
    lakeFormat: env.LEDGERFLOW_LAKE_FORMAT || undefined,
    databaseUrl: env.DATABASE_URL,
    warehouseDialect: env.WAREHOUSE_DIALECT,
    warehouseSchema: env.WAREHOUSE_SCHEMA,
    redshiftIamRole: env.REDSHIFT_IAM_ROLE,
    metricsDir: env.LEDGERFLOW_METRICS_DIR || undefined,
    ...temporalEnv(env),
    signingKey: env.LEDGERFLOW_SIGNING_KEY || undefined,
    trustedKeys: env.LEDGERFLOW_TRUSTED_KEYS ? csv(env.LEDGERFLOW_TRUSTED_KEYS) : undefined,
    sealUnsigned: env.LEDGERFLOW_SEAL_UNSIGNED,
    manifestRetentionMode: env.LEDGERFLOW_MANIFEST_RETENTION_MODE || undefined,
    manifestRetentionDays: env.LEDGERFLOW_MANIFEST_RETENTION_DAYS || undefined,
    metricsPort: env.METRICS_PORT,
    logLevel: env.LOG_LEVEL,
  };
}

function temporalEnv(env: Env) {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || undefined,
    temporalTls: env.TEMPORAL_TLS ?? (env.TEMPORAL_API_KEY ? 'true' : undefined),
    temporalApiKey: env.TEMPORAL_API_KEY || undefined,
  };
}

const temporalSchema = configSchema.pick({ temporalAddress: true, temporalNamespace: true, temporalTls: true, temporalApiKey: true });
export type TemporalSettings = z.infer<typeof temporalSchema>;

/**
 * Only the Temporal connection settings, for commands that talk to Temporal and nothing else
 * (run-day, backfill, schedule): they must not demand RPC_URL or DATABASE_URL.
 */
export function temporalSettingsFromEnv(env: Env = process.env): TemporalSettings {
  const parsed = temporalSchema.safeParse(temporalEnv(env));
  if (!parsed.success) {
    throw new ConfigurationError(`Invalid Temporal settings: ${parsed.error.issues.map((i) => `${ENV_NAMES[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; ')}`, {
      fix: 'set TEMPORAL_ADDRESS (host:port), TEMPORAL_NAMESPACE, TEMPORAL_TLS (true/false) and, for Temporal Cloud, TEMPORAL_API_KEY',
    });
  }
  return parsed.data;
}

const ENV_NAMES: Record<string, string> = {
  rpcUrls: 'RPC_URL',
  s3Bucket: 'S3_BUCKET',
  s3Endpoint: 'S3_ENDPOINT',
  s3KmsKeyId: 'LEDGERFLOW_S3_KMS_KEY_ID',
  lakeFormat: 'LEDGERFLOW_LAKE_FORMAT',
  databaseUrl: 'DATABASE_URL',
  entities: 'LEDGERFLOW_ENTITIES',
  chunkSize: 'CHUNK_SIZE',
  warehouseSchema: 'WAREHOUSE_SCHEMA',
  metricsDir: 'LEDGERFLOW_METRICS_DIR',
  temporalAddress: 'TEMPORAL_ADDRESS',
  temporalNamespace: 'TEMPORAL_NAMESPACE',
  temporalTls: 'TEMPORAL_TLS',
  temporalApiKey: 'TEMPORAL_API_KEY',
  signingKey: 'LEDGERFLOW_SIGNING_KEY',
  trustedKeys: 'LEDGERFLOW_TRUSTED_KEYS',
  sealUnsigned: 'LEDGERFLOW_SEAL_UNSIGNED',
  manifestRetentionMode: 'LEDGERFLOW_MANIFEST_RETENTION_MODE',
  manifestRetentionDays: 'LEDGERFLOW_MANIFEST_RETENTION_DAYS',
};
