import { describe, expect, it } from 'vitest';
import { buildDayManifest, type SealDayInput } from '../../../src/lake/buildDayManifest.js';
import { canonicalJson } from '../../../src/lake/canonicalJson.js';
import { ChainContinuityError, ChunkCoverageError } from '../../../src/lake/errors.js';
import { validateManifest } from '../../../src/lake/validateManifest.js';
import { objectKey } from '../../../src/lake/objectKey.js';
import { planChunks } from '../../../src/lake/planChunks.js';
import type { ChunkExportResult } from '../../../src/lake/types.js';
import { isRetryable } from '../../../src/errors/LedgerflowError.js';

const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

function chunkResults(start: number, end: number, size: number): ChunkExportResult[] {
  return planChunks(1, '2024-01-31', { start, end }, size).map((chunk) => ({
    chunk,
    files: (['logs', 'blocks'] as const).map((entity) => ({
      entity,
      key: objectKey({ prefix: 'p', chainId: 1, entity, date: '2024-01-31', range: chunk.range, format: 'csv' }),
      sha256: 'ab'.repeat(32),
      bytes: 100 + chunk.index,
      rows: chunk.range.end - chunk.range.start + 1,
      range: chunk.range,
    })),
    firstBlockHash: h(chunk.range.start),
    firstParentHash: h(chunk.range.start - 1),
    lastBlockHash: h(chunk.range.end),
  }));
}

const base = (chunks: ChunkExportResult[]): SealDayInput => ({
  chainId: 1,
  date: '2024-01-31',
  range: { start: 100, end: 124 },
  entities: ['logs', 'blocks'],
  chunks,
  exporterVersion: '0.1.0',
  nodeClientVersion: 'anvil/v1.7.1',
});

describe('buildDayManifest', () => {
  it('gives the same bytes whatever order chunks and entities arrive in', () => {
    const chunks = chunkResults(100, 124, 10);
    const forward = canonicalJson(buildDayManifest(base(chunks)));
    const shuffled = canonicalJson(
      buildDayManifest({ ...base([chunks[2]!, chunks[0]!, chunks[1]!].map((c) => ({ ...c, files: [...c.files].reverse() }))), entities: ['blocks', 'logs'] }),
    );
    expect(shuffled).toBe(forward);
    const manifest = validateManifest(JSON.parse(forward));
    expect(manifest.entities).toEqual(['blocks', 'logs']);
    expect(manifest.files.map((f) => f.key)).toEqual([...manifest.files.map((f) => f.key)].sort());
    expect(manifest.firstBlockHash).toBe(h(100));
    expect(manifest.lastBlockHash).toBe(h(124));
    expect(manifest.chunks.map((c) => c.range)).toEqual([{ start: 100, end: 109 }, { start: 110, end: 119 }, { start: 120, end: 124 }]);
  });

  it('refuses a broken hash chain with a non-retryable error naming both hashes and blocks', () => {
    const chunks = chunkResults(100, 124, 10);
    chunks[1] = { ...chunks[1]!, firstParentHash: h(999) };
    let error: unknown;
    try {
      buildDayManifest(base(chunks));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChainContinuityError);
    expect(isRetryable(error)).toBe(false);
    expect((error as Error).message).toBe(
      `Block 110's parentHash ${h(999)} is not block 109's hash ${h(109)} (chain_id=1 date=2024-01-31) Fix: re-export chunks ending at 109 and starting at 110 once the chain is final, then seal the day again`,
    );
  });

  it('refuses gaps, overlaps, a short day and missing entity files', () => {
    const chunks = chunkResults(100, 124, 10);
    expect(() => buildDayManifest(base([chunks[0]!, chunks[2]!]))).toThrow(/blocks 110-119 are missing/);
    expect(() => buildDayManifest(base([chunks[0]!, chunks[1]!]))).toThrow(/blocks 120-124 are missing/);
    expect(() => buildDayManifest(base([...chunks, chunks[1]!]))).toThrow(/overlaps blocks before/);
    const noLogs = chunks.map((c, i) => (i === 1 ? { ...c, files: c.files.filter((f) => f.entity !== 'logs') } : c));
    expect(() => buildDayManifest(base(noLogs))).toThrow(ChunkCoverageError);
    expect(() => buildDayManifest(base(noLogs))).toThrow(/Chunk 110-119 has 0 logs files, expected 1/);
    expect(() => buildDayManifest(base([]))).toThrow(/No chunks to seal/);
  });

  it('refuses two files under one key', () => {
    const chunks = chunkResults(100, 124, 10);
    chunks[1]!.files[0] = { ...chunks[1]!.files[0]!, key: chunks[0]!.files[0]!.key };
    expect(() => buildDayManifest(base(chunks))).toThrow(/Two outputs map to one S3 key/);
  });
});

describe('validateManifest', () => {
  it('names the fields that are wrong', () => {
    const manifest = buildDayManifest(base(chunkResults(100, 124, 10)));
    expect(() => validateManifest({ ...manifest, firstBlockHash: 'nope' }, 's3://b/m.json')).toThrow(
      /Invalid day manifest s3:\/\/b\/m\.json: firstBlockHash: a 0x-prefixed 32-byte lower-case hex hash/,
    );
  });

  it('accepts version 1 as sealed before the custody chain, and version 2 with its link and signing', () => {
    const v1 = buildDayManifest(base(chunkResults(100, 124, 10)));
    expect(validateManifest(JSON.parse(canonicalJson(v1))).manifestVersion).toBe(1);
    const v2 = { ...v1, manifestVersion: 2, previous: null, signing: { algorithm: 'ed25519', keyId: '0123456789abcdef' } };
    expect(validateManifest(v2).manifestVersion).toBe(2);
    expect(() => validateManifest({ ...v1, manifestVersion: 2, previous: null })).toThrow(/signing/);
    expect(() => validateManifest({ ...v2, extra: 1 })).toThrow(/Unrecognized key/);
  });

  it("refuses a file key outside the manifest's chain, day, entity, range or prefix, or with ..", () => {
    const manifest = buildDayManifest(base(chunkResults(100, 124, 10)));
    const withKey = (key: string) => ({ ...manifest, files: [{ ...manifest.files[0]!, key }, ...manifest.files.slice(1)] });
    const first = manifest.files[0]!;
    const good = first.key;
    expect(validateManifest(withKey(good), 'm', { prefix: 'p' }).files[0]!.key).toBe(good);
    expect(() => validateManifest(withKey(good), 'm', { prefix: 'other' })).toThrow(/under prefix "p", not "other"/);
    expect(() => validateManifest(withKey(good.replace('chain=1', 'chain=2')))).toThrow(/belongs to chain 2, not 1/);
    expect(() => validateManifest(withKey(good.replaceAll('2024-01-31', '2024-01-30')))).toThrow(/belongs to day 2024-01-30/);
    expect(() => validateManifest(withKey(`p/../secret/${good.slice(2)}`))).toThrow(/has a "\.\." segment/);
    expect(() => validateManifest(withKey('p/chain=1/manifests/date=2024-01-31/manifest.json'))).toThrow(/is not a lake data object key/);
    expect(() => validateManifest(withKey(good.replace('-0000000100-', '-0000000099-')))).toThrow(/covers 99-/);
  });
});
