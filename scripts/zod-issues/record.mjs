// Sends every row of cases.mjs to a running Astro 7.3.5 server built with gen-actions.mjs's
// actions file, and writes the answers to tests/fixtures/zod-issues.json.
//   node record.mjs [base URL, default http://127.0.0.1:4330] [out file]
// JSON rows go as application/json; form rows go twice, as application/x-www-form-urlencoded
// (rows with a file part are not sent urlencoded) and as multipart/form-data. Every request
// carries a same-origin Origin header. Only the status and the exact body text are recorded.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ACTIONS, PARITY, ROWS, PARITY_ROWS } from "./cases.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:4330";
const out =
  process.argv[3] ?? fileURLToPath(new URL("../../tests/fixtures/zod-issues.json", import.meta.url));
const origin = new URL(base).origin;

function inputSchema(schema) {
  return /^z\.(object|strictObject)\(/.test(schema) ? schema : `z.object({ value: ${schema} })`;
}

const isFile = (v) => typeof v === "object" && v !== null;

async function send(action, transport, body) {
  const headers = { origin };
  let payload;
  if (transport === "json") {
    headers["content-type"] = "application/json";
    payload = body;
  } else if (transport === "urlencoded") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(body).toString();
  } else {
    const fd = new FormData();
    for (const [k, v] of body) {
      if (isFile(v)) fd.append(k, new File([v.content], v.file, { type: v.type }));
      else fd.append(k, v);
    }
    payload = fd;
  }
  const res = await fetch(`${base}/_actions/${action}`, { method: "POST", headers, body: payload });
  return { status: res.status, content_type: res.headers.get("content-type"), response: await res.text() };
}

async function recordAll(group, actions, rows) {
  const recorded = [];
  const seen = new Set();
  for (const [action, label, input] of rows) {
    const def = actions[action];
    if (!def) throw new Error(`row ${action}/${label}: no such action`);
    const accept = def.accept ?? "json";
    const schema = group === "parity" ? def.schema : inputSchema(def.schema);
    let transports;
    if (accept === "json") transports = ["json"];
    else if (input.some(([, v]) => isFile(v))) transports = ["multipart"];
    else transports = ["urlencoded", "multipart"];
    for (const transport of transports) {
      const name = `${action}/${label}${accept === "json" ? "" : "/" + transport}`;
      if (seen.has(name)) throw new Error(`duplicate row name ${name}`);
      seen.add(name);
      const r = await send(action, transport, input);
      recorded.push({ name, group, action, accept, schema, transport, body: input, ...r });
    }
  }
  return recorded;
}

const rows = [
  ...(await recordAll("zod", ACTIONS, ROWS)),
  ...(await recordAll("parity", PARITY, PARITY_ROWS)),
];
const doc = { astro: "7.3.5", zod: "4.6.7", server: "scripts/zod-issues (Astro 7.3.5, @astrojs/node 11.1.6)", rows };
writeFileSync(out, JSON.stringify(doc, null, 2) + "\n");
const count = (p) => rows.filter(p).length;
console.log(
  `wrote ${out}: ${rows.length} rows (${count((r) => r.status === 400)} x 400, ` +
    `${count((r) => r.status === 200)} x 200, ${count((r) => r.status !== 200 && r.status !== 400)} other)`,
);
