/**
 * The D1 driver and the better-sqlite3 driver give the same results for every repository operation:
 * same inputs, same outputs, same errors on constraint violations, same all-or-nothing batches.
 * D1 runs in Miniflare (workerd), the same engine `wrangler dev` uses.
 */
import Database from 'better-sqlite3';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import { CertificateRepository } from '../../src/storage/certificates.js';
import { ConstraintError, type SqlDriver } from '../../src/storage/driver.js';
import { createBetterSqliteDriver } from '../../src/storage/drivers/betterSqlite.js';
import { createD1Driver, type D1Like } from '../../src/storage/drivers/d1.js';
import { applyMigrations } from '../../src/storage/migrate.js';
import { OrganisationRepository } from '../../src/storage/organisations.js';
import { migrationsFromDisk } from '../../src/entry/nodeContext.js';
import type { VerificationRecordDraft } from '../../src/domain/recordChain.js';
import { createServiceDriver } from '../../src/storage/chainWriter.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { checkLog, repositoryLogSource } from '../../src/services/chainCheck.js';
import { VerificationRecordRepository } from '../../src/storage/verificationRecords.js';
import type { SignedHead } from '../../src/storage/chainLogs.js';
import { r2BlobStore, type BlobStore, type R2BucketLike } from '../../src/storage/blobs.js';
import { directoryBlobStore } from '../../src/entry/blobDirectory.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let mf: Miniflare;
const drivers: Record<'sqlite' | 'd1', SqlDriver> = {} as never;
// Issue 15: the files beside each database — a directory on Node, R2 (in Miniflare) on Workers.
const blobStores: Record<'sqlite' | 'd1', () => BlobStore> = {} as never;
const blobDir = mkdtempSync(join(tmpdir(), 'ecert-drivers-blobs-'));

beforeAll(async () => {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  drivers.sqlite = createBetterSqliteDriver(sqlite);
  await applyMigrations(drivers.sqlite, migrationsFromDisk());
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response("") } }', d1Databases: { DB: 'drivers-test' }, r2Buckets: ['BLOBS'] });
  drivers.d1 = createD1Driver((await mf.getD1Database('DB')) as unknown as D1Like);
  for (const migration of migrationsFromDisk()) await drivers.d1.exec(migration.sql);
  const bucket = (await mf.getR2Bucket('BLOBS')) as unknown as R2BucketLike;
  blobStores.sqlite = () => directoryBlobStore(blobDir);
  blobStores.d1 = () => r2BlobStore(bucket);
});
afterAll(async () => {
  await mf?.dispose();
  rmSync(blobDir, { recursive: true, force: true });
});

const driverName = (driver: SqlDriver) => (driver === drivers.sqlite ? 'sqlite' : 'd1');

function certificate(number: string, overrides: Partial<Certificate> = {}): Certificate {
  return {
    number,
    authority: { code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室' },
    kid: 'kid-1',
    holder: { name: '䶮𠮷', gender: 'male', idType: 'resident_id_card', idNumber: '450102198005120019', idNumberMasked: '4501**********0019' },
    photo: { bytes: new Uint8Array([0xff, 0xd8, 0x00, 0x01, 0xff, 0xd9]), type: 'image/jpeg' },
    title: { series: 'engineering', seriesName: '工程技术', name: '高级工程师', level: 'senior_associate', specialty: '电气工程' },
    original: { acquiredOn: '2015-12-30', method: 'evaluation', evaluatingBody: '湖南省工程技术高级职务评审委员会', certificateNumber: undefined },
    decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-03-18' },
    issuedAt: '2026-11-28T04:00:00.000Z',
    token: 'header.payload.signature',
    linkProof: 'proof',
    status: 'valid',
    ...overrides,
  };
}

/** Runs the same script of repository operations on a driver and records every outcome. */
/** Records each operation's outcome, or the kind of error it threw. */
function recorder(): { outcomes: unknown[]; record(label: string, op: () => Promise<unknown>): Promise<void> } {
  const outcomes: unknown[] = [];
  return {
    outcomes,
    async record(label, op) {
      try {
        outcomes.push([label, await op()]);
      } catch (error) {
        outcomes.push([label, error instanceof ConstraintError ? 'ConstraintError' : `other error: ${(error as Error).message}`]);
      }
    },
  };
}

async function script(driver: SqlDriver): Promise<unknown[]> {
  const { outcomes, record } = recorder();
  const orgs = new OrganisationRepository(driver);
  const certs = new CertificateRepository(driver, blobStores[driverName(driver)]());
  await record('org upsert', () => orgs.upsert({ code: 'GXZGB', name: '旧名', kind: 'issuing_authority', parentCode: null }, 't0'));
  await record('org rename', () => orgs.upsert({ code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', kind: 'issuing_authority', parentCode: null }, 't1'));
  await record('org find', () => orgs.find('GXZGB'));
  await record('org missing', () => orgs.find('NOPE'));
  await record('person add', () => orgs.addPerson({ id: 'p1', orgCode: 'GXZGB', name: '王五', role: 'issuer', createdAt: 't' }, 'cli'));
  await record('person find', () => orgs.findPerson('p1'));
  await record('token add', () => orgs.addToken({ id: 't1', personId: 'p1', orgCode: 'GXZGB', role: 'issuer' }, 'hash-1', null, 't'));
  await record('token duplicate hash', () => orgs.addToken({ id: 't2', personId: 'p1', orgCode: 'GXZGB', role: 'issuer' }, 'hash-1', null, 't'));
  await record('token for unknown org', () => orgs.addToken({ id: 't3', personId: 'p1', orgCode: 'NOPE', role: 'issuer' }, 'hash-3', null, 't'));
  await record('token find', () => orgs.findToken('hash-1'));
  await record('token missing', () => orgs.findToken('hash-9'));
  const pdf = new Uint8Array(Array.from({ length: 300 }, (_, i) => i % 256));
  await record('insert', () => certs.insert(certificate('26AAAAAAAA0'), pdf, { scope: 'GXZGB', key: 'k1', requestHash: 'h1' }));
  await record('insert duplicate number', () => certs.insert(certificate('26AAAAAAAA0'), pdf));
  await record('insert reusing idempotency key (whole batch refused)', () => certs.insert(certificate('26BBBBBBBB0'), pdf, { scope: 'GXZGB', key: 'k1', requestHash: 'h2' }));
  await record('the refused batch wrote nothing', () => certs.findByNumber('26BBBBBBBB0'));
  await record('find', () => certs.findByNumber('26AAAAAAAA0'));
  await record('photo', async () => Array.from((await certs.photo('26AAAAAAAA0'))!.bytes));
  await record('pdf', async () => Array.from((await certs.pdf('26AAAAAAAA0'))!));
  await record('idempotent', () => certs.findIdempotent('GXZGB', 'k1'));
  await record('idempotent missing', () => certs.findIdempotent('GXZGB', 'k9'));
  await record('revoke', () => certs.revoke('26AAAAAAAA0', { at: 't2', reason: 'false_materials', note: '造假', by: 't1' }));
  await record('revoke again', () => certs.revoke('26AAAAAAAA0', { at: 't3', reason: 'other', note: '', by: 't1' }));
  await record('find revoked', () => certs.findByNumber('26AAAAAAAA0'));
  await record('count', () => certs.count());
  await record('insert without photo', () => certs.insert(certificate('26CCCCCCCC0', { photo: undefined }), pdf));
  await record('photo absent', () => certs.photo('26CCCCCCCC0'));
  // Issue 13 item 6 (migration 0013): each basis round-trips; a row without one reads as none.
  const decision = { kind: 'decision' as const, decisionNumber: '桂职办〔2019〕7号', decidedOn: '2019-06-30', reason: '补发电子证书' };
  await record('insert with a decision basis', () => certs.insert(certificate('26DDDDDDDD0', { basis: decision }), pdf));
  await record('basis decision', async () => (await certs.findByNumber('26DDDDDDDD0'))?.basis);
  await record('insert with a case basis', () => certs.insert(certificate('26EEEEEEEE0', { basis: { kind: 'case', caseId: 'RC20261128-7KQ2M9XH' } }), pdf));
  await record('basis case', async () => (await certs.findByNumber('26EEEEEEEE0'))?.basis);
  await record('basis unrecorded', async () => (await certs.findByNumber('26CCCCCCCC0'))?.basis);
  // Issue 15: the row keeps the PDF's SHA-256 and length, not its bytes; one issued before migration 0015 is read from certificate_pdfs.
  await record('no PDF bytes in the database', async () => [await driver.first('SELECT COUNT(*) AS n FROM certificate_pdfs'), await driver.first("SELECT pdf_length, photo, photo_length FROM certificates WHERE number = '26AAAAAAAA0'")]);
  await record('legacy row', async () => {
    await driver.run("INSERT INTO certificates (number, authority_code, authority_name, kid, holder_name, holder_gender, id_type, id_number, id_number_masked, photo, photo_type, series_code, series_name, title_name, level, specialty, acquired_on, acquisition_method, evaluating_body, decision_number, decided_on, issued_at, token, link_proof, status) SELECT '26FFFFFFFF0', authority_code, authority_name, kid, holder_name, holder_gender, id_type, id_number, id_number_masked, X'FFD8FFD9', 'image/jpeg', series_code, series_name, title_name, level, specialty, acquired_on, acquisition_method, evaluating_body, decision_number, decided_on, issued_at, token || 'x', link_proof, status FROM certificates WHERE number = '26CCCCCCCC0'");
    await driver.run("INSERT INTO certificate_pdfs (number, pdf) VALUES ('26FFFFFFFF0', X'255044462D')");
    return [Array.from((await certs.pdf('26FFFFFFFF0'))!), Array.from((await certs.photo('26FFFFFFFF0'))!.bytes)];
  });
  await record('a PDF missing from the blob store is refused in words', async () => {
    await driver.run("UPDATE certificates SET pdf_sha256 = ? WHERE number = '26CCCCCCCC0'", ['ab'.repeat(32)]);
    return certs.pdf('26CCCCCCCC0');
  });
  return outcomes;
}

describe('D1 and better-sqlite3 drivers', () => {
  it('give the same results for every repository operation', async () => {
    const sqlite = await script(drivers.sqlite);
    const d1 = await script(drivers.d1);
    expect(d1).toEqual(sqlite);
    // And the outcomes are the right ones, not merely equal.
    const byLabel = Object.fromEntries(sqlite as [string, unknown][]);
    expect(byLabel['basis decision']).toEqual({ kind: 'decision', decisionNumber: '桂职办〔2019〕7号', decidedOn: '2019-06-30', reason: '补发电子证书' });
    expect(byLabel['basis case']).toEqual({ kind: 'case', caseId: 'RC20261128-7KQ2M9XH' });
    expect(byLabel['basis unrecorded']).toBeUndefined();
    expect(byLabel['token duplicate hash']).toBe('ConstraintError');
    expect(byLabel['token for unknown org']).toBe('ConstraintError');
    expect(byLabel['insert duplicate number']).toBe('ConstraintError');
    expect(byLabel['insert reusing idempotency key (whole batch refused)']).toBe('ConstraintError');
    expect(byLabel['the refused batch wrote nothing']).toBeUndefined();
    expect(byLabel['revoke']).toBe(true);
    expect(byLabel['revoke again']).toBe(false);
    expect((byLabel['find revoked'] as Certificate).revocation).toMatchObject({ reason: 'false_materials', note: '造假' });
    expect((byLabel['find'] as Certificate).holder.name).toBe('䶮𠮷');
    expect(byLabel['count']).toBe(1);
    expect(byLabel['no PDF bytes in the database']).toEqual([{ n: 0 }, { pdf_length: 300, photo: null, photo_length: 6 }]);
    expect(byLabel['legacy row']).toEqual([[0x25, 0x50, 0x44, 0x46, 0x2d], [0xff, 0xd8, 0xff, 0xd9]]);
    expect(byLabel['a PDF missing from the blob store is refused in words']).toMatch(/other error: The file is damaged or missing: the requested certificate PDF is not in the file store/);
  });
});

const PART = 64 * 1024;

function draft(n: number, overrides: Partial<VerificationRecordDraft> = {}): VerificationRecordDraft {
  return {
    id: `vr_record${String(n).padStart(9, '0')}`,
    orgCode: n % 3 === 0 ? 'NNZGB' : 'GXZGB',
    subject: { holderName: n % 2 ? '李四' : '䶮𠮷', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省评委会', acquiredOn: '2015-12-30', certificateNumber: n % 2 ? 'HN-1' : undefined },
    details: { method: 'other', other: { description: `现场核验 ${n}` } },
    checkedAt: `2026-11-${String(10 + n).padStart(2, '0')}T10:30:00+08:00`,
    result: n % 4 === 0 ? 'not_genuine' : 'genuine',
    record: `记录 ${n}：'引号' "双引号" \\ 反斜杠`,
    handler: { name: '赵六' },
    recordedOn: `2026-11-${String(10 + n).padStart(2, '0')}`,
    createdAt: `2026-11-${String(10 + n).padStart(2, '0')}T02:31:00.000Z`,
    writtenBy: 'tok_1',
    ...overrides,
  };
}

/** The same script of verification-log operations, outcome by outcome. */
async function recordScript(driver: SqlDriver): Promise<unknown[]> {
  const { outcomes, record } = recorder();
  const orgs = new OrganisationRepository(driver);
  for (const code of ['GXZGB', 'NNZGB']) await orgs.upsert({ code, name: code, kind: 'issuing_authority', parentCode: null }, 't0');
  // Parts of 64 KiB stand in for the 1 MiB parts (Miniflare moves blobs slowly); the code path is the same.
  // A stand-in signature on every head the chain writer finds due — here every record, each a day after the last.
  const signHead = async (_log: string, h: { seq: number; hash: string; count: number }): Promise<SignedHead | undefined> => ({ ...h, signedAt: `t${h.seq}`, kid: 'kid', jws: `jws-${h.seq}` });
  const repo = new VerificationRecordRepository(createServiceDriver(driver, { sha256hex: sha256Hex, signHead }), blobStores[driverName(driver)]());
  // Evidence of one and a half of the old parts: kept whole in the blob store since migration 0015.
  const big = new Uint8Array(PART + PART / 2).map((_, i) => (i * 7) % 251);
  const bigSha = await sha256Hex(big);
  const evidenceRef = { sha256: bigSha, mediaType: 'application/pdf' as const, bytes: big.length };
  await record('tip of an empty log', () => repo.tip());
  for (let n = 1; n <= 6; n++) {
    const details = n === 2 ? { method: 'letter' as const, letter: { number: '函1', sentTo: '湖南', sentOn: '2026-11-01', repliedOn: '2026-11-02', evidence: evidenceRef } } : undefined;
    await record(`append ${n}`, () =>
      repo.append(draft(n, details ? { details } : {}), details ? [{ ...evidenceRef, bytes: big }] : [], { idempotency: n === 1 ? { scope: 'GXZGB', key: 'k1', requestHash: 'h1' } : undefined }),
    );
  }
  await record('append reusing an idempotency key (whole batch refused)', () => repo.append(draft(7), [], { idempotency: { scope: 'GXZGB', key: 'k1', requestHash: 'h2' } }));
  await record('the refused batch wrote nothing', () => repo.get(draft(7).id));
  await record('supersede 1', () => repo.append(draft(8, { supersedes: { id: draft(1).id, reason: '更正' } }), []));
  await record('supersede 1 again (refused)', () => repo.append(draft(9, { supersedes: { id: draft(1).id, reason: '再更正' } }), []));
  await record('same evidence again (stored once)', () => repo.append(draft(10, { details: { method: 'letter', letter: { number: '函2', sentTo: '湖南', sentOn: '2026-11-01', repliedOn: '2026-11-02', evidence: evidenceRef } } }), [{ ...evidenceRef, bytes: big }]));
  await record('get', () => repo.get(draft(2).id));
  await record('get missing', () => repo.get('vr_nope'));
  await record('superseded by', async () => (await repo.supersededBy(draft(1).id))?.id);
  await record('evidence comes back whole', async () => {
    const stored = await repo.evidence(bigSha);
    return stored && { mediaType: stored.mediaType, length: stored.bytes.length, sha: await sha256Hex(stored.bytes) };
  });
  await record('evidence parts', async () => (await repo.evidenceParts(bigSha))?.parts.map((p) => p.length));
  await record('idempotent', () => repo.findIdempotent('GXZGB', 'k1'));
  await record('list GXZGB', async () => {
    const { items, total } = await repo.list({ orgCode: 'GXZGB', page: 1, pageSize: 3 });
    return { total, items: items.map((i) => [i.record.seq, i.supersededBy]) };
  });
  await record('list filtered', async () => (await repo.list({ orgCode: 'GXZGB', holder: '李四', result: 'genuine', method: 'other', from: '2026-11-11', to: '2026-11-15', page: 1, pageSize: 10 })).items.map((i) => i.record.seq));
  await record('list by id number, page 2', async () => (await repo.list({ orgCode: 'GXZGB', idNumber: '450103198501010026', page: 2, pageSize: 2 })).items.map((i) => i.record.seq));
  await record('heads', () => repo.heads());
  await record('chain order', async () => {
    const seqs: number[] = [];
    for await (const r of repo.inChainOrder(3)) seqs.push(r.seq);
    return seqs;
  });
  await record('chain checks out (no head signatures to verify)', () =>
    checkLog(repositoryLogSource(repo), { sha256hex: sha256Hex, sha256hexParts: (parts) => sha256Hex(new Uint8Array(Buffer.concat(parts))) }),
  );
  await record('UPDATE refused by trigger', () => driver.run("UPDATE verification_records SET record = 'x' WHERE seq = 1"));
  await record('DELETE refused by trigger', () => driver.run('DELETE FROM verification_records WHERE seq = 1'));
  await record('evidence DELETE refused by trigger', () => driver.run('DELETE FROM verification_evidence'));
  // A file stored before migration 0015 is read from its parts; a row whose file is nowhere is refused in words.
  await record('legacy evidence from its parts', async () => {
    const old = new Uint8Array([1, 2, 3, 4, 5]);
    const sha = await sha256Hex(old);
    await driver.batch([
      { sql: 'INSERT INTO verification_evidence (sha256, media_type, size) VALUES (?, ?, ?)', params: [sha, 'image/png', 5] },
      { sql: 'INSERT INTO verification_evidence_parts (sha256, part, bytes) VALUES (?, 0, ?), (?, 1, ?)', params: [sha, old.subarray(0, 3), sha, old.subarray(3)] },
    ]);
    return Array.from((await repo.evidence(sha))!.bytes);
  });
  await record('evidence missing everywhere', async () => {
    await driver.run('INSERT INTO verification_evidence (sha256, media_type, size) VALUES (?, ?, ?)', ['cd'.repeat(32), 'image/png', 9]);
    return repo.evidence('cd'.repeat(32));
  });
  await record('head UPDATE refused by trigger', () => driver.run("UPDATE verification_log_heads SET jws = 'x'"));
  await record('count', () => repo.count());
  return outcomes;
}

describe('the verification log on D1 and better-sqlite3', () => {
  it('gives the same results for every repository operation', async () => {
    const sqlite = await recordScript(drivers.sqlite);
    const d1 = await recordScript(drivers.d1);
    expect(d1).toEqual(sqlite);
    const byLabel = Object.fromEntries(sqlite as [string, unknown][]);
    expect(byLabel['tip of an empty log']).toEqual({ seq: 0, hash: '0'.repeat(64), lastSignedAt: undefined });
    expect(byLabel['append reusing an idempotency key (whole batch refused)']).toBe('ConstraintError');
    expect(byLabel['the refused batch wrote nothing']).toBeUndefined();
    expect(byLabel['supersede 1 again (refused)']).toBe('ConstraintError');
    expect(byLabel['superseded by']).toBe(draft(8).id);
    expect(byLabel['evidence parts']).toEqual([PART + PART / 2]); // one file from the blob store (issue 15)
    expect(byLabel['legacy evidence from its parts']).toEqual([1, 2, 3, 4, 5]);
    expect(byLabel['evidence missing everywhere']).toMatch(/other error: The file is damaged or missing: the requested evidence file is not in the file store/);
    expect(byLabel['list GXZGB']).toEqual({ total: 6, items: [[8, undefined], [7, undefined], [5, undefined]] });
    expect(byLabel['list filtered']).toEqual([5, 1]);
    expect(byLabel['list by id number, page 2']).toEqual([5, 4]);
    expect((byLabel['heads'] as { seq: number }[]).map((h) => h.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(byLabel['chain order']).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(byLabel['chain checks out (no head signatures to verify)']).toMatchObject({ ok: true, count: 8 });
    for (const label of ['UPDATE refused by trigger', 'DELETE refused by trigger', 'evidence DELETE refused by trigger', 'head UPDATE refused by trigger']) {
      expect(byLabel[label], label).toBe('ConstraintError');
    }
    expect(byLabel['count']).toBe(8);
  });
});
