// The whole story in a real browser (Debian's Chromium, driven by
// playwright-core), against the real issuer and verifier binaries on SQLite:
// a facilitator logs in, creates a badge, runs a three-session workshop and
// awards it to three participants (one without e-mail); a participant claims
// it with the printed code and downloads the baked PNG (with JavaScript
// off); an employer uploads that PNG to the verifier and reads that it is
// authentic; the facilitator revokes it; the employer checks again and reads
// that it is revoked, with the reason.
//
// axe-core runs on every page (WCAG 2.0/2.1 A and AA rules) and must find no
// violation; every page's HTML + CSS + JS must stay under 100 KB. Screenshots
// of each step go to tests/artifacts/browser/.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Checks, expectText, freePort, launch, start, waitHealthy,
} from './lib.mjs';

async function main() {
  const checks = new Checks('browser');
  const data = mkdtempSync(join(tmpdir(), 'badges-story-'));
  const [issuerPort, verifierPort] = [await freePort(), await freePort()];
  const issuerUrl = `http://127.0.0.1:${issuerPort}`;
  const verifierUrl = `http://127.0.0.1:${verifierPort}`;
  const issuer = start('issuer', ['serve', '--bind', `127.0.0.1:${issuerPort}`, '--demo', '--data-dir', data], {
    ISSUER_PUBLIC_URL: issuerUrl, ISSUER_VERIFIER_URL: verifierUrl, ISSUER_LOG: 'warn',
  });
  const verifier = start('verifier', ['serve', '--bind', `127.0.0.1:${verifierPort}`, '--allow-private', '--public-url', verifierUrl], {});
  let browser;
  try {
    await waitHealthy(`${issuerUrl}/healthz`, issuer, 'issuer');
    await waitHealthy(`${verifierUrl}/healthz`, verifier, 'verifier');
    const [email, rest] = readFileSync(join(data, 'demo-login.txt'), 'utf8').split(' / ');
    const password = rest.trim().split(/\s+/)[0];

    browser = await launch();

    // The facilitator.
    const staff = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await staff.goto(`${issuerUrl}/login`);
    await checks.page(staff, 'login');
    await staff.getByLabel('Adresse e-mail').fill(email);
    await staff.getByLabel('Mot de passe').fill(password);
    await staff.getByRole('button', { name: 'Se connecter' }).click();
    await staff.waitForURL(`${issuerUrl}/app/demo`);
    await checks.page(staff, 'dashboard');

    await staff.getByRole('link', { name: 'Créer un badge' }).click();
    await checks.page(staff, 'designer');
    await staff.getByLabel('Nom du badge').fill('Utiliser sa messagerie');
    await staff.getByLabel('Description').fill('Sait envoyer et recevoir des e-mails avec une pièce jointe.');
    await staff.getByLabel("Ce qu'il faut faire pour l'obtenir").fill('A participé aux trois séances et a envoyé un e-mail avec un CV.');
    await staff.locator('summary', { hasText: '2.' }).first().click();
    await staff.getByLabel(/2\.1 /).check();
    await staff.getByRole('button', { name: 'Créer le badge' }).click();
    await expectText(staff, 'Le badge est créé.');
    await checks.page(staff, 'badge');

    await staff.goto(`${issuerUrl}/app/demo/workshops`);
    await checks.page(staff, 'workshops');
    await staff.getByLabel("Nom de l'atelier").fill('Messagerie, groupe du mardi');
    await staff.getByLabel('Badge obtenu à la fin').selectOption({ label: 'Utiliser sa messagerie' });
    await staff.getByLabel('Nombre de séances').fill('3');
    await staff.getByRole('button', { name: "Créer l'atelier" }).click();
    for (const [name, mail] of [['Awa Diallo', ''], ['Léa Martin', 'lea@example.org'], ['Jo Petit', 'jo@example.org']]) {
      await staff.getByLabel('Nom et prénom').fill(name);
      await staff.getByLabel('Adresse e-mail (facultatif)').fill(mail);
      await staff.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await expectText(staff, name);
    }
    const boxes = staff.locator('input[name="present"]');
    const count = await boxes.count();
    if (count !== 9) throw new Error(`expected 9 attendance boxes, found ${count}`);
    await checks.page(staff, 'workshop');
    // Tick, then award straight away: the ticks on screen are what counts.
    for (let i = 0; i < count; i += 1) await boxes.nth(i).check();
    await staff.getByRole('button', { name: /Délivrer le badge à toutes les personnes/ }).click();
    await expectText(staff, '3 badge(s) délivré(s).');
    await checks.page(staff, 'workshop-awarded');
    await staff.getByRole('link', { name: 'Awa Diallo' }).first().click();
    await checks.page(staff, 'award');
    const code = (await staff.locator('#claim-code').innerText()).trim();
    const awardUrl = staff.url().split('?')[0];

    // The participant: no account, no e-mail.
    const person = await (await browser.newContext({ locale: 'fr-FR', acceptDownloads: true })).newPage();
    await person.goto(`${issuerUrl}/`);
    await checks.page(person, 'home');
    await person.getByLabel('Votre code').fill(code.toLowerCase());
    await person.getByRole('button', { name: 'Voir mon badge' }).click();
    await expectText(person, 'Bravo, vous avez obtenu un badge !');
    await checks.page(person, 'claim');
    await person.getByLabel(/Oui, écrire « Awa Diallo »/).check();
    await person.getByRole('button', { name: 'Voir mon badge' }).click();
    await expectText(person, 'Délivré à Awa Diallo');
    await checks.page(person, 'badge-page');
    const [download] = await Promise.all([
      person.waitForEvent('download'),
      person.getByRole('link', { name: 'Télécharger mon badge' }).click(),
    ]);
    const badgePng = join(checks.artifacts, 'badge-awa-diallo.png');
    await download.saveAs(badgePng);
    const bytes = readFileSync(badgePng);
    if (bytes.subarray(1, 4).toString() !== 'PNG') throw new Error('the download is not a PNG');
    console.log(`ok downloaded baked PNG (${bytes.length} B)`);

    // The same steps work with JavaScript off (a cheap phone, a strict setting).
    const noScript = await (await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, acceptDownloads: true })).newPage();
    await noScript.goto(`${issuerUrl}/`);
    await noScript.getByLabel('Votre code').fill(code);
    await noScript.getByRole('button', { name: 'Voir mon badge' }).click();
    await expectText(noScript, 'Bravo, vous avez obtenu un badge !');
    await noScript.getByRole('button', { name: 'Voir mon badge' }).click();
    await expectText(noScript, 'Télécharger mon badge');
    const [again] = await Promise.all([
      noScript.waitForEvent('download'),
      noScript.getByRole('link', { name: 'Télécharger mon badge' }).click(),
    ]);
    if (!(await again.path())) throw new Error('no download without JavaScript');
    console.log('ok claim and download with JavaScript off');

    // The employer.
    const employer = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    const verifyUpload = async (name) => {
      await employer.goto(`${verifierUrl}/`);
      await checks.page(employer, `verifier-${name}`);
      await employer.locator('#file').setInputFiles(badgePng);
      await employer.getByRole('button', { name: 'Vérifier le badge' }).click();
      await employer.waitForLoadState('load');
    };
    await verifyUpload('home');
    await expectText(employer, 'Ce badge est authentique et valide.');
    await expectText(employer, 'Espace numérique de démonstration');
    await expectText(employer, 'Awa Diallo');
    await checks.page(employer, 'verifier-authentic');

    // The facilitator finds the award again by searching for the person,
    // then revokes it from its page.
    await staff.goto(`${issuerUrl}/app/demo`);
    await staff.getByLabel('Chercher une personne').fill('awa');
    await staff.getByRole('button', { name: 'Chercher', exact: true }).click();
    await expectText(staff, 'badge(s) trouvé(s).');
    await checks.page(staff, 'awards-search');
    await staff.getByRole('link', { name: 'Awa Diallo' }).first().click();
    if (staff.url().split('?')[0] !== awardUrl) throw new Error(`search led to ${staff.url()}, not ${awardUrl}`);
    await expectText(staff, 'Envoi aux personnes');
    await staff.getByLabel('Raison du retrait').fill('Badge délivré par erreur');
    await staff.getByRole('button', { name: 'Retirer le badge' }).click();
    await expectText(staff, 'Le badge est retiré.');
    await checks.page(staff, 'revoked');

    await verifyUpload('home-again');
    await expectText(employer, 'Ce badge a été retiré');
    await expectText(employer, 'Badge délivré par erreur');
    await checks.page(employer, 'verifier-revoked');

    // The English side of one page of each service.
    const english = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await english.goto(`${issuerUrl}/`);
    await expectText(english, 'Have you received a code?');
    await checks.page(english, 'home-en');
    await english.goto(`${verifierUrl}/`);
    await checks.page(english, 'verifier-en');
  } finally {
    if (browser) await browser.close();
    issuer.kill();
    verifier.kill();
    rmSync(data, { recursive: true, force: true });
  }
  checks.finish('browser story');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
