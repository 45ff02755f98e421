import path from 'node:path';
import type { EntityName } from '../../../src/chain/entities/registry.js';
import { runExport, type ExportOptions } from '../../../src/cli/actions/export.js';
import type { FileFormatName } from '../../../src/lake/format/types.js';
import { derivedBlocks } from '../../conformance/support/derivedBlocks.js';
import { derivedLogs } from '../../conformance/support/derivedLogs.js';
import { startReplayServer } from '../../support/replayServer.js';

const FIXTURES = '/work/shared/fixtures/ethereum-etl';

/** A recorded range of ethereum-etl's own test fixtures, served by a local JSON-RPC replay server. */
export interface FixtureRange {
  name: string;
  dirs: string[];
  start: number;
  end: number;
  entities: EntityName[];
  options?: Partial<ExportOptions>;
}

/** Between them, every column type: hex, amounts, nullable fields, lists, booleans, uint64, JSON. */
export const FIXTURE_RANGES: readonly FixtureRange[] = [
  { name: 'stream 1755634-1755635', dirs: [`${FIXTURES}/test_stream/blocks_1755634_1755635`], start: 1755634, end: 1755635, entities: ['blocks', 'transactions', 'logs', 'token_transfers'] },
  {
    name: 'receipts 483920',
    dirs: [`${FIXTURES}/test_export_receipts_job/receipts_with_logs`, `${FIXTURES}/test_export_blocks_job/block_with_logs`],
    start: 483920, end: 483920, entities: ['blocks', 'receipts', 'logs'],
  },
  { name: 'traces 1000000', dirs: [`${FIXTURES}/test_export_traces_job/block_with_subtraces`], start: 1000000, end: 1000000, entities: ['traces'] },
  { name: 'stream 2112234', dirs: [`${FIXTURES}/test_stream/blocks_2112234_2112234`], start: 2112234, end: 2112234, entities: ['traces', 'contracts', 'tokens'], options: { tokenMetadataAt: 'latest' } },
  { name: 'geth 1000690', dirs: [`${FIXTURES}/test_extract_geth_traces_job/block_with_create`], start: 1000690, end: 1000690, entities: ['geth_traces'] },
];

/** `ledgerflow export` of the range in one format into `out` (the CLI's action, in this process). */
export async function exportFixture(range: FixtureRange, format: FileFormatName, out: string, options: Partial<ExportOptions> = {}): Promise<void> {
  const blocks = derivedBlocks(range.dirs);
  const logs = derivedLogs(range.dirs);
  const server = await startReplayServer({ dirs: range.dirs, handle: (method, params) => blocks(method, params) ?? logs(method, params) });
  try {
    await runExport(
      {
        rpc: server.url,
        startBlock: String(range.start),
        endBlock: String(range.end),
        entities: range.entities.join(','),
        format,
        batchSize: '100',
        blockBatchSize: '50',
        inFlightMib: '8',
        retries: '0',
        output: out,
        tokenMetadataAt: 'block',
        tracesFrom: 'trace_block',
        ...range.options,
        ...options,
      },
      false,
    );
  } finally {
    await server.close();
  }
}

export function entityFile(out: string, entity: EntityName, format: FileFormatName): string {
  return path.join(out, `${entity}.${format}`);
}
