// Opens the node's own player page (/{app}/{stream}.html#output) in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core), lets it play, and prints one JSON line with what
// the page showed and every URL the browser requested.
//
//   node open-page.mjs --url URL [--seconds N] [--timeout S] [--chromium PATH] [--profile-parent DIR]
//
// Unlike play.mjs it serves nothing: the page, its scripts and the media all come from the node.
// It reads the page's figures from window.appliancePlayer.stats() and the text the page displays.
// Exit 0: the page played and was measured (the caller judges the numbers); 1: it never played;
// 2: bad arguments, launch failure, or --timeout. It always exits within --timeout and kills the
// browser it started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const started = Date.now();
const requests = [];
const consoleLines = [];
let browserContext = null;
let profile = null;
let exitCode = null;
let currentPhase = 'setup';

function emit(result, code, { polite = true } = {}) {
  if (exitCode !== null) {
    return;
  }
  exitCode = code;
  process.stdout.write(`${JSON.stringify({ ...result, elapsedMs: Date.now() - started, requests, console: consoleLines.slice(-30) })}\n`);
  if (!polite) {
    exitNow();
    return;
  }
  const close = browserContext ? browserContext.close().catch(() => {}) : Promise.resolve();
  Promise.race([close, new Promise((r) => setTimeout(r, 3000))]).finally(exitNow);
}

function exitNow() {
  if (profile) {
    try {
      rmSync(profile, { recursive: true, force: true });
    } catch {
      // A browser still writing into it at the deadline; the caller's --profile-parent goes anyway.
    }
  }
  process.exit(exitCode);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      url: { type: 'string' },
      seconds: { type: 'string', default: '6' },
      timeout: { type: 'string', default: '90' },
      chromium: { type: 'string', default: process.env.CHROMIUM_BIN || '/usr/bin/chromium' },
      'profile-parent': { type: 'string', default: tmpdir() },
    },
    strict: true,
  }));
} catch (e) {
  emit({ ok: false, phase: 'arguments', error: e.message }, 2);
}
const seconds = Number(options?.seconds);
const timeoutSeconds = Number(options?.timeout);
if (options && (!options.url || !(seconds > 0) || !(timeoutSeconds > seconds))) {
  emit({ ok: false, phase: 'arguments', error: 'usage: node open-page.mjs --url URL [--seconds N] [--timeout S > N] [--chromium PATH] [--profile-parent DIR]' }, 2);
}

if (exitCode === null) {
  setTimeout(() => {
    if (exitCode === null) {
      emit({ ok: false, phase: currentPhase, error: `timed out: no result within ${timeoutSeconds} s` }, 2, { polite: false });
    } else {
      exitNow();
    }
  }, timeoutSeconds * 1000 - 250).unref();
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, () => emit({ ok: false, phase: 'signal', error: `killed by ${signal}` }, 2));
  }
  run().catch((e) => emit({ ok: false, phase: currentPhase, error: String(e?.stack ?? e) }, 2));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run() {
  const { chromium } = await import('playwright-core');
  currentPhase = 'launch';
  profile = mkdtempSync(join(options['profile-parent'], 'appliance-chromium-'));
  browserContext = await chromium.launchPersistentContext(profile, {
    executablePath: options.chromium,
    headless: true,
    timeout: Math.min(60_000, timeoutSeconds * 1000),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  currentPhase = 'page';
  const page = browserContext.pages()[0] ?? (await browserContext.newPage());
  // Every request the page makes, so the caller can check that none left the node.
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      consoleLines.push(`${m.type()}: ${m.text()}`.slice(0, 400));
    }
  });
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`.slice(0, 400)));
  page.on('crash', () => emit({ ok: false, phase: 'playback', error: 'the page crashed' }, 2));
  const remainingMs = () => timeoutSeconds * 1000 - (Date.now() - started);
  const response = await page.goto(options.url, { timeout: Math.max(1000, remainingMs() - 1000) });
  if (!response || response.status() !== 200) {
    emit({ ok: false, phase: 'page', error: `the page answered ${response?.status()}: ${await response?.text()}` }, 1);
    return;
  }

  currentPhase = 'playback';
  // Each sample stamped with the page's own clock, so play rate is judged against the time that passed there.
  const stats = () => page.evaluate(() => {
    const now = window.appliancePlayer?.stats() ?? null;
    return now && { ...now, at: performance.now() };
  });
  const startDeadline = Date.now() + Math.max(1000, remainingMs() - seconds * 1000 - 5000);
  let first = await stats();
  while (first?.state !== 'playing' && Date.now() < startDeadline) {
    if (first?.state === 'failed') {
      break;
    }
    await sleep(100);
    first = await stats();
  }
  if (first?.state !== 'playing') {
    emit({ ok: false, phase: 'playback', error: `the page never played (state ${first?.state})`, last: first }, 1);
    return;
  }
  // Sampled as an operator would read them, every half second.
  const samples = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(500);
    samples.push(await stats());
  }
  const last = samples[samples.length - 1];
  const shown = await page.evaluate(() => Object.fromEntries(
    ['protocol', 'state', 'latency', 'bitrate', 'resolution', 'stalls'].map((n) => [n, document.getElementById(`stat-${n}`).textContent])));
  emit({
    ok: true,
    phase: 'done',
    first,
    last,
    advancedSeconds: +(last.currentTime - first.currentTime).toFixed(3),
    pageSeconds: +((last.at - first.at) / 1000).toFixed(3),
    currentTimes: samples.map((s) => [Math.round(s.at - first.at), +s.currentTime.toFixed(3)]),
    latencies: samples.map((s) => s.latency),
    bitrates: samples.map((s) => s.bitrateKbps),
    shown,
  }, 0);
}
