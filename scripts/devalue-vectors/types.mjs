// Writes ../../tests/fixtures/devalue-types-vectors.json: for each JS value below, the exact
// output of devalue.stringify as Astro calls it (see generate.mjs). These are the values the
// `js::with` modules must write for chrono, time, jiff, url, uuid and num-bigint types and for
// std maps and sets (tests/it/ecosystem_types.rs). Run: npm install && node types.mjs
import { stringify } from 'devalue';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const reducers = { URL: (v) => v instanceof URL && v.href };

/** [name, JS source]; the source is evaluated as an expression. */
const cases = [
	['date_ms', "({ at: new Date('2024-02-29T23:59:59.999Z') })"],
	['date_before_1970', '({ at: new Date(-1) })'],
	['date_year_minus_1', "({ at: new Date('-000001-06-15T12:30:45.123Z') })"],
	['date_offset', "({ at: new Date('2024-05-01T12:00:00+02:00') })"],
	['date_only', "({ at: new Date('2024-05-01') })"],
	['date_only_before_1970', "({ at: new Date('1969-12-31') })"],
	['date_option_none', '({ at: undefined })'],
	['url_escaped', "({ href: new URL('https://example.com/a b?q=ü#h') })"],
	['url_idn', "({ href: new URL('HTTPS://Bücher.Example:443/./x/../y') })"],
	['bigint_negative', '({ n: -123456789012345678901234567890n })'],
	['bigint_zero', '({ n: 0n })'],
	['biguint', '({ n: 18446744073709551616n })'],
	['uuid', "({ id: '67e55044-10b1-426f-9247-bb680e5fe0c8' })"],
	['map_numbers', "({ m: new Map([[1, 'a'], [2, 'b']]) })"],
	['map_strings_shared', "({ m: new Map([['a', 1], ['b', 1]]) })"],
	['set_strings', "({ s: new Set(['a', 'b']) })"],
	['map_of_sets', "({ m: new Map([['x', new Set([1, 2])]]) })"],
	['map_empty', '({ m: new Map() })'],
];

const vectors = [];
for (const [name, js] of cases) {
	const value = new Function(`return (${js});`)();
	vectors.push({ name, js, devalue: stringify(value, reducers) });
}

const out = join(dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/devalue-types-vectors.json');
writeFileSync(out, JSON.stringify(vectors, null, '\t') + '\n');
console.log(`wrote ${vectors.length} vectors to ${out}`);
