/**
 * @module services/verificationWords
 * What a verification answer says to a person: each status's name, the demo notice, and the one sentence of each
 * verdict — valid, revoked (when, by whom, why) and superseded (已变更: corrected by which version, issue 19 item 2).
 */
import { chinaDate, formatChineseDate } from '../domain/chineseDate.js';
import type { Message } from '../domain/errors.js';

export type VerificationStatus = 'valid' | 'revoked' | 'superseded' | 'cancelled' | 'invalid' | 'not_found' | 'proof_required' | 'number_invalid';

/** What a verdict's sentence says of a certificate (services/verifyCertificate's PublicCertificate has it all). */
export interface VerdictFacts {
  authority: { name: string };
  revocation?: { at: string; reasonName: Message } | undefined;
  cancellation?: { at: string; reasonName: Message } | undefined;
  supersession?: { at: string; by: { name: string }; holderChanged: boolean; current?: { number: string; identifier?: string | undefined } | undefined } | undefined;
}

export const STATUS_MESSAGES: Record<VerificationStatus, Message> = {
  valid: { zh: '有效', en: 'Valid' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  superseded: { zh: '已变更', en: 'Superseded' },
  cancelled: { zh: '已注销', en: 'Cancelled' },
  invalid: { zh: '无效', en: 'Invalid' },
  not_found: { zh: '不存在', en: 'Not found' },
  proof_required: { zh: '请扫描二维码或输入姓名', en: 'Scan the QR code or enter the name' },
  number_invalid: { zh: '编号有误', en: 'Mistyped number' },
};

/** Said on every answer while the service runs on the demo root. */
export const DEMO_NOTICE: Message = {
  zh: '演示环境：本服务使用公开的演示密钥，任何人都能签出这样的证书，核验结果不具法律效力。',
  en: 'DEMO: this service runs on public demo keys that anyone can sign with; no answer here has legal effect.',
};

export const SENTENCES = {
  wrongProof: {
    zh: '二维码凭证与证书不符，可能被篡改。请勿采信此链接：请向持证人索取证书原件核对，或用证书编号和持证人姓名查询。',
    en: "The QR code's proof does not match the certificate; it may have been tampered with. Do not rely on this link: ask the holder for the original certificate, or look it up by its number and the holder's name.",
  },
  notFound: {
    zh: '没有与此编号和姓名相符的证书。请核对证书编号和持证人姓名（须与证书上完全一致）；仍查不到的，证书可能不是真的，请联系证书上所载的发证机构核实。',
    en: 'No certificate matches this number and name. Check both (the name exactly as on the certificate); if it still cannot be found, the certificate may not be genuine: ask the issuing office named on it.',
  },
  proofRequired: {
    zh: '此链接没有二维码凭证，不能据此判断证书真伪。请扫描证书上的二维码，或填写持证人姓名，按证书编号和姓名查询。',
    en: "This link carries no QR proof, so it cannot tell whether the certificate is genuine. Scan the QR code on the certificate, or enter the holder's name to look it up by number and name.",
  },
  numberInvalid: {
    zh: '编号有误：证书编号为 11 位（如 26K7-Q2M9-XHT），最后一位是校验位，所输编号与之不符，可能输错了字符。请对照证书重新输入。',
    en: 'Mistyped number: a certificate number has 11 characters (e.g. 26K7-Q2M9-XHT) and the last one checks the others; this one does not match, so a character was probably mistyped. Please type it again from the certificate.',
  },
  tampered: {
    zh: '证书数据与发证机构的电子签名不符，可能被篡改，请勿采信。请联系证书上所载的发证机构核实。',
    en: "The certificate's data does not match the issuing office's electronic signature; it may have been tampered with. Do not rely on it, and ask the issuing office named on it.",
  },
} satisfies Record<string, Message>;

/** The day of an instant in China, as a person reads it (`2026年3月19日`). */
export const chinaDay = (instant: string) => formatChineseDate(chinaDate(new Date(instant)));

export function verdictSentence(status: 'valid' | 'revoked' | 'superseded' | 'cancelled', c: VerdictFacts): Message {
  const by = c.authority.name;
  if (status === 'cancelled' && c.cancellation) {
    const k = c.cancellation;
    return {
      zh: `此证书已于${chinaDay(k.at)}被${by}注销（${k.reasonName.zh}），不再作为取得该职称的有效证明。如有疑问，请联系${by}。`,
      en: `Cancelled on ${chinaDate(new Date(k.at))} (China time) by ${by} (${k.reasonName.en}): it no longer proves the title. Ask ${by} if in doubt.`,
    };
  }
  if (status === 'superseded' && c.supersession) {
    const s = c.supersession;
    if (!s.current) {
      // The correction changed the holder's name or ID number: the new version is not named (services/verifyCertificate.ts).
      // Whether the person showing it is the corrected holder (a name typo) or not (issued to the wrong person) is not
      // known here: say only what is certain — this version proves nothing — and where to ask, never "ask the holder".
      return {
        zh: `此证书已于${chinaDay(s.at)}由${s.by.name}更正并签发了新版本，本版本不再作为取得该职称的有效证明；新版本不在此显示。如出示本证书的人确为持证人，请其出示新版证书或新版核验链接；否则请联系${s.by.name}核实。`,
        en: `Superseded: on ${chinaDate(new Date(s.at))} (China time) ${s.by.name} corrected this certificate and issued a new version, which is not shown here; this version no longer proves the title. If the person showing it is the rightful holder, ask them for the new certificate or its verification link; otherwise ask ${s.by.name}.`,
      };
    }
    const id = s.current.identifier;
    return {
      zh: `此证书已于${chinaDay(s.at)}由${s.by.name}更正，变更为新版本证书（证书编号 ${s.current.number}${id ? `，电子证照标识 ${id}` : ''}），本版本不再作为取得该职称的有效证明。请向持证人索取新版证书，或按新版证书编号和持证人姓名查询。`,
      en: `Superseded: on ${chinaDate(new Date(s.at))} (China time) ${s.by.name} corrected this certificate and issued a new version (number ${s.current.number}${id ? `, e-licence identifier ${id}` : ''}); this version no longer proves the title. Ask the holder for the new certificate, or look up the new number with the holder's name.`,
    };
  }
  if (status === 'valid') {
    return {
      zh: `证书有效：由${by}颁发，电子签名完好，未被撤销。请核对持证人的身份证件与下列信息一致。`,
      en: `Valid: issued by ${by}; the electronic signature is intact and it has not been revoked. Check that the holder's identity document matches the facts below.`,
    };
  }
  const at = c.revocation ? new Date(c.revocation.at) : undefined;
  const why = c.revocation?.reasonName ?? { zh: '', en: '' };
  return {
    zh: `此证书已${at ? `于${formatChineseDate(chinaDate(at))}` : ''}被${by}撤销（${why.zh}），不能再作为取得该职称的证明。如有疑问，请联系${by}。`,
    en: `Revoked${at ? ` on ${chinaDate(at)} (China time)` : ''} by ${by} (${why.en}): it no longer proves the title. Ask ${by} if in doubt.`,
  };
}
