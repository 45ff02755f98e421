import { sqlIdentifier } from './sqlIdentifier.js';

/**
 * One staging table per (table, day), so loads of different days never share scratch space
 * (the Airflow DAG's single `<t>_copy_tmp` let concurrent days overwrite each other).
 */
export function stagingTableName(table: string, date: string): string {
  return sqlIdentifier(`stg_${table}_${date.replaceAll('-', '')}`);
}
