/** The invoice as a PDF, its credit notes after the totals (pdfkit, its built-in Helvetica: no font download, no network). */
import PDFDocument from 'pdfkit';
import type { InvoicePresentation } from './presentation';

/** The built-in fonts encode WinAnsi, which has no minus sign (U+2212): it would print as a quote mark. */
const winAnsi = (text: string) => text.replace(/\u2212/g, '-');

export function renderInvoicePdf(p: InvoicePresentation): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: p.title } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    const right = doc.page.width - 50;
    doc.font('Helvetica-Bold').fontSize(20).text(p.title, 50, 50);
    doc.font('Helvetica').fontSize(10).text(`Issued ${p.issued}${p.period ? ` · Period ${p.period}` : ''} · ${p.status}`);
    doc.moveDown();
    const top = doc.y;
    doc.font('Helvetica-Bold').text('From', 50, top).font('Helvetica').text(p.seller.join('\n'));
    doc.font('Helvetica-Bold').text('Bill to', 320, top).font('Helvetica').text(p.buyer.join('\n'), 320);
    doc.moveDown(2);
    doc.x = 50;
    const row = (left: string, detail: string, amountText: string, bold = false) => {
      const amount = winAnsi(amountText);
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(left, 50, y, { width: 330 });
      if (detail) doc.font('Helvetica').fontSize(8).fillColor('#555555').text(detail, 50, doc.y, { width: 330 }).fontSize(10).fillColor('#000000');
      const after = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(amount, 380, y, { width: right - 380, align: 'right' });
      doc.y = Math.max(after, doc.y) + 4;
    };
    for (const line of p.lines) row(line.description, line.detail, line.amount);
    doc.moveTo(50, doc.y).lineTo(right, doc.y).stroke();
    doc.moveDown(0.5);
    for (const total of p.totals) row(total.label, '', total.amount, total.strong);
    if (p.creditNotes.length > 0) {
      doc.moveDown();
      doc.font('Helvetica-Bold').fontSize(12).text('Credit notes', 50, doc.y).fontSize(10);
      doc.moveDown(0.3);
      for (const note of p.creditNotes) {
        const detail = [note.issued, note.reason, note.settledBy, note.void ? 'void: nothing was credited' : null].filter(Boolean).join(' · ');
        row(note.number, detail, note.void ? `(${note.amount})` : note.amount);
      }
    }
    if (p.note) {
      doc.moveDown();
      doc.font('Helvetica').fontSize(9).text(p.note, 50, doc.y, { width: right - 50 });
    }
    doc.end();
  });
}
