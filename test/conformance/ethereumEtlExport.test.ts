import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsOf } from '../../src/chain/entities/registry.js';
import type { EntityName } from '../../src/chain/types.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { expectCsvMatches, expectJsonMatches } from './support/compareOutputs.js';
import { runCli } from './support/runCli.js';
import { derivedBlocks } from './support/derivedBlocks.js';
import { derivedLogs } from './support/derivedLogs.js';

const FIXTURES = '/work/shared/fixtures/ethereum-etl';
const fx = (...parts: string[]) => path.join(FIXTURES, ...parts);

interface Scenario {
  name: string;
  dirs: string[];
  start: number;
  end: number;
  entities: EntityName[];
  format: 'csv' | 'json';
  extraArgs?: string[];
  /** entity -> expected file */
  expected: Partial<Record<EntityName, string>>;
}

const traceBlocks: Array<[string, number]> = [
  ['block_without_transactions', 0],
  ['block_with_create', 1000690],
  ['block_with_suicide', 1011973],
  ['block_with_subtraces', 1000000],
  ['block_with_error', 1000895],
];
const gethBlocks: Array<[string, number]> = [
  ['block_without_transactions', 1],
  ['block_with_create', 1000690],
  ['block_with_suicide', 1011973],
  ['block_with_subtraces', 1000000],
  ['block_with_error', 1000895],
];

const scenarios: Scenario[] = [
  {
    name: 'blocks: block_without_transactions (genesis, envelope without id)',
    dirs: [fx('test_export_blocks_job/block_without_transactions')],
    start: 0, end: 0, entities: ['blocks', 'transactions'], format: 'csv',
    expected: { blocks: fx('test_export_blocks_job/block_without_transactions/expected_blocks.csv'), transactions: fx('test_export_blocks_job/block_without_transactions/expected_transactions.csv') },
  },
  {
    name: 'blocks: block_with_logs',
    dirs: [fx('test_export_blocks_job/block_with_logs')],
    start: 483920, end: 483920, entities: ['blocks', 'transactions'], format: 'csv',
    expected: { blocks: fx('test_export_blocks_job/block_with_logs/expected_blocks.csv'), transactions: fx('test_export_blocks_job/block_with_logs/expected_transactions.csv') },
  },
  ...[1, 2].map((batch): Scenario => ({
    name: `blocks: blocks_with_transactions, batch ${batch}`,
    dirs: [fx('test_export_blocks_job/blocks_with_transactions')],
    start: 47218, end: 47219, entities: ['blocks', 'transactions'], format: 'csv',
    extraArgs: ['--batch-size', String(batch), '--block-batch-size', String(batch)],
    expected: { blocks: fx('test_export_blocks_job/blocks_with_transactions/expected_blocks.csv'), transactions: fx('test_export_blocks_job/blocks_with_transactions/expected_transactions.csv') },
  })),
  ...(['csv', 'json'] as const).flatMap((format) => [1, 2].map((batch): Scenario => ({
    // The recorded node has no eth_getBlockReceipts: this also proves the per-transaction fallback.
    name: `receipts: receipts_with_logs, ${format}, batch ${batch}`,
    dirs: [fx('test_export_receipts_job/receipts_with_logs'), fx('test_export_blocks_job/block_with_logs')],
    start: 483920, end: 483920, entities: ['receipts', 'logs'], format,
    extraArgs: ['--batch-size', String(batch)],
    expected: { receipts: fx(`test_export_receipts_job/receipts_with_logs/expected_receipts.${format}`), logs: fx(`test_export_receipts_job/receipts_with_logs/expected_logs.${format}`) },
  }))),
  {
    name: 'token_transfers: block_with_transfers (from the block receipts rather than a log filter)',
    dirs: [fx('test_export_receipts_job/receipts_with_logs'), fx('test_export_blocks_job/block_with_logs')],
    start: 483920, end: 483920, entities: ['token_transfers'], format: 'csv',
    expected: { token_transfers: fx('test_export_token_transfers_job/block_with_transfers/expected_token_transfers.csv') },
  },
  {
    name: 'token_transfers: block_with_transfers through --contracts (eth_getLogs, answered from the recorded filter)',
    dirs: [fx('test_export_token_transfers_job/block_with_transfers'), fx('test_export_blocks_job/block_with_logs')],
    start: 483920, end: 483920, entities: ['token_transfers'], format: 'csv',
    extraArgs: ['--contracts', '0xF4ECED2F682CE333F96F2D8966C613DED8FC95DD,0x0000000000000000000000000000000000000001'],
    expected: { token_transfers: fx('test_export_token_transfers_job/block_with_transfers/expected_token_transfers.csv') },
  },
  ...traceBlocks.map(([folder, block]): Scenario => ({
    name: `traces: ${folder}`,
    dirs: [fx('test_export_traces_job', folder)],
    start: block, end: block, entities: ['traces'], format: 'csv',
    expected: { traces: fx('test_export_traces_job', folder, 'expected_traces.csv') },
  })),
  ...gethBlocks.map(([folder, block]): Scenario => ({
    name: `geth traces, extracted into traces (class B through the CLI): ${folder}`,
    dirs: [fx('test_extract_geth_traces_job', folder)],
    start: block, end: block, entities: ['traces'], format: 'csv',
    extraArgs: ['--traces-from', 'geth'],
    expected: { traces: fx('test_extract_geth_traces_job', folder, 'expected_traces.csv') },
  })),
  {
    name: 'stream: blocks_1755634_1755635 (blocks, transactions, logs, token transfers)',
    dirs: [fx('test_stream/blocks_1755634_1755635')],
    start: 1755634, end: 1755635, entities: ['blocks', 'transactions', 'logs', 'token_transfers'], format: 'json',
    expected: Object.fromEntries((['blocks', 'transactions', 'logs', 'token_transfers'] as const).map((e) => [e, fx('test_stream/blocks_1755634_1755635', `expected_${e}.json`)])),
  },
  ...['blocks_508110_508110', 'blocks_2112234_2112234'].map((folder): Scenario => {
    const block = Number(folder.split('_')[1]);
    return {
      name: `stream: ${folder} (traces, contracts, tokens at latest as ethereum-etl)`,
      dirs: [fx('test_stream', folder)],
      start: block, end: block, entities: ['traces', 'contracts', 'tokens'], format: 'json',
      extraArgs: ['--token-metadata-at', 'latest'],
      expected: Object.fromEntries((['traces', 'contracts', 'tokens'] as const).map((e) => [e, fx('test_stream', folder, `expected_${e}.json`)])),
    };
  }),
];

describe('ethereum-etl conformance through `ledgerflow export`', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'ledgerflow-conformance-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  scenarios.forEach((scenario, index) => {
    describe(scenario.name, () => {
      let server: ReplayServer;
      const out = path.join(work, `s${index}`);
      beforeAll(async () => {
        const blocks = derivedBlocks(scenario.dirs);
        const logs = derivedLogs(scenario.dirs);
        server = await startReplayServer({ dirs: scenario.dirs, handle: (method, params) => blocks(method, params) ?? logs(method, params) });
      });
      afterAll(async () => server.close());

      it('writes one file per entity that matches the expected output', async () => {
        const run = await runCli([
          'export', '--rpc', server.url, '--start-block', String(scenario.start), '--end-block', String(scenario.end),
          '--entities', scenario.entities.join(','), '--format', scenario.format, '--retries', '0', '--output', out,
          ...(scenario.extraArgs ?? []),
        ]);
        expect(run.stderr).not.toMatch(/error/i);
        expect(run.code).toBe(0);
        for (const entity of scenario.entities) {
          const expectedPath = scenario.expected[entity];
          if (!expectedPath) continue;
          const actualPath = path.join(out, `${entity}.${scenario.format}`);
          expect(run.stderr).toContain(`${createHash('sha256').update(readFileSync(actualPath)).digest('hex')}  ${actualPath}\n`);
          if (scenario.format === 'csv') expectCsvMatches(actualPath, expectedPath, columnsOf(entity));
          else expectJsonMatches(actualPath, expectedPath, columnsOf(entity));
        }
      });
    });
  });

  describe('geth_traces export (class A): byte-exact JSON lines', () => {
    gethBlocks.forEach(([folder, block]) => {
      it(folder, async () => {
        const dirs = [fx('test_extract_geth_traces_job', folder)];
        const server = await startReplayServer({ dirs, handle: derivedBlocks(dirs) });
        const out = path.join(work, `geth-${folder}`);
        try {
          const run = await runCli(['export', '--rpc', server.url, '--start-block', String(block), '--end-block', String(block),
            '--entities', 'geth_traces', '--format', 'json', '--retries', '0', '--output', out]);
          expect(run.code).toBe(0);
        } finally {
          await server.close();
        }
        const expected = readFileSync(fx('test_extract_geth_traces_job', folder, 'geth_traces.json'), 'utf8');
        expect(readFileSync(path.join(out, 'geth_traces.json'), 'utf8')).toBe(`${expected.trimEnd()}\n`);
      });
    });
  });
});
