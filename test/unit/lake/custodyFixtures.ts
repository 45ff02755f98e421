import { generateKeyPairSync } from 'node:crypto';
import type { EntityName } from '../../../src/chain/types.js';
import type { SealDayInput } from '../../../src/lake/buildDayManifest.js';
import { objectKey } from '../../../src/lake/objectKey.js';
import { planChunks } from '../../../src/lake/planChunks.js';
import type { ChunkExportResult } from '../../../src/lake/types.js';

/** A block hash made from its number and a fork tag, so two forks of one height differ. */
export const blockHash = (n: number, fork = 0) => `0x${fork.toString(16).padStart(4, '0')}${n.toString(16).padStart(60, '0')}`;

const ENTITIES: EntityName[] = ['blocks', 'transactions'];

/**
 * A synthetic day of `blocks` blocks from `start`, in chunks of 10: hashes chain inside the day,
 * and its first parentHash is block start-1 of fork `parentFork`. The files' sha256 values are
 * placeholders: sealing never reads data objects.
 */
export function syntheticDay(input: { prefix: string; date: string; start: number; blocks?: number; fork?: number; parentFork?: number; chainId?: number }): SealDayInput {
  const chainId = input.chainId ?? 31337;
  const fork = input.fork ?? 0;
  const range = { start: input.start, end: input.start + (input.blocks ?? 25) - 1 };
  const chunks: ChunkExportResult[] = planChunks(chainId, input.date, range, 10).map((chunk) => ({
    chunk,
    files: ENTITIES.map((entity) => ({
      entity,
      key: objectKey({ prefix: input.prefix, chainId, entity, date: input.date, range: chunk.range, format: 'csv' }),
      sha256: String(fork % 10).repeat(64),
      bytes: 100 + chunk.index,
      rows: chunk.range.end - chunk.range.start + 1,
      range: chunk.range,
    })),
    firstBlockHash: blockHash(chunk.range.start, fork),
    firstParentHash: chunk.index === 0 ? blockHash(chunk.range.start - 1, input.parentFork ?? fork) : blockHash(chunk.range.start - 1, fork),
    lastBlockHash: blockHash(chunk.range.end, fork),
  }));
  return { chainId, date: input.date, range, entities: ENTITIES, chunks, exporterVersion: '0.0.0-test', nodeClientVersion: 'synthetic/v1' };
}

export function ed25519Pems(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
