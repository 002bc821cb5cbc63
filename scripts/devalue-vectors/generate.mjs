// Writes ../../tests/fixtures/devalue-vectors.json: for each JS value below, the exact output of
// `devalue.stringify(value, { URL: (v) => v instanceof URL && v.href })`, the call Astro makes
// (protocol §7). Run: npm install && node generate.mjs
import { stringify } from 'devalue';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const reducers = { URL: (v) => v instanceof URL && v.href };

/** [name, JS source]; the source is evaluated as an expression. Cyclic values are named `cyclic_*`. */
const cases = [
	['undefined', 'undefined'],
	['null', 'null'],
	['true', 'true'],
	['false', 'false'],
	['zero', '0'],
	['empty_string', '""'],
	['negative_zero', '-0'],
	['nan', 'NaN'],
	['infinity', 'Infinity'],
	['negative_infinity', '-Infinity'],
	['empty_object', '({})'],
	['empty_array', '[]'],
	['null_null', '[null, null]'],
	['duplicate_strings', "['a', 'a', 'b']"],
	['success_flags', '({ success: true, isFormData: true, data: { ok: true }, n: 1 })'],
	['integer_like_keys', "({ b: 1, a: 2, 10: 3, 2: 4, '-1': 5, '01': 6 })"],
	['integer_like_keys_large', "({ z: 1, 4294967294: 2, 4294967295: 3, 0: 4, '1.5': 5 })"],
	['two_equal_arrays', '[[1, 2], [1, 2]]'],
	['shared_array', '(() => { const arr = [1]; return { x: arr, y: arr }; })()'],
	['date_top_level', "new Date('2024-01-01T00:00:00Z')"],
	['url_top_level', "new URL('https://x.test/')"],
	['url_shared_href', "(() => { const u = new URL('https://a.test/'); return [u, u, 'https://a.test/']; })()"],
	['bigint_top_level', '10n'],
	['bigint_duplicate', '({ b: 5n, c: 5n })'],
	['set_mixed', "new Set([1, 'a'])"],
	['map_mixed', "new Map([['k', 1], [2, 'v']])"],
	['regexp_flags', '/ab+c/gi'],
	['regexp_plain', '/x/'],
	['regexp_slash', '/a\\/b/'],
	['null_proto_object', "Object.assign(Object.create(null), { a: 1, b: 'x' })"],
	['hole_first', '[, 1]'],
	['hole_middle', '[1, , 2]'],
	['sparse_len4', "(() => { const a = []; a[3] = 'x'; return a; })()"],
	['sparse_len10', '(() => { const a = []; a[9] = 1; return a; })()'],
	['boxed_number', 'Object(5)'],
	['uint8array', 'new Uint8Array([255, 0])'],
	['uint8array_subarray', 'new Uint8Array([1, 2, 3, 4]).subarray(1, 3)'],
	['cyclic_self', "(() => { const o = { name: 'cyc' }; o.self = o; return o; })()"],
	['string_escapes', "'he said \"hi\" <b>\\n\\t\\u2028\\u0001é😀'"],
	['string_all_escapes', "'\"\\\\<>/&\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f\\u2028\\u2029'"],
	[
		'complex_values',
		`(() => {
			const shared = { s: 1 };
			const cyc = { name: 'cyc' };
			cyc.self = cyc;
			const sparse = [];
			sparse[3] = 'x';
			const veryS = [];
			veryS[100] = 'y';
			const np = Object.create(null);
			np.a = 1;
			return {
				date: new Date('2024-01-01T00:00:00Z'),
				set: new Set([1, 'a']),
				map: new Map([['k', 1], [2, 'v']]),
				url: new URL('https://example.com/a?b=1'),
				usp: new URLSearchParams('a=1&b=2'),
				big: 123n,
				re: /ab+c/gi,
				re2: /x/,
				und: undefined,
				nan: NaN,
				inf: Infinity,
				ninf: -Infinity,
				nz: -0,
				str: 'he said "hi" <b>\\n\\t\\u2028\\u0001é😀',
				a: shared,
				b: shared,
				dup1: 'same',
				dup2: 'same',
				n1: 7,
				n2: 7,
				arr: [1, 1, true, null],
				cyc,
				sparse,
				veryS,
				np,
				boxed: Object(5),
				invalidDate: new Date('nope'),
				float: 0.1 + 0.2,
				bigNum: 1e21,
				small: 1.5e-7,
				u8: new Uint8Array([1, 2, 3]),
			};
		})()`,
	],
	['number_1e21', '1e21'],
	['number_1e_minus_7', '1e-7'],
	['number_min_subnormal', '5e-324'],
	['number_max', '1.7976931348623157e+308'],
	['number_point_three', '0.1 + 0.2'],
	['number_large_integer', '123456789012345680000'],
	['number_2_pow_53', '9007199254740992'],
	['number_negative_fraction', '-1.5'],
	['number_1_5e_minus_7', '1.5e-7'],
	['numbers_in_array', '[1, -1, 0.5, 1e21, 1e-7, 100, 1e300, -0, NaN, 2 ** 31]'],
	['duplicate_primitives', "[1, 'x', true, null, 1, 'x', true, null, false, '1']"],
	['nested_objects', "({ a: { b: { c: { d: 'deep' } } }, e: [{ f: 1 }, { f: 1 }] })"],
	['nested_arrays', "[[[]], [[1]], [[1], [2, [3]]]]"],
	['date_epoch', 'new Date(0)'],
	['date_year_10000', "new Date('+010000-01-01T00:00:00.000Z')"],
	['date_year_minus_1', "new Date('-000001-06-15T12:30:45.123Z')"],
	['date_year_0', "new Date('0000-01-01T00:00:00.000Z')"],
	['date_max', 'new Date(8.64e15)'],
	['date_invalid', "new Date('nope')"],
	['map_set_url_bigint_nested', "({ m: new Map([['a', new Set([1n, 2n])]]), u: [new URL('https://e.test/p?q=1#h')], b: { big: -12345678901234567890n } })"],
	['map_with_object_keys', "new Map([[{ k: 1 }, 'v'], [[1], 'w']])"],
	['set_of_strings_dup', "({ s: new Set(['a', 'b']), t: 'a' })"],
	['url_in_object', "({ href: 'https://x.test/', url: new URL('https://x.test/') })"],
	['urlsearchparams', "new URLSearchParams('a=1&b=%20')"],
	['object_with_index_keys_nested', "({ list: { 1: 'one', 0: 'zero' }, name: 'n' })"],
	['array_with_undefined', '[undefined, 1, undefined]'],
	['object_with_undefined', "({ undef: undefined, x: 'y' })"],
	['unicode_keys', "({ 'é': 1, '😀': 2, 'a\"b': 3, '<': 4 })"],
	['empty_key', "({ '': '' })"],
	['rich', "({ date: new Date(0), map: new Map([['a', 1]]), set: new Set([1, 2]), url: new URL('https://example.com/x'), big: 10n, nan: NaN, inf: -Infinity, negz: -0, undef: undefined, nested: [[1, 2], { k: 'v' }] })"],
	['array_buffer', 'new Uint8Array([104, 105, 33]).buffer'],
	['int16array', 'new Int16Array([1, -1])'],
	['float64array', 'new Float64Array([0.5])'],
	['empty_uint8array', 'new Uint8Array([])'],
	['typed_arrays_shared_buffer', '(() => { const b = new ArrayBuffer(4); return [new Uint8Array(b), new Uint8Array(b, 1, 2)]; })()'],
	['boxed_string', "Object('s')"],
	['mostly_dense_holes', '[1, , 3, , 5]'],
	['bool_object', '({ t: true, f: false, t2: true })'],
	['big_negative_bigint', '-9007199254740993n'],
	['struct_like', "({ id: 42, name: 'Widget', tags: ['a', 'b'], price: 9.99, active: true, parent: null })"],
];

const vectors = [];
for (const [name, js] of cases) {
	const value = new Function(`return (${js});`)();
	vectors.push({ name, js, devalue: stringify(value, reducers) });
}

const out = join(dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/devalue-vectors.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(vectors, null, '\t') + '\n');
console.log(`wrote ${vectors.length} vectors to ${out}`);
