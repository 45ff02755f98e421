/** A raw secret-bearing string and what to show instead (`<key>.rpc.provider.io` -> `***.rpc.provider.io`). */
export type Redaction = readonly [secret: string, mask: string];

/**
 * The error with every secret replaced by its mask in its message, stack, string fields and
 * causes, or the error itself when none holds a secret. Socket errors name what they could not
 * reach (`getaddrinfo ENOTFOUND <key>.rpc.provider.io`, with a `hostname` field), and a cause
 * chain ends up in logs and, through Temporal's failure converter, in workflow history.
 */
export function redactError(error: unknown, redactions: readonly Redaction[], depth = 0): unknown {
  // A secret of a few characters (a short user name) would garble every word it occurs in.
  const active = redactions.filter(([secret, mask]) => secret.length >= 4 && secret !== mask).sort((a, b) => b[0].length - a[0].length);
  if (active.length === 0) return error;
  const redact = (text: string) => active.reduce((out, [secret, mask]) => out.split(secret).join(mask), text);
  if (typeof error === 'string') return redact(error);
  if (!(error instanceof Error)) return error;
  const cause = depth < 8 && error.cause !== undefined ? redactError(error.cause, active, depth + 1) : error.cause;
  const fields: Record<string, unknown> = {};
  let changed = cause !== error.cause;
  for (const [name, value] of Object.entries(error)) {
    const shown = typeof value === 'string' ? redact(value) : value;
    changed ||= shown !== value;
    fields[name] = shown;
  }
  const message = redact(error.message);
  const stack = error.stack === undefined ? undefined : redact(error.stack);
  if (!changed && message === error.message && stack === error.stack) return error;
  const copy = new Error(message, cause === undefined ? undefined : { cause });
  Object.assign(copy, fields);
  Object.defineProperty(copy, 'name', { value: error.name, writable: true, configurable: true, enumerable: false });
  if (stack !== undefined) copy.stack = stack;
  return copy;
}
