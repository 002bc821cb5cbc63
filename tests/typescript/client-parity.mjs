// The generated client against Astro 7.3.5's: the calls of `calls.mjs` through `./actions.js`
// must be seen exactly as `astro-client.json` (recorded from Astro's client by
// `record-astro-client.mjs`) says: the same requests, and the same results, errors and
// shapes. Run by `tests/it/typescript.rs` next to the TypeScript module (compiled) and the
// plain JavaScript one. Prints `ok <n> checks`, or each difference.

import { readFileSync } from 'node:fs';
import * as client from './actions.js';
import { run } from './calls.mjs';

const expected = JSON.parse(readFileSync(new URL('./astro-client.json', import.meta.url), 'utf8'));
const actual = await run(client);

const failures = [];
const byLabel = new Map(actual.map((result) => [result.label, result]));
for (const want of expected) {
  const got = byLabel.get(want.label);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    failures.push(`${want.label}\n    Astro:     ${JSON.stringify(want)}\n    generated: ${JSON.stringify(got)}`);
  }
}
if (actual.length !== expected.length) {
  failures.push(`${actual.length} calls made, ${expected.length} recorded`);
}
if (failures.length > 0) {
  console.log(`FAILED ${failures.length} of ${expected.length} checks`);
  for (const failure of failures) {
    console.log(`  - ${failure}`);
  }
  process.exitCode = 1;
} else {
  console.log(`ok ${expected.length} checks`);
}
