import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The one workflow entry the bundler starts from: the TypeScript source in dev, the compiled file in dist/. */
export function workflowsPath(): string {
  const ts = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('../workflows/index.js', import.meta.url));
}
