// What the generated module declares before the runtime (see `src/typescript/emit.rs`), so that
// `runtime.ts` type-checks on its own. Only types: nothing of it reaches `runtime.js`.

/** Each error code's HTTP status (the module lists all of them, `as const`). */
declare const codeToStatusMap: { readonly [code: string]: number };
/** The site's base path. */
declare const BASE_URL: string;
/** Whether action paths end with `/`. */
declare const shouldAppendTrailingSlash: boolean;
/** devalue's `parse` (imported from npm `devalue` in TypeScript, inlined in JavaScript). */
declare function parse(text: string, revivers?: Record<string, (value: any) => unknown>): unknown;
