/**
 * @module cli/wranglerR2
 * The R2 blob store (issue 15) as the CLI reaches it: each file through `wrangler r2 object get`, so `log
 * check --edge local|remote` checks the 核实 evidence kept in R2 as the Worker keeps it. Reading only: the
 * Worker writes the bucket, and R2 has no listing through wrangler (so `blobs check` is for Node's directory).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isBlobName, type BlobStore } from '../storage/blobs.js';
import { PROJECT_ROOT } from '../entry/nodeContext.js';
import type { WranglerTarget } from './wranglerD1.js';

/** The bucket wrangler.toml binds as BLOBS, and the key prefix storage/blobs.ts r2BlobStore uses. */
const BUCKET = 'ecert-blobs';
const PREFIX = 'sha256/';

/** @example const blobs = createWranglerR2BlobStore({ mode: 'local', persistTo: '.wrangler/state' }); */
export function createWranglerR2BlobStore(target: Omit<WranglerTarget, 'database'>): BlobStore {
  const get = async (sha256: string): Promise<Uint8Array | undefined> => {
    if (!isBlobName(sha256)) return undefined;
    const args = ['r2', 'object', 'get', `${BUCKET}/${PREFIX}${sha256}`, `--${target.mode}`, '--pipe'];
    if (target.persistTo) args.push('--persist-to', target.persistTo);
    const result = spawnSync(join(PROJECT_ROOT, 'node_modules/.bin/wrangler'), args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      maxBuffer: 1 << 28,
    });
    if (result.status === 0) return new Uint8Array(result.stdout);
    const message = `${result.stdout.toString()}\n${result.stderr.toString()}`;
    if (/not found|does not exist|NoSuchKey/i.test(message)) return undefined;
    throw new Error(`wrangler r2 object get failed: ${message.slice(0, 2000)}`);
  };
  const readOnly = () => Promise.reject(new Error('the CLI reads R2 only; the Worker writes it'));
  return {
    put: readOnly,
    get,
    list: () => ({ [Symbol.asyncIterator]: () => ({ next: readOnly }) }),
    delete: readOnly,
  };
}
