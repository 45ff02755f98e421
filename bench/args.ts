/** `--name <value>` from the command line, if given. */
export function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `--name <n>` as a positive integer, `fallback` when absent; anything else stops the benchmark. */
export function positiveIntArg(name: string, fallback: number): number {
  const text = stringArg(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
}
