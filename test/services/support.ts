/** A service context over a fresh SQLite database, and verification requests to feed it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { LogSigner } from '../../src/crypto/logHead.js';
import { loadServiceSigner } from '../../src/entry/serviceKey.js';
import type { BlobStore } from '../../src/storage/blobs.js';
import { loadFonts, loadTemplate, openDatabase, migrationsFromDisk, loadKeys, openBlobStore } from '../../src/entry/nodeContext.js';
import { FontSet } from '../../src/render/fonts.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import type { VerificationRequest } from '../../src/services/recordVerification.js';
import { CertificateRepository } from '../../src/storage/certificates.js';
import { applyMigrations } from '../../src/storage/migrate.js';
import { SealRepository } from '../../src/storage/seals.js';
import { OrganisationRepository } from '../../src/storage/organisations.js';
import { VerificationRecordRepository } from '../../src/storage/verificationRecords.js';
import { BanRepository } from '../../src/storage/bans.js';
import { CaseStatementRepository } from '../../src/storage/caseStatements.js';
import { ApprovalFormRepository } from '../../src/storage/approvalForms.js';
import { ApplicationRepository } from '../../src/storage/applications.js';
import { AuditRepository } from '../../src/storage/audit.js';
import { CalendarRepository } from '../../src/storage/calendar.js';
import { BatchRepository } from '../../src/storage/batches.js';
import { LogRepository } from '../../src/storage/chainLogs.js';
import { createServiceDriver } from '../../src/storage/chainWriter.js';
import { headSigner } from '../../src/services/verificationLog.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { DEMO_AUTHORITY_USCCS } from '../../src/domain/licenceIdentifier.js';

export const KEYS_EXAMPLE = join(import.meta.dirname, '../../keys.example');
export const ROOT_PEM = readFileSync(join(KEYS_EXAMPLE, 'root.pem'), 'utf8');
/** The suite's "now": records are checked a week before it. */
export const NOW = new Date('2026-11-28T04:00:00Z');

export const handler: Actor = { orgCode: 'GXZGB', role: 'handler', tokenId: 'tok_handler_gx', personId: 'P_handler_gx', personName: '赵六' };
export const otherOrgHandler: Actor = { orgCode: 'NNZGB', role: 'handler', tokenId: 'tok_handler_nn', personId: 'P_handler_nn', personName: '钱七' };

let fonts: FontSet | undefined;

export interface TestContext {
  ctx: ServiceContext;
  db: Database.Database;
  /** where the repositories keep files: the directory beside the database file (in memory for `:memory:`) */
  blobs: BlobStore;
  close(): void;
}

/** `signer: false` keeps the log unsigned (no service key); by default the demo service key signs heads. */
export async function makeContext(options: { path?: string; signer?: boolean; now?: () => Date } = {}): Promise<TestContext> {
  const { db, driver: raw } = openDatabase(options.path ?? ':memory:');
  const blobs = openBlobStore(options.path ?? ':memory:');
  await applyMigrations(raw, migrationsFromDisk());
  const organisations = new OrganisationRepository(raw);
  for (const [code, name] of [['GXZGB', '广西壮族自治区职称改革工作领导小组办公室'], ['NNZGB', '南宁市职称改革工作领导小组办公室']]) {
    await organisations.upsert({ code: code!, name: name!, kind: 'issuing_authority', parentCode: null }, NOW.toISOString());
    await organisations.setUscc(code!, DEMO_AUTHORITY_USCCS[code!]!); // as entry/deps gives them on the demo root (issue 19: the identifier names it)
  }
  fonts ??= new FontSet(loadFonts());
  const now = options.now ?? (() => NOW);
  let signer: Promise<LogSigner | undefined> | undefined;
  const logSigner = options.signer === false ? undefined : () => (signer ??= loadServiceSigner(KEYS_EXAMPLE, now()));
  const driver = createServiceDriver(raw, { sha256hex: sha256Hex, signHead: headSigner({ logSigner, now }) });
  const ctx: ServiceContext = {
    db: driver,
    certificates: new CertificateRepository(driver, blobs),
    organisations,
    verificationRecords: new VerificationRecordRepository(driver, blobs),
    bans: new BanRepository(driver),
    applications: new ApplicationRepository(driver),
    statements: new CaseStatementRepository(driver),
    approvalForms: new ApprovalFormRepository(driver, blobs),
    audit: new AuditRepository(driver),
    calendar: new CalendarRepository(driver),
    batches: new BatchRepository(driver),
    logs: new LogRepository(driver),
    seals: new SealRepository(driver),
    ...(logSigner ? { logSigner } : {}),
    trust: () => loadKeys(KEYS_EXAMPLE, false),
    fonts,
    template: loadTemplate(),
    publicUrl: 'http://localhost:8787',
    now,
  };
  return { ctx, db, blobs, close: () => db.close() };
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures', name)));
}

export function dataUrl(mediaType: string, bytes: Uint8Array): string {
  return `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** A small but well-formed PDF: header, one empty page, xref, trailer, %%EOF. */
export function minimalPdf(note = ''): Uint8Array {
  return new TextEncoder().encode(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% ${note}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

/** The request body of issue 4's example: a phone check. */
export function phoneRequest(overrides: Partial<VerificationRequest> = {}): VerificationRequest {
  return {
    subject: {
      holderName: '李四',
      idNumber: '450103198501010026',
      titleName: '高级工程师',
      evaluatingBody: '湖南省工程技术高级职务评审委员会',
      acquiredOn: '2015-12-30',
    },
    method: 'phone',
    phone: { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' },
    checkedAt: '2026-11-20T10:30:00+08:00',
    result: 'genuine',
    record: '电话核实，对方确认该同志于2015年12月取得高级工程师资格。',
    handler: { name: '赵六' },
    ...overrides,
  };
}

export function informationSystemRequest(evidence = dataUrl('image/png', fixture('photo.png'))): VerificationRequest {
  return phoneRequest({
    method: 'information_system',
    phone: undefined,
    informationSystem: { name: '湖南省职称评审管理服务平台', url: 'https://zcps.hunan.gov.cn/query?id=HN2015-00123', evidence },
    record: '登录湖南省职称评审管理服务平台查询，结果与证书一致（截图附后）。',
  });
}

export function letterRequest(evidence = dataUrl('application/pdf', minimalPdf())): VerificationRequest {
  return phoneRequest({
    method: 'letter',
    phone: undefined,
    letter: { number: '桂人社函〔2026〕88号', sentTo: '湖南省人力资源和社会保障厅', sentOn: '2026-11-02', repliedOn: '2026-11-16', evidence },
    record: '发函核实，湖南省人社厅复函确认。',
  });
}

export function otherRequest(): VerificationRequest {
  return phoneRequest({ method: 'other', phone: undefined, other: { description: '持证人携原件到窗口现场核验' }, record: '现场核验原件，与复印件一致。' });
}
