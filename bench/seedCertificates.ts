/**
 * A bench helper, not an API: writes many certificates straight into a SQLite file, skipping the PDF render
 * (so a million take minutes). Each row is the `template` certificate (one issued through the API) under a
 * new number, with its own ES256 token signed by the authority's key over the same claims and its own link
 * proof derived from that token, exactly as issuance writes them — so each seeded certificate verifies as
 * valid. Not written: the PDF row (certificate_pdfs; the PDFs leave the database for a blob store) and the
 * audit row. The status-list index stays empty (it is allocated when a list is first published).
 * One transaction per `batch` rows.
 */
import Database from 'better-sqlite3';
import { newCertificateNumber } from '../src/domain/certificateNumber.js';
import { buildLicenceIdentifier } from '../src/domain/licenceIdentifier.js';
import { signCertificateToken } from '../src/crypto/jws.js';
import type { AuthorityKey } from '../src/crypto/trustStore.js';
import { linkProofOf } from '../src/services/issueCertificate.js';

export interface SeededCertificate {
  number: string;
  linkProof: string;
}

export interface SeedTarget {
  dbPath: string;
  /** how many certificates this database receives (the first `count` of the generated rows) */
  count: number;
}

/**
 * Generates `max(count)` certificates from `templateNumber` (read from the first target) and writes the first
 * `count` of them into each target. Returns, per target, up to `samples` of its certificates spread evenly over it.
 */
export async function seedCertificates(templateNumber: string, signer: AuthorityKey, targets: SeedTarget[], samples: number, batch = 10_000): Promise<SeededCertificate[][]> {
  const dbs = targets.map((t) => {
    const db = new Database(t.dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    return db;
  });
  try {
    const template = dbs[0]!.prepare('SELECT * FROM certificates WHERE number = ?').get(templateNumber) as Record<string, unknown> | undefined;
    if (!template) throw new Error(`no certificate ${templateNumber} to copy`);
    const columns = Object.keys(template);
    const inserts = dbs.map((db) => db.prepare(`INSERT INTO certificates (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`));
    const writes = dbs.map((db, i) => db.transaction((rows: Record<string, unknown>[]) => rows.forEach((row) => inserts[i]!.run(row))));
    const claims = JSON.parse(Buffer.from(String(template.token).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    delete claims.iat; // signCertificateToken sets it
    const year = Number(String(template.number).slice(0, 2)) + 2000;
    const total = Math.max(...targets.map((t) => t.count));
    const used = new Set<string>([templateNumber]);
    // Each copy its own 电子证照标识 (issue 19): the template's type and authority, the next serials after it.
    let serial = Number(template.licence_serial ?? 0);
    const identified = typeof template.identifier === 'string';
    const identifierOf = (n: number) =>
      buildLicenceIdentifier({ typeCode: String(template.licence_type_code), authorityCode: String(template.licence_authority_code), serial: n, version: String(template.licence_version) });
    const picked: SeededCertificate[][] = targets.map(() => []);
    const strides = targets.map((t) => Math.max(1, Math.floor(t.count / samples)));
    for (let done = 0; done < total; ) {
      const size = Math.min(batch, total - done);
      const rows: Record<string, unknown>[] = [];
      // Signed a few at a time: WebCrypto signs on libuv's threads.
      for (let i = 0; i < size; i += 64) {
        const numbers: string[] = [];
        for (let j = i; j < Math.min(size, i + 64); j++) {
          let number = newCertificateNumber(year);
          while (used.has(number)) number = newCertificateNumber(year);
          used.add(number);
          numbers.push(number);
        }
        const made = await Promise.all(
          numbers.map(async (number) => {
            const own = identified ? { licence_serial: ++serial, identifier: identifierOf(serial) } : {};
            const token = await signCertificateToken({ ...claims, number, ...(identified ? { identifier: own.identifier } : {}) }, signer);
            return { ...template, ...own, number, token, link_proof: await linkProofOf(token), status_index: null };
          }),
        );
        rows.push(...made);
      }
      targets.forEach((t, k) => {
        for (let i = 0; i < rows.length && done + i < t.count; i++) {
          if ((done + i) % strides[k]! === 0 && picked[k]!.length < samples) picked[k]!.push({ number: String(rows[i]!.number), linkProof: String(rows[i]!.link_proof) });
        }
      });
      targets.forEach((t, k) => {
        if (done < t.count) writes[k]!(rows.slice(0, t.count - done));
      });
      done += size;
    }
    if (identified) {
      for (const db of dbs) {
        db.prepare('UPDATE licence_serials SET last = MAX(last, ?) WHERE type_code = ? AND authority_code = ?').run(serial, template.licence_type_code, template.licence_authority_code);
      }
    }
    for (const db of dbs) db.pragma('wal_checkpoint(TRUNCATE)');
    return picked;
  } finally {
    for (const db of dbs) db.close();
  }
}

/** Bytes of the database file as SQLite counts them (pages in use × page size, free pages excluded). */
export function databaseBytes(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
    return pages * (db.pragma('page_size', { simple: true }) as number);
  } finally {
    db.close();
  }
}
