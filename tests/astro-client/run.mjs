// Runs every call of calls.mjs through a browser client of Astro Actions in headless Chromium
// and compares what the page sees with what Astro 7.3.5 gave (expected.json). Started by
// tests/it/astro_client.rs, which serves the page and the parity example's actions:
//
//   PAGE_URL        the page whose script puts the client module on `window.client`
//   CLIENT          a label for the output ("astro" or "generated")
//   CHROMIUM        Debian's Chromium (/usr/bin/chromium)
//   NODE_MODULES    the node_modules folder holding playwright-core
//   EXPECTED        expected.json (read; written when RECORD=1)
//   PEER_URL        record mode: send the page's /_actions/** requests to this Astro server
//                   (Origin rewritten to it) instead of the page's own server
//   RECORD=1        write what the page saw to EXPECTED instead of comparing
//   ONLY            optional substring filter on call names
//   ACTUAL          optional: write what the page saw to this file
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { CALLS, HELPERS, canon } from './calls.mjs';

const { PAGE_URL, CHROMIUM, NODE_MODULES, EXPECTED, PEER_URL, RECORD, ONLY, ACTUAL } = process.env;
const CLIENT = process.env.CLIENT || 'client';
for (const [name, value] of Object.entries({ PAGE_URL, CHROMIUM, NODE_MODULES, EXPECTED })) {
  if (!value) throw new Error(`${name} is not set: run this with \`cargo test --all-features --test it astro_client::\``);
}
const require = createRequire(`${NODE_MODULES}/`);
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let exitCode = 0;
try {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));

  if (PEER_URL) {
    const peer = new URL(PEER_URL).origin;
    await page.route('**/_actions/**', async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const headers = { ...request.headers(), origin: peer };
      delete headers.host;
      const response = await route.fetch({ url: peer + url.pathname + url.search, headers, maxRedirects: 0 });
      await route.fulfill({ response });
    });
  }

  await page.goto(PAGE_URL);
  await page.waitForFunction(() => window.clientReady === true);
  await page.evaluate(
    ({ canonSource, helpers }) => {
      window.__canon = (0, eval)(`(${canonSource})`);
      window.__helpers = (0, eval)(helpers);
    },
    { canonSource: canon.toString(), helpers: HELPERS },
  );

  const calls = CALLS.filter((c) => !ONLY || c.name.includes(ONLY));
  const actual = {};
  for (const call of calls) {
    actual[call.name] = await page.evaluate(async (source) => {
      const client = window.client;
      const fn = (0, eval)(`(${source})`);
      try {
        return { returned: window.__canon(await fn(client, window.__helpers), client) };
      } catch (err) {
        return { thrown: window.__canon(err, client) };
      }
    }, call.run);
  }
  if (pageErrors.length) {
    console.log(`page errors: ${pageErrors.join('\n')}`);
    exitCode = 1;
  }
  if (ACTUAL) fs.writeFileSync(ACTUAL, JSON.stringify(actual, null, 2) + '\n');

  if (RECORD === '1') {
    const out = {
      astro: '7.3.5',
      note: 'What Astro 7.3.5\'s browser client (astro:actions) saw for each call of calls.mjs against the Astro peer; re-record with tests/astro-client/README.md',
      results: actual,
    };
    fs.writeFileSync(EXPECTED, JSON.stringify(out, null, 2) + '\n');
    console.log(`recorded ${calls.length} calls to ${EXPECTED}`);
  } else {
    const expected = JSON.parse(fs.readFileSync(EXPECTED, 'utf8')).results;
    let differ = 0;
    for (const call of calls) {
      const verdict = compare(call, expected[call.name], actual[call.name]);
      if (verdict) {
        differ += 1;
        console.log(`DIFF ${CLIENT} ${call.name} [${call.compare ?? 'exact'}]\n  astro: ${verdict.expected}\n  ours:  ${verdict.actual}`);
      } else {
        console.log(`ok   ${CLIENT} ${call.name}${call.compare ? ` [${call.compare}]` : ''}`);
      }
    }
    console.log(`${CLIENT}: ${calls.length - differ} of ${calls.length} calls as Astro 7.3.5's client sees them`);
    if (differ) exitCode = 1;
    if (calls.length < 100 && !ONLY) {
      console.log(`only ${calls.length} calls: the list must hold at least 100`);
      exitCode = 1;
    }
  }
} finally {
  await browser.close();
}
process.exit(exitCode);

function compare(call, expected, actual) {
  if (expected === undefined) return { expected: '(not recorded: re-record expected.json)', actual: JSON.stringify(actual) };
  const mode = call.compare ?? 'exact';
  let want = expected;
  let got = actual;
  // `input_error` is compared exactly too: zod 4's issue objects and messages (issue 14).
  if (mode.startsWith('compat:')) {
    // A documented difference: our answer is pinned instead of Astro's.
    want = { returned: call.ours };
  }
  const a = JSON.stringify(want);
  const b = JSON.stringify(got);
  return a === b ? null : { expected: a, actual: b };
}
