import type { Entity } from '../../../src/chain/entities/entity.js';
import { columnsOf, entityOf } from '../../../src/chain/entities/registry.js';
import { fetchBlockBundles } from '../../../src/chain/fetchBlockBundles.js';
import type { RpcClient } from '../../../src/chain/rpc/types.js';
import type { EntityName } from '../../../src/chain/types.js';
import { csvFormat } from '../../../src/lake/format/csvFormat.js';

/** The exporter's work for one batch (fetch, checks, rows, CSV lines), as one text per entity. */
export async function batchText(rpc: RpcClient, first: number, last: number, names: readonly EntityName[]): Promise<string[]> {
  const entities: Entity[] = names.map((name) => entityOf(name));
  const columns = names.map((name) => columnsOf(name));
  const numbers: number[] = [];
  for (let n = first; n <= last; n++) numbers.push(n);
  const sources = new Set(entities.flatMap((e) => e.needs));
  const bundles = await fetchBlockBundles(numbers, { rpc, sources, traceSource: 'trace_block' });
  const texts = names.map(() => '');
  for (const bundle of bundles) {
    entities.forEach((entity, k) => {
      for (const row of entity.toRows(bundle)) texts[k] += csvFormat.row(columns[k] as readonly string[], row);
    });
  }
  return texts;
}
