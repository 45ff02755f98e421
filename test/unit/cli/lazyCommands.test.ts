import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const RECORDER = path.join(ROOT, 'test/unit/cli/support/recordModuleLoads.mjs');

let dir = '';
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ledgerflow-lazy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI from source and returns its exit code and the URL of every module it loaded. */
async function loadedModules(args: readonly string[]): Promise<{ code: number | null; stderr: string; urls: string[] }> {
  const log = path.join(dir, `modules-${++runs}.log`);
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORDER, 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, LEDGERFLOW_MODULE_LOG: log, LEDGERFLOW_DEBUG: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (exit) => resolve({ code: exit, stderr: err }));
  });
  const urls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  return { code, stderr, urls };
}

/** npm package names (scope included) among the loaded URLs, each once. */
function packagesOf(urls: readonly string[]): string[] {
  const names = urls.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

const actionModules = (urls: readonly string[]) => urls.filter((url) => url.includes('/src/cli/actions/'));

describe('command definitions load lazily', () => {
  // Help for these reads constants from src (entity names, warehouse tables, verify layers, schedule id).
  it.each(['--help', 'block-range --help', 'export --help', 'warehouse load --help', 'verify-day --help', 'schedule backfill --help'])(
    '`ledgerflow %s` loads commander and no command action',
    async (line) => {
      const { code, stderr, urls } = await loadedModules(line.split(' '));
      expect(stderr).toBe('');
      expect(code).toBe(0);
      // The recorder saw the run: the entry point and the command definitions are in its log.
      expect(urls).toContain(`file://${ROOT}/src/cli/main.ts`);
      expect(packagesOf(urls)).toEqual(['commander']);
      expect(actionModules(urls)).toEqual([]);
    },
  );

  it('a usage error is reported without loading any action', async () => {
    const { code, stderr, urls } = await loadedModules(['export', '--start-block', '1']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/required option/);
    expect(packagesOf(urls)).toEqual(['commander']);
    expect(actionModules(urls)).toEqual([]);
  });

  it('running a command loads its action and the dependencies it needs', async () => {
    // Reaches runExport, which rejects the range before any RPC call.
    const { code, stderr, urls } = await loadedModules(['export', '--rpc', 'http://127.0.0.1:1', '--start-block', '5', '--end-block', '1', '--output', path.join(dir, 'out')]);
    expect(stderr).toContain('--end-block 1 is before --start-block 5');
    expect(code).toBe(1);
    expect(actionModules(urls)).toEqual([`file://${ROOT}/src/cli/actions/export.ts`]);
    expect(packagesOf(urls)).toContain('ethers');
  });
});
