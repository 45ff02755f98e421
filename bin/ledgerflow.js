#!/usr/bin/env node
// Runs the TypeScript sources through tsx so `npx ledgerflow` works straight after
// `npm install`, with no build step. Production images run the compiled dist/ directly.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
