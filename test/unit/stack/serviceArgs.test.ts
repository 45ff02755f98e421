import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anvilArgs } from '../../../src/stack/anvilNode.js';
import { DEFAULT_SEED_OPTIONS, genesisTimestampOf, plannedBlockCount } from '../../../src/stack/seed/seedPlan.js';
import { temporalArgs, temporalBinary } from '../../../src/stack/temporalServer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerflow-args-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('anvilArgs', () => {
  it('binds loopback, fixes genesis and keeps more history than the chain has blocks', () => {
    const seed = { ...DEFAULT_SEED_OPTIONS, days: 10 };
    const args = anvilArgs(18545, seed);
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('--host')).toBe('127.0.0.1');
    expect(Number(value('--timestamp'))).toBe(genesisTimestampOf(seed));
    expect(Number(value('--prune-history'))).toBeGreaterThan(plannedBlockCount(seed));
    expect(args).toEqual(expect.arrayContaining(['--steps-tracing', '--no-mining']));
  });
});

describe('temporalArgs', () => {
  it('starts the dev server on loopback with a SQLite file and both search attributes', () => {
    const args = temporalArgs('/s', 7233, 8233).join(' ');
    expect(args).toContain('server start-dev --ip 127.0.0.1 --port 7233 --ui-port 8233 --db-filename /s/temporal.db');
    expect(args).toContain('--search-attribute LedgerflowChainId=Int --search-attribute LedgerflowDate=Keyword');
  });
});

describe('temporalBinary', () => {
  it('prefers TEMPORAL_CLI, then PATH', async () => {
    const fake = join(dir, 'temporal');
    await writeFile(fake, '#!/bin/sh\n');
    await chmod(fake, 0o755);
    expect(temporalBinary({ env: { TEMPORAL_CLI: fake, PATH: '/nowhere' } })).toBe(fake);
    expect(temporalBinary({ env: { PATH: `/nowhere:${dir}` } })).toBe(fake);
  });

  it('says how to fix a TEMPORAL_CLI that points nowhere', () => {
    expect(() => temporalBinary({ env: { TEMPORAL_CLI: join(dir, 'missing') } })).toThrow(/TEMPORAL_CLI points at a missing file .* Fix: unset it/);
  });
});
