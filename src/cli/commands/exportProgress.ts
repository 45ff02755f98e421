import { performance } from 'node:perf_hooks';

export interface ProgressReporter {
  update(blocksDone: number): void;
  done(): void;
}

const INTERVAL_MS = 2_000;

/**
 * One progress line on stderr at most every two seconds (blocks done, blocks/s, ETA). Short
 * exports finish before the first line is due and print nothing. Timing stays on stderr; the
 * exported files never see the clock.
 */
export function createProgressReporter(out: NodeJS.WritableStream, blocksTotal: number, now: () => number = () => performance.now()): ProgressReporter {
  const started = now();
  let lastPrint = started;
  let printed = false;
  return {
    update(blocksDone) {
      const at = now();
      if (at - lastPrint < INTERVAL_MS) return;
      lastPrint = at;
      printed = true;
      const rate = blocksDone / ((at - started) / 1000);
      const eta = rate > 0 ? Math.ceil((blocksTotal - blocksDone) / rate) : NaN;
      out.write(`export: ${blocksDone}/${blocksTotal} blocks, ${rate.toFixed(1)} blocks/s, ETA ${Number.isNaN(eta) ? '?' : `${eta}s`}\n`);
    },
    done() {
      if (printed) {
        const seconds = (now() - started) / 1000;
        out.write(`export: ${blocksTotal}/${blocksTotal} blocks in ${seconds.toFixed(1)}s\n`);
      }
    },
  };
}
