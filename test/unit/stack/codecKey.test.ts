import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codecKeyringFromEnv } from '../../../src/codec/codecSettings.js';
import { ensureCodecKey, readCodecSecrets } from '../../../src/stack/codecKey.js';
import { formatExports, stackEnvOf } from '../../../src/stack/stackEnv.js';
import type { StackState } from '../../../src/stack/stackState.js';
import { temporalArgs } from '../../../src/stack/temporalServer.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerflow-codec-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function stateWith(record: NonNullable<StackState['codecKey']>): StackState {
  return {
    dir,
    temporal: { pid: 1, port: 7233, uiPort: 8233, logFile: 'l', binary: 'temporal', uiCodecEndpoint: 'http://127.0.0.1:9999' },
    postgres: { pid: 2, port: 5432, logFile: 'l', dataDir: 'd', binDir: 'b', runAs: null },
    s3: { pid: 3, port: 4568, logFile: 'l', directory: 's' },
    anvil: { pid: 4, port: 8545, logFile: 'l', binary: 'anvil', seed: { options: { seed: 1, days: 1, startDate: '2024-01-01', blockIntervalSeconds: 480, finalityDepth: 12 }, chainId: 31337, head: 1, headHash: '0x', txCount: 0, days: [], contracts: { erc20: '0x1', erc721: '0x2', erc1155: '0x3', securityToken: '0x4', factory: '0x5' } } },
    codec: { pid: 5, port: 9999, logFile: 'l', corsOrigin: 'http://127.0.0.1:8233', keyId: record.keyId },
    signingKey: { privateKeyPath: '/k', publicKeyPath: '/p', keyId: '0123456789abcdef' },
    codecKey: record,
  };
}

describe('ensureCodecKey', () => {
  it('generates a 32-byte key and a token, readable by their owner only, and keeps them on the next up', async () => {
    const first = await ensureCodecKey(dir);
    expect(first.created).toBe(true);
    expect(first.keyId).toMatch(/^local-[0-9a-f]{8}$/);
    for (const path of [first.keysPath, first.tokenPath]) {
      expect(path.startsWith(join(dir, 'keys'))).toBe(true);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
    const { keys, token } = readCodecSecrets(first);
    expect(codecKeyringFromEnv({ LEDGERFLOW_CODEC_KEYS: keys })?.keys.get(first.keyId)?.length).toBe(32);
    expect(token).toMatch(/^[0-9a-f]{64}$/);

    const before = await readFile(first.keysPath, 'utf8');
    await chmod(first.keysPath, 0o644);
    const second = await ensureCodecKey(dir);
    expect(second).toEqual({ ...first, created: false });
    expect(await readFile(first.keysPath, 'utf8')).toBe(before);
    expect((await stat(first.keysPath)).mode & 0o777).toBe(0o600);
  });

  it('a corrupt key file is named, with the fix, and its contents are never printed', async () => {
    const record = await ensureCodecKey(dir);
    const leaked = 'k1=c2VjcmV0LWJ1dC1zaG9ydA==';
    await writeFile(record.keysPath, leaked);
    let message = '';
    try {
      readCodecSecrets(record);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("The local stack's payload codec key or token cannot be used: LEDGERFLOW_CODEC_KEYS is malformed: key k1 is");
    expect(message).toContain(`path=${record.keysPath}`);
    expect(message).toContain('Fix: run `ledgerflow stack up`');
    expect(message).not.toContain('c2VjcmV0');
  });
});

describe('the stack environment with a codec key', () => {
  it('exports the key, the token and the codec server; the printed lines read back unchanged', async () => {
    const codecKey = await ensureCodecKey(dir);
    const { created: _created, ...record } = codecKey;
    const state = stateWith(record);
    const env = stackEnvOf(state);
    const { keys, token } = readCodecSecrets(record);
    expect(env.LEDGERFLOW_CODEC_KEYS).toBe(keys);
    expect(env.LEDGERFLOW_CODEC_TOKEN).toBe(token);
    expect(env.LEDGERFLOW_CODEC_ENDPOINT).toBe('http://127.0.0.1:9999');
    // stack.json holds paths and the key id only.
    expect(JSON.stringify(state)).not.toContain(keys.split('=')[1]!);
    expect(JSON.stringify(state)).not.toContain(token);
    expect(formatExports(env)).toContain(`export LEDGERFLOW_CODEC_KEYS='${keys}'`);
  });

  it('a stack from before encrypted payloads exports no codec variables (plaintext until its next up)', async () => {
    const { created: _created, ...record } = await ensureCodecKey(dir);
    const { codecKey: _key, codec: _server, ...legacy } = stateWith(record);
    const env = stackEnvOf(legacy);
    expect(Object.keys(env).filter((name) => name.startsWith('LEDGERFLOW_CODEC'))).toEqual([]);
    expect(formatExports(env)).not.toContain('LEDGERFLOW_CODEC');
  });
});

describe('temporalArgs with a codec server', () => {
  it('points Temporal Web at it', () => {
    expect(temporalArgs('/s', 7233, 8233, 'http://127.0.0.1:9999').join(' ')).toContain('--ui-codec-endpoint http://127.0.0.1:9999');
    expect(temporalArgs('/s', 7233, 8233).join(' ')).not.toContain('--ui-codec-endpoint');
  });
});
