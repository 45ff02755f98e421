import { describe, expect, it } from 'vitest';
import { formatExports, stackEnvOf, type StackEnv } from '../../../src/stack/stackEnv.js';
import type { StackState } from '../../../src/stack/stackState.js';

const state: StackState = {
  dir: "/tmp/it's here",
  temporal: { pid: 1, port: 7233, uiPort: 8233, logFile: 'l', binary: 'temporal' },
  postgres: { pid: 2, port: 5432, logFile: 'l', dataDir: 'd', binDir: 'b', runAs: null },
  s3: { pid: 3, port: 4568, logFile: 'l', directory: 's' },
  anvil: {
    pid: 4,
    port: 8545,
    logFile: 'l',
    binary: 'anvil',
    seed: {
      options: { seed: 1, days: 2, startDate: '2024-01-01', blockIntervalSeconds: 480, finalityDepth: 12 },
      chainId: 31337,
      head: 400,
      headHash: '0x00',
      txCount: 10,
      days: [
        { date: '2024-01-01', firstBlock: 1, lastBlock: 180 },
        { date: '2024-01-02', firstBlock: 181, lastBlock: 360 },
      ],
      contracts: { erc20: '0x1', erc721: '0x2', erc1155: '0x3', securityToken: '0x4', factory: '0x5' },
    },
  },
  signingKey: { privateKeyPath: '/s/keys/manifest-signing.key.pem', publicKeyPath: '/s/keys/manifest-signing.pub.pem', keyId: '0123456789abcdef' },
};

describe('stackEnvOf', () => {
  it('derives the environment from the recorded services', () => {
    const env: StackEnv = stackEnvOf(state);
    expect(env).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ledgerflow',
      S3_ENDPOINT: 'http://127.0.0.1:4568',
      S3_BUCKET: 'ledgerflow-lake',
      RPC_URL: 'http://127.0.0.1:8545',
      CHAIN_ID: '31337',
      FINALITY_DEPTH: '12',
      LEDGERFLOW_DAYS: '2024-01-01,2024-01-02',
      LEDGERFLOW_SIGNING_KEY: '/s/keys/manifest-signing.key.pem',
      LEDGERFLOW_TRUSTED_KEYS: '/s/keys/manifest-signing.pub.pem',
    });
  });

  it('refuses a stack from before signed manifests until `stack up` gives it a key', () => {
    const { signingKey: _none, ...legacy } = state;
    expect(() => stackEnvOf(legacy)).toThrowErrorMatchingInlineSnapshot(
      `[StackError: The local stack has no manifest signing key (it was created before signed manifests) (dir=/tmp/it's here) Fix: run \`ledgerflow stack up\` (with the same --dir): it adds a dev key pair and leaves running services alone]`,
    );
  });

  it('names the services that are not up and how to start them', () => {
    expect(() => stackEnvOf({ dir: '/x', temporal: state.temporal, s3: state.s3 })).toThrowErrorMatchingInlineSnapshot(
      `[StackError: The local stack is not up: postgres, anvil not started (dir=/x) Fix: run \`ledgerflow stack up\` (with the same --dir)]`,
    );
  });
});

describe('formatExports', () => {
  it('prints shell-safe export lines that a shell reads back unchanged', async () => {
    const text = formatExports(stackEnvOf(state));
    expect(text).toContain("export LEDGERFLOW_STACK_DIR='/tmp/it'\\''s here'");
    const { execFileSync } = await import('node:child_process');
    const echoed = execFileSync('bash', ['-c', `${text}\nprintf %s "$LEDGERFLOW_STACK_DIR"`], { encoding: 'utf8' });
    expect(echoed).toBe("/tmp/it's here");
  });
});
