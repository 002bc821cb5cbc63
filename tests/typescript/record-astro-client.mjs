// Records what Astro's own client (`astro:actions` in the browser) does on the calls of
// `calls.mjs`, into `astro-client.json`, which `client-parity.mjs` holds the generated client to.
// Not run by the tests: run it again (Node >= 20.6) when the calls change, against an installed
// `astro` (7.3.5 was used), as a production build sees it (`import.meta.env.PROD`, base `/`,
// `trailingSlash: 'always'`; with `BASE=/app TRAILING_SLASH=never`, base `/app` and
// `trailingSlash: 'never'`):
//
//   node tests/typescript/record-astro-client.mjs /path/to/node_modules/astro > tests/typescript/astro-client.json
//   BASE=/app TRAILING_SLASH=never node tests/typescript/record-astro-client.mjs … > tests/typescript/astro-client-app.json

import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { run } from './calls.mjs';

const astro = process.argv[2] ?? '/tmp/astro-peer/node_modules/astro';
const base = process.env.BASE ?? '/';
const appendSlash = (process.env.TRAILING_SLASH ?? 'always') === 'always';

// Astro's client entrypoint imports two Vite virtual modules and reads `import.meta.env`:
// give it what a production build with the default config does.
const hooks = `
const virtual = {
  'virtual:astro:actions/options': 'export const shouldAppendTrailingSlash = ${appendSlash};',
  'virtual:astro:adapter-config/client': 'export const internalFetchHeaders = {};',
};
export async function resolve(specifier, context, next) {
  if (specifier in virtual) {
    return { url: 'data:text/javascript,' + encodeURIComponent(virtual[specifier]), shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  const loaded = await next(url, context);
  if (/\\/actions\\/runtime\\/(entrypoints\\/)?client\\.js$/.test(url)) {
    const source = String(loaded.source)
      .replaceAll('import.meta.env.BASE_URL', ${JSON.stringify(JSON.stringify(base))})
      .replaceAll('import.meta.env?.PROD', 'true');
    return { ...loaded, source };
  }
  return loaded;
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

const client = await import(pathToFileURL(`${astro}/dist/actions/runtime/entrypoints/client.js`).href);
const results = await run(client);
process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
