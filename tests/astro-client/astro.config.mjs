// @ts-check
// The page of tests/it/astro_client.rs: built once (`astro build`), its static output
// (dist/client) served by the Rust test. Actions need an on-demand adapter to build; the
// page itself is prerendered, so only dist/client is used.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
});
