import { DuplicateObjectKeyError } from './errors.js';

/** Refuses two outputs with one key: the second would silently replace the first. */
export function assertUniqueKeys(outputs: ReadonlyArray<{ key: string; label: string }>): void {
  const seen = new Map<string, string>();
  for (const { key, label } of outputs) {
    const first = seen.get(key);
    if (first !== undefined) throw new DuplicateObjectKeyError({ key, first, second: label });
    seen.set(key, label);
  }
}
