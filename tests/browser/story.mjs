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
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = process.env.BIN_DIR || join(root, 'target/debug');
const artifacts = join(root, 'tests/artifacts/browser');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
// The flags this sandbox needs: no sandbox, no GPU, nothing in the background.
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-extensions',
];
const PAGE_BUDGET = 100 * 1024;

const failures = [];
let step = 0;

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitHealthy(url, child, name) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} not healthy at ${url} within 60 s`);
}

function start(name, args, env) {
  const child = spawn(join(bin, name), args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

/** Screenshot, axe-core and the weight budget for the page on screen. */
async function check(page, name) {
  step += 1;
  const label = `${String(step).padStart(2, '0')}-${name}`;
  await page.waitForLoadState('load');
  await page.screenshot({ path: join(artifacts, `${label}.png`), fullPage: true });
  // page.evaluate is not subject to the pages' Content-Security-Policy.
  await page.evaluate(axe.source);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  for (const v of result.violations) {
    failures.push(`${label} ${page.url()}: axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  // HTML, CSS and JS as the browser decoded them (badge images aside).
  const bytes = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource')
      .filter((r) => ['link', 'script', 'css'].includes(r.initiatorType));
    return (navigation ? navigation.decodedBodySize : 0)
      + resources.reduce((sum, r) => sum + r.decodedBodySize, 0);
  });
  if (bytes > PAGE_BUDGET) {
    failures.push(`${label}: ${bytes} bytes of HTML/CSS/JS (budget ${PAGE_BUDGET})`);
  }
  console.log(`ok ${label} (${bytes} B of HTML/CSS/JS, ${result.passes.length} axe rules passed)`);
}

async function expectText(page, text) {
  const body = await page.locator('body').innerText();
  if (!body.includes(text)) {
    throw new Error(`expected "${text}" on ${page.url()}, page says:\n${body.slice(0, 2000)}`);
  }
}

async function main() {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}`);
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

    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });

    // The facilitator.
    const staff = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await staff.goto(`${issuerUrl}/login`);
    await check(staff, 'login');
    await staff.getByLabel('Adresse e-mail').fill(email);
    await staff.getByLabel('Mot de passe').fill(password);
    await staff.getByRole('button', { name: 'Se connecter' }).click();
    await staff.waitForURL(`${issuerUrl}/app/demo`);
    await check(staff, 'dashboard');

    await staff.getByRole('link', { name: 'Créer un badge' }).click();
    await check(staff, 'designer');
    await staff.getByLabel('Nom du badge').fill('Utiliser sa messagerie');
    await staff.getByLabel('Description').fill('Sait envoyer et recevoir des e-mails avec une pièce jointe.');
    await staff.getByLabel("Ce qu'il faut faire pour l'obtenir").fill('A participé aux trois séances et a envoyé un e-mail avec un CV.');
    await staff.locator('summary', { hasText: '2.' }).first().click();
    await staff.getByLabel(/2\.1 /).check();
    await staff.getByRole('button', { name: 'Créer le badge' }).click();
    await expectText(staff, 'Le badge est créé.');
    await check(staff, 'badge');

    await staff.goto(`${issuerUrl}/app/demo/workshops`);
    await check(staff, 'workshops');
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
    await check(staff, 'workshop');
    // Tick, then award straight away: the ticks on screen are what counts.
    for (let i = 0; i < count; i += 1) await boxes.nth(i).check();
    await staff.getByRole('button', { name: /Délivrer le badge à toutes les personnes/ }).click();
    await expectText(staff, '3 badge(s) délivré(s).');
    await check(staff, 'workshop-awarded');
    await staff.getByRole('link', { name: 'Awa Diallo' }).first().click();
    await check(staff, 'award');
    const code = (await staff.locator('#claim-code').innerText()).trim();
    const awardUrl = staff.url().split('?')[0];

    // The participant: no account, no e-mail.
    const person = await (await browser.newContext({ locale: 'fr-FR', acceptDownloads: true })).newPage();
    await person.goto(`${issuerUrl}/`);
    await check(person, 'home');
    await person.getByLabel('Votre code').fill(code.toLowerCase());
    await person.getByRole('button', { name: 'Voir mon badge' }).click();
    await expectText(person, 'Bravo, vous avez obtenu un badge !');
    await check(person, 'claim');
    await person.getByLabel(/Oui, écrire « Awa Diallo »/).check();
    await person.getByRole('button', { name: 'Voir mon badge' }).click();
    await expectText(person, 'Délivré à Awa Diallo');
    await check(person, 'badge-page');
    const [download] = await Promise.all([
      person.waitForEvent('download'),
      person.getByRole('link', { name: 'Télécharger mon badge' }).click(),
    ]);
    const badgePng = join(artifacts, 'badge-awa-diallo.png');
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
      await check(employer, `verifier-${name}`);
      await employer.locator('#file').setInputFiles(badgePng);
      await employer.getByRole('button', { name: 'Vérifier le badge' }).click();
      await employer.waitForLoadState('load');
    };
    await verifyUpload('home');
    await expectText(employer, 'Ce badge est authentique et valide.');
    await expectText(employer, 'Espace numérique de démonstration');
    await expectText(employer, 'Awa Diallo');
    await check(employer, 'verifier-authentic');

    // The facilitator finds the award again by searching for the person,
    // then revokes it from its page.
    await staff.goto(`${issuerUrl}/app/demo`);
    await staff.getByLabel('Chercher une personne').fill('awa');
    await staff.getByRole('button', { name: 'Chercher', exact: true }).click();
    await expectText(staff, 'badge(s) trouvé(s).');
    await check(staff, 'awards-search');
    await staff.getByRole('link', { name: 'Awa Diallo' }).first().click();
    if (staff.url().split('?')[0] !== awardUrl) throw new Error(`search led to ${staff.url()}, not ${awardUrl}`);
    await expectText(staff, 'Envoi aux personnes');
    await staff.getByLabel('Raison du retrait').fill('Badge délivré par erreur');
    await staff.getByRole('button', { name: 'Retirer le badge' }).click();
    await expectText(staff, 'Le badge est retiré.');
    await check(staff, 'revoked');

    await verifyUpload('home-again');
    await expectText(employer, 'Ce badge a été retiré');
    await expectText(employer, 'Badge délivré par erreur');
    await check(employer, 'verifier-revoked');

    // The English side of one page of each service.
    const english = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await english.goto(`${issuerUrl}/`);
    await expectText(english, 'Have you received a code?');
    await check(english, 'home-en');
    await english.goto(`${verifierUrl}/`);
    await check(english, 'verifier-en');
  } finally {
    if (browser) await browser.close();
    issuer.kill();
    verifier.kill();
    rmSync(data, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} problem(s):\n${failures.join('\n')}`);
    process.exit(1);
  }
  console.log(`\nbrowser story passed: ${step} pages checked, screenshots in ${artifacts}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
