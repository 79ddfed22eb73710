/**
 * The blob store is a required argument everywhere (issue 15 review): a repository or a service built without
 * one would silently keep PDFs, photos, evidence and materials in memory, lost at the next restart. Checked by
 * the type checker (`npx tsc --noEmit` compiles the tests): each line below fails to compile when the store is
 * optional again. `:memory:` databases pass memoryBlobStore() by explicit choice.
 */
import { describe, expect, it } from 'vitest';
import type { RuntimeParts } from '../../src/entry/deps.js';
import { CertificateRepository } from '../../src/storage/certificates.js';
import { VerificationRecordRepository } from '../../src/storage/verificationRecords.js';

/** `true` only when T cannot be left out (undefined is not one of its values). */
type Required<T> = undefined extends T ? false : true;

const certificates: Required<ConstructorParameters<typeof CertificateRepository>[1]> = true;
const records: Required<ConstructorParameters<typeof VerificationRecordRepository>[1]> = true;
const deps: Required<RuntimeParts['blobs']> = true;

describe('the blob store argument', () => {
  it('is required by the certificate and 核实 repositories and by createDeps (a type check)', () => {
    expect([certificates, records, deps]).toEqual([true, true, true]);
  });
});
