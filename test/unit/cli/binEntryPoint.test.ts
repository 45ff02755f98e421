import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

// A copy of bin/ledgerflow.js beside a stand-in dist/ and src/, each printing where it runs
// from. It lives under node_modules/.cache so that `tsx` resolves from the project.
let dir: string;
let bin: string;
const distMain = () => path.join(dir, 'dist/cli/main.js');
const srcMain = () => path.join(dir, 'src/cli/main.ts');

async function whichRuns(env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [bin], { env: { ...process.env, ...env } });
  return stdout.trim();
}

function setMtime(file: string, seconds: number): void {
  utimesSync(file, seconds, seconds);
}

beforeAll(() => {
  const cache = path.join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(path.join(cache, 'ledgerflow-bin-'));
  mkdirSync(path.join(dir, 'bin'));
  mkdirSync(path.join(dir, 'dist/cli'), { recursive: true });
  mkdirSync(path.join(dir, 'src/cli'), { recursive: true });
  bin = path.join(dir, 'bin/ledgerflow.js');
  copyFileSync(path.join(ROOT, 'bin/ledgerflow.js'), bin);
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(distMain(), "console.log('dist');\n");
  writeFileSync(srcMain(), "const from: string = 'src';\nconsole.log(from);\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/ledgerflow.js', () => {
  it('runs the compiled dist/ when it is newer than every source file', async () => {
    setMtime(srcMain(), 1_700_000_000);
    setMtime(distMain(), 1_700_000_100);
    expect(await whichRuns()).toBe('dist');
  });

  it('runs the sources through tsx when a source changed after the build', async () => {
    setMtime(distMain(), 1_700_000_100);
    setMtime(srcMain(), 1_700_000_200);
    expect(await whichRuns()).toBe('src');
  });

  it('runs the sources when LEDGERFLOW_FROM_SOURCE=1, however fresh the build', async () => {
    setMtime(srcMain(), 1_700_000_000);
    setMtime(distMain(), 1_700_000_100);
    expect(await whichRuns({ LEDGERFLOW_FROM_SOURCE: '1' })).toBe('src');
  });

  it('runs the sources when there is no build', async () => {
    rmSync(distMain());
    expect(await whichRuns()).toBe('src');
  });
});
