import { heartbeat } from '@temporalio/activity';
import { HEARTBEAT_INTERVAL_MS } from '../heartbeatTiming.js';

/**
 * Heartbeats on a timer while `body` runs. Long single calls (a COPY, a model statement) give no
 * progress callback, yet the activity must heartbeat to notice cancellation and to let Temporal
 * detect a dead worker through heartbeatTimeout instead of the much longer startToCloseTimeout.
 */
export async function withKeepAlive<T>(body: () => Promise<T>, everyMs = HEARTBEAT_INTERVAL_MS, details?: () => unknown): Promise<T> {
  const beat = () => heartbeat(details?.());
  beat();
  const timer = setInterval(beat, everyMs);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}
