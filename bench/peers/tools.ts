import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { S3_BUCKET, S3RVER_CREDENTIALS } from '../../src/stack/s3Server.js';
import type { Step } from './measure.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const ENTITIES = 'blocks,transactions,receipts,logs,token_transfers';
const ETL_VENV_BIN = path.join(homedir(), '.cache/ledgerflow/peers/etl/bin');
const CARGO_BIN = path.join(homedir(), '.cargo/bin');

export interface RunContext {
  url: string;
  /** Inclusive last block of the range; the range starts at 0. */
  end: number;
  /** An empty directory for this run's output. */
  out: string;
}

export interface Tool {
  name: string;
  /** The command lines of one export of the range, run and timed one after another. */
  steps(run: RunContext): Step[];
  /** Where its output lands, when not in `run.out`. */
  outputOf?(run: RunContext): string;
}

/** The first of `dirs` (then PATH) holding an executable `name`. */
function findBinary(name: string, dirs: string[]): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [...pathDirs, ...dirs].map((dir) => path.join(dir, name)).find((file) => existsSync(file));
}

export const ledgerflowCsv: Tool = {
  name: 'Ledgerflow export (CSV files)',
  steps: ({ url, end, out }) => [
    { command: process.execPath, args: [CLI, 'export', '--rpc', url, '--start-block', '0', '--end-block', String(end), '--entities', ENTITIES, '--output', out] },
  ],
};

/** The same export as Parquet files: the line to hold against cryo's Parquet. */
export const ledgerflowParquet: Tool = {
  name: 'Ledgerflow export (Parquet files)',
  steps: (run) => ledgerflowCsv.steps(run).map((step) => ({ ...step, args: [...step.args, '--format', 'parquet'] })),
};

/**
 * `lake export-day`: the production path (day range search, chunks of CHUNK_SIZE blocks, two at a
 * time, deterministic gzip CSV, S3 multipart upload, a sealed manifest). The chain's range is one
 * UTC day; a fresh prefix per run, since a sealed day is otherwise skipped.
 */
export function ledgerflowLake(s3: { endpoint: string; directory: string }, day: string): Tool {
  return {
    name: 'Ledgerflow lake export-day (gzip, S3)',
    // s3rver keeps a bucket as a directory tree under its own.
    outputOf: ({ out }) => path.join(s3.directory, S3_BUCKET, path.basename(out)),
    steps: ({ url, out }) => [
      {
        command: process.execPath,
        args: [CLI, 'lake', 'export-day', '--date', day, '--unsigned'],
        env: {
          RPC_URL: url,
          FINALITY_DEPTH: '0',
          LEDGERFLOW_ENTITIES: ENTITIES,
          S3_ENDPOINT: s3.endpoint,
          S3_BUCKET,
          S3_PREFIX: path.basename(out),
          S3_REGION: 'us-east-1',
          S3_FORCE_PATH_STYLE: 'true',
          AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
          LEDGERFLOW_SIGNING_KEY: '',
        },
      },
    ],
  };
}

/** The same JSON-RPC requests as the exporter, parsed and dropped (bench/export's baseline). */
export const bareLoop: Tool = {
  name: 'bare fetch+parse loop (Node, tsx)',
  steps: ({ url, end }) => [
    { command: process.execPath, args: ['--import', 'tsx', path.join(import.meta.dirname, 'rawFetchChild.ts'), url, String(end + 1)], cwd: ROOT },
  ],
};

export interface Peer {
  tool?: Tool;
  /** Why it is left out and the line that installs it. */
  missing?: string;
  version?: string;
}

export function cryoPeers(): Peer[] {
  const cryo = findBinary('cryo', [CARGO_BIN]);
  if (!cryo) return [{ missing: 'cryo not found on PATH or in ~/.cargo/bin; install: cargo install cryo_cli  (~25 min on 2 cores)' }];
  // cryo's block ranges are end-exclusive.
  const args = (url: string, end: number, out: string) => ['blocks', 'transactions', 'logs', 'erc20_transfers', '-b', `0:${end + 1}`, '--rpc', url, '--output-dir', out, '--no-report'];
  return [
    { tool: { name: 'cryo (CSV)', steps: ({ url, end, out }) => [{ command: cryo, args: [...args(url, end, out), '--csv'] }] } },
    { tool: { name: 'cryo (Parquet)', steps: ({ url, end, out }) => [{ command: cryo, args: args(url, end, out) }] } },
  ];
}

export function ethereumEtlPeer(): Peer {
  const etl = findBinary('ethereumetl', [ETL_VENV_BIN]);
  if (!etl) {
    return {
      missing:
        'ethereumetl not found on PATH or in ~/.cache/ledgerflow/peers/etl/bin; install (Python 3.10, it does not import on 3.11): ' +
        '~/.pyenv/versions/3.10.13/bin/python -m venv ~/.cache/ledgerflow/peers/etl && ~/.cache/ledgerflow/peers/etl/bin/pip install ethereum-etl==2.4.2',
    };
  }
  return {
    tool: {
      name: 'ethereum-etl 2.4.2 (CSV)',
      // Its documented four-step recipe; receipts are fetched by transaction hash.
      steps: ({ url, end, out }) => {
        const file = (name: string) => path.join(out, name);
        return [
          { command: etl, args: ['export_blocks_and_transactions', '--start-block', '0', '--end-block', String(end), '--provider-uri', url, '--blocks-output', file('blocks.csv'), '--transactions-output', file('transactions.csv')] },
          { command: etl, args: ['extract_csv_column', '--input', file('transactions.csv'), '--column', 'hash', '--output', file('tx_hashes.txt')] },
          { command: etl, args: ['export_receipts_and_logs', '--transaction-hashes', file('tx_hashes.txt'), '--provider-uri', url, '--receipts-output', file('receipts.csv'), '--logs-output', file('logs.csv')] },
          { command: etl, args: ['extract_token_transfers', '--logs', file('logs.csv'), '--output', file('token_transfers.csv')] },
        ];
      },
    },
  };
}
