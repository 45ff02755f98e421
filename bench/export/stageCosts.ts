import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Entity } from '../../src/chain/entities/entity.js';
import { columnsOf, entityOf } from '../../src/chain/entities/registry.js';
import type { BlockBundle, RpcBlock, RpcReceipt } from '../../src/chain/entities/rpcShapes.js';
import { decodeBatch } from '../../src/chain/rpc/decodeRpcResponse.js';
import type { EntityName } from '../../src/chain/types.js';
import { createFileSink } from '../../src/lake/fileSink.js';
import { csvFormat } from '../../src/lake/format/csvFormat.js';

/** Microseconds per block spent by each stage of the exporter's own work, cumulative. */
export interface StageCosts {
  parse: number;
  rows: number;
  format: number;
  files: number;
  /** CSV characters per block: what the format stage produced (also keeps it from being optimised away). */
  csvCharsPerBlock: number;
}

type Stage = 'parse' | 'rows' | 'format' | 'files';
const STAGES: Stage[] = ['parse', 'rows', 'format', 'files'];

/**
 * Where the exporter's time goes once HTTP is out of the picture: the replay's answers are
 * downloaded once as text, then each round re-runs the work up to a stage (JSON.parse and
 * envelope decoding; + entity rows; + CSV lines; + file sinks with sha256) on that text.
 */
export async function measureStageCosts(url: string, blocks: number, entityNames: EntityName[], batch: number, rounds: number): Promise<StageCosts> {
  const texts = await downloadAnswers(url, blocks, batch);
  const entities = entityNames.map((name) => entityOf(name));
  const samples: Record<Stage, number[]> = { parse: [], rows: [], format: [], files: [] };
  let chars = 0;
  for (let r = 0; r < rounds; r++) {
    for (const stage of STAGES) {
      const result = await runTo(stage, texts, entities, blocks);
      samples[stage].push(result.microseconds);
      chars = result.chars;
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return { parse: median(samples.parse), rows: median(samples.rows), format: median(samples.format), files: median(samples.files), csvCharsPerBlock: chars / blocks };
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
  const sinks = stage === 'files' ? entities.map((e, k) => createFileSink(path.join(out, `${e.name}.csv`), csvFormat, columns[k] as readonly string[])) : [];
  const started = performance.now();
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
            const written = sinks[k]?.write(row);
            if (written) await written;
          }
        }
      }
    }
    for (const sink of sinks) await sink.close();
    return { microseconds: ((performance.now() - started) * 1000) / blocks, chars };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
