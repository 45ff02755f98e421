import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs on stderr (stdout stays free for command output such as CSV paths or
 * `stack env`). Fixed keys across the codebase: chain_id, date, block, entity, table, endpoint
 * (always masked with maskUrl), method, attempt.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { app: 'ledgerflow', ...bindings } }, pino.destination(2));
}

export type { Logger };
