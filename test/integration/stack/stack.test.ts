import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Connection } from '@temporalio/client';
import { id as topicOf } from 'ethers';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { startAnvil, stopAnvil } from '../../../src/stack/anvilNode.js';
import { freePort } from '../../../src/stack/freePort.js';
import { jsonRpc } from '../../../src/stack/seed/jsonRpc.js';
import { readStackState, stackDown, stackSigningKey, stackStatus, stackUp, type ServiceStatus, type StackState } from '../../../src/stack/index.js';
import { SERVICE_NAMES } from '../../../src/stack/stackState.js';
import { SEARCH_ATTRIBUTES } from '../../../src/workflows/names.js';

const run = promisify(execFile);
const env = inject('stack');
const rpc = jsonRpc(env.RPC_URL);
const hex = (n: number) => `0x${n.toString(16)}`;

// Canonical signatures from peers.md section 3; topic0 is their keccak-256.
const EVENTS = [
  'Transfer(address,address,uint256)',
  'Approval(address,address,uint256)',
  'TransferSingle(address,address,address,uint256,uint256)',
  'TransferBatch(address,address,address,uint256[],uint256[])',
  'Issued(address,address,uint256,bytes)',
  'Redeemed(address,address,uint256,bytes)',
  'IssuedByPartition(bytes32,address,uint256,bytes)',
  'IssuedByPartition(bytes32,address,address,uint256,bytes,bytes)',
  'RedeemedByPartition(bytes32,address,address,uint256,bytes,bytes)',
  'RedeemedByPartition(bytes32,address,address,uint256,bytes)',
  'TransferByPartition(bytes32,address,address,address,uint256,bytes,bytes)',
  'ChangedPartition(bytes32,bytes32,uint256)',
  'ControllerTransfer(address,address,address,uint256,bytes,bytes)',
  'ControllerRedemption(address,address,uint256,bytes,bytes)',
  'DocumentUpdated(bytes32,string,bytes32)',
  'DocumentRemoved(bytes32,string,bytes32)',
];

interface Block {
  number: string;
  hash: string;
  timestamp: string;
  transactions: { hash: string; type: string; to: string | null }[];
}
interface Receipt {
  status: string;
  contractAddress: string | null;
}
interface CallFrame {
  type: string;
  from: string;
  to?: string;
  calls?: CallFrame[];
}

async function dayBlocks(first: number, last: number): Promise<Block[]> {
  const blocks: Block[] = [];
  for (let n = first; n <= last; n += 1) blocks.push(await rpc<Block>('eth_getBlockByNumber', [hex(n), true]));
  return blocks;
}

async function daysOf() {
  return (await readStackState(env.LEDGERFLOW_STACK_DIR)).anvil!.seed.days;
}

describe('local stack services', () => {
  it('Temporal answers, with the Ledgerflow search attributes and the Web UI', async () => {
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
      const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const attribute of Object.values(SEARCH_ATTRIBUTES)) expect(Object.keys(attributes.customAttributes ?? {})).toContain(attribute.name);
    } finally {
      await connection.close();
    }
    const ui = await fetch(env.TEMPORAL_UI_URL);
    expect(ui.status).toBe(200);
  });

  it('PostgreSQL serves the ledgerflow database on loopback', async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; addr: string }>('SELECT current_database() AS db, inet_server_addr()::text AS addr');
      expect(rows[0]).toEqual({ db: 'ledgerflow', addr: '127.0.0.1/32' });
    } finally {
      await client.end();
    }
  });

  it('s3rver round-trips a streamed object in the lake bucket with the documented client settings', async () => {
    const s3 = new S3Client({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const key = `stack-test/${process.pid}.txt`;
    await s3.send(new PutObjectCommand({ Bucket: env.S3_BUCKET, Key: key, Body: 'hello lake\n' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: env.S3_BUCKET, Key: key }));
    expect(await got.Body?.transformToString()).toBe('hello lake\n');
    s3.destroy();
  });

  it('test workers see the s3rver credentials in the environment, as after eval "$(stack env)"', () => {
    expect(process.env.AWS_ACCESS_KEY_ID).toBe(env.AWS_ACCESS_KEY_ID);
    expect(process.env.AWS_SECRET_ACCESS_KEY).toBe(env.AWS_SECRET_ACCESS_KEY);
  });

  it('anvil serves chain 31337 with every generated day final', async () => {
    expect(Number(await rpc<string>('eth_chainId'))).toBe(Number(env.CHAIN_ID));
    const days = await daysOf();
    expect(days.map((d) => d.date).join(',')).toBe(env.LEDGERFLOW_DAYS);
    const head = Number(await rpc<string>('eth_blockNumber'));
    expect(head - days.at(-1)!.lastBlock).toBeGreaterThan(Number(env.FINALITY_DEPTH));
  });

  it('status reports every service healthy, and a second up changes nothing', async () => {
    const before = await stackStatus({ dir: env.LEDGERFLOW_STACK_DIR });
    expect(before.map((s: ServiceStatus) => [s.name, s.healthy])).toEqual([
      ['temporal', true],
      ['postgres', true],
      ['s3', true],
      ['anvil', true],
      ['codec', true],
    ]);
    const again = await stackUp({ dir: env.LEDGERFLOW_STACK_DIR });
    expect(again).toEqual(env);
    const after = await stackStatus({ dir: env.LEDGERFLOW_STACK_DIR });
    expect(after.map((s) => s.pid)).toEqual(before.map((s) => s.pid));
  });

  it('a second up keeps the manifest signing key byte for byte', async () => {
    const before = await readFile(env.LEDGERFLOW_SIGNING_KEY, 'utf8');
    const again = await stackUp({ dir: env.LEDGERFLOW_STACK_DIR });
    expect(again.LEDGERFLOW_SIGNING_KEY).toBe(env.LEDGERFLOW_SIGNING_KEY);
    expect(await readFile(env.LEDGERFLOW_SIGNING_KEY, 'utf8')).toBe(before);
  });

  it('the CLI prints the same environment as export lines', async () => {
    const { stdout } = await run(process.execPath, ['bin/ledgerflow.js', 'stack', 'env', '--dir', env.LEDGERFLOW_STACK_DIR]);
    const printed = Object.fromEntries(stdout.trim().split('\n').map((line) => {
      const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
      return [match?.[1], match?.[2]];
    }));
    expect(printed).toEqual(env);
  });
});

describe('manifest signing key', () => {
  it('stack env points at an ed25519 pair under the stack dir; the private key is readable by its owner only', async () => {
    expect(env.LEDGERFLOW_SIGNING_KEY.startsWith(`${env.LEDGERFLOW_STACK_DIR}/`)).toBe(true);
    expect(env.LEDGERFLOW_TRUSTED_KEYS.startsWith(`${env.LEDGERFLOW_STACK_DIR}/`)).toBe(true);
    expect((await stat(env.LEDGERFLOW_SIGNING_KEY)).mode & 0o777).toBe(0o600);
    const privateKey = createPrivateKey(await readFile(env.LEDGERFLOW_SIGNING_KEY, 'utf8'));
    const publicKey = createPublicKey(await readFile(env.LEDGERFLOW_TRUSTED_KEYS, 'utf8'));
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    const manifest = Buffer.from('{"chainId":31337}');
    expect(verify(null, manifest, publicKey, sign(null, manifest, privateKey))).toBe(true);
  });

  it('stack status shows the key id and where the key lives, never the key', async () => {
    const key = await stackSigningKey({ dir: env.LEDGERFLOW_STACK_DIR });
    expect(key?.keyId).toMatch(/^[0-9a-f]{16}$/);
    const { stdout } = await run(process.execPath, ['bin/ledgerflow.js', 'stack', 'status', '--dir', env.LEDGERFLOW_STACK_DIR]);
    expect(stdout).toContain(`key id ${key?.keyId}`);
    expect(stdout).toContain(env.LEDGERFLOW_SIGNING_KEY);
    const body = (await readFile(env.LEDGERFLOW_SIGNING_KEY, 'utf8')).split('\n')[1]!;
    expect(stdout).not.toContain(body);
    expect(stdout).not.toContain('PRIVATE KEY');
    const json = JSON.parse((await run(process.execPath, ['bin/ledgerflow.js', 'stack', 'status', '--json', '--dir', env.LEDGERFLOW_STACK_DIR])).stdout) as {
      services: ServiceStatus[];
      signingKey: unknown;
    };
    expect(json.services.map((s) => s.name)).toEqual([...SERVICE_NAMES]);
    expect(json.signingKey).toEqual(key);
  });

  it('a stack recorded before signed manifests gets a key on its next up, and its running services are left alone', async () => {
    // The running stack's record, minus the key, in a directory of its own: what an older
    // `stack up` left behind.
    const shared = await readStackState(env.LEDGERFLOW_STACK_DIR);
    const dir = await mkdtemp(join(tmpdir(), 'ledgerflow-legacy-stack-'));
    await copyFile(join(env.LEDGERFLOW_STACK_DIR, 'stack.json'), join(dir, 'stack.json'));
    const legacy = JSON.parse(await readFile(join(dir, 'stack.json'), 'utf8')) as StackState;
    delete legacy.signingKey;
    await writeFile(join(dir, 'stack.json'), JSON.stringify(legacy));
    try {
      expect(await stackSigningKey({ dir })).toBeNull();
      const upgraded = await stackUp({ dir });
      expect(upgraded.LEDGERFLOW_SIGNING_KEY).toBe(join(dir, 'keys', 'manifest-signing.key.pem'));
      expect((await stackSigningKey({ dir }))?.keyId).toMatch(/^[0-9a-f]{16}$/);
      const after = await readStackState(dir);
      for (const name of SERVICE_NAMES) expect(after[name]?.pid, name).toBe(shared[name]?.pid);
    } finally {
      // Only what this test started may be stopped: anything whose pid differs from the shared
      // stack's (nothing, when the test passes).
      const after = await readStackState(dir);
      const strays: StackState = { dir };
      for (const name of SERVICE_NAMES) if (after[name] && after[name]?.pid !== shared[name]?.pid) Object.assign(strays, { [name]: after[name] });
      await writeFile(join(dir, 'stack.json'), JSON.stringify(strays));
      await stackDown({ dir, purge: true });
    }
  });
});

describe('seeded chain', () => {
  it('has UTC-day-aligned blocks: each generated day starts at midnight and the next block is the next day', async () => {
    for (const day of await daysOf()) {
      const [first, last, next] = await Promise.all([day.firstBlock, day.lastBlock, day.lastBlock + 1].map((n) => rpc<Block>('eth_getBlockByNumber', [hex(n), false])));
      const dateOf = (b: Block | undefined) => new Date(Number(b!.timestamp) * 1000).toISOString().slice(0, 10);
      expect(dateOf(first)).toBe(day.date);
      expect(dateOf(last)).toBe(day.date);
      expect(dateOf(next)).not.toBe(day.date);
      const previous = await rpc<Block>('eth_getBlockByNumber', [hex(day.firstBlock - 1), false]);
      expect(dateOf(previous)).not.toBe(day.date);
    }
  });

  it('emits every token and security-token event on every day', async () => {
    for (const day of await daysOf()) {
      for (const signature of EVENTS) {
        const logs = await rpc<unknown[]>('eth_getLogs', [{ fromBlock: hex(day.firstBlock), toBlock: hex(day.lastBlock), topics: [topicOf(signature)] }]);
        expect(logs.length, `${signature} on ${day.date}`).toBeGreaterThan(0);
      }
    }
  });

  it('has legacy, EIP-2930 and EIP-1559 transactions, reverted ones, and contracts created by EOAs and by contracts', async () => {
    const day = (await daysOf())[1]!;
    const blocks = await dayBlocks(day.firstBlock, day.lastBlock);
    const txs = blocks.flatMap((b) => b.transactions);
    expect(new Set(txs.map((t) => t.type))).toEqual(new Set(['0x0', '0x1', '0x2']));

    const receipts = (await Promise.all(blocks.filter((b) => b.transactions.length).map((b) => rpc<Receipt[]>('eth_getBlockReceipts', [b.number])))).flat();
    expect(receipts.filter((r) => r.status === '0x0').length).toBeGreaterThanOrEqual(2);
    expect(receipts.filter((r) => r.contractAddress !== null).length).toBeGreaterThanOrEqual(1);

    const contractCalls = txs.filter((t) => t.to !== null);
    const creates: CallFrame[] = [];
    for (const tx of contractCalls) {
      const frame = await rpc<CallFrame>('debug_traceTransaction', [tx.hash, { tracer: 'callTracer' }]);
      creates.push(...(frame.calls ?? []).filter((c) => c.type === 'CREATE' || c.type === 'CREATE2'));
    }
    expect(new Set(creates.map((c) => c.type))).toEqual(new Set(['CREATE', 'CREATE2']));
  });

  it('is deterministic: a second anvil seeded for one day has the same block hashes', async () => {
    const [day] = await daysOf();
    const state = await readStackState(env.LEDGERFLOW_STACK_DIR);
    const dir = await mkdtemp(join(tmpdir(), 'ledgerflow-anvil-'));
    const second = await startAnvil({
      dir,
      port: await freePort(),
      seed: { ...state.anvil!.seed.options, days: 1, finalityDepth: 0 },
      cacheDir: join(env.LEDGERFLOW_STACK_DIR, 'cache'),
    });
    try {
      const other = jsonRpc(`http://127.0.0.1:${second.port}`);
      for (const n of [0, 1, 2, Math.floor(day!.lastBlock / 2), day!.lastBlock]) {
        const [mine, theirs] = await Promise.all([rpc<Block>('eth_getBlockByNumber', [hex(n), false]), other<Block>('eth_getBlockByNumber', [hex(n), false])]);
        expect(theirs.hash, `block ${n}`).toBe(mine.hash);
      }
    } finally {
      await stopAnvil(second);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
