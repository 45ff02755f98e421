import type { Command } from 'commander';
import type { ExportDayOptions, PullOptions, VerifyChainOptions, VerifyOptions } from '../actions/lake.js';

export function registerLake(program: Command): void {
  const lake = program.command('lake').description('Export days to the S3 data lake and verify them against their custody manifests');
  lake
    .command('export-day')
    .description('Export one UTC day to S3 in chunks and seal its manifest (prints the manifest key and sha256)')
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--chunk-size <blocks>', 'blocks per chunk (default: $CHUNK_SIZE or 500)')
    .option('--concurrency <n>', 'chunks exported at once', '2')
    .option('--force', 'export again and seal a new manifest version superseding the sealed one (needs --reason)')
    .option('--reason <text>', 'why the sealed version is superseded (recorded in the new manifest)')
    .option('--unsigned', 'seal without a signing key on purpose (the manifest says so); also LEDGERFLOW_SEAL_UNSIGNED=true')
    .action(async (options: ExportDayOptions) => (await import('../actions/lake.js')).runExportDay(options));
  lake
    .command('verify')
    .description("Check a sealed day: the manifest's signature, every object's size and sha256, then a re-export compared digest by digest")
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--objects-only', 'check the stored objects only, without re-exporting from the node')
    .action(async (options: VerifyOptions) => (await import('../actions/lake.js')).runVerify(options));
  lake
    .command('verify-chain')
    .description("Walk sealed days and check each links to the previous day's manifest (sha256, boundary hash, range) and is signed by a trusted key")
    .requiredOption('--from <YYYY-MM-DD>', 'first UTC day')
    .requiredOption('--to <YYYY-MM-DD>', 'last UTC day')
    .option('--chain-id <id>', 'chain id of the lake to walk (default: asked from the node)')
    .action(async (options: VerifyChainOptions) => (await import('../actions/lake.js')).runVerifyChain(options));
  lake
    .command('pull')
    .description("Copy a sealed day's objects to a local folder, keeping the lake's key layout, each checked against the manifest's size and sha256 (for DuckDB and other local readers)")
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .requiredOption('--out <dir>', 'folder to copy into; objects land at <dir>/<key>')
    .option('--entities <list>', 'comma-separated entities to copy (default: every entity of the day)')
    .option('--chain-id <id>', 'chain id of the lake (default: asked from the node)')
    .action(async (options: PullOptions) => (await import('../actions/lake.js')).runPull(options));
}
