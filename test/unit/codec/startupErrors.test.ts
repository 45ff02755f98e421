import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
// 16 bytes: a real-looking key of the wrong length, which must never be echoed.
const SHORT_KEY = randomBytes(16).toString('base64');

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a malformed LEDGERFLOW_CODEC_KEYS at start-up', () => {
  const env = {
    LEDGERFLOW_CODEC_KEYS: `k1=${SHORT_KEY}`,
    // Nothing listens here: the codec error must come first, not "cannot reach Temporal".
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    RPC_URL: 'http://127.0.0.1:1',
    S3_BUCKET: 'ledgerflow-lake',
    DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
  };

  it.each([
    ['a client command (run-day)', ['run-day', '--date', '2024-01-01', '--chain-id', '1', '--no-wait']],
    ['a worker', ['worker', '--roles', 'workflows']],
  ])('stops %s with one line naming the variable and the fix, never the key', { timeout: 90_000 }, async (_name, args) => {
    const { code, stderr } = await run(args, env);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^ledgerflow: LEDGERFLOW_CODEC_KEYS is malformed: key k1 is 16 bytes, AES-256 needs 32 Fix: set LEDGERFLOW_CODEC_KEYS to/);
    expect(stderr).not.toContain(SHORT_KEY);
  });
});
