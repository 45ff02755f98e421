/**
 * Extends a recorded chain of `seeded` blocks to any length for the memory side of the export
 * benchmark: block n (n >= seeded) is recorded block n mod seeded with its number and hash
 * rewritten and its parent hash pointing at block n - 1, so the exporter's checks (number, parent
 * chain, block hash of every transaction, receipt and log) pass as on a real chain. Anvil itself
 * cannot seed a long enough chain here (it passed 23 GB of memory seeding 20,000 blocks).
 */
export interface TiledChain {
  /** The answer text for `method(params)`, or undefined when the call is not a tiled block call. */
  answer(method: string, params: readonly unknown[]): string | undefined;
}

const TILED_METHODS = new Set(['eth_getBlockByNumber', 'eth_getBlockReceipts']);

/** A made-up block hash for blocks past the recorded ones: hex, unique per number. */
export function syntheticHash(n: number): string {
  return `0x${'b'.repeat(16)}${n.toString(16).padStart(48, '0')}`;
}

export function tiledChain(seeded: number, recorded: (method: string, params: readonly unknown[]) => string | undefined): TiledChain {
  const recordedHash = (m: number): string => {
    const text = recorded('eth_getBlockByNumber', [`0x${m.toString(16)}`, true]);
    const hash = text === undefined ? undefined : /^\{"hash":"(0x[0-9a-f]{64})"/.exec(text)?.[1] ?? (JSON.parse(text) as { hash?: string }).hash;
    if (!hash) throw new Error(`recorded block ${m} has no hash`);
    return hash;
  };
  const hashOf = (n: number) => (n < seeded ? recordedHash(n) : syntheticHash(n));
  return {
    answer(method, params) {
      const tag = params[0];
      if (!TILED_METHODS.has(method) || typeof tag !== 'string') return undefined;
      const n = Number(tag);
      if (!Number.isSafeInteger(n) || n < seeded) return undefined;
      const m = n % seeded;
      const text = recorded(method, [`0x${m.toString(16)}`, ...params.slice(1)]);
      if (text === undefined) return undefined;
      const oldHash = recordedHash(m);
      const oldParent = m === 0 ? undefined : recordedHash(m - 1);
      let out = text
        .replaceAll(`"hash":"${oldHash}"`, `"hash":"${hashOf(n)}"`)
        .replaceAll(`"blockHash":"${oldHash}"`, `"blockHash":"${hashOf(n)}"`)
        .replaceAll(`"number":"0x${m.toString(16)}"`, `"number":"0x${n.toString(16)}"`)
        .replaceAll(`"blockNumber":"0x${m.toString(16)}"`, `"blockNumber":"0x${n.toString(16)}"`);
      out = oldParent === undefined
        ? out.replace(/"parentHash":"0x[0-9a-f]{64}"/, `"parentHash":"${hashOf(n - 1)}"`)
        : out.replaceAll(`"parentHash":"${oldParent}"`, `"parentHash":"${hashOf(n - 1)}"`);
      return out;
    },
  };
}
