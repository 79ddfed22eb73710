/**
 * The part of `qrcode` the core uses (render/qr.ts), typed without Node: @types/qrcode pulls in @types/node,
 * which would let Node APIs into code that must also run on Workers. tsconfig.core.json maps `qrcode` here.
 */
declare const QRCode: {
  create(text: string, options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' }): { modules: { size: number; data: Uint8Array; get(row: number, col: number): number } };
};
export default QRCode;
