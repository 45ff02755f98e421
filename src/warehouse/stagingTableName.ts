import { sqlIdentifier } from './sqlIdentifier.js';

/**
 * One staging table per (table, day), so loads of different days never share scratch space
 * (the Airflow DAG's single `<t>_copy_tmp` let concurrent days overwrite each other); with an
 * `attempt` suffix, one per load attempt, where no lock keeps two attempts of a day apart.
 */
export function stagingTableName(table: string, date: string, attempt?: string): string {
  return sqlIdentifier(`stg_${table}_${date.replaceAll('-', '')}${attempt ? `_${attempt}` : ''}`);
}
