import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import { StackError } from '../StackError.js';

export interface CompiledContract {
  abi: readonly Record<string, unknown>[];
  bytecode: string;
}

export type CompiledContracts = Record<string, CompiledContract>;

const CONTRACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'contracts');

// Pinned so the bytecode, and therefore every block hash of the seeded chain, stays the same.
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
} as const;

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Record<string, unknown>[]; evm: { bytecode: { object: string } } }>>;
}

/**
 * Compiles src/stack/seed/contracts/*.sol with the solc npm package (wasm, no native toolchain),
 * caching the result under `cacheDir` keyed by the sources, settings and compiler version.
 */
export async function compileContracts(cacheDir: string): Promise<CompiledContracts> {
  const names = (await readdir(CONTRACTS_DIR)).filter((f) => f.endsWith('.sol')).sort();
  const sources: Record<string, { content: string }> = {};
  for (const name of names) sources[name] = { content: await readFile(join(CONTRACTS_DIR, name), 'utf8') };

  const key = createHash('sha256').update(JSON.stringify({ sources, SETTINGS, version: solc.version() as string })).digest('hex').slice(0, 16);
  const cacheFile = join(cacheDir, `contracts-${key}.json`);
  try {
    return JSON.parse(await readFile(cacheFile, 'utf8')) as CompiledContracts;
  } catch {
    // Not cached yet (or unreadable): compile below.
  }

  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: (path: string) => importFrom(sources, path) }) as string) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new StackError(`Seed contracts do not compile: ${errors[0]?.formattedMessage.split('\n')[0] ?? 'unknown error'}`, {
      context: { errors: errors.length, dir: CONTRACTS_DIR },
      fix: 'fix the Solidity in src/stack/seed/contracts',
    });
  }
  const compiled: CompiledContracts = {};
  for (const file of Object.values(output.contracts ?? {})) {
    for (const [contractName, contract] of Object.entries(file)) {
      compiled[contractName] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
    }
  }
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(compiled));
  await rename(tmp, cacheFile);
  return compiled;
}

function importFrom(sources: Record<string, { content: string }>, path: string): { contents: string } | { error: string } {
  const source = sources[path.replace(/^\.\//, '')];
  return source ? { contents: source.content } : { error: `not found: ${path}` };
}
