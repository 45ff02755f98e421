import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Entity } from '../../src/chain/entities/entity.js';
import { columnsOf, entityOf } from '../../src/chain/entities/registry.js';
import type { BlockBundle, RpcBlock, RpcReceipt } from '../../src/chain/entities/rpcShapes.js';
import { decodeBatch } from '../../src/chain/rpc/decodeRpcResponse.js';
import type { EntityName } from '../../src/chain/types.js';
import { createHash } from 'node:crypto';
import { createFileSink } from '../../src/lake/fileSink.js';
import { csvFormat } from '../../src/lake/format/csvFormat.js';
import type { RowSink } from '../../src/lake/format/types.js';
import { createHashingLakeSink } from '../../src/lake/hashingLakeSink.js';

/**
 * CPU microseconds per block (user + system, every thread of the process: GC helpers and the
 * libuv pool included) spent by each stage of the exporter's own work, cumulative up to `files`;
 * `gzip` is the lake's encoding instead of files (CSV lines, both sha256 digests, gzip, no I/O).
 */
export interface StageCosts {
  parse: number;
  rows: number;
  format: number;
  hash: number;
  files: number;
  gzip: number;
  /** CSV characters per block: what the format stage produced (also keeps it from being optimised away). */
  csvCharsPerBlock: number;
}

type Stage = 'parse' | 'rows' | 'format' | 'hash' | 'files' | 'gzip';
const STAGES: Stage[] = ['parse', 'rows', 'format', 'hash', 'files', 'gzip'];

/**
 * Where the exporter's time goes once HTTP is out of the picture: the answers are downloaded
 * once as text, then each round re-runs the work up to a stage (JSON.parse and envelope
 * decoding; + entity rows; + CSV lines; + UTF-8 bytes and sha256; + file sinks, which write
 * them; or the lake's gzip encoder instead of files) on that text. CPU time, not wall time: on a
 * busy machine the figures hold.
 */
export async function measureStageCosts(url: string, blocks: number, entityNames: EntityName[], batch: number, rounds: number): Promise<StageCosts> {
  const texts = await downloadAnswers(url, blocks, batch);
  const entities = entityNames.map((name) => entityOf(name));
  const samples: Record<Stage, number[]> = { parse: [], rows: [], format: [], hash: [], files: [], gzip: [] };
  let chars = 0;
  for (let r = 0; r < rounds; r++) {
    for (const stage of STAGES) {
      const result = await runTo(stage, texts, entities, blocks);
      samples[stage].push(result.microseconds);
      if (stage === 'format') chars = result.chars;
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const m = (stage: Stage) => median(samples[stage]);
  return { parse: m('parse'), rows: m('rows'), format: m('format'), hash: m('hash'), files: m('files'), gzip: m('gzip'), csvCharsPerBlock: chars / blocks };
}

async function downloadAnswers(url: string, blocks: number, batch: number): Promise<Array<[string, string]>> {
  const texts: Array<[string, string]> = [];
  for (let first = 0; first < blocks; first += batch) {
    const numbers = Array.from({ length: Math.min(batch, blocks - first) }, (_, i) => `0x${(first + i).toString(16)}`);
    const get = async (method: string, params: (n: string) => unknown[]) => {
      const body = JSON.stringify(numbers.map((n, id) => ({ jsonrpc: '2.0', id, method, params: params(n) })));
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return response.text();
    };
    texts.push([await get('eth_getBlockByNumber', (n) => [n, true]), await get('eth_getBlockReceipts', (n) => [n])]);
  }
  return texts;
}

function decodeAll<T>(text: string): T[] {
  const json: unknown = JSON.parse(text);
  return decodeBatch(json, Array.isArray(json) ? json.length : 0) as T[];
}

async function runTo(stage: Stage, texts: Array<[string, string]>, entities: Entity[], blocks: number): Promise<{ microseconds: number; chars: number }> {
  let chars = 0;
  const out = mkdtempSync(path.join(tmpdir(), 'ledgerflow-stages-'));
  const columns = entities.map((e) => columnsOf(e.name));
  const sinkFor = (e: Entity, k: number): RowSink => {
    const cols = columns[k] as readonly string[];
    if (stage === 'files') return createFileSink(path.join(out, `${e.name}.csv`), csvFormat, cols);
    return createHashingLakeSink({ key: e.name, location: `discarded://${e.name}`, format: 'csv', entity: e.name, columns: cols });
  };
  const sinks = stage === 'files' || stage === 'gzip' ? entities.map(sinkFor) : [];
  // The file sink's own text-to-bytes step, without the file: 64 KiB of text, then UTF-8 and sha256.
  const hashes = entities.map(() => createHash('sha256'));
  const pending = entities.map(() => '');
  const cpu = process.cpuUsage();
  try {
    for (const [blockText, receiptText] of texts) {
      const blockList = decodeAll<RpcBlock>(blockText);
      const receiptList = decodeAll<RpcReceipt[]>(receiptText);
      if (stage === 'parse') continue;
      for (let i = 0; i < blockList.length; i++) {
        const bundle: BlockBundle = { number: i, block: blockList[i] as RpcBlock, receipts: receiptList[i] ?? [] };
        for (let k = 0; k < entities.length; k++) {
          const rows = (entities[k] as Entity).toRows(bundle);
          if (stage === 'rows') continue;
          for (const row of rows) {
            if (stage === 'format') {
              chars += csvFormat.row(columns[k] as readonly string[], row).length;
              continue;
            }
            if (stage === 'hash') {
              pending[k] += csvFormat.row(columns[k] as readonly string[], row);
              if ((pending[k] as string).length >= 64 * 1024) {
                hashes[k]?.update(Buffer.from(pending[k] as string, 'utf8'));
                pending[k] = '';
              }
              continue;
            }
            const written = sinks[k]?.write(row);
            if (written) await written;
          }
        }
      }
    }
    for (const sink of sinks) await sink.close();
    hashes.forEach((h, k) => h.update(Buffer.from(pending[k] as string, 'utf8')).digest());
    const used = process.cpuUsage(cpu);
    return { microseconds: (used.user + used.system) / blocks, chars };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** One line: each stage's own share, then the totals of the file and the lake paths. */
export function formatStageCosts(stages: StageCosts): string {
  const step = (a: number, b: number) => (a - b).toFixed(1);
  return [
    `  JSON.parse + envelopes ${stages.parse.toFixed(1)}`,
    `+ rows ${step(stages.rows, stages.parse)}`,
    `+ CSV lines ${step(stages.format, stages.rows)}`,
    `+ UTF-8 and sha256 ${step(stages.hash, stages.format)}`,
    `+ file I/O ${step(stages.files, stages.hash)}`,
    `| files total ${stages.files.toFixed(1)}`,
    `| lake: gzip and both digests instead of files +${step(stages.gzip, stages.format)}, total ${stages.gzip.toFixed(1)}`,
  ].join(' ');
}
