// Browser tests of the Astro site example (examples/astro_site), run by tests/it/astro_site.rs:
//   SITE_URL        the example's app (results in place), serving the site Astro 7.3.5 built
//   PRG_URL         the same app with POST/redirect/GET (`.persist(CookieResults)`)
//   CHROMIUM        Debian's Chromium (/usr/bin/chromium)
//   PLAYWRIGHT_DIR  a folder whose node_modules holds playwright-core
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const { SITE_URL, PRG_URL, CHROMIUM, PLAYWRIGHT_DIR } = process.env;
for (const [name, value] of Object.entries({ SITE_URL, PRG_URL, CHROMIUM, PLAYWRIGHT_DIR })) {
  if (!value) throw new Error(`${name} is not set: run these tests with \`cargo test --test it astro_site::\``);
}
const require = createRequire(`${PLAYWRIGHT_DIR}/`);
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

let failures = 0;
async function test(name, body, { javaScript = false } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  const started = Date.now();
  try {
    await body(page);
    assert.deepEqual(pageErrors, [], "the page threw");
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL ${name}\n${err.stack}`);
  } finally {
    await context.close();
  }
}

const text = (page, selector) => page.locator(selector).textContent();

// Clicks a submit button and waits for the page it leads to; gives that page's response.
async function submit(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

// The action calls the page's script makes, as { method, path, contentType, body }.
function actionCalls(page) {
  const calls = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/_actions/")) {
      calls.push({
        method: request.method(),
        path: url.pathname,
        contentType: (request.headers()["content-type"] ?? "").split(";")[0],
        body: request.postData(),
      });
    }
  });
  return calls;
}

// Marks the document, to tell later whether the browser loaded another one.
const mark = (page) => page.evaluate(() => { window.sameDocument = true; });
const stillSameDocument = (page) => page.evaluate(() => window.sameDocument === true);

const TOO_LONG = "a".repeat(41);
const TOO_LONG_MESSAGE = "Too big: expected string to have <=40 characters";

// --- JavaScript on: the page's script calls `actions.*` from `astro:actions` -------------------

await test("JS on: actions.greet(formData) shows the greeting, without a page load", async (page) => {
  const calls = actionCalls(page);
  await page.goto(SITE_URL);
  await mark(page);
  await page.fill("#name", "Ada");
  await page.click("#greet-form button");
  await page.locator("#greeting", { hasText: "Hello, Ada!" }).waitFor();
  assert.equal(await text(page, "#greeting"), "Hello, Ada!");
  assert.equal(await text(page, "#name-error"), "");
  assert.ok(await stillSameDocument(page), "the form was not posted: the script called the action");
  assert.equal(new URL(page.url()).search, "");
  assert.deepEqual(calls.map(({ method, path, contentType }) => ({ method, path, contentType })), [
    { method: "POST", path: "/_actions/greet/", contentType: "multipart/form-data" },
  ]);
}, { javaScript: true });

await test("JS on: an input error shows the field's errors (isInputError), then clears", async (page) => {
  await page.goto(SITE_URL);
  await mark(page);
  await page.fill("#name", TOO_LONG);
  await page.click("#greet-form button");
  await page.locator("#name-error", { hasText: TOO_LONG_MESSAGE }).waitFor();
  assert.equal(await text(page, "#name-error"), TOO_LONG_MESSAGE);
  assert.equal(await text(page, "#greeting"), "");
  await page.fill("#name", "Grace");
  await page.click("#greet-form button");
  await page.locator("#greeting", { hasText: "Hello, Grace!" }).waitFor();
  assert.equal(await text(page, "#name-error"), "");
  assert.ok(await stillSameDocument(page));
}, { javaScript: true });

await test("JS on: actions.counter.add({ by }) sends JSON and shows the totals and input errors", async (page) => {
  const calls = actionCalls(page);
  await page.goto(SITE_URL);
  await page.fill("#by", "2");
  await page.click("#count-form button");
  await page.locator("#total", { hasText: "Total: 2" }).waitFor();
  await page.fill("#by", "3");
  await page.click("#count-form button");
  await page.locator("#total", { hasText: "Total: 5" }).waitFor();
  await page.fill("#by", "11");
  await page.click("#count-form button");
  await page.locator("#by-error", { hasText: "Too big" }).waitFor();
  assert.equal(await text(page, "#by-error"), "Too big: expected number to be <=10");
  assert.equal(await text(page, "#total"), "");
  await page.fill("#by", "4");
  await page.click("#count-form button");
  await page.locator("#total", { hasText: "Total: 9" }).waitFor();
  assert.equal(await text(page, "#by-error"), "");
  assert.deepEqual(calls, [
    { method: "POST", path: "/_actions/counter.add/", contentType: "application/json", body: '{"by":2}' },
    { method: "POST", path: "/_actions/counter.add/", contentType: "application/json", body: '{"by":3}' },
    { method: "POST", path: "/_actions/counter.add/", contentType: "application/json", body: '{"by":11}' },
    { method: "POST", path: "/_actions/counter.add/", contentType: "application/json", body: '{"by":4}' },
  ]);
}, { javaScript: true });

// --- JavaScript off: the form posts to `?_action=greet`; the Rust page fills the built HTML ----

await test("JS off: the form posts and the page shows the greeting", async (page) => {
  await page.goto(SITE_URL);
  await page.fill("#name", "Ada <script>");
  const response = await submit(page, "#greet-form button");
  assert.equal(response.status(), 200);
  assert.equal(response.request().method(), "POST");
  assert.equal(new URL(page.url()).search, "?_action=greet");
  assert.equal(await text(page, "#greeting"), "Hello, Ada <script>!");
  assert.equal(await text(page, "#name-error"), "");
  assert.equal(await page.inputValue("#name"), "Ada <script>");
});

await test("JS off: an invalid post shows the field error, keeps what was typed, answers 400", async (page) => {
  await page.goto(SITE_URL);
  await page.fill("#name", TOO_LONG);
  const response = await submit(page, "#greet-form button");
  assert.equal(response.status(), 400);
  assert.equal(await text(page, "#name-error"), TOO_LONG_MESSAGE);
  assert.equal(await text(page, "#greeting"), "");
  assert.equal(await page.inputValue("#name"), TOO_LONG);
});

// --- JavaScript off, POST/redirect/GET: the same page handler, the result kept in a cookie -----

await test("JS off, POST/redirect/GET: the greeting shows once after the redirect", async (page) => {
  await page.goto(PRG_URL);
  await page.fill("#name", "Ada");
  const response = await submit(page, "#greet-form button");
  assert.equal(response.status(), 200);
  assert.equal(response.request().method(), "GET", "the POST was answered with a redirect");
  assert.equal(response.request().redirectedFrom()?.method(), "POST");
  assert.equal(new URL(page.url()).search, "");
  assert.equal(await text(page, "#greeting"), "Hello, Ada!");
  await page.reload();
  assert.equal(await text(page, "#greeting"), "", "a refresh shows the page as built");
});

await test("JS off, POST/redirect/GET: an invalid post shows the error after the redirect", async (page) => {
  await page.goto(PRG_URL);
  await page.fill("#name", TOO_LONG);
  const response = await submit(page, "#greet-form button");
  assert.equal(response.status(), 400);
  assert.equal(response.request().method(), "GET");
  assert.equal(await text(page, "#name-error"), TOO_LONG_MESSAGE);
  assert.equal(await page.inputValue("#name"), TOO_LONG);
});

await browser.close();
if (failures) {
  console.log(`${failures} test(s) failed`);
  process.exit(1);
}
