// A facilitator's whole day in Debian's Chromium, against the real issuer
// binary on SQLite with a real SMTP server (aiosmtpd) for its mail:
//
// 1. a badge created with a phone photo (a JPEG over 2 MB, made here),
//    then awarded to one person from its page;
// 2. a workshop of three dated sessions and eight participants (two without
//    e-mail), the boxes ticked and the award pressed without saving first;
// 3. a French Excel CSV of twenty people (Windows-1252, `;`, headers
//    Nom;Prénom;Courriel) with one person who already holds the badge:
//    flagged, skipped, said so;
// 4. the claim sheet of the people without e-mail printed to PDF;
// 5. exactly one e-mail per person with an address, on every path;
// 6. an award of the morning found again by search and revoked.
//
// axe-core runs on every page visited and must find no violation.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Checks, demoLogin, expectText, launch, readPdf, startDemoIssuer, waitHealthy,
} from './lib.mjs';

const BADGE = 'Écrire un CV avec un traitement de texte';
const WORKSHOP = [
  ['Awa Diallo', ''], ['Léa Martin', 'lea.martin@example.org'], ['Jo Petit', 'jo.petit@example.org'],
  ['Karim Benali', 'karim@example.org'], ['Sofia Costa', 'sofia@example.org'], ['Yann Le Goff', ''],
  ['Chloé Bernard', 'chloe@example.org'], ['Marc Dubois', 'marc@example.org'],
];
// Twenty people, five without e-mail; Léa Martin got the badge in the workshop.
const CSV_PEOPLE = [
  ['Martin', 'Léa', 'LEA.MARTIN@example.org'],
  ['Nguyen', 'Hélène', ''], ['Roux', 'Zoé', 'zoe.roux@example.org'], ['Garcia', 'Inès', 'ines@example.org'],
  ['Lefèvre', 'Éric', ''], ['Moreau', 'Anaïs', 'anais@example.org'], ['Fontaine', 'Noël', 'noel@example.org'],
  ['Girard', 'Célia', ''], ['Faure', 'Loïc', 'loic@example.org'], ['André', 'Maëlle', 'maelle@example.org'],
  ['Mercier', 'Jérôme', 'jerome@example.org'], ['Blanc', 'Agnès', ''], ['Guérin', 'François', 'francois@example.org'],
  ['Boyer', 'Gaëlle', 'gaelle@example.org'], ['Rivière', 'Théo', 'theo@example.org'], ['Lucas', 'Amélie', ''],
  ['Perrin', 'Ségolène', 'segolene@example.org'], ['Morin', 'Cédric', 'cedric@example.org'],
  ['Mathieu', 'Bérénice', 'berenice@example.org'], ['Clément', 'Raphaël', 'raphael@example.org'],
];
const SINGLE = ['Nadia Haddad', 'nadia@example.org'];

/** A phone-sized photo: 4000 × 3000 JPEG over 2 MB, drawn by Chromium. */
async function phonePhoto(page) {
  const base64 = await page.evaluate(() => {
    const [w, h] = [4000, 3000];
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext('2d');
    const image = context.createImageData(w, h);
    let seed = 42;
    const noise = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed / 0x7fffffff) * 40; };
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        const i = (y * w + x) * 4;
        image.data[i] = (x * 255) / w + noise();
        image.data[i + 1] = (y * 255) / h + noise();
        image.data[i + 2] = 128 + noise();
        image.data[i + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  const photo = Buffer.from(base64, 'base64');
  if (photo.length <= 2 * 1024 * 1024) throw new Error(`the photo is only ${photo.length} B`);
  return photo;
}

async function main() {
  const started = Date.now();
  const checks = new Checks('day');
  const { data, smtp, issuerUrl, issuer } = await startDemoIssuer('badges-day-');
  let browser;
  try {
    await waitHealthy(`${issuerUrl}/healthz`, issuer, 'issuer');
    browser = await launch();
    const staff = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await demoLogin(staff, issuerUrl, join(data, 'demo-login.txt'), checks);
    await checks.page(staff, 'dashboard');

    // 1. The badge, with a phone photo, and one award from its page.
    await staff.getByRole('link', { name: 'Créer un badge' }).click();
    await checks.page(staff, 'designer');
    const photo = await phonePhoto(staff);
    await staff.getByLabel('Nom du badge').fill(BADGE);
    await staff.getByLabel('Description').fill('Sait mettre en page un CV et l\'enregistrer en PDF.');
    await staff.getByLabel("Ce qu'il faut faire pour l'obtenir").fill('A participé aux trois séances et a écrit son CV.');
    await staff.getByLabel('Image du badge (facultatif)').setInputFiles({ name: 'IMG_20261207_0915.jpg', mimeType: 'image/jpeg', buffer: photo });
    await staff.getByRole('button', { name: 'Créer le badge' }).click();
    await expectText(staff, 'Le badge est créé.');
    const badgeUrl = staff.url().split('?')[0];
    const shown = await staff.locator(`img[alt*="${BADGE}"]`).evaluate((img) => img.complete && img.naturalWidth);
    if (!shown) throw new Error('the badge image is not shown');
    await checks.page(staff, 'badge');
    console.log(`ok badge created with a ${(photo.length / 1024 / 1024).toFixed(1)} MB photo`);
    await staff.getByLabel('Nom et prénom').fill(SINGLE[0]);
    await staff.getByLabel('Adresse e-mail (facultatif)').fill(SINGLE[1]);
    await staff.getByRole('button', { name: 'Délivrer le badge', exact: true }).click();
    await expectText(staff, SINGLE[0]);
    await checks.page(staff, 'award-single');

    // 2. The workshop: three dated sessions, eight participants.
    await staff.goto(`${issuerUrl}/app/demo/workshops`);
    await checks.page(staff, 'workshops');
    await staff.getByLabel("Nom de l'atelier").fill('CV, groupe du jeudi');
    await staff.getByLabel('Badge obtenu à la fin').selectOption({ label: BADGE });
    await staff.getByLabel('Nombre de séances').fill('3');
    await staff.getByRole('button', { name: "Créer l'atelier" }).click();
    for (const [n, day] of ['2026-11-19', '2026-11-26', '2026-12-03'].entries()) {
      await staff.getByLabel(`Séance ${n + 1}`, { exact: true }).fill(day);
    }
    await staff.getByRole('button', { name: 'Enregistrer les dates' }).click();
    await expectText(staff, 'Les dates sont enregistrées.');
    for (const [name, mail] of WORKSHOP) {
      await staff.getByLabel('Nom et prénom').fill(name);
      await staff.getByLabel('Adresse e-mail (facultatif)').fill(mail);
      await staff.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await expectText(staff, name);
    }
    await expectText(staff, '2026');
    const boxes = staff.locator('input[name="present"]');
    if (await boxes.count() !== 24) throw new Error(`expected 24 attendance boxes, found ${await boxes.count()}`);
    await checks.page(staff, 'workshop');
    // Tick, then award straight away, without saving first.
    for (let i = 0; i < 24; i += 1) await boxes.nth(i).check();
    await staff.getByRole('button', { name: /Délivrer le badge à toutes les personnes/ }).click();
    await expectText(staff, '8 badge(s) délivré(s).');
    await expectText(staff, '6 e-mail(s) envoyé(s)');
    await checks.page(staff, 'workshop-awarded');

    // 3. The French Excel file, with one person who has the badge already.
    await staff.goto(badgeUrl);
    const csv = ['Nom;Prénom;Courriel', ...CSV_PEOPLE.map((p) => p.join(';'))].join('\r\n');
    await staff.locator('#csv-file').setInputFiles({
      name: 'inscrits.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\r\n`, 'latin1'),
    });
    await staff.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await expectText(staff, 'Personnes en double');
    await expectText(staff, 'Cette personne a déjà ce badge.');
    await expectText(staff, 'Hélène Nguyen');
    await checks.page(staff, 'csv-preview');
    // The same page on a phone (360 px): its wide tables scroll sideways and
    // must still be reachable with the keyboard (axe scrollable-region-focusable).
    const laptop = staff.viewportSize();
    await staff.setViewportSize({ width: 360, height: 740 });
    await checks.page(staff, 'csv-preview-phone');
    await staff.setViewportSize(laptop);
    await staff.getByRole('button', { name: 'Délivrer le badge à 19 personne(s), sans les doublons' }).click();
    await expectText(staff, "19 badge(s) délivré(s). 1 personne(s) l'avaient déjà.");
    await expectText(staff, '14 e-mail(s) envoyé(s)');
    await checks.page(staff, 'csv-done');

    // 4. The claim sheet of the five people without e-mail, on paper.
    await staff.getByRole('button', { name: 'Imprimer les codes (feuille à découper)' }).click();
    await staff.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await checks.page(staff, 'claim-sheet');
    const codes = await staff.locator('.claim-card .code').allInnerTexts();
    if (codes.length !== 5) throw new Error(`${codes.length} cards, expected 5`);
    const pdfFile = join(checks.artifacts, 'claim-sheet.pdf');
    const bytes = await staff.pdf({ path: pdfFile, format: 'A4' });
    const pdf = readPdf(pdfFile, bytes);
    if (pdf.pages < 1 || pdf.pages > 2) throw new Error(`${pdf.pages} pages for five cards`);
    if (pdf.text !== null) {
      for (const expected of [...codes, 'Bonjour Hélène,', 'Bonjour Éric,', 'Bonjour Célia,', 'Bonjour Agnès,', 'Bonjour Amélie,']) {
        if (!pdf.text.includes(expected)) throw new Error(`"${expected}" missing from the PDF:\n${pdf.text}`);
      }
      if (pdf.pageTexts.some((t) => !t.includes('Bonjour'))) throw new Error(`a page without a card:\n${pdf.text}`);
    }
    console.log(`ok claim sheet printed: ${pdf.pages} A4 page(s), ${codes.length} cards`);

    // 5. One e-mail per person with an address, on every path.
    const expected = [SINGLE[1], ...WORKSHOP.map(([, m]) => m), ...CSV_PEOPLE.slice(1).map(([, , m]) => m)]
      .filter(Boolean).map((m) => m.toLowerCase()).sort();
    await smtp.received(expected.length);
    await new Promise((r) => setTimeout(r, 300));
    const received = smtp.messages.flatMap((m) => m.recipients).map((m) => m.toLowerCase()).sort();
    if (received.join() !== expected.join()) {
      throw new Error(`mail received by:\n${received.join('\n')}\nexpected:\n${expected.join('\n')}`);
    }
    const unlinked = smtp.messages.filter((m) => !m.data.replace(/=\r?\n/g, '').includes(issuerUrl));
    if (unlinked.length > 0) throw new Error(`${unlinked.length} e-mail(s) without the claim link`);
    console.log(`ok ${received.length} e-mails, one per person with an address`);

    // 6. An award of the morning, found again by search, revoked.
    await staff.goto(`${issuerUrl}/app/demo`);
    await staff.getByLabel('Chercher une personne').fill('awa dia');
    await staff.getByRole('button', { name: 'Chercher', exact: true }).click();
    await expectText(staff, '1 badge(s) trouvé(s).');
    await checks.page(staff, 'search');
    await staff.getByRole('link', { name: 'Awa Diallo' }).first().click();
    await checks.page(staff, 'award-found');
    await staff.getByLabel('Raison du retrait').fill('Inscrite par erreur dans ce groupe');
    await staff.getByRole('button', { name: 'Retirer le badge' }).click();
    await expectText(staff, 'Le badge est retiré.');
    await checks.page(staff, 'revoked');
    writeFileSync(join(checks.artifacts, 'mail-count.txt'), `${received.length}\n`);
  } finally {
    if (browser) await browser.close();
    issuer.kill();
    smtp.stop();
    rmSync(data, { recursive: true, force: true });
  }
  console.log(`the day took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  checks.finish('the facilitator\'s day');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
