import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The system chromium: CHROMIUM_BIN (.ci/run exports it), else Debian's. A missing browser fails the test, never skips it. */
export function chromiumPath(): string {
  const bin = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
  if (!existsSync(bin)) throw new Error(`no chromium at ${bin}: apt-get install chromium, or set CHROMIUM_BIN`);
  return bin;
}

/** Runs headless chromium once on a local file, in a throwaway profile, and returns its stdout. */
export async function headless(file: string, args: readonly string[], width = 1280, height = 2000): Promise<string> {
  const profile = await mkdtemp(path.join(tmpdir(), 'ledgerflow-chromium-'));
  try {
    const { stdout } = await run(
      chromiumPath(),
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        ...args,
        pathToFileURL(file).href,
      ],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
