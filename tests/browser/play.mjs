// Plays one live stream URL in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) with hls.js, dash.js or mpegts.js, and prints one JSON line with what the viewer saw.
//
//   node play.mjs --player hls|dash|mpegts --url URL [--type flv|mpegts] [--low-latency] [--chase] [--seconds N]
//                 [--timeout S] [--chromium PATH] [--profile-parent DIR]
//                 [--link-kbps L --link-latency-ms M] [--throttle-kbps K --throttle-at-height H --throttle-seconds S
//                 [--end-after-top-seconds T]]
//                 [--page-cert PEM --page-key PEM] [--spki B64[,B64...]]
//
// With --link-kbps, the page's network is a link of L kbit/s down with M ms of latency (DevTools
// Network.emulateNetworkConditions) instead of loopback: players estimate bandwidth from how long
// downloads take, and loopback's near-instant ones weigh next to nothing in their averages, so on
// loopback they hardly ever learn that bandwidth came back.
//
// With --throttle-kbps, once the video shows H lines (the top rendition of an adaptive stream), the
// page's network is throttled to K kbit/s down until S seconds after the picture got smaller (the
// player switched down; at most 20 s), then given back its link; the report's notes say when (ms
// after the first 'playing'). With --end-after-top-seconds, the run ends once the video has shown H
// lines again for T seconds after that (noted), instead of at --seconds.
//
// With --page-cert and --page-key, the test page is served over HTTPS with that certificate, as a
// real site's would be (an https page may only load https media). --spki gives Chromium
// --ignore-certificate-errors-spki-list: a certificate chain holding one of those public keys
// (base64 SHA-256 of the SubjectPublicKeyInfo, e.g. a test CA's) is accepted, any other is still
// refused, so TLS is checked for real. The report's pageUrl and secureContext say what the page was.
//
// It serves its own test page and the player libraries on 127.0.0.1 (port 0), so the stream is
// fetched cross-origin, as a real page would. Exit 0: playback was measured (the caller judges
// the numbers); 1: the player never started; 2: bad arguments, launch failure, or --timeout.
// It always exits within --timeout and kills the browser it started.
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const started = Date.now();
let browserContext = null;
let server = null;
let profile = null;
let exitCode = null;
let currentPhase = 'setup';
const consoleLines = [];

// Prints the one report line and exits. Politely (closing the browser, at most 3 s) when there
// is time; at the deadline at once: process.exit has playwright SIGKILL the browser's process group.
function emit(result, code, { polite = true } = {}) {
  if (exitCode !== null) {
    return;
  }
  exitCode = code;
  process.stdout.write(`${JSON.stringify({ ...result, elapsedMs: Date.now() - started, console: consoleLines.slice(-30) })}\n`);
  if (!polite) {
    exitNow();
    return;
  }
  const close = browserContext ? browserContext.close().catch(() => {}) : Promise.resolve();
  Promise.race([close, new Promise((r) => setTimeout(r, 3000))]).finally(exitNow);
}

function exitNow() {
  server?.closeAllConnections?.();
  server?.close();
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
      player: { type: 'string' },
      url: { type: 'string' },
      type: { type: 'string' },
      // hls.js lowLatencyMode, mpegts.js without its stash buffer (dash.js picks low latency from the MPD by itself).
      'low-latency': { type: 'boolean', default: false },
      // mpegts.js: liveBufferLatencyChasing (off by default in mpegts.js), which speeds the playhead
      // up towards the live edge when its buffer holds more than liveBufferLatencyMaxLatency.
      chase: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '6' },
      timeout: { type: 'string', default: '120' },
      chromium: { type: 'string', default: process.env.CHROMIUM_BIN || '/usr/bin/chromium' },
      // Where the throwaway profile goes; the caller can delete it even if this process is killed.
      'profile-parent': { type: 'string', default: tmpdir() },
      'link-kbps': { type: 'string' },
      'link-latency-ms': { type: 'string' },
      'throttle-kbps': { type: 'string' },
      'throttle-at-height': { type: 'string' },
      'throttle-seconds': { type: 'string' },
      'end-after-top-seconds': { type: 'string' },
      'page-cert': { type: 'string' },
      'page-key': { type: 'string' },
      spki: { type: 'string' },
    },
    strict: true,
  }));
} catch (e) {
  emit({ ok: false, phase: 'arguments', error: e.message }, 2);
}
const seconds = Number(options?.seconds);
const timeoutSeconds = Number(options?.timeout);
if (options && (!['hls', 'dash', 'mpegts'].includes(options.player) || !options.url || !(seconds > 0) || !(timeoutSeconds > seconds))) {
  emit({ ok: false, phase: 'arguments', error: 'usage: node play.mjs --player hls|dash|mpegts --url URL [--type flv|mpegts] [--low-latency] [--chase] [--seconds N] [--timeout S > N] [--chromium PATH] [--profile-parent DIR]' }, 2);
}

if (exitCode === null) {
  // The hard bound: whatever hangs (launch, page, player, closing), the process ends by --timeout.
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

// The page's own network: --link-kbps and --link-latency-ms, or loopback as it is.
function link() {
  const kbps = Number(options['link-kbps'] ?? 0);
  return {
    offline: false,
    latency: Number(options['link-latency-ms'] ?? 0),
    downloadThroughput: kbps > 0 ? (kbps * 1000) / 8 : -1,
    uploadThroughput: -1,
  };
}

// Throttles the page's downloads once the video shows the given height, and lifts it the given
// seconds after the picture got smaller; each step is noted in the page's report. Gives up quietly
// when playback has ended.
async function throttleOnce(page, cdp, playback) {
  const kbps = Number(options['throttle-kbps']);
  const height = Number(options['throttle-at-height'] ?? 0);
  const holdMs = Number(options['throttle-seconds'] ?? 5) * 1000;
  let done = false;
  playback.finally(() => {
    done = true;
  });
  const videoHeight = () => page.evaluate(() => document.getElementById('video').videoHeight);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  while (!done && (await videoHeight()) < height) {
    await sleep(250);
  }
  if (done) {
    return;
  }
  await cdp.send('Network.emulateNetworkConditions', { ...link(), downloadThroughput: (kbps * 1000) / 8 });
  await page.evaluate((k) => window.noteEvent(`throttled to ${k} kbit/s`), kbps);
  const since = Date.now();
  while (!done && (await videoHeight()) >= height && Date.now() - since < 20_000) {
    await sleep(250);
  }
  await sleep(holdMs);
  if (done) {
    return;
  }
  await cdp.send('Network.emulateNetworkConditions', link());
  await page.evaluate(() => window.noteEvent('unthrottled'));
  // Back at the top and held there: what the rest of the run would show, so the run ends here.
  const holdTopMs = Number(options['end-after-top-seconds'] ?? 0) * 1000;
  if (holdTopMs <= 0) {
    return;
  }
  let topSince = null;
  while (!done && (topSince === null || Date.now() - topSince < holdTopMs)) {
    topSince = (await videoHeight()) >= height ? topSince ?? Date.now() : null;
    await sleep(250);
  }
  if (!done) {
    await page.evaluate((s) => window.endPlayback(`held the top for ${s} s`), holdTopMs / 1000);
  }
}

async function run() {
  const { chromium } = await import('playwright-core');
  const files = {
    '/': { path: join(here, 'page.html'), type: 'text/html; charset=utf-8' },
    '/lib/hls.js': { path: join(here, 'node_modules/hls.js/dist/hls.min.js'), type: 'text/javascript' },
    '/lib/mpegts.js': { path: join(here, 'node_modules/mpegts.js/dist/mpegts.js'), type: 'text/javascript' },
    '/lib/dash.js': { path: join(here, 'node_modules/dashjs/dist/modern/umd/dash.all.min.js'), type: 'text/javascript' },
  };
  const bodies = Object.fromEntries(Object.entries(files).map(([route, f]) => [route, { body: readFileSync(f.path), type: f.type }]));
  const tls = options['page-cert'] ? { cert: readFileSync(options['page-cert']), key: readFileSync(options['page-key']) } : null;
  const serve = (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/favicon.ico') {
      // Answered so the page's console holds only what the players say.
      res.writeHead(204).end();
      return;
    }
    const file = bodies[path];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  };
  server = tls ? createHttpsServer(tls, serve) : createServer(serve);
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const pageUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}/`;

  currentPhase = 'launch';
  profile = mkdtempSync(join(options['profile-parent'], 'appliance-chromium-'));
  // launchPersistentContext is playwright's way to give Chromium --user-data-dir: a fresh,
  // empty profile per run.
  browserContext = await chromium.launchPersistentContext(profile, {
    executablePath: options.chromium,
    headless: true,
    timeout: Math.min(60_000, timeoutSeconds * 1000),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--autoplay-policy=no-user-gesture-required',
      ...(options.spki ? [`--ignore-certificate-errors-spki-list=${options.spki}`] : []),
    ],
  });
  currentPhase = 'page';
  const page = browserContext.pages()[0] ?? (await browserContext.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      consoleLines.push(`${m.type()}: ${m.text()}`.slice(0, 400));
    }
  });
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`.slice(0, 400)));
  page.on('crash', () => emit({ ok: false, phase: 'playback', error: 'the page crashed' }, 2));
  const remainingMs = () => timeoutSeconds * 1000 - (Date.now() - started);
  await page.goto(pageUrl, { timeout: Math.max(1000, remainingMs() - 1000) });

  const version = await page.evaluate(() => navigator.userAgent);
  const secureContext = await page.evaluate(() => window.isSecureContext);

  currentPhase = 'playback';
  // Time to reach 'playing' is what is left after the measurement and a margin to report.
  const startTimeoutMs = Math.max(1000, remainingMs() - seconds * 1000 - 5000);
  const cdp = options['link-kbps'] || options['throttle-kbps'] ? await browserContext.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', link());
  }
  const playback = page.evaluate((o) => window.runPlayback(o), {
    player: options.player,
    url: options.url,
    type: options.type ?? null,
    lowLatency: options['low-latency'],
    chase: options.chase,
    seconds,
    startTimeoutMs,
  });
  if (options['throttle-kbps']) {
    throttleOnce(page, cdp, playback).catch((e) => consoleLines.push(`throttle: ${e?.message ?? e}`));
  }
  const result = await playback;
  emit({ ...result, userAgent: version, pageUrl, secureContext, phase: result.ok ? 'done' : 'playback' }, result.ok ? 0 : 1);
}
