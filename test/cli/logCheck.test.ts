/**
 * `npm run cli -- log check` and `keys service` as an operator runs them: exit 0 and OK for whole logs,
 * exit 1 naming the first broken record; the head rule (a missing head is a break), heads kept elsewhere
 * (`--head`), and the audit trail and the case history checked like the 核实 log (issue 12, C13).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHashes } from '../../src/cli/logCheck.js';
import { chainText, type CanonicalValue, type LogName } from '../../src/domain/recordChain.js';
import type { Application, ApplicationEvent } from '../../src/domain/application.js';
import { recordVerification } from '../../src/services/recordVerification.js';
import { latestSignedHead } from '../../src/services/verificationLog.js';
import { LOG_SPECS } from '../../src/storage/chainLogs.js';
import { handler, KEYS_EXAMPLE, makeContext, NOW, otherRequest, phoneRequest, type TestContext } from '../services/support.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-cli-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A log file of `n` records, heads signed by the demo service key unless `signer: false`. `minutesAt(i)`
 * is when record i is written, minutes after NOW (all at NOW unless given); `keep` runs before closing.
 */
async function logFile(name: string, n: number, signer = true, minutesAt?: (i: number) => number, keep?: (t: TestContext) => Promise<void>): Promise<string> {
  const path = join(dir, name);
  let i = 0;
  const t = await makeContext({ path, signer, now: () => new Date(NOW.getTime() + (minutesAt?.(i) ?? 0) * 60_000) });
  for (; i < n; i++) await recordVerification(t.ctx, handler, i % 2 ? phoneRequest() : otherRequest());
  await keep?.(t);
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  t.close();
  return path;
}

/**
 * What someone with the database but not the signing key can do (issue 12, C13): drop the triggers, change
 * rows of `log` from `from` on (`change` edits a row's canonical values by column), re-hash every later row
 * so the chain links again, and delete any heads listed.
 */
function forge(path: string, log: LogName, from: number, change: (row: Record<string, CanonicalValue>) => void, deleteHeadsFrom?: number): void {
  const spec = LOG_SPECS[log];
  const db = new Database(path);
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER ${name}`);
  let prev = (db.prepare(`SELECT hash FROM ${spec.table} WHERE ${spec.seq} = ?`).get(from - 1) as { hash: string } | undefined)?.hash ?? '0'.repeat(64);
  const rows = db.prepare(`SELECT ${spec.canonical.join(', ')} FROM ${spec.table} WHERE ${spec.seq} >= ? ORDER BY ${spec.seq}`).all(from) as Record<string, CanonicalValue>[];
  const update = db.prepare(`UPDATE ${spec.table} SET ${spec.canonical.map((c) => `${c} = @${c}`).join(', ')}, hash = @hash WHERE ${spec.seq} = @seq_`);
  for (const row of rows) {
    const seq = row[spec.seq];
    change(row);
    row.prev_hash = prev;
    prev = nodeHashes.sha256hex(chainText(spec.canonical.map((c) => row[c]!)));
    update.run({ ...row, hash: prev, seq_: seq });
  }
  if (deleteHeadsFrom !== undefined) db.prepare(`DELETE FROM ${spec.heads.table} WHERE ${spec.heads.where} AND seq >= ?`).run(deleteHeadsFrom);
  db.close();
}

describe('log check', () => {
  it('passes a whole log: count, verified heads, OK, exit 0', async () => {
    const db = await logFile('whole.db', 250);
    const { code, stdout } = await cli(['log', 'check', '--trust', join(KEYS_EXAMPLE, 'root.pem')], { ECERT_DB: db });
    expect(code).toBe(0);
    expect(stdout).toContain('250 records checked');
    expect(stdout).toContain('signed heads: 3 of 3 verified against the root');
    expect(stdout).toContain('50 records after the last signed head (seq 200)');
    expect(stdout.trim().split('\n').at(-1)).toBe('OK');
  });

  it('without a root certificate never says OK: UNVERIFIED, exit 3; with none given it takes $ECERT_KEYS/root.pem', async () => {
    const db = await logFile('noroot.db', 120);
    const noRoot = mkdtempSync(join(dir, 'keys-without-root-'));
    const { code, stdout, stderr } = await cli(['log', 'check'], { ECERT_DB: db, ECERT_KEYS: noRoot });
    expect(code, stdout + stderr).toBe(3);
    expect(stdout).toContain('signatures NOT verified');
    const last = stdout.trim().split('\n').at(-1)!;
    expect(last).toContain('UNVERIFIED');
    expect(last).toContain('未验证');
    expect(stdout).not.toMatch(/^OK$/m);
    const found = await cli(['log', 'check'], { ECERT_DB: db, ECERT_KEYS: KEYS_EXAMPLE });
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('signed heads: 2 of 2 verified against the root');
    expect(found.stdout.trim().split('\n').at(-1)).toBe('OK');
  });

  it('names the first broken record and exits 1', async () => {
    const path = await logFile('broken.db', 30);
    const db = new Database(path);
    db.exec('DROP TRIGGER verification_records_no_update');
    const id = (db.prepare('SELECT id FROM verification_records WHERE seq = 17').get() as { id: string }).id;
    db.prepare("UPDATE verification_records SET record = record || '。' WHERE seq = 17").run();
    db.close();
    const { code, stdout } = await cli(['log', 'check'], { ECERT_DB: path, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain(`BROKEN at seq 17 (id ${id}): the record does not match its hash (altered)`);
    expect(stdout).toContain(`损坏：第 17 条（${id}）`);
  });

  it('fails a log kept without a service key: its first record has no head, so nothing proves it', async () => {
    const db = await logFile('unsigned.db', 5, false);
    const { code, stdout } = await cli(['log', 'check'], { ECERT_DB: db, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain('signed heads: none (without a service key none are signed: npm run cli -- keys service)');
    expect(stdout).toContain('BROKEN at seq 1 (id vr_');
    expect(stdout).toContain('the first record has no signed head');
  });

  it('passes an empty log and refuses a missing database', async () => {
    const db = await logFile('empty.db', 0);
    expect((await cli(['log', 'check'], { ECERT_DB: db, ECERT_KEYS: KEYS_EXAMPLE })).stdout).toContain('0 records checked');
    expect((await cli(['log', 'check'], { ECERT_DB: join(dir, 'nope.db') })).code).not.toBe(0);
  });
});

describe('the head rule (issue 12, C13)', () => {
  it('breaks the attack of the issue: a record flipped, every later hash recomputed, the later heads deleted', async () => {
    const path = await logFile('attack.db', 250);
    // Before: 3 of 3 heads verified (1, 100, 200). The forger flips record 150 and must drop head 200, whose hash no longer matches.
    forge(path, 'verification', 150, (row) => (row.result = 'not_genuine'), 150);
    const { code, stdout } = await cli(['log', 'check'], { ECERT_DB: path, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain('signed heads: 2 of 2 verified against the root');
    expect(stdout).toMatch(/BROKEN at seq 200 \(id vr_[^)]+\): no signed head at seq 200 \(one is due every 100 records: a head was removed, or the service key was not available when it was written\)/);
  });

  it('breaks a quiet log whose later heads were deleted: a record 10 minutes after the last head must carry one', async () => {
    // A record every 3 minutes: heads at 1, 5 (12 minutes on), 9, 13, 17.
    const path = await logFile('quiet.db', 20, true, (i) => i * 3);
    forge(path, 'verification', 6, (row) => (row.result = 'unverifiable'), 6);
    const { code, stdout } = await cli(['log', 'check'], { ECERT_DB: path, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain('BROKEN at seq 9');
    expect(stdout).toContain('no signed head at seq 9, written more than 10 minutes after the record of the last signed head (seq 5)');
  });
});

describe('log check --head: a head kept elsewhere (issue 12, C13)', () => {
  let path: string;
  let headFile: string;
  let auditHeadFile: string;
  beforeAll(async () => {
    // 250 records at NOW, the last one 11 minutes later: heads at 1, 100, 200 and 250. The auditor keeps the newest of each log.
    path = await logFile('kept.db', 250, true, (i) => (i === 249 ? 11 : 0), async (t) => {
      writeFileSync((headFile = join(dir, 'head.json')), JSON.stringify(await latestSignedHead(t.ctx, 'verification')));
      writeFileSync((auditHeadFile = join(dir, 'audit-head.json')), JSON.stringify(await latestSignedHead(t.ctx, 'audit')));
    });
  });
  const copy = (name: string) => {
    const to = join(dir, name);
    const db = new Database(path);
    db.exec(`VACUUM INTO '${to}'`);
    db.close();
    return to;
  };

  it('passes a whole log and says the kept heads hold', async () => {
    const { code, stdout } = await cli(['log', 'check', '--head', headFile, '--head', auditHeadFile], { ECERT_DB: path, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('heads kept elsewhere: 1 of 1 held by the log');
    // Signed at 04:11 UTC, read in China time.
    expect(stdout).toContain('第 250 条，2026年11月28日 12:11（北京时间）签名 / seq 250, signed 2026-11-28 12:11 (UTC+8)');
    expect(stdout.trim().split('\n').at(-1)).toBe('OK');
  });

  it('catches a cut-off tail the head rule cannot see', async () => {
    const cut = copy('cut.db');
    const db = new Database(cut);
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER ${name}`);
    db.exec('DELETE FROM verification_records WHERE seq > 150; DELETE FROM verification_log_heads WHERE seq > 150');
    db.close();
    // 150 records with heads at 1 and 100 satisfy the rule: without the kept head the cut is invisible …
    expect((await cli(['log', 'check'], { ECERT_DB: cut, ECERT_KEYS: KEYS_EXAMPLE })).code).toBe(0);
    // … with it, it is named.
    const { code, stdout } = await cli(['log', 'check', '--head', headFile], { ECERT_DB: cut, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain('the signed head kept elsewhere (signed 2026-11-28 12:11 (UTC+8)) vouches for 250 records but the log ends at 150: records were removed from the end');
    expect(stdout).toContain('另行保存的签名链头（2026年11月28日 12:11 签名）');
  });

  it('catches a tail rewritten with its times forged to dodge the 10-minute rule', async () => {
    const forged = copy('forged.db');
    const before = (new Database(forged).prepare('SELECT created_at FROM verification_records WHERE seq = 200').pluck().get()) as string;
    forge(forged, 'verification', 230, (row) => {
      if (row.seq === 230) row.result = 'not_genuine';
      row.created_at = before;
    }, 250);
    expect((await cli(['log', 'check'], { ECERT_DB: forged, ECERT_KEYS: KEYS_EXAMPLE })).code).toBe(0);
    const { code, stdout } = await cli(['log', 'check', '--head', headFile], { ECERT_DB: forged, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain('BROKEN at seq 250');
    expect(stdout).toContain('differs from the signed head kept elsewhere');
  });

  it('refuses a kept head whose signature does not hold; the audit trail’s kept head catches a cut audit trail', async () => {
    const head = JSON.parse(readFileSync(headFile, 'utf8')) as { jws: string };
    const [h, p, sig] = head.jws.split('.') as [string, string, string];
    const bad = join(dir, 'bad-head.json');
    writeFileSync(bad, JSON.stringify({ ...head, jws: `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BA' : 'AA'}` }));
    const refused = await cli(['log', 'check', '--head', bad], { ECERT_DB: path, ECERT_KEYS: KEYS_EXAMPLE });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('its signature is invalid');
    // The audit trail's head vouches for the audit trail only: cutting that trail is caught by it.
    const cut = copy('audit-cut.db');
    const db = new Database(cut);
    db.exec('DROP TRIGGER audit_events_no_delete; DROP TRIGGER chain_heads_no_delete');
    db.exec("DELETE FROM audit_events WHERE seq > 120; DELETE FROM chain_heads WHERE log = 'audit' AND seq > 120");
    db.close();
    const { code, stdout } = await cli(['log', 'check', '--head', auditHeadFile], { ECERT_DB: cut, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code).toBe(1);
    expect(stdout).toContain('verification log: 250 records checked');
    expect(stdout).toContain('BROKEN in the audit trail at seq 250');
  });
});

describe('the audit trail and the case history (issue 12, C13)', () => {
  let path: string;
  beforeAll(async () => {
    // 30 records (30 audit rows), and two cases stepped through the repository: 6 history events, 6 more audit rows.
    path = await logFile('trails.db', 30, true, undefined, async (t) => {
      t.db.exec(`INSERT INTO organisations (code, name, kind, created_at) VALUES ('NNLQ01', '南宁路桥工程有限公司', 'unit', 't');
        INSERT INTO people (id, org_code, name, role, created_at, created_by) VALUES ('P1', 'NNLQ01', '李四', 'applicant', 't', 'test')`);
      for (const id of ['RC1', 'RC2']) {
        const application = { id, applicantId: 'P1', unitCode: 'NNLQ01', holderCode: 'NNLQ01', authorityCode: 'GXZGB', status: 'draft', version: 1, idNumber: '450103198501010026', holderName: '李四', level: 'senior_associate', form: {}, eligibility: {}, employerChoice: null, notice: null, returned: null, decision: null, certificateNumber: null, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() } as unknown as Application;
        const event = (seq: number, action: string): ApplicationEvent => ({ seq, action, fromStatus: null, toStatus: 'draft', person: { id: 'P1', name: '李四' }, org: { code: 'NNLQ01', name: '南宁路桥工程有限公司' }, role: 'applicant', at: NOW.toISOString(), opinion: null, data: { step: seq } });
        const audit = (action: string) => t.ctx.audit.statement({ at: NOW.toISOString(), orgCode: 'NNLQ01', personId: 'P1', role: 'applicant', action, subject: `application:${id}`, detail: {} });
        await t.ctx.applications.create(application, event(1, 'create'), null, [audit('application.create')]);
        await t.ctx.applications.transition(application, { status: 'draft' }, event(2, 'update'), NOW.toISOString(), null, [audit('application.update')]);
        await t.ctx.applications.transition({ ...application, version: 2 }, { status: 'draft' }, event(3, 'update'), NOW.toISOString(), null, [audit('application.update')]);
      }
    });
  });

  it('checks all three logs and passes them whole', async () => {
    const { code, stdout } = await cli(['log', 'check'], { ECERT_DB: path, ECERT_KEYS: KEYS_EXAMPLE });
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('verification log: 30 records checked');
    expect(stdout).toContain('audit trail: 36 records checked');
    expect(stdout).toContain('case history: 6 records checked');
  });

  const tampered = async (name: string, sql: string) => {
    const copy = join(dir, name);
    const original = new Database(path);
    original.exec(`VACUUM INTO '${copy}'`);
    original.close();
    const db = new Database(copy);
    for (const { name: trigger } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER ${trigger}`);
    db.exec(sql);
    db.close();
    return cli(['log', 'check'], { ECERT_DB: copy, ECERT_KEYS: KEYS_EXAMPLE });
  };

  it('names an altered audit row, a removed one, and an altered history event', async () => {
    const altered = await tampered('audit-altered.db', `UPDATE audit_events SET detail = '{"seq":7}' WHERE seq = 8`);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toMatch(/BROKEN in the audit trail at seq 8 \(id verification_record\.create verification_record:vr_[^)]+\): the record does not match its hash \(altered\)/);
    const removed = await tampered('audit-removed.db', 'DELETE FROM audit_events WHERE seq = 12');
    expect(removed.stdout).toContain('BROKEN in the audit trail at seq 13');
    expect(removed.stdout).toContain('records 12–12 are missing');
    const history = await tampered('history-altered.db', `UPDATE application_events SET opinion = '同意' WHERE log_seq = 4`);
    expect(history.code).toBe(1);
    expect(history.stdout).toContain('BROKEN in the case history at seq 4 (id RC2 #1 create): the record does not match its hash (altered)');
    // The 核实 log itself is whole in all three.
    for (const run of [altered, removed, history]) expect(run.stdout).toContain('verification log: 30 records checked');
  });
});

describe('keys service', () => {
  it('makes an ECERT key under the root, kept apart from the authorities, and bundles it', async () => {
    const keys = join(dir, 'keys');
    expect((await cli(['keys', 'init', '--dir', keys])).code).toBe(0);
    const made = await cli(['keys', 'service', '--dir', keys]);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('service key issued: ECERT');
    expect(readdirSync(join(keys, 'service')).sort()).toHaveLength(2);
    expect(existsSync(join(keys, 'authorities'))).toBe(false);
    const bundle = JSON.parse((await cli(['keys', 'bundle', '--dir', keys])).stdout) as { service?: { certPem: string; keyPem: string }[] };
    expect(bundle.service).toHaveLength(1);
  });
});
