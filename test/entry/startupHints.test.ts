/**
 * What `npm start` prints, without starting it: commands a shell reads back exactly (hostile paths), no
 * variables when the server runs on the CLI's defaults, and the README's quick-start showing exactly the
 * lines printed with the defaults. The real `npm start` is followed in test/e2e/firstRun.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/entry/config.js';
import { loadKeys, PROJECT_ROOT } from '../../src/entry/nodeContext.js';
import { cliEnvPrefix, keySetupSteps, localUrl, shellQuote, startupLines } from '../../src/entry/startupHints.js';

describe('startup hints', () => {
  it('shellQuote: bash reads every value back unchanged', () => {
    const values = ["/tmp/o'ffice data/ecert.db", 'a b', '$(rm -rf /)', '`id`', '"; echo x', "''", '*', '~/x', 'x\ny', '\\', '!', '职称 证书', '-n', ''];
    for (const value of values) {
      const echoed = spawnSync('bash', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
      expect(echoed.stdout).toBe(value);
    }
    expect(shellQuote('/srv/ecert/data.db')).toBe('/srv/ecert/data.db');
  });

  it('cliEnvPrefix: nothing on the defaults; absolute paths and NODE_ENV=production otherwise', () => {
    const base = loadConfig({});
    expect(cliEnvPrefix(base, process.cwd())).toBe('');
    expect(cliEnvPrefix({ ...base, db: '/srv/my db/e.db', keys: 'keys', production: true }, process.cwd())).toBe(
      `NODE_ENV=production ECERT_DB='/srv/my db/e.db' ECERT_KEYS=${join(process.cwd(), 'keys')} `,
    );
  });

  it('localUrl: the wildcard addresses become localhost, IPv6 literals get brackets', () => {
    expect(localUrl('0.0.0.0', 8787)).toBe('http://localhost:8787');
    expect(localUrl('::', 1)).toBe('http://localhost:1');
    expect(localUrl('127.0.0.1', 9)).toBe('http://127.0.0.1:9');
    expect(localUrl('::1', 9)).toBe('http://[::1]:9');
  });

  it('the README quick-start shows the commands printed with the defaults', async () => {
    const config = loadConfig({});
    const trust = await loadKeys(join(PROJECT_ROOT, 'keys.example'), false);
    const lines = startupLines({ config, trust, port: 8787, pid: 4242, projectRoot: process.cwd() });
    const command = (label: RegExp) => lines.find((l) => label.test(l))!.replace(/^.*?:\s+(?=TOKEN=|curl )/, '');
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\n${command(/demo token/)}\n`);
    expect(readme).toContain(`\n${command(/try it/)}\n`);
    expect(lines.join('\n')).toContain('kill 4242');
  });

  it('keySetupSteps names keys init and authority add, for the directory ECERT_KEYS names', () => {
    const steps = keySetupSteps({ keys: "/etc/ecert/o'keys" }, PROJECT_ROOT).join('\n');
    expect(steps).toContain("npm run cli -- keys init --dir '/etc/ecert/o'\\''keys'");
    expect(steps).toContain("npm run cli -- authority add --dir '/etc/ecert/o'\\''keys'");
    expect(keySetupSteps({ keys: join(PROJECT_ROOT, 'keys.example') }, PROJECT_ROOT).join('\n')).toContain('keys init --dir keys');
  });
});
