import type { S3Client } from '@aws-sdk/client-s3';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { MIGRATIONS } from '../../../src/warehouse/migrations.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * A Redshift stand-in that records statements: the versions read before the lock lack the latest
 * migration; whether it is there once the lock is held is up to the test.
 */
function fakeRedshift(appliedWhileWaiting: boolean) {
  const statements: string[] = [];
  const client = {
    async query(sql: string, params: unknown[] = []) {
      statements.push(sql);
      if (/^SELECT version FROM \S+$/.test(sql)) return { rows: MIGRATIONS.filter((m) => m.version < LATEST).map((m) => ({ version: m.version })) };
      if (sql.includes('WHERE version = $1')) return { rows: appliedWhileWaiting && params[0] === LATEST ? [{ version: LATEST }] : [] };
      return { rows: [] };
    },
    release() {},
  };
  const deps: WarehouseDeps = {
    // The fake implements the two Pool members migrate uses (connect, and query/release on the client).
    pool: { connect: async () => client } as unknown as Pool,
    s3: {} as S3Client,
    lake: { bucket: 'unused', prefix: 'unused' },
    schema: 'ledgerflow',
    dialect: 'redshift',
    logger: createLogger('silent'),
  };
  return { deps, statements };
}

describe('migrate on Redshift (mock: no Redshift here)', () => {
  it('skips a migration that another migrate applied while this one waited for the lock', async () => {
    const { deps, statements } = fakeRedshift(true);
    const result = await migrate(deps);
    expect(result.applied).toEqual([]);
    expect(statements.some((s) => s.includes('RENAME TO'))).toBe(false);
    expect(statements.some((s) => s.startsWith('INSERT INTO ledgerflow.schema_migrations'))).toBe(false);
    expect(statements.slice(-4)).toEqual(['BEGIN', 'LOCK ledgerflow.schema_migrations', 'SELECT version FROM ledgerflow.schema_migrations WHERE version = $1', 'COMMIT']);
  });

  it('applies it, statements and record in one transaction, when it is still missing under the lock', async () => {
    const { deps, statements } = fakeRedshift(false);
    const result = await migrate(deps);
    expect(result.applied.map((m) => m.version)).toEqual([LATEST]);
    const begin = statements.indexOf('BEGIN');
    expect(statements.slice(begin, begin + 3)).toEqual(['BEGIN', 'LOCK ledgerflow.schema_migrations', 'SELECT version FROM ledgerflow.schema_migrations WHERE version = $1']);
    const latest = await MIGRATIONS.find((m) => m.version === LATEST)!.statements('redshift', 'ledgerflow');
    for (const statement of latest) expect(statements.slice(begin)).toContain(statement);
    expect(statements.at(-2)).toMatch(/^INSERT INTO ledgerflow.schema_migrations/);
    expect(statements.at(-1)).toBe('COMMIT');
  });
});
