import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/stack/freePort.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const out = mkdtempSync(path.join(tmpdir(), 'ledgerflow-export-key-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function ledgerflow(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The sources, not a possibly older dist/; LEDGERFLOW_DEBUG adds the cause's stack to stderr.
    const env = { ...process.env, LEDGERFLOW_FROM_SOURCE: '1', LEDGERFLOW_DEBUG: '1', LOG_LEVEL: 'trace' };
    execFile(process.execPath, [path.join(ROOT, 'bin/ledgerflow.js'), ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr });
    });
  });
}

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWRnZXJmbG93In0.c2lnbmF0dXJlLWJ5dGVz';
const SHORT = 'k3y.9%3D';

describe('ledgerflow export against a closed port', () => {
  it('prints an error that names the endpoint without its key (stdout and stderr)', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/v2/${JWT}?apikey=${SHORT}`;
    const { code, stdout, stderr } = await ledgerflow(['export', '--rpc', url, '--start-block', '1', '--end-block', '1', '--retries', '1', '--entities', 'blocks', '--output', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(`http://127.0.0.1:${port}/v2/***?apikey=***`);
    for (const secret of [JWT, ...JWT.split('.'), SHORT, decodeURIComponent(SHORT)]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  });
});
