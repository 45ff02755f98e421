import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../../../../src/cli/commands/exportProgress.js';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
}

describe('export progress line', () => {
  it('prints at most every two seconds with blocks done, rate and ETA (a fake clock)', () => {
    let clock = 0;
    const { out, text } = capture();
    const progress = createProgressReporter(out, 1000, () => clock);
    clock = 500;
    progress.update(50);
    clock = 2000;
    progress.update(200);
    clock = 3000;
    progress.update(300);
    clock = 4000;
    progress.update(400);
    clock = 10_000;
    progress.done();
    expect(text()).toBe('export: 200/1000 blocks, 100.0 blocks/s, ETA 8s\nexport: 400/1000 blocks, 100.0 blocks/s, ETA 6s\nexport: 1000/1000 blocks in 10.0s\n');
  });

  it('stays silent for an export shorter than the interval', () => {
    let clock = 0;
    const { out, text } = capture();
    const progress = createProgressReporter(out, 10, () => clock);
    clock = 100;
    progress.update(10);
    progress.done();
    expect(text()).toBe('');
  });
});
