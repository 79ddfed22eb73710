/**
 * The first run as an operator meets it: the real `npm start` with a non-default PORT, ECERT_DB and
 * ECERT_KEYS (at paths with a space and an apostrophe), and the commands it prints followed literally in a
 * fresh shell that knows none of those variables. Then stopping it: SIGTERM to the PID it prints stops the
 * listening socket at once, lets requests in flight finish, closes the database and exits 0 — within a
 * bounded wait. In production, missing keys or a missing authority stop start-up with both CLI steps named.
 * Node entry only (excluded from the edge project in vitest.config.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

const LEVELS = 'senior_full,senior_associate,intermediate,assistant,junior';

/** The environment of a new terminal: none of the service's variables are set. */
function freshShellEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(PORT|HOST|NODE_ENV|ECERT_.*)$/.test(name)) continue;
    env[name] = value;
  }
  return env;
}

/** A temporary directory whose path needs quoting in a shell. */
function awkwardDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ecert-first-')), "my o'ffice data");
  mkdirSync(dir);
  return dir;
}

interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const running: Started[] = [];
afterEach(() => {
  // A failed test must not leave a server behind: end npm and the server it printed.
  for (const started of running.splice(0)) {
    const pid = Number(started.output().match(/\bkill (\d+)\b/)?.[1]);
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  }
});

/** `npm start` exactly as a person types it, in the project directory. */
function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...freshShellEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const started = { child, output: () => output, exited };
  running.push(started);
  return started;
}

/** Waits until the output matches (the server prints its commands once it listens). */
async function waitFor(started: Started, pattern: RegExp, ms = 120_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = started.output().match(pattern);
    if (match) return match;
    if (started.child.exitCode !== null) throw new Error(`npm start exited ${started.child.exitCode}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs printed lines literally in bash, in the project directory, with a fresh terminal's environment. */
function shell(script: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('bash', ['-c', script], { cwd: ROOT, env: freshShellEnv(), encoding: 'utf8', timeout: 120_000 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function cli(args: string[]) {
  const result = spawnSync('npm', ['run', '-s', 'cli', '--', ...args], { cwd: ROOT, env: freshShellEnv(), encoding: 'utf8', timeout: 120_000 });
  expect(result.status, result.stderr).toBe(0);
}

async function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A POST whose body is sent in two halves: in flight from the first half until `finish()`. */
function slowPost(port: number, path: string, body: string, headers: Record<string, string> = {}) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length), ...headers } });
  const answer = new Promise<{ status: number; body: string }>((done, fail) => {
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => done({ status: res.statusCode ?? 0, body: text }));
      res.once('error', fail);
    });
    req.once('error', fail);
  });
  const sent = new Promise<void>((done) => req.write(bytes.subarray(0, half), () => done()));
  return { sent, answer, finish: () => req.end(bytes.subarray(half)) };
}

describe('first run: npm start prints commands that follow its configuration', () => {
  it('with another PORT, ECERT_DB and ECERT_KEYS: the printed token works for the printed issuance (201, not 401)', async () => {
    const dir = awkwardDir();
    const keys = join(dir, 'demo keys');
    cpSync(join(ROOT, 'keys.example'), keys, { recursive: true });
    const port = await freePort();
    const db = join(dir, 'ecert.db');
    const started = npmStart({ PORT: String(port), ECERT_DB: db, ECERT_KEYS: keys });
    const token = (await waitFor(started, /demo token:\s+(TOKEN=\$\(.+\))\s*$/m))[1]!;
    const tryIt = (await waitFor(started, /try it:\s+(curl .+)$/m))[1]!;
    const pid = Number((await waitFor(started, /\bkill (\d+)\b/))[1]);

    // Literally what was printed, in a new terminal.
    const issued = shell(`${token}\n${tryIt}\necho\necho "$TOKEN"`);
    expect(issued.status, issued.stderr).toBe(0);
    const [answerLine, tokenLine] = issued.stdout.trim().split('\n');
    const answer = JSON.parse(answerLine!) as { number?: string; verifyUrl?: string; status?: number; code?: string };
    expect(answer.code, answerLine).toBeUndefined();
    expect(answer.number).toMatch(/^[0-9A-Z]{11}$/);
    // The token and the certificate live in the server's database, not in a second one.
    const rows = new Database(db, { readonly: true });
    try {
      expect(rows.prepare('SELECT COUNT(*) AS n FROM certificates WHERE number = ?').get(answer.number)).toEqual({ n: 1 });
    } finally {
      rows.close();
    }
    const base = `http://127.0.0.1:${port}`;
    const record = await fetch(`${base}/api/v1/certificates/${answer.number}`, { headers: { Authorization: `Bearer ${tokenLine}` } });
    expect(record.status).toBe(200);
    const wrong = await fetch(`${base}/api/v1/certificates/${answer.number}`, { headers: { Authorization: `Bearer ${tokenLine}x` } });
    expect(wrong.status).toBe(401);

    process.kill(pid, 'SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('production with real keys: the token command carries NODE_ENV, ECERT_DB and ECERT_KEYS; no demo hints', async () => {
    const dir = awkwardDir();
    const keys = join(dir, 'keys');
    cli(['keys', 'init', '--dir', keys]);
    cli(['authority', 'add', '--dir', keys, '--code', 'LZZGB', '--name', '柳州市职称改革工作领导小组办公室', '--levels', LEVELS]);
    const port = await freePort();
    const db = join(dir, 'ecert.db');
    const started = npmStart({ NODE_ENV: 'production', PORT: String(port), ECERT_DB: db, ECERT_KEYS: keys, ECERT_PUBLIC_URL: 'https://ecert.example.gov.cn', ECERT_LOOKUP_BURST: '50' });
    const tokenCommand = (await waitFor(started, /token:\s+(TOKEN=\$\(.+\))\s*$/m))[1]!;
    const pid = Number((await waitFor(started, /\bkill (\d+)\b/))[1]);
    expect(started.output()).not.toMatch(/演示|demo|try it|examples\/issue\.json/i);

    const made = shell(`${tokenCommand}\nprintf '%s' "$TOKEN"`);
    expect(made.status, made.stderr).toBe(0);
    const token = made.stdout.trim();
    // The CLI worked on the server's keys and database: no demo authority was registered beside LZZGB.
    const rows = new Database(db, { readonly: true });
    try {
      expect(rows.prepare("SELECT code FROM organisations ORDER BY code").all()).toEqual([{ code: 'LZZGB' }]);
    } finally {
      rows.close();
    }

    const first = await fetch(`http://127.0.0.1:${port}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(issueBody()) });
    expect(first.status).toBe(201);
    const { number } = (await first.json()) as { number: string };

    // Requests in flight when SIGTERM arrives: one issuance and twenty lookups of that certificate, each half sent.
    const issuance = slowPost(port, '/api/v1/certificates', JSON.stringify(issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' })), { Authorization: `Bearer ${token}` });
    const lookups = Array.from({ length: 20 }, () => slowPost(port, '/api/v1/lookup', JSON.stringify({ number, name: '张三丰' })));
    await Promise.all([issuance.sent, ...lookups.map((l) => l.sent)]);
    await new Promise((r) => setTimeout(r, 200)); // the server has read the headers
    process.kill(pid, 'SIGTERM');
    const stoppedBy = Date.now() + 5_000;
    while ((await listening(port)) && Date.now() < stoppedBy) await new Promise((r) => setTimeout(r, 50));
    expect(await listening(port)).toBe(false);
    issuance.finish();
    for (const lookup of lookups) lookup.finish();
    const issued = await issuance.answer;
    expect(issued.status, issued.body).toBe(201);
    const looked = await Promise.all(lookups.map((l) => l.answer));
    expect(looked.map((a) => `${a.status} ${(JSON.parse(a.body) as { status?: string }).status}`)).toEqual(Array(20).fill('200 valid'));
    expect(await started.exited).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(existsSync(`${db}-wal`)).toBe(false); // the database was closed, its WAL checkpointed
    expect(started.output()).toMatch(/SIGTERM/);
  });

  it('without an authority: starts, says how to add one, prints no demo token; the shutdown wait is bounded', async () => {
    const dir = awkwardDir();
    const keys = join(dir, 'keys');
    cli(['keys', 'init', '--dir', keys]);
    const port = await freePort();
    const started = npmStart({ PORT: String(port), ECERT_DB: join(dir, 'ecert.db'), ECERT_KEYS: keys, ECERT_SHUTDOWN_SECONDS: '1' });
    const pid = Number((await waitFor(started, /\bkill (\d+)\b/))[1]);
    await waitFor(started, /authority add/);
    expect(started.output()).not.toMatch(/token create|demo token|try it/);

    // A client that never finishes its body cannot hold the server past ECERT_SHUTDOWN_SECONDS.
    const stuck = slowPost(port, '/api/v1/lookup', JSON.stringify({ number: '26K7Q2M9XH4', name: '张三丰' }));
    stuck.answer.catch(() => undefined);
    await stuck.sent;
    await new Promise((r) => setTimeout(r, 200));
    const killedAt = Date.now();
    process.kill(pid, 'SIGTERM');
    const code = await started.exited;
    expect(Date.now() - killedAt).toBeLessThan(6_000);
    expect(code).not.toBe(0);
    expect(alive(pid)).toBe(false);
  });
});

describe('first run in production without keys', () => {
  it('no ECERT_KEYS (the demo keys), a missing directory, a root without authority: exit non-zero naming `keys init` and `authority add`', async () => {
    const cases: [string, (dir: string) => string | undefined][] = [
      ['demo keys', () => undefined],
      ['missing directory', (dir) => join(dir, 'keys')],
      ['root without authority', (dir) => {
        cli(['keys', 'init', '--dir', join(dir, 'keys')]);
        return join(dir, 'keys');
      }],
    ];
    await Promise.all(cases.map(async ([label, keysOf]) => {
      const dir = awkwardDir();
      const keys = keysOf(dir);
      const started = npmStart({ NODE_ENV: 'production', PORT: String(await freePort()), ECERT_DB: join(dir, 'ecert.db'), ...(keys ? { ECERT_KEYS: keys } : {}) });
      expect(await started.exited, label).not.toBe(0);
      expect(started.output(), label).toContain('npm run cli -- keys init');
      expect(started.output(), label).toContain('npm run cli -- authority add');
      expect(started.output(), label).not.toMatch(/token create|listening/);
    }));
  });
});
