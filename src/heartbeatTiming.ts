/**
 * How activities prove they are alive, and how soon Temporal gives up on a silent one. Shared by
 * the activities (which beat) and the workflows (which set the timeouts), so the two cannot drift.
 *
 * A SIGKILLed worker sends nothing more; its activities are retried on another worker once the
 * heartbeat timeout passes. A 20 s timeout with a beat every 5 s tolerates three lost beats (a
 * long GC pause, a busy event loop) and still has a killed worker's export running again well
 * within a minute. Timers beat also while one long RPC call, upload or COPY is in flight.
 */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TIMEOUT = '20s';

/**
 * The SDK sends heartbeat details at most every 0.8 x the timeout (16 s here) unless told
 * otherwise; a worker killed in between takes that much finished work with it, and the retry
 * redoes chunks it had already exported. One second keeps the checkpoint fresh at one small RPC
 * per second per running activity.
 */
export const HEARTBEAT_FLUSH_MS = 1_000;
