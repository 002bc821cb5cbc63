// The plain JavaScript module's own devalue parser against npm `devalue` (5.9), on the
// protocol's §7.2 vectors: both must give the same values. Run by `tests/it/typescript.rs` with
// `./actions.js` the generated plain module and `devalue` installed next to it.

import { parse as devalueParse } from 'devalue';
import { parse } from './actions.js';

/** A value's description, with every type and identity devalue carries. */
function describe(value, seen = new Map()) {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (seen.has(value)) return `#${seen.get(value)}`;
  seen.set(value, seen.size);
  const proto = Object.getPrototypeOf(value);
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof URL) return `URL(${value.href})`;
  if (value instanceof URLSearchParams) return `URLSearchParams(${value})`;
  if (value instanceof RegExp) return `RegExp(${value})`;
  if (value instanceof Set) return `Set(${[...value].map((v) => describe(v, seen))})`;
  if (value instanceof Map) return `Map(${[...value].map(([k, v]) => `${describe(k, seen)}=>${describe(v, seen)}`)})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${[...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)]})`;
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${[...new Uint8Array(value)]})`;
  if (Array.isArray(value)) {
    const items = [];
    for (let i = 0; i < value.length; i++) items.push(i in value ? describe(value[i], seen) : 'hole');
    return `[${items}]`;
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return `Object(${describe(value.valueOf(), seen)})`;
  const kind = proto === null ? 'null-proto' : '';
  return `${kind}{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${describe(value[k], seen)}`)}}`;
}

const revivers = { URL: (href) => new URL(href) };
const vectors = [
  '-1', '-3', '-4', '-5', '-6', '[null]', '[true]', '[0]', '[""]', '[{}]', '[[]]', '[[1,1],null]',
  '[[1,1,2],"a","b"]', '[{"2":1,"10":2,"b":3,"a":4,"-1":5,"01":6},4,3,1,2,5,6]',
  '[[1,4],[2,3],1,2,[2,3]]', '[{"x":1,"y":1},[2],1]', '[["Date","2024-01-01T00:00:00.000Z"]]',
  '[["URL",1],"https://x.test/"]', '[["URL","https://x.test/"]]', '[[1,1,2],["URL",2],"https://a.test/"]',
  '[["BigInt","10"]]', '[{"b":1,"c":1},["BigInt","5"]]', '[["Set",1,2],1,"a"]', '[["Map",1,2,3,4],"k",1,2,"v"]',
  '[["RegExp","ab+c","gi"]]', '[["RegExp","x"]]', '[["null","a",1,"b",2],1,"x"]', '[[-2,1],1]', '[[1,-2,2],1,2]',
  '[[-7,4,3,1],"x"]', '[[-7,10,9,1],1]', '[["Object",1],5]', '[["Uint8Array",1],["ArrayBuffer","/wA="]]',
  '[["Uint8Array",1,1,2],["ArrayBuffer","AQIDBA=="]]', '[{"name":1,"self":0},"cyc"]', '[["Date",""]]',
  '["he said \\"hi\\" \\u003Cb>\\n\\t\\u2028\\u0001é😀"]', '[["URLSearchParams","a=1&b=2"]]',
  '[{"date":1,"set":2,"map":5,"url":9,"usp":11,"big":12,"re":13,"re2":14,"und":-1,"nan":-3,"inf":-4,"ninf":-5,"nz":-6,"str":15,"a":16,"b":16,"dup1":17,"dup2":17,"n1":18,"n2":18,"arr":19,"cyc":22,"sparse":24,"veryS":26,"np":28,"boxed":29,"invalidDate":31,"float":32,"bigNum":33,"small":34,"u8":35},["Date","2024-01-01T00:00:00.000Z"],["Set",3,4],1,"a",["Map",6,3,7,8],"k",2,"v",["URL",10],"https://example.com/a?b=1",["URLSearchParams","a=1&b=2"],["BigInt","123"],["RegExp","ab+c","gi"],["RegExp","x"],"he said \\"hi\\" \\u003Cb>\\n\\t\\u2028\\u0001é😀",{"s":3},"same",7,[3,3,20,21],true,null,{"name":23,"self":22},"cyc",[-7,4,3,25],"x",[-7,101,100,27],"y",["null","a",3],["Object",30],5,["Date",""],0.30000000000000004,1e+21,1.5e-7,["Uint8Array",36],["ArrayBuffer","AQID"]]',
];
const invalid = ['2', '-2', '-7', '[]', '{"a":1}', '[{"__proto__":1},1]', '[["Nope",1]]', ''];

let checks = 0;
const failures = [];
for (const text of vectors) {
  checks++;
  const expected = describe(devalueParse(text, revivers));
  let actual;
  try {
    actual = describe(parse(text, revivers));
  } catch (e) {
    actual = `threw ${e}`;
  }
  if (actual !== expected) failures.push(`${text}\n    devalue: ${expected}\n    ours:    ${actual}`);
}
for (const text of invalid) {
  checks++;
  let theirs = 'ok';
  let ours = 'ok';
  try { devalueParse(text, revivers); } catch { theirs = 'threw'; }
  try { parse(text, revivers); } catch { ours = 'threw'; }
  if (theirs !== 'threw' || ours !== 'threw') failures.push(`${JSON.stringify(text)}: devalue ${theirs}, ours ${ours}`);
}
if (failures.length > 0) {
  console.log(`FAILED ${failures.length} of ${checks} checks`);
  for (const failure of failures) console.log(`  - ${failure}`);
  process.exitCode = 1;
} else {
  console.log(`ok ${checks} checks`);
}
