import { describe, expect, it } from 'vitest';
import { ENTITY_NAMES } from '../../../src/chain/types.js';
import { copyManifestKey, dayManifestKey, formatOfKey, manifestSignatureKey, manifestVersionOfKey, objectKey, padBlock, parseObjectKey } from '../../../src/lake/objectKey.js';
import { planChunks } from '../../../src/lake/planChunks.js';
import { assertUniqueKeys } from '../../../src/lake/assertUniqueKeys.js';

describe('objectKey', () => {
  it('lays out entity objects with zero-padded inclusive block bounds', () => {
    expect(objectKey({ prefix: 'ledgerflow', chainId: 1, entity: 'logs', date: '2024-01-31', range: { start: 19_000_000, end: 19_000_499 }, format: 'csv' })).toBe(
      'ledgerflow/chain=1/entity=logs/date=2024-01-31/logs-0019000000-0019000499.csv.gz',
    );
  });

  it('sorts keys of one day in block order', () => {
    const keys = planChunks(1, '2024-01-31', { start: 95, end: 1_204 }, 100).map((chunk) =>
      objectKey({ prefix: 'p', chainId: 1, entity: 'blocks', date: '2024-01-31', range: chunk.range, format: 'csv' }),
    );
    expect([...keys].sort()).toEqual(keys);
  });

  it('puts manifests in their own tree next to the entities', () => {
    const where = { prefix: '/lake/', chainId: 31337, date: '2024-02-01' };
    expect(dayManifestKey(where)).toBe('lake/chain=31337/manifests/date=2024-02-01/manifest.json');
    expect(copyManifestKey({ ...where, entity: 'token_transfers' })).toBe('lake/chain=31337/manifests/date=2024-02-01/copy/token_transfers.manifest');
    expect(dayManifestKey({ ...where, prefix: '' })).toBe('chain=31337/manifests/date=2024-02-01/manifest.json');
  });

  it('refuses values that would break the layout', () => {
    expect(() => padBlock(10 ** 10)).toThrow(/does not fit the 10-digit key layout/);
    expect(() => padBlock(-1)).toThrow(/Block number -1/);
    expect(() => dayManifestKey({ prefix: 'p', chainId: 1, date: '2024-1-31' })).toThrow(/Date 2024-1-31 is not a UTC day/);
    expect(() => objectKey({ prefix: 'p', chainId: 0, entity: 'logs', date: '2024-01-31', range: { start: 1, end: 2 }, format: 'csv' })).toThrow(/Chain id 0/);
    expect(() => objectKey({ prefix: 'p', chainId: 1, entity: 'logs', date: '2024-01-31', range: { start: 5, end: 2 }, format: 'csv' })).toThrow(/ends before it starts/);
  });
});

describe('planChunks', () => {
  it('splits an inclusive range into aligned chunks with a short last one, each knowing the next day\'s first block exists', () => {
    expect(planChunks(1, '2024-01-31', { start: 10, end: 34 }, 10)).toEqual([
      { chainId: 1, date: '2024-01-31', index: 0, range: { start: 10, end: 19 }, knownHeight: 35 },
      { chainId: 1, date: '2024-01-31', index: 1, range: { start: 20, end: 29 }, knownHeight: 35 },
      { chainId: 1, date: '2024-01-31', index: 2, range: { start: 30, end: 34 }, knownHeight: 35 },
    ]);
  });

  it('covers every block exactly once', () => {
    for (const [start, end, size] of [[0, 0, 1], [7, 7, 500], [0, 999, 500], [3, 1_003, 7]] as const) {
      const blocks = planChunks(1, '2024-01-31', { start, end }, size).flatMap((c) => Array.from({ length: c.range.end - c.range.start + 1 }, (_, i) => c.range.start + i));
      expect(blocks).toEqual(Array.from({ length: end - start + 1 }, (_, i) => start + i));
    }
  });

  it('refuses a bad chunk size or range', () => {
    expect(() => planChunks(1, '2024-01-31', { start: 0, end: 9 }, 0)).toThrow(/Chunk size 0/);
    expect(() => planChunks(1, '2024-01-31', { start: 9, end: 0 }, 5)).toThrow(/Block range 9-0/);
  });
});

describe('assertUniqueKeys', () => {
  it('names both outputs that collide on one key', () => {
    expect(() => assertUniqueKeys([{ key: 'a', label: 'logs 0-9' }, { key: 'b', label: 'x' }, { key: 'a', label: 'logs 0-9 again' }])).toThrow(
      'Two outputs map to one S3 key a: logs 0-9 and logs 0-9 again',
    );
  });
});

describe('manifest versions and data keys', () => {
  const day = { prefix: 'lf', chainId: 1, date: '2024-01-31' };
  it('keeps version 1 at manifest.json and numbers later versions, with their signatures and COPY manifests', () => {
    expect(dayManifestKey(day)).toBe('lf/chain=1/manifests/date=2024-01-31/manifest.json');
    expect(dayManifestKey({ ...day, version: 1 })).toBe(dayManifestKey(day));
    expect(dayManifestKey({ ...day, version: 3 })).toBe('lf/chain=1/manifests/date=2024-01-31/manifest.v3.json');
    expect(manifestSignatureKey(dayManifestKey({ ...day, version: 3 }))).toBe('lf/chain=1/manifests/date=2024-01-31/manifest.v3.json.sig');
    expect(copyManifestKey({ ...day, entity: 'logs' })).toBe('lf/chain=1/manifests/date=2024-01-31/copy/logs.manifest');
    expect(copyManifestKey({ ...day, entity: 'logs', version: 2 })).toBe('lf/chain=1/manifests/date=2024-01-31/copy/v2/logs.manifest');
    expect([1, 2, 10].map((version) => manifestVersionOfKey(dayManifestKey({ ...day, version })))).toEqual([1, 2, 10]);
    for (const other of ['x/manifest.json.sig', 'x/manifest.v1.json', 'x/manifest.v02.json', 'x/copy/logs.manifest']) expect(manifestVersionOfKey(other)).toBeUndefined();
    expect(() => dayManifestKey({ ...day, version: 0 })).toThrow(/Manifest version 0/);
  });

  it('parses exactly the data keys objectKey writes', () => {
    const input = { prefix: 'a/b', chainId: 5, entity: 'token_transfers' as const, date: '2024-01-31', range: { start: 7, end: 9 }, format: 'json' as const };
    expect(parseObjectKey(objectKey(input))).toEqual(input);
    expect(objectKey({ ...input, format: 'parquet' })).toBe('a/b/chain=5/entity=token_transfers/date=2024-01-31/token_transfers-0000000007-0000000009.parquet');
    expect(parseObjectKey(objectKey({ ...input, format: 'parquet' }))).toEqual({ ...input, format: 'parquet' });
    expect(formatOfKey(objectKey({ ...input, format: 'parquet' }))).toBe('parquet');
    expect(formatOfKey(objectKey(input))).toBe('json');
    expect(formatOfKey('x/manifest.json')).toBeUndefined();
    expect(parseObjectKey(objectKey({ ...input, prefix: '' }))).toEqual({ ...input, prefix: '' });
    for (const bad of ['a/chain=5/entity=logs/date=2024-01-31/blocks-0000000007-0000000009.csv.gz', 'a/chain=5/entity=logs/date=2024-01-31/logs-7-9.csv.gz', 'a/chain=5/entity=logs/date=2024-13-31/logs-0000000007-0000000009.csv.gz', 'a/chain=5/entity=logs/date=2024-01-31/logs-0000000009-0000000007.csv.gz', 'a/chain=5/entity=logs/date=2024-01-31/logs-0000000007-0000000009.parquet.gz', 'a/chain=5/entity=logs/date=2024-01-31/logs-0000000007-0000000009.csv']) {
      expect(parseObjectKey(bad)).toBeUndefined();
    }
  });

  it('parses the data key of every entity, names with digits included (erc1155_transfers)', () => {
    for (const entity of ENTITY_NAMES) {
      const input = { prefix: 'lake', chainId: 1, entity, date: '2024-01-01', range: { start: 5, end: 9 }, format: 'csv' as const };
      expect(parseObjectKey(objectKey(input))).toEqual(input);
    }
  });

  it("puts a superseding version's objects beside the originals, and reads the version back", () => {
    const input = { prefix: 'lake', chainId: 1, entity: 'logs' as const, date: '2024-01-01', range: { start: 5, end: 9 }, format: 'csv' as const };
    expect(objectKey({ ...input, version: 2 })).toBe('lake/chain=1/entity=logs/date=2024-01-01/v2/logs-0000000005-0000000009.csv.gz');
    expect(objectKey({ ...input, version: 1 })).toBe(objectKey(input));
    expect(parseObjectKey(objectKey({ ...input, version: 3 }))).toEqual({ ...input, version: 3 });
    // Version 1 has one spelling only.
    expect(parseObjectKey('lake/chain=1/entity=logs/date=2024-01-01/v1/logs-0000000005-0000000009.csv.gz')).toBeUndefined();
  });
});
