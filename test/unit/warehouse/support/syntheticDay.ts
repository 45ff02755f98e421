import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BlockRange } from '../../../../src/chain/types.js';
import type { Row } from '../../../../src/lake/format/types.js';
import { objectKey } from '../../../../src/lake/objectKey.js';
import type { LakeFormatName } from '../../../../src/lake/format/types.js';
import { createS3LakeSink } from '../../../../src/lake/s3LakeSink.js';
import type { DayManifest, LakeFile } from '../../../../src/lake/types.js';
import { TABLE_DEFS, WAREHOUSE_TABLES, type WarehouseTableName } from '../../../../src/warehouse/tables.js';

export const UINT256_MAX = 2n ** 256n - 1n;
const ZERO = '0x0000000000000000000000000000000000000000';
const PARTITIONS = [`0x${'a1'.repeat(32)}`, `0x${'b2'.repeat(32)}`];

export interface SyntheticDayOptions {
  date: string;
  firstBlock: number;
  blocks: number;
  txPerBlock: number;
  /** Distinct addresses to draw senders and recipients from. */
  addresses?: number;
}

export type DayRows = Record<WarehouseTableName, Row[]>;

/**
 * Deterministic warehouse rows for one day, shaped as the exporter writes them: blocks spread
 * over the day, transactions with receipts (every 7th failed), ERC-20 transfers (one of them
 * uint256 max), ERC-1155 transfers and ERC-1400 partition events that move balances between a
 * few holders. Same options, same rows.
 */
export function syntheticDay(options: SyntheticDayOptions): DayRows {
  const rows: DayRows = Object.fromEntries(WAREHOUSE_TABLES.map((t) => [t, [] as Row[]])) as unknown as DayRows;
  const dayStart = Date.parse(`${options.date}T00:00:00Z`) / 1000;
  const step = Math.floor(86_400 / options.blocks);
  const addressCount = options.addresses ?? 50;
  const address = (i: number) => `0x${(i % addressCount + 1).toString(16).padStart(40, '0')}`;
  const tokens = [address(1001).replace(/^0x0/, '0xe'), address(1002).replace(/^0x0/, '0xe')];
  const securityToken = `0x${'5'.repeat(40)}`;
  let previousHash = hash('genesis', options.firstBlock - 1);

  for (let i = 0; i < options.blocks; i++) {
    const number = options.firstBlock + i;
    const timestamp = dayStart + i * step;
    const blockHash = hash('block', number);
    let gasUsed = 0n;
    for (let t = 0; t < options.txPerBlock; t++) {
      const txHash = hash('tx', number * 10_000 + t);
      const from = address(number * 7 + t);
      const to = t % 11 === 5 ? null : address(number * 13 + t * 3);
      const failed = (number + t) % 7 === 0;
      const gas = 21_000n + BigInt(t * 1000);
      gasUsed += gas;
      rows.transactions.push({
        hash: txHash, nonce: BigInt(number), block_hash: blockHash, block_number: BigInt(number), transaction_index: BigInt(t),
        from_address: from, to_address: to, value: BigInt(number) * 10n ** 15n, gas, gas_price: 30n * 10n ** 9n,
        input: '0x', block_timestamp: BigInt(timestamp), max_fee_per_gas: 40n * 10n ** 9n, max_priority_fee_per_gas: 10n ** 9n,
        transaction_type: 2n, max_fee_per_blob_gas: null, blob_versioned_hashes: [],
      });
      rows.receipts.push({
        transaction_hash: txHash, transaction_index: BigInt(t), block_hash: blockHash, block_number: BigInt(number),
        cumulative_gas_used: gasUsed, gas_used: gas, contract_address: to === null ? address(number + 900) : null, root: null,
        status: failed ? 0n : 1n, effective_gas_price: 20n * 10n ** 9n + BigInt(number % 5), l1_fee: null, l1_gas_used: null,
        l1_gas_price: null, l1_fee_scalar: null, blob_gas_price: null, blob_gas_used: null,
      });
      if (!failed && t % 2 === 0) {
        const token = tokens[t % 2] as string;
        const value = number === options.firstBlock && t === 0 ? UINT256_MAX : BigInt(number * 1000 + t);
        rows.logs.push({
          log_index: BigInt(t), transaction_hash: txHash, transaction_index: BigInt(t), block_hash: blockHash, block_number: BigInt(number),
          address: token, data: `0x${value.toString(16).padStart(64, '0')}`,
          topics: ['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef', pad(from), pad(to ?? ZERO)],
        });
        rows.token_transfers.push({
          token_address: token, from_address: from, to_address: to ?? ZERO, value, transaction_hash: txHash,
          log_index: BigInt(t), block_number: BigInt(number),
        });
      }
      if (!failed && t % 5 === 1) {
        rows.erc1155_transfers.push({
          token_address: `0x${'7'.repeat(40)}`, operator: from, from_address: from, to_address: to ?? ZERO, token_id: UINT256_MAX - BigInt(t),
          value: BigInt(t + 1), event_type: 'TransferSingle', batch_index: 0n, transaction_hash: txHash, transaction_index: BigInt(t),
          log_index: BigInt(100 + t), block_number: BigInt(number), block_hash: blockHash,
        });
      }
      if (!failed && t % 3 === 2) {
        rows.security_token_events.push(securityTokenEvent(number, t, txHash, blockHash, securityToken, address));
        rows.security_token_events.push(outsizedSecurityTokenEvent(number, t, txHash, blockHash));
      }
    }
    rows.blocks.push({
      number: BigInt(number), hash: blockHash, parent_hash: previousHash, nonce: '0x0000000000000000', sha3_uncles: hash('uncles', 0),
      logs_bloom: `0x${'0'.repeat(512)}`, transactions_root: hash('txroot', number), state_root: hash('state', number),
      receipts_root: hash('receipts', number), miner: address(number), difficulty: 0n, total_difficulty: null, size: 1000n + BigInt(i),
      extra_data: '0x', gas_limit: 30_000_000n, gas_used: gasUsed, timestamp: BigInt(timestamp), transaction_count: BigInt(options.txPerBlock),
      base_fee_per_gas: 10n ** 9n + BigInt(number % 13), withdrawals_root: null, withdrawals: [], blob_gas_used: null, excess_blob_gas: null,
    });
    if (i === 0) {
      rows.contracts.push({ address: address(number + 900), bytecode: '0x6080', function_sighashes: ['0x06fdde03', '0xa9059cbb'], is_erc20: true, is_erc721: false, block_number: BigInt(number) });
      rows.tokens.push({ address: address(number + 900), symbol: 'TKN', name: 'Token, "quoted"', decimals: 18n, total_supply: UINT256_MAX, block_number: BigInt(number) });
    }
    previousHash = blockHash;
  }
  return rows;
}

function securityTokenEvent(number: number, t: number, txHash: string, blockHash: string, token: string, address: (i: number) => string): Row {
  const partition = PARTITIONS[number % 2] as string;
  const holder = address(number % 5);
  const other = address((number + 1) % 5);
  // Issue into a holder, then move part of it on, redeem a little: balances stay positive.
  const kind = number % 3;
  const base = {
    event_signature: '', block_number: BigInt(number), block_hash: blockHash, transaction_hash: txHash, transaction_index: BigInt(t),
    log_index: BigInt(200 + t), token_address: token, partition, to_partition: null, operator: address(0), data: '0x',
    operator_data: '0x', document_name: null, document_uri: null, document_hash: null, decoded: true, topics: [], log_data: '0x',
  };
  if (kind === 0) return { ...base, event_name: 'IssuedByPartition', from_address: null, to_address: holder, amount: 1000n + BigInt(t) };
  if (kind === 1) return { ...base, event_name: 'TransferByPartition', from_address: address((number - 1) % 5), to_address: other, amount: 10n };
  return { ...base, event_name: 'RedeemedByPartition', from_address: address((number - 2) % 5), to_address: null, amount: 1n };
}

const OUTSIZED_TOKEN = `0x${'6'.repeat(40)}`;
const OUTSIZED_HOLDERS = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000a2', '0x00000000000000000000000000000000000000a3'];

/**
 * Another token whose amounts need every digit of uint256 and cross the 26-digit limb boundaries:
 * holder 1 piles up issues of nearly 2^256 (past 78 digits in total), holder 3 is redeemed from
 * before it receives anything, so its balance goes negative and back, and so its holder count.
 */
function outsizedSecurityTokenEvent(number: number, t: number, txHash: string, blockHash: string): Row {
  const [h1, h2, h3] = OUTSIZED_HOLDERS as [string, string, string];
  const base = {
    event_signature: '', block_number: BigInt(number), block_hash: blockHash, transaction_hash: txHash, transaction_index: BigInt(t),
    log_index: BigInt(300 + t), token_address: OUTSIZED_TOKEN, partition: PARTITIONS[0] as string, to_partition: null,
    operator: h1, data: '0x', operator_data: '0x', document_name: null, document_uri: null, document_hash: null, decoded: true,
    topics: [], log_data: '0x',
  };
  switch ((number + t) % 5) {
    case 0:
      return { ...base, event_name: 'IssuedByPartition', from_address: null, to_address: h1, amount: UINT256_MAX - BigInt(number) };
    case 1:
      return { ...base, event_name: 'TransferByPartition', from_address: h1, to_address: h2, amount: 10n ** 52n + BigInt(number) };
    case 2:
      return { ...base, event_name: 'RedeemedByPartition', from_address: h3, to_address: null, amount: 3n * 10n ** 26n + 1n };
    case 3:
      return { ...base, event_name: 'TransferByPartition', from_address: h2, to_address: h3, amount: 10n ** 52n - 1n };
    default:
      return { ...base, event_name: 'IssuedByPartition', from_address: null, to_address: h3, amount: 10n ** 38n + 5n };
  }
}

function hash(kind: string, n: number): string {
  return `0x${createHash('sha256').update(`${kind}:${n}`).digest('hex')}`;
}

function pad(addr: string): string {
  return `0x${addr.slice(2).padStart(64, '0')}`;
}

export interface WriteLakeDayInput {
  s3: S3Client;
  bucket: string;
  prefix: string;
  chainId: number;
  date: string;
  range: BlockRange;
  rows: DayRows;
  /** Split the day into this many chunk files per entity. */
  chunks?: number;
  /** The lake format of the objects; gzip CSV unless set. */
  format?: LakeFormatName;
}

/** Writes a day's rows to the lake with the lake's own sink and returns its manifest. */
export async function writeLakeDay(input: WriteLakeDayInput): Promise<DayManifest> {
  const chunkCount = input.chunks ?? 2;
  const size = Math.ceil((input.range.end - input.range.start + 1) / chunkCount);
  const ranges: BlockRange[] = [];
  for (let start = input.range.start; start <= input.range.end; start += size) {
    ranges.push({ start, end: Math.min(input.range.end, start + size - 1) });
  }
  const files: LakeFile[] = [];
  for (const table of WAREHOUSE_TABLES) {
    const def = TABLE_DEFS[table];
    const columns = def.columns.map((c) => c.name);
    for (const range of ranges) {
      const format = input.format ?? 'csv';
      const key = objectKey({ prefix: input.prefix, chainId: input.chainId, entity: table, date: input.date, range, format });
      const sink = createS3LakeSink({ s3: input.s3, bucket: input.bucket, key, format, entity: table, columns });
      for (const row of input.rows[table]) {
        const block = Number(row[def.blockColumn]);
        if (block >= range.start && block <= range.end) await sink.write(row);
      }
      const result = await sink.close();
      files.push({ entity: table, key, sha256: result.sha256, bytes: result.bytes, rows: result.rows, range });
    }
  }
  const firstHash = String(input.rows.blocks[0]?.hash ?? hash('block', input.range.start));
  const lastHash = String(input.rows.blocks.at(-1)?.hash ?? hash('block', input.range.end));
  return {
    manifestVersion: 1,
    chainId: input.chainId,
    date: input.date,
    range: input.range,
    firstBlockHash: firstHash,
    lastBlockHash: lastHash,
    entities: [...WAREHOUSE_TABLES],
    chunks: ranges.map((range, index) => ({ index, range, firstParentHash: firstHash, firstBlockHash: firstHash, lastBlockHash: lastHash })),
    files,
    exporterVersion: 'test',
    nodeClientVersion: 'synthetic',
  };
}
