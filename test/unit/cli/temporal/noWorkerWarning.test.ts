import { describe, expect, it } from 'vitest';
import { LIVE_POLLER_WINDOW_MS, livePollerCount, noWorkerLine } from '../../../../src/cli/temporal/noWorkerWarning.js';

describe('no worker polls the task queue', () => {
  it('says so in one line that names the queue and how to start a worker', () => {
    expect(noWorkerLine('ledgerflow-workflows')).toBe('no worker polls ledgerflow-workflows; start one with `npx ledgerflow worker`');
  });

  it('counts a poller as live only while it polled within the window (the server lists stopped workers for minutes)', () => {
    const now = 1_700_000_000_000;
    const at = (ms: number) => ({ lastAccessTime: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } });
    expect(livePollerCount([at(now - 5_000), at(now - LIVE_POLLER_WINDOW_MS - 1_000)], now)).toBe(1);
    expect(livePollerCount([at(now - LIVE_POLLER_WINDOW_MS - 1_000)], now)).toBe(0);
    expect(livePollerCount([{ lastAccessTime: { seconds: { toNumber: () => (now - 1_000) / 1000 } } }], now)).toBe(1);
    // No time reported: trust the server's list rather than warn wrongly.
    expect(livePollerCount([{}], now)).toBe(1);
    expect(livePollerCount([], now)).toBe(0);
  });
});
