/**
 * Base of every error Ledgerflow raises on purpose. A short message says what happened; context
 * lines name the values involved (chain, block range, endpoint host, S3 key, table); `fix` says
 * what to do; the cause is kept. `retryable` tells activities whether Temporal should try again:
 * non-retryable errors become `ApplicationFailure.nonRetryable` with the class name as type.
 */
export interface LedgerflowErrorOptions {
  context?: Record<string, string | number | bigint | boolean | undefined | null>;
  fix?: string;
  cause?: unknown;
}

export abstract class LedgerflowError extends Error {
  abstract override readonly name: string;
  abstract readonly retryable: boolean;
  readonly context: Record<string, string>;
  readonly fix: string | undefined;
  readonly shortMessage: string;

  constructor(shortMessage: string, options: LedgerflowErrorOptions = {}) {
    const context: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.context ?? {})) {
      if (value !== undefined && value !== null) context[key] = String(value);
    }
    const lines = [shortMessage];
    const contextText = Object.entries(context).map(([k, v]) => `${k}=${v}`).join(' ');
    if (contextText) lines.push(`(${contextText})`);
    if (options.fix) lines.push(`Fix: ${options.fix}`);
    super(lines.join(' '), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.context = context;
    this.fix = options.fix;
  }

  /** Finds the first error in the cause chain that satisfies `predicate`. */
  walk(predicate: (error: unknown) => boolean): unknown {
    // The walk starts at this error and follows `cause`; the alias is the loop cursor.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let current: unknown = this;
    while (current) {
      if (predicate(current)) return current;
      current = current instanceof Error ? current.cause : undefined;
    }
    return undefined;
  }
}

/** Input the user gave us is wrong; retrying cannot help. */
export class InvalidInputError extends LedgerflowError {
  override readonly name = 'InvalidInputError';
  readonly retryable = false;
}

/** A programming or configuration invariant failed; retrying cannot help. */
export class ConfigurationError extends LedgerflowError {
  override readonly name = 'ConfigurationError';
  readonly retryable = false;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof LedgerflowError ? error.retryable : true;
}
