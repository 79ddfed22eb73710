/**
 * @module test/render/webStandard
 * src/render runs unchanged on Cloudflare Workers: no Node built-ins, no Buffer, no file system.
 */

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RENDER = fileURLToPath(new URL('../../src/render/', import.meta.url));

describe('src/render', () => {
  it('uses Web-standard APIs only', async () => {
    const files = (await readdir(RENDER, { recursive: true })).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = await readFile(join(RENDER, file), 'utf8');
      expect(source, file).not.toMatch(/from '(node:|fs\b|path\b|buffer\b|zlib\b)/);
      expect(source, file).not.toMatch(/\bBuffer\b|\brequire\(|\bprocess\.[a-z]/);
    }
  });
});
