import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config.js';
import { temporalConnectionOptions } from '../../src/temporalConnectionOptions.js';

const base = { RPC_URL: 'http://127.0.0.1:8545', S3_BUCKET: 'ledgerflow-lake', DATABASE_URL: 'postgres://x@127.0.0.1/db' };

describe('configFromEnv', () => {
  it('reads "false" as false, not as a non-empty string', () => {
    expect(configFromEnv({ ...base, S3_FORCE_PATH_STYLE: 'false', TEMPORAL_TLS: 'false' })).toMatchObject({ s3ForcePathStyle: false, temporalTls: false });
    expect(configFromEnv({ ...base, S3_FORCE_PATH_STYLE: 'true' }).s3ForcePathStyle).toBe(true);
  });

  it('turns TLS on for Temporal Cloud when an API key is set', () => {
    const config = configFromEnv({ ...base, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k-123' });
    expect(temporalConnectionOptions(config)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'k-123' });
    expect(temporalConnectionOptions(configFromEnv(base))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('names the missing variables and how to set them', () => {
    expect(() => configFromEnv({ RPC_URL: 'http://127.0.0.1:8545' })).toThrow(/S3_BUCKET.*DATABASE_URL|DATABASE_URL.*S3_BUCKET/);
    expect(() => configFromEnv({})).toThrow(/stack env/);
  });
});
