import { describe, expect, it } from 'vitest';
import { configForRoles } from '../../../src/config.js';
import { ConfigurationError } from '../../../src/errors/LedgerflowError.js';
import { createLogger } from '../../../src/log.js';
import { createActivityDeps } from '../../../src/workers/activityDeps.js';

const logger = createLogger('silent');
const env = { RPC_URL: 'http://127.0.0.1:1', S3_BUCKET: 'lake-bucket', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' };

describe('activity dependencies per worker role', () => {
  it('a load worker holds no RPC pool: a node call fails at once, naming RPC_URL and the export role', async () => {
    const { deps, close } = createActivityDeps(configForRoles(['load'], env), logger);
    const error = await deps.chainId(new AbortController().signal).catch((e: unknown) => e);
    await close();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/no RPC endpoint \(RPC_URL is not read by its LEDGERFLOW_ROLES\)/);
  });

  it('an export worker holds no database pool: a warehouse call fails at once, naming DATABASE_URL', async () => {
    const { deps, close } = createActivityDeps(configForRoles(['export'], env), logger);
    const error = await deps.migrate().catch((e: unknown) => e);
    await close();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/no warehouse \(DATABASE_URL/);
  });

  it('a metrics worker runs SQL without the lake: it reads the metric registry, and a lake call names S3_BUCKET', async () => {
    const { deps, close } = createActivityDeps(configForRoles(['metrics'], { DATABASE_URL: env.DATABASE_URL }), logger);
    const registry = await deps.metricRegistry();
    const error = await deps.readManifest('key', new AbortController().signal).catch((e: unknown) => e);
    await close();
    expect(registry.metrics.map((m) => m.name)).toContain('active_addresses');
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/no lake \(S3_BUCKET/);
  });
});
