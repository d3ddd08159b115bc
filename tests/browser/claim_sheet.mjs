// After a CSV import, the claim sheet of the people without e-mail printed
// to PDF by Debian's Chromium, as a facilitator would print it: A4 pages,
// one card per person (first name, QR code, address to type, code), none
// for the people who received their badge by e-mail, nothing of the site's
// header or buttons. The issuer runs with a real SMTP server (aiosmtpd).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  Checks, demoLogin, expectText, launch, readPdf, startDemoIssuer, waitHealthy,
} from './lib.mjs';

async function main() {
  const checks = new Checks('claim-sheet');
  const { data, smtp, issuerUrl, issuer } = await startDemoIssuer('badges-sheet-');
  let browser;
  try {
    await waitHealthy(`${issuerUrl}/healthz`, issuer, 'issuer');
    browser = await launch();
    const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await demoLogin(page, issuerUrl, join(data, 'demo-login.txt'));
    await page.getByRole('link', { name: 'Faire ses démarches en ligne' }).first().click();
    // A French Excel file: Windows-1252, semicolons, CRLF.
    const people = [
      ['Diallo', 'Awa', ''], ['Martin', 'Léa', 'lea@example.org'], ['Petit', 'Jo', ''],
      ['Roux', 'Zoé', ''], ['Bernard', 'Sam', 'sam@example.org'], ['Nguyen', 'Hélène', ''],
    ];
    const csv = ['Nom;Prénom;Courriel', ...people.map((p) => p.join(';'))].join('\r\n');
    await page.locator('#csv-file').setInputFiles({
      name: 'atelier.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\r\n`, 'latin1'),
    });
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await expectText(page, '6 personne(s) vont recevoir le badge');
    await checks.page(page, 'csv-preview');
    await page.getByRole('button', { name: 'Délivrer le badge à 6 personne(s)' }).click();
    await expectText(page, '6 badge(s) délivré(s).');
    await checks.page(page, 'csv-done');
    const mails = await smtp.received(2);
    const to = mails.flatMap((m) => m.recipients).sort();
    if (to.join() !== 'lea@example.org,sam@example.org') throw new Error(`mail went to ${to}`);

    await page.getByRole('button', { name: 'Imprimer les codes (feuille à découper)' }).click();
    await expectText(page, 'Codes à imprimer et découper');
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await checks.page(page, 'claim-sheet');
    const cards = await page.locator('.claim-card').evaluateAll((nodes) => nodes.map((n) => ({
      hello: n.querySelector('strong').textContent.trim(),
      code: n.querySelector('.code').textContent.trim(),
    })));
    const expected = ['Awa', 'Jo', 'Zoé', 'Hélène'];
    if (cards.map((c) => c.hello).join('|') !== expected.map((n) => `Bonjour ${n},`).join('|')) {
      throw new Error(`cards: ${JSON.stringify(cards)}`);
    }
    const file = join(checks.artifacts, 'claim-sheet.pdf');
    const bytes = await page.pdf({ path: file, format: 'A4', printBackground: true });
    const pdf = readPdf(file, bytes);
    // Four cards fit on one sheet of paper, and no blank page follows.
    if (pdf.pages !== 1) throw new Error(`${pdf.pages} pages for four cards`);
    if (pdf.pageTexts && pdf.pageTexts.some((t) => !t.includes('Bonjour'))) {
      throw new Error(`a page without a card:\n${pdf.text}`);
    }
    if (pdf.size !== null && !pdf.size.includes('(A4)')) throw new Error(`page size ${pdf.size}`);
    if (pdf.text !== null) {
      const text = pdf.text.replace(/\s+/g, ' ');
      for (const card of cards) {
        for (const part of [card.hello, card.code]) {
          if (!text.includes(part)) throw new Error(`"${part}" missing from the PDF:\n${pdf.text}`);
        }
      }
      for (const words of ['scannez ce QR code', `ou allez sur ${issuerUrl} et tapez ce code`]) {
        if (!text.includes(words)) throw new Error(`"${words}" missing from the PDF:\n${pdf.text}`);
      }
      for (const absent of ['Léa', 'Sam', 'Se déconnecter', 'Codes à imprimer']) {
        if (text.includes(absent)) throw new Error(`"${absent}" printed:\n${pdf.text}`);
      }
    }
    // Four QR codes are drawn as images.
    const images = (bytes.toString('latin1').match(/\/Subtype\s*\/Image/g) || []).length;
    if (images < 4) throw new Error(`${images} images in the PDF, expected the four QR codes`);
    console.log(`ok claim sheet PDF: ${pdf.pages} A4 page(s), ${bytes.length} B, ${cards.length} cards`);
    if (readFileSync(file).length !== bytes.length) throw new Error('the PDF was not written');
  } finally {
    if (browser) await browser.close();
    issuer.kill();
    smtp.stop();
    rmSync(data, { recursive: true, force: true });
  }
  checks.finish('claim sheet');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
