import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../../src/workers/bundleWorkflows.js';

const dir = fileURLToPath(new URL('../../histories/', import.meta.url));

/**
 * The workflow id a history replays under: its file name, with `~` for `/` (dailyEtl decides by
 * its own id whether it is the day's run, so a day's history must replay under the day's id).
 */
function replayId(file: string): string {
  return file.replace(/\.json$/, '').replaceAll('~', '/');
}

// Histories recorded from real runs on the dev server (`temporal workflow show --output json`).
// A change to workflow code that would break a running execution fails here.
describe('replay of recorded histories', () => {
  let files: string[] = [];
  beforeAll(async () => {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  });

  it('replays every recorded history without a determinism error', async () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    const histories = await Promise.all(
      files.map(async (file) => ({ workflowId: replayId(file), history: JSON.parse(await readFile(`${dir}${file}`, 'utf8')) as unknown })),
    );
    const { code } = await bundleWorkflows();
    const replayed: string[] = [];
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, histories as Parameters<typeof Worker.runReplayHistories>[1])) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed.sort()).toEqual(files.map(replayId).sort());
  }, 120_000);
});
