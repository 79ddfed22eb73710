/**
 * @module render/sign
 * The public face of PDF signing for the rest of the service: a renderer takes a `SignatureRequest` and
 * leaves a placeholder; `completeSignature` later fills in the CMS. `appendSignature` adds one more signature
 * to a finished PDF as an incremental update (the seals of issue 16). Services import these from here, never
 * from render/lib/.
 */
export type { SignatureRequest } from './lib/pdfFrame.js';
export { completeSignature } from './lib/pdfSignature.js';
export { appendSignature } from './lib/appendSignature.js';
export type { AppendedSignature } from './lib/appendSignature.js';
