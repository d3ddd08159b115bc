// What the browser tests share (claim_sheet.mjs, day.mjs): the real
// binaries, Debian's Chromium with the flags this sandbox needs, axe-core
// and the page weight budget on every page, a real SMTP server (aiosmtpd,
// the issuer's own test server script), and reading a PDF.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
const bin = process.env.BIN_DIR || join(root, 'target/debug');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
// The flags this sandbox needs: no sandbox, no GPU, nothing in the background.
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-extensions',
];
const PAGE_BUDGET = 100 * 1024;

export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

export async function waitHealthy(url, child, name) {
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

/** Starts a workspace binary; its output goes to ours. */
export function start(name, args, env) {
  return spawn(join(bin, name), args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * Starts `issuer serve --demo` on a free port, with a fresh data directory
 * (named after `prefix`) and a real SMTP server for its mail. The caller
 * waits for it with `waitHealthy(`${issuerUrl}/healthz`, issuer, 'issuer')`
 * and stops `issuer` and `smtp` when done.
 */
export async function startDemoIssuer(prefix) {
  const data = mkdtempSync(join(tmpdir(), prefix));
  const smtp = await smtpServer();
  const port = await freePort();
  const issuerUrl = `http://127.0.0.1:${port}`;
  const issuer = start('issuer', ['serve', '--bind', `127.0.0.1:${port}`, '--demo', '--data-dir', data], {
    ISSUER_PUBLIC_URL: issuerUrl, ISSUER_LOG: 'warn', ISSUER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  });
  return { data, smtp, issuerUrl, issuer };
}

export async function launch() {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}`);
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** A run's screenshots, axe-core and weight checks, and their failures. */
export class Checks {
  constructor(name) {
    this.artifacts = join(root, 'tests/artifacts', name);
    rmSync(this.artifacts, { recursive: true, force: true });
    mkdirSync(this.artifacts, { recursive: true });
    this.failures = [];
    this.step = 0;
  }

  /** Screenshot, axe-core (WCAG 2.0/2.1 A and AA) and the weight budget. */
  async page(page, name) {
    this.step += 1;
    const label = `${String(this.step).padStart(2, '0')}-${name}`;
    await page.waitForLoadState('load');
    await page.screenshot({ path: join(this.artifacts, `${label}.png`), fullPage: true });
    // page.evaluate is not subject to the pages' Content-Security-Policy.
    await page.evaluate(axe.source);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    for (const v of result.violations) {
      this.failures.push(`${label} ${page.url()}: axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    const bytes = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource')
        .filter((r) => ['link', 'script', 'css'].includes(r.initiatorType));
      return (navigation ? navigation.decodedBodySize : 0)
        + resources.reduce((sum, r) => sum + r.decodedBodySize, 0);
    });
    if (bytes > PAGE_BUDGET) this.failures.push(`${label}: ${bytes} bytes of HTML/CSS/JS (budget ${PAGE_BUDGET})`);
    console.log(`ok ${label} (${bytes} B of HTML/CSS/JS, ${result.passes.length} axe rules passed)`);
  }

  /** Exits non-zero when any check failed. */
  finish(what) {
    if (this.failures.length > 0) {
      console.error(`\n${this.failures.length} problem(s):\n${this.failures.join('\n')}`);
      process.exit(1);
    }
    console.log(`\n${what} passed: ${this.step} pages checked, screenshots in ${this.artifacts}`);
  }
}

export async function expectText(page, text) {
  const body = await page.locator('body').innerText();
  if (!body.includes(text)) {
    throw new Error(`expected "${text}" on ${page.url()}, page says:\n${body.slice(0, 3000)}`);
  }
}

/** Logs in as the demo facilitator (the issuer ran with --demo). */
export async function demoLogin(page, issuerUrl, loginFile, checks) {
  const { readFileSync } = await import('node:fs');
  const [email, rest] = readFileSync(loginFile, 'utf8').split(' / ');
  const password = rest.trim().split(/\s+/)[0];
  await page.goto(`${issuerUrl}/login`);
  if (checks) await checks.page(page, 'login');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${issuerUrl}/app/demo`);
}

/**
 * The issuer's test SMTP server (aiosmtpd, issuer/tests/it/smtp_server.py)
 * on a free loopback port; `messages` fills as mail arrives.
 */
export async function smtpServer() {
  const script = join(root, 'issuer/tests/it/smtp_server.py');
  const child = spawn('python3', [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const messages = [];
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((ok, fail) => {
    child.on('exit', (code) => fail(new Error(`the SMTP server stopped (${code}): pip install --user aiosmtpd`)));
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) ok(Number(line.slice(6)));
      else if (line.trim()) messages.push(JSON.parse(line));
    });
  });
  return {
    port,
    messages,
    /** Waits until `count` messages arrived (5 s at most). */
    async received(count) {
      const deadline = Date.now() + 5_000;
      while (messages.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return messages;
    },
    stop() { child.stdin.end(); child.kill(); },
  };
}

/** A PDF's page count and text, read with poppler's tools when present. */
export function readPdf(file, bytes) {
  if (bytes.subarray(0, 5).toString() !== '%PDF-') throw new Error(`${file} is not a PDF`);
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  if (info.status === 0) {
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)[1]);
    const size = /^Page size:\s+(.*)$/m.exec(info.stdout)[1];
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    // pdftotext ends each page with a form feed.
    const pageTexts = text.split('\f').slice(0, pages);
    return { pages, size, text, pageTexts };
  }
  // Without poppler: pages from the page objects, no text.
  const raw = bytes.toString('latin1');
  const pages = (raw.match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
  console.log('note: pdfinfo/pdftotext missing (poppler-utils), the PDF text is not checked');
  return { pages, size: null, text: null, pageTexts: null };
}
