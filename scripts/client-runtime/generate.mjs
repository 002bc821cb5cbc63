// Writes `src/typescript/runtime.js` from `src/typescript/runtime.ts`: the same code with its
// types stripped by the pinned `tsc` (package.json), re-indented to two spaces.
//
//   npm install --prefix scripts/client-runtime     # once: typescript 7.0.2
//   node scripts/client-runtime/generate.mjs        # from anywhere
//
// Options: `--tsc <path>` runs that `bin/tsc` instead of the one installed here; `--out <file>`
// writes there instead of `src/typescript/runtime.js` (the test `tests/typescript.rs` does both
// and compares the result with the committed file).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '../../src/typescript/runtime.ts');

/** The first line of `runtime.js`; `emit.rs` leaves it out of the modules it writes. */
export const HEADER =
  '// Generated from runtime.ts by scripts/client-runtime/generate.mjs: edit runtime.ts, then run it.';

const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}
const tsc = option('--tsc', join(here, 'node_modules/typescript/bin/tsc'));
const out = option('--out', join(here, '../../src/typescript/runtime.js'));

const dir = mkdtempSync(join(tmpdir(), 'client-runtime-'));
try {
  execFileSync(
    process.execPath,
    [
      tsc,
      '--strict',
      '--noEmitOnError',
      '--target', 'es2022',
      '--module', 'esnext',
      '--lib', 'esnext,dom',
      '--newLine', 'lf',
      '--outDir', dir,
      join(here, 'prelude.d.ts'),
      source,
    ],
    { stdio: 'inherit' },
  );
  const stripped = readFileSync(join(dir, 'runtime.js'), 'utf8');
  writeFileSync(out, `${HEADER}\n${tidy(stripped)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * tsc's output, as a person would write it: two-space indents (tsc writes four), and a blank
 * line before each top-level declaration and each class member with a doc comment (tsc drops
 * blank lines).
 */
function tidy(js) {
  const lines = js.split('\n').map((line) => {
    const indent = line.length - line.trimStart().length;
    return ' '.repeat(Math.floor(indent / 4) * 2 + (indent % 4)) + line.trimStart();
  });
  const tidied = [];
  let depth = 0;
  for (const line of lines) {
    const previous = tidied.length > 0 ? tidied[tidied.length - 1] : '';
    const opensBlock = /^(\/\*\*|\/\/ ---|(export )?(async )?(function|class|const|let) )/.test(line);
    const member = /^ {2}(\/\*\*|constructor\(|static )/.test(line) && depth === 1;
    const afterComment = /^\s*(\/\*\*|\*|\/\/)/.test(previous) || previous.trim() === '';
    if ((depth === 0 && opensBlock && !afterComment) || (member && !afterComment && !previous.endsWith('{'))) {
      tidied.push('');
    }
    tidied.push(line);
    depth += count(line, '{') - count(line, '}');
  }
  return tidied.join('\n');
}

function count(line, char) {
  // Braces inside strings, templates and regexes are rare in the runtime and always balanced.
  return line.split(char).length - 1;
}
