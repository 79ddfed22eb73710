/**
 * @module render/lib/pdfMetadata
 * The document information every rendered PDF carries: title and keywords naming the document, the
 * template's subject, creator, producer and language, and a fixed instant rather than the clock — so
 * re-rendering the same document gives identical bytes.
 */

import type { PDFDocument } from '@cantoo/pdf-lib';

/** The `metadata` block of a layout template. */
export interface TemplateMetadata {
  title: string;
  subject: string;
  creator: string;
  producer: string;
  language: string;
  keywords: string[];
}

/**
 * @example
 * setPdfMetadata(pdf, template.metadata, { name: doc.number, author: doc.authority.name, at: new Date(doc.issuedAt) });
 * // title '职称电子证书 26K7Q2M9XHT', keywords [...template keywords, '26K7Q2M9XHT']
 */
export function setPdfMetadata(pdf: PDFDocument, metadata: TemplateMetadata, document: { name: string; author: string; at: Date }): void {
  pdf.setTitle(`${metadata.title} ${document.name}`, { showInWindowTitleBar: true });
  pdf.setSubject(metadata.subject);
  pdf.setAuthor(document.author);
  pdf.setKeywords([...metadata.keywords, document.name]);
  pdf.setCreator(metadata.creator);
  pdf.setProducer(metadata.producer);
  pdf.setLanguage(metadata.language);
  pdf.setCreationDate(document.at);
  pdf.setModificationDate(document.at);
}
