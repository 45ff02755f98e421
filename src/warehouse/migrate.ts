import { MIGRATIONS, migrationsTable } from './migrations.js';
import { sqlIdentifier } from './sqlIdentifier.js';
import type { WarehouseDeps } from './types.js';

export interface MigrateResult {
  applied: Array<{ version: number; name: string }>;
  version: number;
}

/**
 * Brings the schema to the newest migration. Each migration runs in its own transaction with its
 * record in `schema_migrations`, so a crash leaves either all of it or none; a second `migrate`
 * at the same time waits for the first (PostgreSQL advisory lock, Redshift table lock).
 */
export async function migrate(deps: WarehouseDeps): Promise<MigrateResult> {
  const schema = sqlIdentifier(deps.schema);
  const table = migrationsTable(schema);
  const client = await deps.pool.connect();
  const applied: MigrateResult['applied'] = [];
  let failed = false;
  try {
    if (deps.dialect === 'postgres') await client.query('SELECT pg_advisory_lock(hashtext($1))', [`ledgerflow-migrate/${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER NOT NULL, name VARCHAR(200) NOT NULL, applied_at TIMESTAMP NOT NULL)`);
    const done = await client.query<{ version: number }>(`SELECT version FROM ${table}`);
    const versions = new Set(done.rows.map((r) => Number(r.version)));
    for (const migration of MIGRATIONS) {
      if (versions.has(migration.version)) continue;
      const statements = await migration.statements(deps.dialect, schema);
      await client.query('BEGIN');
      try {
        if (deps.dialect === 'redshift') await client.query(`LOCK ${table}`);
        // Redshift's lock is taken here, after the versions were read: a migrate that held it
        // meanwhile may have applied this one, and running it twice would swap tables twice.
        const already = await client.query(`SELECT version FROM ${table} WHERE version = $1`, [migration.version]);
        if (already.rows.length > 0) {
          await client.query('COMMIT');
          continue;
        }
        for (const statement of statements) await client.query(statement);
        await client.query(`INSERT INTO ${table} (version, name, applied_at) VALUES ($1, $2, $3)`, [
          migration.version,
          migration.name,
          new Date().toISOString().replace('T', ' ').replace('Z', ''),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push({ version: migration.version, name: migration.name });
      deps.logger.info({ schema, version: migration.version, migration: migration.name }, 'migration applied');
    }
    if (deps.dialect === 'postgres') await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`ledgerflow-migrate/${schema}`]);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // After a failure the session may still hold the lock: close it instead of pooling it.
    client.release(failed);
  }
  return { applied, version: Math.max(0, ...MIGRATIONS.map((m) => m.version)) };
}
