import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { parquetRowCount } from './parquetRowCount.js';

/** Longest first, so `token_transfers` is not taken for a shorter name inside it. */
const ENTITY_NAMES = ['erc20_transfers', 'token_transfers', 'transactions', 'receipts', 'blocks', 'logs'];

export interface OutputSummary {
  bytes: number;
  /** Data rows per entity, headers excluded. */
  rows: Map<string, number>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function entityOf(file: string): string | undefined {
  const name = path.basename(file);
  return ENTITY_NAMES.find((entity) => name.includes(entity));
}

/** Newlines in a file (gunzipped first for .gz); CSV cells here never hold a newline. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  const source = createReadStream(file);
  const stream = /\.gz(\._S3rver_object)?$/.test(file) ? source.pipe(createGunzip()) : source;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/** s3rver keeps each object's bytes as `<bucket>/<key>._S3rver_object`. */
const DATA_FILE = /\.(csv|csv\.gz|parquet)(\._S3rver_object)?$/;

/**
 * Size of the data files a tool wrote (entity files only: not tx hash lists, manifests, logs) and
 * its rows per entity: CSV lines minus one header per file, gzipped or not; Parquet from each
 * file's footer.
 */
export async function summarizeOutput(dir: string): Promise<OutputSummary> {
  const summary: OutputSummary = { bytes: 0, rows: new Map() };
  for (const file of filesUnder(dir)) {
    const entity = entityOf(file);
    if (!entity || !DATA_FILE.test(file)) continue;
    summary.bytes += statSync(file).size;
    const rows = /\.parquet$/.test(file) ? parquetRowCount(file) : Math.max(0, (await countLines(file)) - 1);
    summary.rows.set(entity, (summary.rows.get(entity) ?? 0) + rows);
  }
  return summary;
}
