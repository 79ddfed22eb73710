/**
 * The core runs unchanged on Workers: nothing outside entry/ and cli/ may use Node APIs, and the domain
 * knows nothing of HTTP, SQL or the other layers (dependencies point inward).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../src');
const CORE = ['domain', 'services', 'crypto', 'render', 'storage', 'http', 'lib'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

function imports(source: string): { spec: string; typeOnly: boolean }[] {
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const m of source.matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[2]!, typeOnly: Boolean(m[1]) });
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[1]!, typeOnly: false });
  for (const m of source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found;
}

const NODE_ONLY = new Set([...builtinModules, 'better-sqlite3', '@hono/node-server']);

describe('layering', () => {
  const core = CORE.flatMap((dir) => files(join(SRC, dir)));

  it('the core imports no Node API at run time', () => {
    const offenders: string[] = [];
    for (const file of core) {
      const source = readFileSync(file, 'utf8');
      for (const { spec, typeOnly } of imports(source)) {
        if (typeOnly) continue;
        if (spec.startsWith('node:') || NODE_ONLY.has(spec)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
      if (/\bBuffer\.|\bprocess\.(env|argv|exit)|\brequire\(/.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) offenders.push(`${relative(SRC, file)} uses Buffer/process/require`);
    }
    expect(offenders).toEqual([]);
  });

  it('the domain depends on nothing but itself', () => {
    const offenders: string[] = [];
    for (const file of files(join(SRC, 'domain'))) {
      for (const { spec } of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('./') && !spec.startsWith('../domain/')) offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('storage, crypto and render do not reach into http or services', () => {
    const offenders: string[] = [];
    for (const dir of ['storage', 'crypto', 'render']) {
      for (const file of files(join(SRC, dir))) {
        for (const { spec } of imports(readFileSync(file, 'utf8'))) {
          if (/\/(http|services|entry|cli)\//.test(spec)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('HTTP never imports storage (its reads go through a service); services never import HTTP', () => {
    const offenders: string[] = [];
    for (const file of files(join(SRC, 'http'))) {
      for (const { spec } of imports(readFileSync(file, 'utf8'))) if (/(^|\/)storage\//.test(spec)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
    }
    for (const file of files(join(SRC, 'services'))) {
      for (const { spec } of imports(readFileSync(file, 'utf8'))) if (/(^|\/)http\//.test(spec)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('no route file imports another route file (http/api/*, http/pages/<area>/*routes)', () => {
    const isRoute = (path: string) => /^http\/api\/[^/]+\.tsx?$/.test(path) || /^http\/pages\/[^/]+\/(routes|\w+Routes)\.tsx?$/.test(path);
    const routes = files(join(SRC, 'http')).filter((file) => isRoute(relative(SRC, file).replaceAll('\\', '/')));
    expect(routes.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of routes) {
      for (const { spec } of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, join(file, '..', spec)).replaceAll('\\', '/').replace(/\.js$/, '.ts');
        if (isRoute(target) || isRoute(`${target}x`)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('a folder’s lib/ is its own: nobody outside render/ imports render/lib/, and so on (src/lib is shared by all)', () => {
    const offenders: string[] = [];
    for (const file of files(SRC)) {
      const from = relative(SRC, file).replaceAll('\\', '/');
      for (const { spec } of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, join(file, '..', spec)).replaceAll('\\', '/');
        const owner = /^(.+)\/lib\//.exec(target)?.[1];
        if (owner && !from.startsWith(`${owner}/`)) offenders.push(`${from} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no source file is over 400 lines (issue 14: one file, one thing a newcomer can read)', () => {
    const long = files(SRC)
      .map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
