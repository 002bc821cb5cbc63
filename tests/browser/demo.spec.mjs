// Browser tests of the demo app (examples/demo), run by tests/it/browser.rs:
//   DEMO_URL        the demo, served in process by the Rust test
//   CROSS_URL       a page on another origin whose form posts to the demo
//   CHROMIUM        Debian's Chromium (/usr/bin/chromium)
//   PLAYWRIGHT_DIR  the folder where the Rust test installed playwright-core
//   SCREENSHOT      where to save a screenshot of the main page
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const { DEMO_URL, CROSS_URL, CHROMIUM, PLAYWRIGHT_DIR, SCREENSHOT } = process.env;
for (const [name, value] of Object.entries({ DEMO_URL, CROSS_URL, CHROMIUM, PLAYWRIGHT_DIR })) {
  if (!value) throw new Error(`${name} is not set: run these tests with \`cargo test --test it browser::\``);
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
async function test(name, body, options = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? false,
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const started = Date.now();
  try {
    await body(page);
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL ${name}\n${err.stack}`);
  } finally {
    await context.close();
  }
}

const url = (path) => new URL(path, DEMO_URL).href;

// Clicks a submit button and waits for the page it leads to; gives that page's response.
async function submit(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

const text = (page, selector) => page.locator(selector).innerText();
const entryCount = async (page) => Number(await text(page, "#entry-count"));

// --- JavaScript off -------------------------------------------------------------------------

await test("JS off: the sign form renders its result in place, with the ISO date", async (page) => {
  await page.goto(url("/"));
  const before = await entryCount(page);
  await page.fill("#name", "Ada");
  await page.fill("#message", "Hello from a browser without JavaScript");
  const response = await submit(page, "#sign-form button");
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).search, "?_action=guestbook.sign");
  assert.match(await text(page, "#sign-result"), /^Thanks, Ada! Entry #\d+, signed /);
  assert.equal(await entryCount(page), before + 1);
  const time = page.locator("#sign-result time");
  const iso = await time.getAttribute("datetime");
  assert.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(await time.innerText(), iso, "without JavaScript the date reads as ISO text");
  assert.equal(await page.locator(".entry .message").first().innerText(), "Hello from a browser without JavaScript");
});

await test("JS off: field errors show next to their fields, typed values kept", async (page) => {
  await page.goto(url("/"));
  const before = await entryCount(page);
  await page.fill("#name", "Bea <b>");
  await page.fill("#message", "hi");
  const response = await submit(page, "#sign-form button");
  assert.equal(response.status(), 400);
  assert.equal(await text(page, "#message-error"), "Too small: expected string to have >=3 characters");
  assert.equal(await page.locator("#name-error").count(), 0);
  assert.equal(await page.inputValue("#name"), "Bea <b>");
  assert.equal(await page.inputValue("#message"), "hi");
  assert.equal(await entryCount(page), before, "nothing was signed");

  await page.fill("#name", "");
  await page.fill("#message", "A message without a name");
  await submit(page, "#sign-form button");
  assert.equal(await text(page, "#name-error"), "Please fill this in.");
  assert.equal(await page.inputValue("#message"), "A message without a name");
});

await test("JS off: the like button works as a plain form", async (page) => {
  await page.goto(url("/"));
  const likes = page.locator(".entry .likes").first();
  const before = Number(await likes.innerText());
  await submit(page, ".entry form.like button");
  assert.equal(Number(await page.locator(".entry .likes").first().innerText()), before + 1);
});

await test("JS off: POST/redirect/GET — a refresh re-submits nothing", async (page) => {
  await page.goto(url("/sign"));
  const before = await entryCount(page);
  await page.fill("#name", "Cy");
  await page.fill("#message", "Signed through a redirect");
  const response = await submit(page, "#prg-sign-form button");
  assert.equal(response.status(), 200);
  assert.equal(response.request().method(), "GET", "the browser followed a redirect");
  assert.equal(response.request().redirectedFrom()?.method(), "POST");
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, "/sign");
  assert.match(await text(page, "#sign-result"), /^Thanks, Cy!/);
  assert.equal(await entryCount(page), before + 1);

  await page.reload();
  assert.equal(await entryCount(page), before + 1, "the refresh signed nothing");
  assert.equal(await page.locator("#sign-result").count(), 0, "the result is shown once");
  await page.goto(url("/"));
  assert.equal(await page.locator("li.entry").count(), before + 1);
});

await test("JS off: PRG keeps field errors and typed values across the redirect", async (page) => {
  await page.goto(url("/sign"));
  await page.fill("#name", "Dee");
  await page.fill("#message", "");
  await submit(page, "#prg-sign-form button");
  assert.equal(new URL(page.url()).search, "");
  assert.equal(await text(page, "#message-error"), "Please fill this in.");
  assert.equal(await page.inputValue("#name"), "Dee");
});

await test("JS off: the gate refuses a logged-out user; log in, post, log out", async (page) => {
  await page.goto(url("/account"));
  assert.equal(await text(page, "#whoami"), "You are not logged in.");
  await page.fill("#text", "Hello members");
  let response = await submit(page, "#wall-form button");
  assert.equal(response.status(), 401);
  assert.match(await text(page, "#wall-form .error"), /UNAUTHORIZED: Members only/);
  // A vetoed action's body is never read, so no typed values come back to the page.
  assert.equal(await page.inputValue("#text"), "");
  assert.equal(await page.locator("#wall li").count(), 0);

  await page.fill("#login-name", "Eve");
  await submit(page, "#login-form button");
  assert.equal(await text(page, "#whoami"), "Logged in as Eve.");
  const cookies = await page.context().cookies();
  assert.ok(cookies.some((c) => c.name === "demo_session" && c.httpOnly));

  await page.fill("#text", "Hello members");
  response = await submit(page, "#wall-form button");
  assert.equal(response.status(), 200);
  assert.equal(await text(page, "#post-result"), "Posted, Eve.");
  assert.match(await text(page, "#wall li"), /^Eve: Hello members/);

  await submit(page, "#logout-form button");
  assert.equal(await text(page, "#whoami"), "You are not logged in.");
  await page.fill("#text", "Still here?");
  response = await submit(page, "#wall-form button");
  assert.equal(response.status(), 401);
  assert.equal(await page.locator("#wall li").count(), 1);
});

await test("JS off: an upload shows the file's name, size and type; too large is refused", async (page) => {
  await page.goto(url("/upload"));
  const content = "hello, tower-actions\n".repeat(10);
  await page.setInputFiles("#attachment", {
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from(content),
  });
  let response = await submit(page, "#upload-form button");
  assert.equal(response.status(), 200);
  assert.equal(await text(page, "#upload-result .file-name"), "notes.txt");
  assert.equal(await text(page, "#upload-result .file-size"), String(content.length));
  assert.equal(await text(page, "#upload-result .file-type"), "text/plain");

  await page.setInputFiles("#attachment", {
    name: "big.bin",
    mimeType: "application/octet-stream",
    buffer: Buffer.alloc(300 * 1024),
  });
  response = await submit(page, "#upload-form button");
  assert.equal(response.status(), 413);
  assert.match(await text(page, "#upload-form .error"), /CONTENT_TOO_LARGE/);
});

await test("JS off: a cross-site form post is refused with 403", async (page) => {
  await page.goto(CROSS_URL);
  const before = await (await fetch(url("/"))).text();
  const response = await submit(page, "#cross-site-form button");
  assert.equal(response.status(), 403);
  assert.equal(await page.locator("body").innerText(), "Cross-site POST form submissions are forbidden");
  const after = await (await fetch(url("/"))).text();
  assert.equal(after.match(/id="entry-count">(\d+)/)[1], before.match(/id="entry-count">(\d+)/)[1]);
});

// --- JavaScript on --------------------------------------------------------------------------

await test("JS on: signing and liking update the page without a navigation", async (page) => {
  await page.goto(url("/"));
  await page.waitForFunction(() => document.getElementById("js-status").textContent !== "");
  await page.evaluate(() => {
    window.demoMarker = "still the same page";
  });
  const before = await entryCount(page);

  await page.fill("#name", "Fay");
  await page.fill("#message", "Signed with fetch");
  await page.click("#sign-form button");
  await page.waitForFunction((n) => Number(document.getElementById("entry-count").textContent) === n, before + 1);
  const first = page.locator("li.entry").first();
  assert.equal(await first.locator("strong").innerText(), "Fay");
  assert.equal(await first.locator(".message").innerText(), "Signed with fetch");
  assert.match(await text(page, "#js-status"), /^Thanks, Fay!/);
  assert.equal(await page.inputValue("#name"), "", "the form was reset");

  // The new entry's date came over devalue as a Date and reads in the browser's locale.
  const [shown, expected] = await first.locator("time").evaluate((t) => [t.textContent, new Date(t.dateTime).toLocaleString()]);
  assert.equal(shown, expected);

  const likes = first.locator(".likes");
  assert.equal(await likes.innerText(), "0");
  await first.locator("button").click();
  await page.waitForFunction(() => document.querySelector("li.entry .likes").textContent === "1");

  // An input error comes back as `fields`, shown next to the field, still without navigating.
  await page.fill("#name", "Gus");
  await page.fill("#message", "");
  await page.click("#sign-form button");
  await page.waitForSelector("#message-error");
  assert.equal(await text(page, "#message-error"), "Please fill this in.");
  assert.equal(await page.inputValue("#name"), "Gus");

  assert.equal(await page.evaluate(() => window.demoMarker), "still the same page");
  assert.equal(new URL(page.url()).href, url("/"));
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation").length), 1);
  assert.equal(await entryCount(page), before + 1);
}, { javaScript: true });

await test("JS on: dates render in the reader's locale", async (page) => {
  await page.goto(url("/"));
  const times = await page.locator("time").evaluateAll((all) =>
    all.map((t) => [t.textContent, new Date(t.dateTime).toLocaleString(), t.dateTime]),
  );
  assert.ok(times.length > 0);
  for (const [shown, expected, iso] of times) {
    assert.equal(shown, expected);
    assert.notEqual(shown, iso);
    assert.match(shown, /^\d{1,2}\.\d{1,2}\.\d{4}, \d\d:\d\d:\d\d$/, "German locale");
  }
}, { javaScript: true });

await test("JS on: the client gets the gate's refusal as an ActionError", async (page) => {
  await page.goto(url("/account"));
  const result = await page.evaluate(async () => {
    const { actions } = await import("/actions.js");
    const form = new FormData();
    form.set("text", "from fetch");
    const { data, error } = await actions.members.post(form);
    return { data, code: error?.code, status: error?.status, message: error?.message };
  });
  assert.deepEqual(result, {
    data: undefined,
    code: "UNAUTHORIZED",
    status: 401,
    message: "Members only: log in to post on the wall.",
  });
}, { javaScript: true });

if (SCREENSHOT) {
  await test("screenshot of the main page", async (page) => {
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.goto(url("/"));
    await page.waitForFunction(() => document.getElementById("js-status").textContent !== "");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, { javaScript: true });
}

await browser.close();
if (failures > 0) {
  console.log(`${failures} browser test(s) failed`);
  process.exit(1);
}
console.log("all browser tests passed");
