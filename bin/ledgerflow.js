#!/usr/bin/env node
// Runs the compiled dist/ when it was built from the sources as they are now (`npm install`
// builds it through the `prepare` script): start-up then costs node and the command's own
// imports, not a TypeScript compiler. When a source file is newer than the build, or there is
// no build, it runs the sources through tsx instead, so an edit is never hidden by a stale dist/.
// LEDGERFLOW_FROM_SOURCE=1 always runs the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
const sources = join(root, 'src');

/** Whether some file under `dir` changed after `builtAt` (ms); stops at the first one. */
function changedSince(dir, builtAt) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(full, builtAt) : statSync(full).mtimeMs > builtAt) return true;
  }
  return false;
}

function compiledIsCurrent() {
  if (process.env.LEDGERFLOW_FROM_SOURCE === '1' || !existsSync(compiled)) return false;
  // An installed package ships dist/ without src/: nothing to compare, the build is the code.
  if (!existsSync(sources)) return true;
  return !changedSince(sources, statSync(compiled).mtimeMs);
}

if (compiledIsCurrent()) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(sources, 'cli', 'main.ts')).href);
}
