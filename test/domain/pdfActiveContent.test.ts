/**
 * PDFs that act on their own (issue 12 B10): scripts, launches, automatic actions, attachments — found in
 * plain objects, behind #xx name escapes, inside compressed object streams and behind references; clean
 * documents (a page link, an opening destination, pdf-lib's and qpdf's object streams) pass; what cannot be
 * checked (encrypted, other filters, a deflate bomb) is said so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { findActiveContent, PDF_MAX_INFLATED_BYTES, PDF_MAX_OBJECT_STREAMS, type PdfCheck } from '../../src/domain/pdfActiveContent.js';
import { objectStream, pdfFile, simplePdf, stream, type PdfObject } from './pdfFixtures.js';

const found = (check: PdfCheck) => ('findings' in check ? check.findings.map((f) => f.name).sort() : check);
const uncheckable = (check: PdfCheck) => ('uncheckable' in check ? check.uncheckable.en : `checkable: ${JSON.stringify(check)}`);

describe('findActiveContent: clean documents pass', () => {
  it('a plain page', async () => {
    expect(found(await findActiveContent(simplePdf()))).toEqual([]);
  });

  it('a link the reader clicks, an opening destination, an opening GoTo action', async () => {
    const link = { num: 5, body: '<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /URI /URI (https://rst.hunan.gov.cn/) >> >>' };
    expect(found(await findActiveContent(simplePdf({ pageExtra: '/Annots [5 0 R]', more: [link] })))).toEqual([]);
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction [3 0 R /Fit]' })))).toEqual([]);
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction << /S /GoTo /D [3 0 R /Fit] >>' })))).toEqual([]);
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction 6 0 R', more: [{ num: 6, body: '[3 0 R /XYZ 0 842 1]' }] })))).toEqual([]);
  });

  it('a document pdf-lib writes with object streams, with a link', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.drawText('Verification reply');
    const link = doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 100, 20], A: { S: 'URI', URI: PDFString.of('https://example.gov.cn/') } });
    page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(link)]));
    const bytes = await doc.save({ useObjectStreams: true });
    expect(Buffer.from(bytes).includes('/ObjStm')).toBe(true);
    expect(found(await findActiveContent(bytes))).toEqual([]);
  });

  it('the service’s own verification-record style PDF: streams of binary data are not read as names', async () => {
    const binary = new Uint8Array(200_000);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 251;
    binary.set(Buffer.from(' /JS /AA /Launch '), 1000); // inside image data: not a name a viewer reads
    const image = { num: 5, body: stream('/Type /XObject /Subtype /Image /Width 100 /Height 100 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode', binary) };
    expect(found(await findActiveContent(simplePdf({ more: [image] })))).toEqual([]);
  });
});

describe('findActiveContent: active content is found', () => {
  it.each([
    ['a document script', { catalogExtra: '/Names << /JavaScript << /Names [(a) 5 0 R] >> >>', more: [{ num: 5, body: '<< /S /JavaScript /JS (app.alert(1)) >>' }] }, ['/JS', '/JavaScript']],
    ['an opening script', { catalogExtra: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>' }, ['/JS', '/JavaScript', '/OpenAction']],
    ['a launch', { catalogExtra: '/OpenAction << /S /Launch /F (cmd.exe) >>' }, ['/Launch', '/OpenAction']],
    ['an opening web address', { catalogExtra: '/OpenAction << /S /URI /URI (https://evil.example/track) >>' }, ['/OpenAction']],
    ['an opening action by reference', { catalogExtra: '/OpenAction 6 0 R', more: [{ num: 6, body: '<< /S /URI /URI (https://evil.example/) >>' }] }, ['/OpenAction']],
    ['a page action on open', { pageExtra: '/AA << /O << /S /Named /N /Print >> >>' }, ['/AA']],
    ['a form that sends data', { more: [{ num: 5, body: '<< /S /SubmitForm /F (https://evil.example/) >>' }] }, ['/SubmitForm']],
    ['an attachment', { catalogExtra: '/Names << /EmbeddedFiles << /Names [(x.exe) 5 0 R] >> >>', more: [{ num: 5, body: '<< /Type /Filespec /F (x.exe) /EF << /F 6 0 R >> >>' }, { num: 6, body: stream('/Type /EmbeddedFile', 'MZ') }] }, ['/EmbeddedFile', '/EmbeddedFiles']],
    ['an XFA form', { catalogExtra: '/AcroForm << /XFA 5 0 R >>', more: [{ num: 5, body: stream('', '<xdp:xdp/>') }] }, ['/XFA']],
    ['Flash', { pageExtra: '/Annots [5 0 R]', more: [{ num: 5, body: '<< /Type /Annot /Subtype /RichMedia >>' }] }, ['/RichMedia']],
    ['a name in a string (read too: errs towards refusing)', { catalogExtra: '/Lang (/JavaScript)' }, ['/JavaScript']],
  ])('%s', async (_label, options, names) => {
    expect(found(await findActiveContent(simplePdf(options)))).toEqual(names);
  });

  it('behind #xx escapes in the names', async () => {
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction << /S /J#61vaScript /#4A#53 (app.alert(1)) >>' })))).toEqual(['/JS', '/JavaScript', '/OpenAction']);
    expect(found(await findActiveContent(simplePdf({ pageExtra: '/#41#41 << /O << /S /GoTo >> >>' })))).toEqual(['/AA']);
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction << /S /L#61unch /F (x) >>' })))).toEqual(['/Launch', '/OpenAction']);
  });

  it('inside a compressed object stream, escaped or not', async () => {
    const packed = (body: string) =>
      pdfFile([
        { num: 1, body: '<< /Type /Catalog /Pages 2 0 R >>' },
        { num: 2, body: '<< /Type /Pages /Kids [] /Count 0 >>' },
        { num: 9, body: objectStream([{ num: 7, body }]) },
      ]);
    expect(found(await findActiveContent(packed('<< /S /JavaScript /JS (app.alert(1)) >>')))).toEqual(['/JS', '/JavaScript']);
    expect(found(await findActiveContent(packed('<< /S /J#61vaScript /J#53 (app.alert(1)) >>')))).toEqual(['/JS', '/JavaScript']);
    expect(found(await findActiveContent(packed('<< /Type /Page /AA << /O 8 0 R >> >>')))).toEqual(['/AA']);
  });

  it('an object stream without /Type /ObjStm is read all the same (viewers need only /N and /First)', async () => {
    const raw = Buffer.from('7 0 << /S /JavaScript /JS (x) >>');
    const bytes = pdfFile([{ num: 1, body: '<< /Type /Catalog >>' }, { num: 9, body: stream(`/N 1 /First 4 /Filter /FlateDecode`, deflateSync(raw)) }]);
    expect(found(await findActiveContent(bytes))).toEqual(['/JS', '/JavaScript']);
  });

  it('an /OpenAction in an object stream pointing to an action in another object stream', async () => {
    const bytes = pdfFile([
      { num: 10, body: objectStream([{ num: 1, body: '<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>' }, { num: 2, body: '<< /Type /Pages /Kids [] /Count 0 >>' }]) },
      { num: 11, body: objectStream([{ num: 6, body: '<< /S /URI /URI (https://evil.example/) >>' }]) },
    ]);
    expect(found(await findActiveContent(bytes))).toEqual(['/OpenAction']);
    const harmless = pdfFile([
      { num: 10, body: objectStream([{ num: 1, body: '<< /Type /Catalog /OpenAction 6 0 R >>' }]) },
      { num: 11, body: objectStream([{ num: 6, body: '[3 0 R /Fit]' }]) },
    ]);
    expect(found(await findActiveContent(harmless))).toEqual([]);
  });

  it('an object hidden in another stream’s data, where a cross-reference table could point', async () => {
    const hiding = { num: 5, body: stream('/Type /Metadata', '<x/>\n7 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n') };
    expect(found(await findActiveContent(simplePdf({ more: [hiding] })))).toEqual(['/JS', '/JavaScript']);
  });

  it('qpdf’s own object streams: a script moved into a compressed object stream is still found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdf-active-'));
    try {
      const plain = simplePdf({ catalogExtra: '/OpenAction 5 0 R', more: [{ num: 5, body: '<< /S /JavaScript /JS (app.alert(1)) >>' }] });
      writeFileSync(join(dir, 'plain.pdf'), plain);
      execFileSync('qpdf', ['--object-streams=generate', '--compress-streams=y', join(dir, 'plain.pdf'), join(dir, 'packed.pdf')]);
      const packed = readFileSync(join(dir, 'packed.pdf'));
      expect(packed.includes('/JavaScript')).toBe(false); // no longer visible in the file's own bytes
      expect(found(await findActiveContent(packed))).toEqual(['/JS', '/JavaScript', '/OpenAction']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('findActiveContent: actions chained through /Next after an opening GoTo', () => {
  const uri = '<< /S /URI /URI (https://evil.example/track) >>';
  it.each([
    ['a /Next dictionary written before /S', '/OpenAction << /Next << /S /GoTo /D [3 0 R /Fit] >> /S /URI /URI (https://evil.example/) >>', []],
    ['a /Next by reference', '/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>', [{ num: 7, body: uri }]],
    ['a /Next array of references', '/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [7 0 R 8 0 R] >>', [{ num: 7, body: '<< /S /GoTo /D [3 0 R /Fit] >>' }, { num: 8, body: '<< /S /Named /N /Print >>' }]],
    ['a /Next reference to an array', '/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>', [{ num: 7, body: '[8 0 R]' }, { num: 8, body: uri }]],
    ['a destination string holding >> before /Next', '/OpenAction << /S /GoTo /D (a>>) /Next << /S /Named /N /Print >> >>', []],
    ['a comment holding >> before /Next', '/OpenAction << /S /GoTo /D [3 0 R /Fit] %>>\n/Next << /S /Named /N /Print >> >>', []],
    ['a chain three deep, escaped', '/OpenAction 6 0 R', [{ num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] /N#65xt 7 0 R >>' }, { num: 7, body: '<< /S /GoTo /D [3 0 R /Fit] /Next << /S /GoTo /D [3 0 R /Fit] /Next 8 0 R >> >>' }, { num: 8, body: uri }]],
    ['an object header with a comment in it', '/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>', [{ num: 70, body: '<< >>\nendobj\n7 %x\n0 obj\n<< /S /URI /URI (https://evil.example/) >>' }]],
  ])('%s', async (_label, catalogExtra, more) => {
    expect(found(await findActiveContent(simplePdf({ catalogExtra, more })))).toEqual(['/OpenAction']);
  });

  it('a chain longer than any producer writes is refused; a cycle of GoTo actions ends and passes', async () => {
    const chain = Array.from({ length: 40 }, (_, i) => ({ num: 10 + i, body: `<< /S /GoTo /D [3 0 R /Fit] /Next ${11 + i} 0 R >>` }));
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction 10 0 R', more: [...chain, { num: 50, body: '<< /S /GoTo /D [3 0 R /Fit] >>' }] })))).toEqual(['/OpenAction']);
    const cycle = [{ num: 7, body: '<< /S /GoTo /D [3 0 R /Fit] /Next [8 0 R 7 0 R] >>' }, { num: 8, body: '<< /S /GoTo /D [3 0 R /XYZ 0 0 1] /Next 7 0 R >>' }];
    const started = Date.now();
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction 7 0 R', more: cycle })))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a /Next inside a compressed object stream, pointing into another', async () => {
    const bytes = pdfFile([
      { num: 10, body: objectStream([{ num: 1, body: '<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >> >>' }, { num: 2, body: '<< /Type /Pages /Kids [] /Count 0 >>' }]) },
      { num: 11, body: objectStream([{ num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >>' }, { num: 5, body: '<< /S /SetOCGState /State [/OFF 9 0 R] >>' }]) },
    ]);
    expect(found(await findActiveContent(bytes))).toEqual(['/OpenAction']);
  });

  it('an opening GoTo whose /Next is another GoTo passes; a reference to nothing is refused', async () => {
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /GoTo /D [3 0 R /FitH 800] >> >>' })))).toEqual([]);
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/OpenAction 99 0 R' })))).toEqual(['/OpenAction']);
  });
});

describe('findActiveContent: more names readers act on, however written', () => {
  const link = (action: string) => ({ pageExtra: '/Annots [5 0 R]', more: [{ num: 5, body: `<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A ${action} >>` }, { num: 6, body: '(javascript:app.alert(1))' }] });
  it.each([
    ['a link to javascript:', link('<< /S /URI /URI (javascript:app.alert(1)) >>'), ['/URI']],
    ['a link to JavaScript: in a hex string, escaped key', link('<< /S /URI /#55RI <4A6176615363726970743A616C657274283129> >>'), ['/URI']],
    ['a link to java\\tscript: with spaces before it', link('<< /S /URI /URI (  java\\tscript:alert(1)) >>'), ['/URI']],
    ['a link to a javascript: string by reference', link('<< /S /URI /URI 6 0 R >>'), ['/URI']],
    ['a link to vbscript:', link('<< /S /URI /URI (vbscript:msgbox) >>'), ['/URI']],
    ['a link to a data: address', link('<< /S /URI /URI (data:text/html,<script>alert(1)</script>) >>'), ['/URI']],
    ['an annotation’s own /AA', { pageExtra: '/Annots [5 0 R]', more: [{ num: 5, body: '<< /Type /Annot /Subtype /Widget /Rect [0 0 1 1] /AA << /E << /S /Named /N /Print >> >> >>' }] }, ['/AA']],
    ['a form field’s /AA, escaped', { catalogExtra: '/AcroForm << /Fields [5 0 R] >>', more: [{ num: 5, body: '<< /FT /Tx /T (a) /#41A << /K << /S /GoTo /D [3 0 R /Fit] >> >> >>' }] }, ['/AA']],
    ['an import of data, escaped', { more: [{ num: 5, body: '<< /S /Imp#6FrtData /F (x.fdf) >>' }] }, ['/ImportData']],
    ['a submit, hex-escaped throughout', { more: [{ num: 5, body: '<< /S /#53#75#62#6D#69#74#46#6F#72#6D /F (https://evil.example/) >>' }] }, ['/SubmitForm']],
    ['an attachment annotation', { pageExtra: '/Annots [5 0 R]', more: [{ num: 5, body: '<< /Type /Annot /Subtype /FileAttach#6Dent /FS 6 0 R >>' }, { num: 6, body: '<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>' }, { num: 7, body: stream('/Type /Embedded#46ile', 'MZ') }] }, ['/EmbeddedFile', '/FileAttachment']],
    ['XFA, escaped', { catalogExtra: '/AcroForm << /#58FA 5 0 R >>', more: [{ num: 5, body: stream('', '<xdp:xdp/>') }] }, ['/XFA']],
    ['rich media, escaped', { pageExtra: '/Annots [5 0 R]', more: [{ num: 5, body: '<< /Type /Annot /Subtype /Rich#4Dedia >>' }] }, ['/RichMedia']],
  ])('%s', async (_label, options, names) => {
    expect(found(await findActiveContent(simplePdf(options)))).toEqual(names);
  });

  it('ordinary links, and names that are also JavaScript object keys, pass', async () => {
    expect(found(await findActiveContent(simplePdf(link('<< /S /URI /URI (https://rst.hunan.gov.cn/javascript:x) >>'))))).toEqual([]);
    expect(found(await findActiveContent(simplePdf(link('<< /S /URI /URI (mailto:hr@example.gov.cn) >>'))))).toEqual([]);
    expect(found(await findActiveContent(simplePdf({ catalogExtra: '/constructor /toString /__proto__ /hasOwnProperty 1' })))).toEqual([]);
  });
});

describe('findActiveContent: stream keyword variants and object streams a walk could miss', () => {
  const script = [{ num: 7, body: '<< /S /JavaScript /JS (app.alert(1)) >>' }];
  const withObjStm = (objstm: Uint8Array, before: PdfObject[] = []) =>
    pdfFile([{ num: 1, body: '<< /Type /Catalog /Pages 2 0 R >>' }, { num: 2, body: '<< /Type /Pages /Kids [] /Count 0 >>' }, ...before, { num: 9, body: objstm }]);
  const edit = (bytes: Uint8Array, from: string, to: string) => Buffer.from(Buffer.from(bytes).toString('latin1').replace(from, to), 'latin1');

  it.each([
    ['CRLF', 'stream\r\n'],
    ['CR only', 'stream\r'],
    ['spaces, then LF', 'stream  \n'],
    ['a tab and a space, then CRLF', 'stream\t \r\n'],
    ['a comment to the end of the line (pdf.js skips the line)', 'stream %x\n'],
    ['spaces and no end of line (MuPDF reads on from there)', 'stream  '],
  ])('`stream` then %s: the compressed object stream is still read', async (_label, keyword) => {
    const bytes = edit(withObjStm(objectStream(script)), 'stream\n', keyword);
    expect(bytes.includes('JavaScript')).toBe(false);
    expect(found(await findActiveContent(bytes))).toEqual(['/JS', '/JavaScript']);
  });

  it('a stream before it without `endstream` does not swallow the object stream', async () => {
    const unterminated = { num: 5, body: Buffer.from('<< /Length 4 >>\nstream\nabcd', 'latin1') };
    expect(found(await findActiveContent(withObjStm(objectStream(script), [unterminated])))).toEqual(['/JS', '/JavaScript']);
  });

  it('an object stream without `endstream`, or with a wrong /Length, is read all the same', async () => {
    expect(found(await findActiveContent(withObjStm(edit(objectStream(script), '\nendstream', ''))))).toEqual(['/JS', '/JavaScript']);
    expect(found(await findActiveContent(withObjStm(objectStream(script).subarray(0, -'\nendstream'.length))))).toEqual(['/JS', '/JavaScript']);
    const packed = Buffer.from(objectStream(script)).toString('latin1');
    expect(found(await findActiveContent(withObjStm(Buffer.from(packed.replace(/\/Length \d+/, '/Length 99999'), 'latin1'))))).toEqual(['/JS', '/JavaScript']);
    expect(found(await findActiveContent(withObjStm(Buffer.from(packed.replace(/\/Length \d+/, '/Length 3'), 'latin1'))))).toEqual(['/JS', '/JavaScript']);
  });

  it('a whole object stream, header and all, inside another stream’s data', async () => {
    const inner = Buffer.concat([Buffer.from('9 0 obj\n', 'latin1'), objectStream(script), Buffer.from('\nendobj\n', 'latin1')]);
    const outer = { num: 5, body: stream('/Type /Metadata /Subtype /XML', inner) };
    expect(found(await findActiveContent(simplePdf({ more: [outer] })))).toEqual(['/JS', '/JavaScript']);
  });

  it('`stream` in a string is not taken for stream data that hides what follows', async () => {
    const tricky = { num: 5, body: '<< /T (>>stream\n) /S /JavaScript /JS (app.alert(1)) >>' };
    expect(found(await findActiveContent(pdfFile([{ num: 1, body: '<< /Type /Catalog >>' }, { num: 6, body: stream('', 'x') }, tricky])))).toEqual(['/JS', '/JavaScript']);
  });

  it('more /ObjStm than could be read: refused as uncheckable, in Chinese and English', async () => {
    const check = await findActiveContent(withObjStm(objectStream(script), [{ num: 5, body: '<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 10 >>' }]));
    expect(uncheckable(check)).toContain('object streams');
    expect('uncheckable' in check && check.uncheckable.zh).toMatch(/对象流/);
  });

  it.each([
    ['300,000 tiny streams without `endstream`', '1 0 obj<<>>stream\n'],
    ['`stream` words and no object', ' stream '],
    ['object headers and no dictionary', ' 1 0 obj '],
    ['dictionaries that never close, each before a `stream`', '1 0 obj << /A [ (x) << >>stream\n'],
  ])('5 MiB of %s: answered within 5 s', async (_label, piece) => {
    const bytes = Buffer.from(`%PDF-1.7\n${piece.repeat(Math.ceil((5 * 1024 * 1024) / piece.length))}`.slice(0, 5 * 1024 * 1024 - 7) + '\n%%EOF\n', 'latin1');
    const started = Date.now();
    await findActiveContent(bytes);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('pdf-lib’s object streams, with every `stream` keyword rewritten: an opening GoTo chained to a script', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.drawText('Reply');
    const script = doc.context.register(doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }));
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'GoTo', D: [page.ref, 'Fit'], Next: script }));
    const bytes = Buffer.from(await doc.save({ useObjectStreams: true }));
    expect(bytes.includes('/ObjStm')).toBe(true);
    expect(bytes.includes('JavaScript')).toBe(false);
    expect(found(await findActiveContent(bytes))).toEqual(['/JS', '/JavaScript', '/OpenAction']);
    for (const keyword of ['stream\r\n', 'stream\r', 'stream \n']) {
      const rewritten = Buffer.from(bytes.toString('latin1').replace(/(?<=>>\s*)stream\n/g, keyword), 'latin1');
      expect(found(await findActiveContent(rewritten))).toEqual(['/JS', '/JavaScript', '/OpenAction']);
    }
  });
});

describe('findActiveContent: what cannot be checked is said so', () => {
  it('an encrypted file', async () => {
    expect(uncheckable(await findActiveContent(simplePdf({ trailerExtra: '/Encrypt 5 0 R', more: [{ num: 5, body: '<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>' }] })))).toContain('encrypted');
  });

  it('an object stream under another filter, with a predictor, or damaged', async () => {
    const withStream = (body: Uint8Array) => pdfFile([{ num: 1, body: '<< /Type /Catalog >>' }, { num: 9, body }]);
    const objects = [{ num: 7, body: '<< /S /JavaScript >>' }];
    expect(uncheckable(await findActiveContent(withStream(objectStream(objects, { filter: 'LZWDecode', data: (raw) => raw }))))).toContain('compression that cannot be checked');
    expect(uncheckable(await findActiveContent(withStream(objectStream(objects, { extra: '/DecodeParms << /Predictor 12 /Columns 4 >>' }))))).toContain('compression that cannot be checked');
    expect(uncheckable(await findActiveContent(withStream(objectStream(objects, { filter: 'FlateDecode', data: (raw) => deflateSync(raw).subarray(0, 10) }))))).toContain('damaged');
    // Uncompressed object streams are read as they are.
    expect(found(await findActiveContent(withStream(objectStream(objects, { filter: null }))))).toEqual(['/JavaScript']);
  });

  it(`a deflate bomb in an object stream: stops at ${PDF_MAX_INFLATED_BYTES / 1024 / 1024} MiB, quickly`, async () => {
    const bomb = deflateSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 }); // 256 MiB of zeros in ~250 KB
    expect(bomb.length).toBeLessThan(400_000);
    const bytes = pdfFile([{ num: 1, body: '<< /Type /Catalog >>' }, { num: 9, body: stream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', bomb) }]);
    const started = Date.now();
    expect(uncheckable(await findActiveContent(bytes))).toContain('inflates past');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it(`more than ${PDF_MAX_OBJECT_STREAMS} object streams`, async () => {
    const streams = Array.from({ length: PDF_MAX_OBJECT_STREAMS + 1 }, (_, i) => ({ num: 10 + i, body: objectStream([{ num: 5000 + i, body: '<< >>' }], { filter: null }) }));
    expect(uncheckable(await findActiveContent(pdfFile([{ num: 1, body: '<< /Type /Catalog >>' }, ...streams])))).toContain('too many to check');
  });
});
