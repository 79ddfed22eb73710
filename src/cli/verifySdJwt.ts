/**
 * @module cli/verifySdJwt
 * Issue 17 item 3: checks an SD-JWT VC (application/dc+sd-jwt) a holder presents — the issuer's ES256
 * signature against the key its `kid` names in our JWKS (a saved /.well-known/jwks.json, or fetched from the
 * URL given, or from the issuer's own server when none is given), every disclosure's SHA-256 digest against the
 * signed `_sd` lists, then the revocation bit the `status` names (the authority's Bitstring Status List, its
 * signature chained to the trusted root). Prints the claims the holder chose to disclose.
 */
import { existsSync, readFileSync } from 'node:fs';
import { verifySdJwtVc } from '../crypto/sdJwt.js';
import { statusChecks } from './statusList.js';

type Print = (line: string) => void;

async function loadJwks(source: string): Promise<{ keys: Array<Record<string, unknown>> } | undefined> {
  const text = URL.canParse(source) && /^https?:/.test(source) ? await fetch(source).then((r) => (r.ok ? r.text() : undefined)).catch(() => undefined) : existsSync(source) ? readFileSync(source, 'utf8') : undefined;
  try {
    const parsed = text ? (JSON.parse(text) as { keys?: unknown }) : undefined;
    return parsed && Array.isArray(parsed.keys) ? (parsed as { keys: Array<Record<string, unknown>> }) : undefined;
  } catch {
    return undefined;
  }
}

/** The issuer's JWKS address when none is given: the origin of `iss` (…/authorities/{code}). */
function jwksOfIssuer(compact: string): string | undefined {
  try {
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob((compact.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))) as { iss?: unknown };
    return typeof payload.iss === 'string' && URL.canParse(payload.iss) ? `${new URL(payload.iss).origin}/.well-known/jwks.json` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @example const code = await verifySdJwtFile('cert.sd-jwt', { jwks: 'jwks.json', rootPem }, console.log);
 * Exit code: 0 valid (and not revoked), 1 invalid or revoked, 2 the JWKS could not be read.
 */
export async function verifySdJwtFile(file: string, options: { jwks?: string | undefined; rootPem?: string | undefined }, print: Print): Promise<number> {
  const compact = existsSync(file) ? readFileSync(file, 'utf8').trim() : file.trim();
  const source = options.jwks ?? jwksOfIssuer(compact);
  const jwks = source ? await loadJwks(source) : undefined;
  if (!jwks) {
    print(`✗ 无法读取公钥集（JWKS）/ the JWKS could not be read: ${source ?? '(none given, and no iss)'}`);
    return 2;
  }
  const { claims, header, problem } = await verifySdJwtVc(compact, jwks);
  if (!claims) {
    print(`✗ signature: SD-JWT VC 无效 / the SD-JWT VC does not verify: ${problem}`);
    return 1;
  }
  print(`✓ signature: 签发机构签名有效（kid ${String(header?.['kid'])}）/ the issuer's signature holds`);
  print('✓ disclosures: 每项披露的摘要均在签名内 / every disclosure digest is signed');
  let revoked = false;
  const entry = (claims['status'] as { bitstring_status_list_entry?: unknown } | undefined)?.bitstring_status_list_entry;
  if (entry && options.rootPem) {
    const code = typeof claims['iss'] === 'string' ? claims['iss'].split('/').pop() ?? '' : '';
    const checks = await statusChecks({ credentialStatus: entry }, code, options.rootPem);
    for (const check of checks) print(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.message.zh} / ${check.message.en}`);
    revoked = !checks.every((check) => check.ok);
  } else {
    print('注意：未核对撤销状态列表 / note: the status list was not read');
  }
  print('披露的信息 / disclosed claims:');
  const { _sd_alg: _alg, status: _status, cnf: _cnf, ...shown } = claims;
  for (const [key, value] of Object.entries(shown)) print(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  print(revoked ? '结论：无效 / verdict: NOT VALID' : '结论：有效 / verdict: VALID');
  return revoked ? 1 : 0;
}
