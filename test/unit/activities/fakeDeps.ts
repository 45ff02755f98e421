import { createHash } from 'node:crypto';
import type { ActivityDeps } from '../../../src/activities/index.js';
import type { PlannableRegistry } from '../../../src/activities/metrics.js';
import type { BlockRange, EntityName } from '../../../src/chain/types.js';
import type { ChunkExportResult, ChunkPlan, DayManifest } from '../../../src/lake/types.js';
import { InvalidInputError } from '../../../src/errors/LedgerflowError.js';

/**
 * In-memory fakes of the chain, lake and warehouse libraries, typed against the real activity
 * factory's deps so a renamed or reshaped dependency fails type-checking. Each UTC day of the fake
 * chain has 10 blocks; every block has one row per entity.
 */
export interface FakeWorld {
  deps: ActivityDeps;
  calls: { exportChunk: number[]; resolveDay: string[]; sealDay: string[]; loadDay: string[]; runModels: string[]; planMetrics: number; runMetric: string[] };
  /** The metric registry planMetrics reads; metrics named in `failing` fail without retries. */
  metrics: { registry: PlannableRegistry; failing: Set<string> };
  manifests: Map<string, DayManifest>;
  loadedDays: Set<string>;
  /** The manifest sha256 each loaded day was loaded from; a day absent here counts as loaded from the sealed one. */
  loadedFrom: Map<string, string>;
  /** Largest number of days between resolve and models at once. */
  maxDaysInFlight: () => number;
  hooks: {
    beforeExportChunk?: (chunk: ChunkPlan) => Promise<void> | void;
    beforeResolve?: (date: string) => Promise<void> | void;
  };
}

export const FAKE_CHAIN_ID = 31337;
const BLOCKS_PER_DAY = 10;
const EPOCH = Date.parse('2024-01-01T00:00:00Z');

const hash = (text: string) => `0x${createHash('sha256').update(text).digest('hex')}`;
const blockHash = (n: number) => hash(`block ${n}`);

export function fakeRangeForDate(date: string): BlockRange {
  const day = Math.round((Date.parse(`${date}T00:00:00Z`) - EPOCH) / 86_400_000);
  return { start: 1000 + day * BLOCKS_PER_DAY, end: 1000 + day * BLOCKS_PER_DAY + BLOCKS_PER_DAY - 1 };
}

export function createFakeWorld(entities: EntityName[] = ['blocks', 'transactions', 'logs']): FakeWorld {
  const manifests = new Map<string, DayManifest>();
  const loadedDays = new Set<string>();
  const loadedFrom = new Map<string, string>();
  const calls: FakeWorld['calls'] = { exportChunk: [], resolveDay: [], sealDay: [], loadDay: [], runModels: [], planMetrics: 0, runMetric: [] };
  const metrics: FakeWorld['metrics'] = {
    registry: { metrics: [{ name: 'chain_activity', depends: [], schedule: { kind: 'after-load' } }], problems: [] },
    failing: new Set(),
  };
  const sha = (manifest: DayManifest) => hash(JSON.stringify(manifest)).slice(2);
  const hooks: FakeWorld['hooks'] = {};
  let inFlight = 0;
  let maxInFlight = 0;
  const manifestKey = (chainId: number, date: string) => `ledgerflow/chain=${chainId}/date=${date}/manifest.json`;

  const deps: ActivityDeps = {
    entities,
    keepAliveMs: 200,
    async chainId() {
      return FAKE_CHAIN_ID;
    },
    async clientVersion() {
      return 'anvil/v1.7.1';
    },
    async blockRangeForDate(date) {
      await hooks.beforeResolve?.(date);
      calls.resolveDay.push(date);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return fakeRangeForDate(date);
    },
    planChunks(chainId, date, range) {
      const chunks: ChunkPlan[] = [];
      for (let start = range.start, index = 0; start <= range.end; start += 3, index += 1) {
        chunks.push({ chainId, date, index, range: { start, end: Math.min(range.end, start + 2) } });
      }
      return chunks;
    },
    async exportChunk({ chunk, entities: wanted }, { signal, onProgress }) {
      await hooks.beforeExportChunk?.(chunk);
      signal.throwIfAborted();
      calls.exportChunk.push(chunk.range.start);
      const blocks = chunk.range.end - chunk.range.start + 1;
      onProgress({ lastBlock: chunk.range.end, blocksDone: blocks, blocksTotal: blocks, rows: {} });
      const result: ChunkExportResult = {
        chunk,
        files: wanted.map((entity) => ({
          entity,
          key: `ledgerflow/chain=${chunk.chainId}/date=${chunk.date}/${entity}/${String(chunk.range.start).padStart(10, '0')}.csv.gz`,
          sha256: hash(`${entity} ${chunk.range.start}`).slice(2),
          bytes: 100,
          rows: blocks,
          range: chunk.range,
        })),
        firstBlockHash: blockHash(chunk.range.start),
        firstParentHash: blockHash(chunk.range.start - 1),
        lastBlockHash: blockHash(chunk.range.end),
      };
      return result;
    },
    async sealDay(input) {
      const manifest: DayManifest = {
        manifestVersion: 1,
        chainId: input.chainId,
        date: input.date,
        range: input.range,
        firstBlockHash: input.results[0]?.firstBlockHash ?? '',
        lastBlockHash: input.results.at(-1)?.lastBlockHash ?? '',
        entities: input.entities,
        chunks: input.results.map((r) => ({
          index: r.chunk.index,
          range: r.chunk.range,
          firstParentHash: r.firstParentHash,
          firstBlockHash: r.firstBlockHash,
          lastBlockHash: r.lastBlockHash,
        })),
        files: input.results.flatMap((r) => r.files),
        exporterVersion: 'test',
        nodeClientVersion: input.nodeClientVersion,
      };
      calls.sealDay.push(input.date);
      const key = manifestKey(input.chainId, input.date);
      const before = manifests.get(key);
      manifests.set(key, manifest);
      return { manifestKey: key, manifestSha256: sha(manifest), manifest, outcome: before && sha(before) === sha(manifest) ? 'unchanged' : 'written', copyManifestKeys: {} };
    },
    async readManifest(key) {
      const manifest = manifests.get(key);
      if (!manifest) throw new Error(`no manifest at ${key}`);
      return { manifest, sha256: sha(manifest), bytes: Buffer.from(JSON.stringify(manifest)) };
    },
    async loadDay({ manifest, manifestSha256 }, { onTableStaged }) {
      const tables = manifest.entities.map((table) => ({ table, rows: manifest.files.filter((f) => f.entity === table).reduce((sum, f) => sum + f.rows, 0) }));
      for (const table of tables) onTableStaged(table);
      calls.loadDay.push(manifest.date);
      loadedFrom.set(manifest.date, manifestSha256);
      loadedDays.add(manifest.date);
      return { tables };
    },
    async migrate() {},
    async runModels(input) {
      calls.runModels.push(input.date);
      loadedDays.add(input.date);
      inFlight -= 1;
      return { models: [{ name: 'chain_activity_daily', rows: 1 }] };
    },
    async metricRegistry() {
      // Asked once per day, right after its load: the day is loaded and leaves the pipeline.
      calls.planMetrics += 1;
      inFlight -= 1;
      return metrics.registry;
    },
    async runMetric(input) {
      calls.runMetric.push(`${input.metric}/${input.date}`);
      if (metrics.failing.has(input.metric)) throw new InvalidInputError(`${input.metric}.sql:3: relation "nope" does not exist`, { fix: 'correct the SQL' });
      return { model: input.metric, rows: 1, ms: 1 };
    },
    async findManifest(day) {
      const key = manifestKey(day.chainId, day.date);
      const manifest = manifests.get(key);
      return manifest ? { key, sha256: sha(manifest), manifest } : null;
    },
    async verifyLake(found) {
      return { checked: found.manifest.files.length, mismatches: [], note: `${found.manifest.files.length} objects hashed` };
    },
    async verifyWarehouse(found) {
      const loaded = loadedFrom.get(found.manifest.date) ?? null;
      return {
        checked: found.manifest.entities.length,
        mismatches: loaded === found.sha256 ? [] : [`loaded_days mismatch: loaded from ${loaded ?? 'nothing'}, sealed ${found.sha256}`],
        note: `loaded from ${loaded ?? 'nothing'}`,
      };
    },
    async verifyDay(manifest) {
      return manifest.files
        .filter((f) => f.entity === 'logs' && f.range.start === manifest.range.start)
        .map((f) => ({ key: f.key, entity: f.entity, expectedSha256: f.sha256, actualSha256: '00', reason: 'digest differs' }));
    },
    async isDayLoaded(day) {
      return loadedDays.has(day.date) && (loadedFrom.get(day.date) ?? day.manifestSha256) === day.manifestSha256;
    },
  };
  return { deps, calls, metrics, manifests, loadedDays, loadedFrom, maxDaysInFlight: () => maxInFlight, hooks };
}

/** MockActivityEnvironment.run loses the result type through its generic; this keeps it. */
export function runIn<A extends unknown[], R>(env: { run: (fn: (...args: A) => Promise<R>, ...args: A) => Promise<unknown> }, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return env.run(fn, ...args) as Promise<R>;
}
