import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { Logger } from '../log.js';

/** Sends the Temporal SDK's logs (worker, activity and workflow loggers) into our pino logger. */
export function sdkLogger(logger: Logger): SdkLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    // A role-split worker polls only its own queue by design; the SDK warns about the other kinds.
    if (level === 'WARN' && /^No (workflows|activities) registered/.test(message)) level = 'DEBUG';
    const target = level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'WARN' ? 'warn' : level === 'ERROR' ? 'error' : 'info';
    logger[target]({ ...meta, source: 'temporal' }, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
