// @ts-check
// Static output, no adapter: `astro build` writes plain files to dist/, which the Rust server
// (examples/astro_site/main.rs) serves. The actions are Rust's, so there is no src/actions/:
// pages import Astro's browser client from `astro:actions`, which needs no server of Astro's.
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
});
