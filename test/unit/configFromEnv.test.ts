import { describe, expect, it } from 'vitest';
import { configForRoles, configFromEnv } from '../../src/config.js';
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

describe('configForRoles', () => {
  const all = { RPC_URL: 'http://127.0.0.1:8545', S3_BUCKET: 'lake-bucket', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };

  it('a workflows worker needs no RPC, lake or warehouse setting and reads none it is given', () => {
    expect(() => configForRoles(['workflows'], {})).not.toThrow();
    const config = configForRoles(['workflows'], all);
    expect(config.rpcUrls).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.s3Bucket).toBeUndefined();
    expect(JSON.stringify(config)).not.toContain('postgres://');
    expect(config.temporalAddress).toBe('127.0.0.1:7233');
  });

  it('an export worker reads the node and the lake, never the warehouse', () => {
    const config = configForRoles(['export'], all);
    expect(config.rpcUrls).toEqual(['http://127.0.0.1:8545']);
    expect(config.s3Bucket).toBe('lake-bucket');
    expect(config.databaseUrl).toBeUndefined();
    expect(() => configForRoles(['export'], { S3_BUCKET: 'lake-bucket' })).toThrow(/RPC_URL: .*\(needed by the export role\)/);
  });

  it('a load worker reads the lake and the warehouse, never the node', () => {
    const config = configForRoles(['load'], all);
    expect(config.rpcUrls).toBeUndefined();
    expect(config.databaseUrl).toBe(all.DATABASE_URL);
    expect(() => configForRoles(['load'], { S3_BUCKET: 'lake-bucket' })).toThrow(/DATABASE_URL: .*\(needed by the load role\)/);
  });

  it('names every role that needs a missing setting, in one line', () => {
    const error = (() => {
      try {
        configForRoles(['workflows', 'export', 'load'], { RPC_URL: all.RPC_URL, DATABASE_URL: all.DATABASE_URL });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/S3_BUCKET: .*\(needed by the export and load roles\)/);
    expect(error?.message).not.toContain('\n');
  });
});
