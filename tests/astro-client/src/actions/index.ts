// The client does not depend on the server's definitions (`actions` is a proxy that posts to
// /_actions/<dotted name>); Astro only needs this file to enable `astro:actions`. The real
// actions are the parity fixture's (examples/parity/app.rs, /work/shared/astro-peer).
import { defineAction } from 'astro:actions';

export const server = {
  noInput: defineAction({ handler: async (input) => input }),
};
