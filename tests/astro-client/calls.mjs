// The calls tests/it/astro_client.rs makes through a browser client of Astro Actions, and how
// their results are written down.
//
// Every call is the source of an async function that gets the client module (`astro:actions`
// of Astro 7.3.5, or the module tower-actions generates) and returns what a page would look
// at. It runs in the page (Chromium); what it returns or throws is turned into plain JSON by
// `canon` (also run in the page), with JavaScript types kept: `{"$date": iso}`, `{"$map":
// [[k, v]]}`, `{"$set": [...]}`, `{"$url": href}`, `{"$bigint": "10"}`, `{"$number": "NaN" |
// "-0" | "Infinity" | "-Infinity"}`, `{"$undefined": true}`, errors as `{"$error": {...}}`
// (which checks hold, own keys, type, code, status, message, issues, fields). Object key
// order is kept.
//
// `compare` says what must equal Astro's answer (see run.mjs):
//   - "exact" (default): all of it.
//   - "input_error": an input error, compared exactly like "exact" (zod 4's issue objects
//     and messages, issue #14); the mode only marks the calls that fail validation.
//   - "compat:<row>": a documented difference (docs/compat.md row <row>); `ours` is what our
//     layer must give instead.

export function canon(value, client) {
  const seen = new Set();
  function error(e) {
    const out = {
      isActionError: client.isActionError(e),
      isInputError: client.isInputError(e),
      instanceOfActionError: e instanceof client.ActionError,
      instanceOfError: e instanceof Error,
      name: e.name,
      ownKeys: Object.keys(e),
    };
    for (const key of ['type', 'code', 'status', 'message', 'issues', 'fields']) {
      if (key in e) out[key] = walk(e[key]);
    }
    return { $error: out };
  }
  function walk(v) {
    if (v === undefined) return { $undefined: true };
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $number: 'NaN' };
      if (Object.is(v, -0)) return { $number: '-0' };
      if (!Number.isFinite(v)) return { $number: String(v) };
      return v;
    }
    if (typeof v === 'bigint') return { $bigint: String(v) };
    if (typeof v === 'symbol') return { $symbol: String(v) };
    if (typeof v === 'function') return { $function: typeof v };
    if (seen.has(v)) return { $cycle: true };
    seen.add(v);
    try {
      if (v instanceof Error) return error(v);
      if (v instanceof Date) return { $date: Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString() };
      if (v instanceof Map) return { $map: [...v].map(([k, x]) => [walk(k), walk(x)]) };
      if (v instanceof Set) return { $set: [...v].map(walk) };
      if (v instanceof URL) return { $url: v.href };
      if (v instanceof RegExp) return { $regexp: String(v) };
      if (typeof File !== 'undefined' && v instanceof File) return { $file: { name: v.name, type: v.type, size: v.size } };
      if (Array.isArray(v)) {
        const out = [];
        for (let i = 0; i < v.length; i++) out.push(i in v ? walk(v[i]) : { $hole: true });
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      const entries = Object.keys(v).map((k) => [k, walk(v[k])]);
      if (proto === Object.prototype) return Object.fromEntries(entries);
      if (proto === null) return { $nullProto: Object.fromEntries(entries) };
      return { $object: { class: proto?.constructor?.name ?? '?', keys: Object.fromEntries(entries) } };
    } finally {
      seen.delete(v);
    }
  }
  return walk(value);
}

// Helpers available to every call as `h` (defined in the page).
export const HELPERS = `({
  form(pairs) {
    const f = new FormData();
    for (const [k, v] of pairs) f.append(k, v);
    return f;
  },
  file(text, name, type) {
    return type === undefined ? new File([text], name) : new File([text], name, { type });
  },
})`;

const c = (name, run, extra = {}) => ({ name, run, ...extra });
const INPUT = { compare: 'input_error' };
// Chromium escapes `"`, CR and LF in multipart names and filenames as %22, %0D, %0A (the HTML
// standard); Astro (undici) decodes them back.

export const CALLS = [
  // ---- greet (json, { name: string min 1 })
  c('greet_ok', `({ actions }) => actions.greet({ name: 'Ada' })`),
  c('greet_unicode', `({ actions }) => actions.greet({ name: 'Zoë 😀 日本' })`),
  c('greet_script', `({ actions }) => actions.greet({ name: '</script><script>alert(1)</script>' })`),
  c('greet_u2028', `({ actions }) => actions.greet({ name: 'a\\u2028b\\u2029c' })`),
  c('greet_control_chars', `({ actions }) => actions.greet({ name: 'q"b\\\\n\\nt\\tc\\u0001d\\u007f' })`),
  c('greet_single_emoji', `({ actions }) => actions.greet({ name: '😀' })`),
  c('greet_extra_key', `({ actions }) => actions.greet({ name: 'Ada', extra: 1 })`),
  c('greet_date_input', `({ actions }) => actions.greet({ name: new Date(0) })`),
  c('greet_empty_name', `({ actions }) => actions.greet({ name: '' })`, INPUT),
  c('greet_missing_name', `({ actions }) => actions.greet({})`, INPUT),
  c('greet_name_number', `({ actions }) => actions.greet({ name: 5 })`, INPUT),
  c('greet_name_null', `({ actions }) => actions.greet({ name: null })`, INPUT),
  c('greet_no_input', `({ actions }) => actions.greet()`, INPUT),
  c('greet_null', `({ actions }) => actions.greet(null)`, INPUT),
  c('greet_array', `({ actions }) => actions.greet([1])`, INPUT),
  c('greet_string', `({ actions }) => actions.greet('str')`, INPUT),
  c('greet_bigint_input', `({ actions }) => actions.greet({ name: 1n })`),
  c('greet_cyclic_input', `({ actions }) => { const o = { name: 'x' }; o.self = o; return actions.greet(o); }`),
  c('greet_formdata', `({ actions }, h) => actions.greet(h.form([['name', 'Ada']]))`),
  c('greet_orThrow_ok', `({ actions }) => actions.greet.orThrow({ name: 'Ada' })`),
  c('greet_orThrow_input_error', `({ actions }) => actions.greet.orThrow({ name: '' })`, INPUT),
  c('greet_orThrow_no_input', `({ actions }) => actions.greet.orThrow()`, INPUT),
  c('greet_result_keys', `async ({ actions }) => Object.keys(await actions.greet({ name: 'Ada' }))`),
  c('greet_error_result_keys', `async ({ actions }) => Object.keys(await actions.greet({}))`),
  c('greet_input_error_checks', `async ({ actions, isInputError, isActionError, ActionError }) => {
    const { error } = await actions.greet({});
    return [isInputError(error), isActionError(error), error instanceof ActionError, error instanceof Error,
      typeof error.message, error.message.startsWith('Failed to validate'), Object.keys(error.fields)];
  }`),
  c('greet_concurrent', `({ actions }) => Promise.all([actions.greet({ name: 'A' }), actions.greet({ name: 'B' }), actions.greet({})])`, INPUT),

  // ---- sum (json, { a: number, b: number })
  c('sum_ok', `({ actions }) => actions.sum({ a: 1, b: 2 })`),
  c('sum_float', `({ actions }) => actions.sum({ a: 0.1, b: 0.2 })`),
  c('sum_huge', `({ actions }) => actions.sum({ a: 1e21, b: 0 })`),
  c('sum_tiny', `({ actions }) => actions.sum({ a: 1e-7, b: 0 })`),
  c('sum_min_subnormal', `({ actions }) => actions.sum({ a: 5e-324, b: 0 })`),
  c('sum_overflow_infinity', `({ actions }) => actions.sum({ a: 1e308, b: 1e308 })`),
  c('sum_neg_zero', `({ actions }) => actions.sum({ a: -0, b: -0 })`),
  c('sum_negative', `({ actions }) => actions.sum({ a: -1.5, b: -2.25 })`),
  c('sum_above_2_53', `({ actions }) => actions.sum({ a: 9007199254740993, b: 0 })`),
  c('sum_nan_input', `({ actions }) => actions.sum({ a: NaN, b: 1 })`, INPUT),
  c('sum_infinity_input', `({ actions }) => actions.sum({ a: Infinity, b: 1 })`, INPUT),
  c('sum_strings', `({ actions }) => actions.sum({ a: '1', b: '2' })`, INPUT),
  c('sum_missing_b', `({ actions }) => actions.sum({ a: 1 })`, INPUT),
  c('sum_empty', `({ actions }) => actions.sum({})`, INPUT),
  c('sum_bool', `({ actions }) => actions.sum({ a: true, b: 1 })`, INPUT),
  c('sum_orThrow', `({ actions }) => actions.sum.orThrow({ a: 2, b: 3 })`),

  // ---- noInput (json, echoes its input)
  c('noInput_none', `({ actions }) => actions.noInput()`),
  c('noInput_undefined', `({ actions }) => actions.noInput(undefined)`),
  c('noInput_null', `({ actions }) => actions.noInput(null)`),
  c('noInput_zero', `({ actions }) => actions.noInput(0)`),
  c('noInput_false', `({ actions }) => actions.noInput(false)`),
  c('noInput_true', `({ actions }) => actions.noInput(true)`),
  c('noInput_string', `({ actions }) => actions.noInput('x')`),
  c('noInput_empty_string', `({ actions }) => actions.noInput('')`),
  c('noInput_empty_object', `({ actions }) => actions.noInput({})`),
  c('noInput_empty_array', `({ actions }) => actions.noInput([])`),
  c('noInput_key_order', `({ actions }) => actions.noInput({ b: 1, a: 2, 10: 3, 2: 4 })`),
  c('noInput_nested', `({ actions }) => actions.noInput([[1, [2, [3, []]]], [], { k: [true, null] }])`),
  c('noInput_repeated_values', `({ actions }) => actions.noInput({ a: 'x', b: 'x', c: [1, 1], d: 1 })`),
  c('noInput_unicode', `({ actions }) => actions.noInput({ s: 'héllo ✓ 😀 日本' })`),
  c('noInput_script', `({ actions }) => actions.noInput('</script><script>alert(1)</script><!--')`),
  c('noInput_u2028', `({ actions }) => actions.noInput('a\\u2028b\\u2029c')`),
  c('noInput_control_chars', `({ actions }) => actions.noInput('"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f/')`),
  c('noInput_lone_surrogate', `({ actions }) => actions.noInput('a\\ud800b')`),
  c('noInput_floats', `({ actions }) => actions.noInput([0.1, 1.0, 1e21, 1e-7, 123456789012345680000, -1e-7, 5e-324, 1.7976931348623157e308])`),
  c('noInput_nonfinite_in_array', `({ actions }) => actions.noInput([NaN, -0, Infinity, -Infinity])`),
  c('noInput_undefined_values', `({ actions }) => actions.noInput({ a: undefined, b: 1, c: [undefined, () => 1] })`),
  c('noInput_date', `({ actions }) => actions.noInput(new Date(0))`),
  c('noInput_map_set_url', `({ actions }) => actions.noInput({ m: new Map([['a', 1]]), s: new Set([1]), u: new URL('https://example.com/x') })`),
  c('noInput_toJSON', `({ actions }) => actions.noInput({ toJSON() { return { replaced: true }; } })`),
  c('noInput_long_string', `({ actions }) => actions.noInput('x'.repeat(100000)).then((r) => ({ keys: Object.keys(r), length: r.data.length, error: r.error }))`),
  c('noInput_deep_20', `({ actions }) => { let v = []; for (let i = 0; i < 20; i++) v = [v]; return actions.noInput(v); }`),
  c('noInput_proto_key', `({ actions }) => actions.noInput(JSON.parse('{"__proto__":{"x":1},"y":2}'))`, {
    compare: 'compat:unserializable output',
    ours: { error: { $error: { isActionError: true, isInputError: false, instanceOfActionError: true, instanceOfError: true, name: 'Error', ownKeys: ['type', 'code', 'status'], type: 'AstroActionError', code: 'INTERNAL_SERVER_ERROR', status: 500, message: "the action's output cannot be serialized: devalue: Cannot stringify an object with a `__proto__` key" } }, data: { $undefined: true } },
  }),
  c('noInput_formdata', `({ actions }, h) => actions.noInput(h.form([['a', '1']]))`),
  c('noInput_orThrow', `({ actions }) => actions.noInput.orThrow({ a: [1, 'two'] })`),

  // ---- empty, whoami, boom, missing, teapot: each error code the fixture can produce
  c('empty_ok', `({ actions }) => actions.empty()`),
  c('empty_with_input', `({ actions }) => actions.empty({ a: 1 })`),
  c('empty_orThrow', `({ actions }) => actions.empty.orThrow()`),
  c('whoami_unauthorized', `({ actions }) => actions.whoami()`),
  c('whoami_orThrow', `({ actions }) => actions.whoami.orThrow()`),
  c('boom_internal', `({ actions }) => actions.boom()`),
  c('boom_orThrow', `({ actions }) => actions.boom.orThrow()`),
  c('missing_not_found', `({ actions }) => actions.missing({ id: '42' })`),
  c('missing_bad', `({ actions }) => actions.missing({})`, INPUT),
  c('missing_id_number', `({ actions }) => actions.missing({ id: 42 })`, INPUT),
  c('missing_orThrow', `({ actions }) => actions.missing.orThrow({ id: 'x' })`),
  c('teapot_too_many_requests', `({ actions }) => actions.teapot()`),
  c('teapot_orThrow', `({ actions }) => actions.teapot.orThrow()`),
  c('error_code_checks', `async ({ actions, isActionError, isInputError, ActionError }) => {
    const out = [];
    for (const call of [() => actions.whoami(), () => actions.boom(), () => actions.missing({ id: '1' }), () => actions.teapot(), () => actions.nope()]) {
      const { error } = await call();
      out.push([error.code, error.status, isActionError(error), isInputError(error), error instanceof ActionError, ActionError.codeToStatus?.(error.code), ActionError.statusToCode?.(error.status)]);
    }
    return out;
  }`),

  // ---- rich devalue output
  c('rich', `({ actions }) => actions.rich()`),
  c('rich_orThrow', `({ actions }) => actions.rich.orThrow()`),
  c('rich_types', `async ({ actions }) => {
    const { data } = await actions.rich();
    return Object.entries(data).map(([k, v]) => [k, typeof v, Object.prototype.toString.call(v)]);
  }`),

  // ---- blog.like and names
  c('blog_like_ok', `({ actions }) => actions.blog.like({ postId: 'p1' })`),
  c('blog_like_bad', `({ actions }) => actions.blog.like({})`, INPUT),
  c('blog_like_orThrow', `({ actions }) => actions.blog.like.orThrow({ postId: 'p2' })`),
  c('blog_namespace_call', `({ actions }) => actions.blog({ postId: 'p1' })`, {
    compare: 'compat:Q6',
    ours: { error: { $error: { isActionError: true, isInputError: false, instanceOfActionError: true, instanceOfError: true, name: 'Error', ownKeys: ['type', 'code', 'status'], type: 'AstroActionError', code: 'NOT_FOUND', status: 404, message: '' } }, data: { $undefined: true } },
  }),
  c('blog_unknown_nested', `({ actions }) => actions.blog.nope({ postId: 'p1' })`),
  c('dotted_name_string', `({ actions }) => actions['blog.like']({ postId: 'p1' })`),
  c('dotted_name_unknown', `({ actions }) => actions['greet.x']({ name: 'Ada' })`),
  c('unknown_name', `({ actions }) => actions.nope()`),
  c('unknown_name_orThrow', `({ actions }) => actions.nope.orThrow({ a: 1 })`),
  c('unknown_name_case', `({ actions }) => actions.GREET({ name: 'Ada' })`),
  c('unknown_name_space', `({ actions }) => actions['gr eet']({ name: 'Ada' })`),
  c('unknown_name_slash', `({ actions }) => actions['a/b']()`),
  c('unknown_name_unicode', `({ actions }) => actions['über']()`),
  c('unknown_name_percent', `({ actions }) => actions['gr%65et']({ name: 'Ada' })`),
  c('proto_toString_call', `({ actions }) => actions.toString()`),
  c('proto_constructor_call', `({ actions }) => actions.constructor({ name: 'Ada' })`),
  c('proto___proto___call', `({ actions }) => actions.__proto__()`),
  c('proto_hasOwnProperty_call', `({ actions }) => actions.hasOwnProperty('greet')`),
  c('proto_valueOf_call', `({ actions }) => actions.valueOf()`),
  c('proto_blog_constructor_call', `({ actions }) => actions.blog.constructor({ postId: 'p1' })`),
  c('proto_greet_orThrow_is_own', `({ actions }) => typeof actions.greet.orThrow`),
  c('blog_toString', `({ actions }) => actions.blog.toString()`),
  c('greet_string_conversion', `({ actions }) => [String(actions.greet), \`\${actions.blog.like}\`, actions.greet.queryString, actions.blog.like.queryString]`),
  c('names_query_strings', `({ actions }) => [actions['a b'].queryString, actions['blog.like'].queryString, actions['ü'].queryString, actions['a&b=c'].queryString]`),
  c('get_action_path', `({ actions, getActionPath }) => [getActionPath(actions.greet), getActionPath(actions.blog.like), getActionPath(actions['a.b']), getActionPath(actions['a b'])]`),
  c('action_query_params', `({ ACTION_QUERY_PARAMS }) => ACTION_QUERY_PARAMS`),
  c('form_action_attributes', `({ actions }) => actions.subscribe.$$FORM_ACTION?.()`),
  c('symbol_property', `({ actions }) => [typeof actions[Symbol.iterator], typeof actions.greet[Symbol.toPrimitive]]`),
  c('typeof_actions', `({ actions }) => [typeof actions, typeof actions.greet, typeof actions.blog, typeof actions.blog.like]`),

  // ---- subscribe (form, { email })
  c('subscribe_ok', `({ actions }, h) => actions.subscribe(h.form([['email', 'a@b.co']]))`),
  c('subscribe_bad_email', `({ actions }, h) => actions.subscribe(h.form([['email', 'nope']]))`, INPUT),
  c('subscribe_missing', `({ actions }, h) => actions.subscribe(h.form([]))`, INPUT),
  c('subscribe_repeated', `({ actions }, h) => actions.subscribe(h.form([['email', 'a@b.co'], ['email', 'c@d.co']]))`),
  c('subscribe_object', `({ actions }) => actions.subscribe({ email: 'a@b.co' })`),
  c('subscribe_no_input', `({ actions }) => actions.subscribe()`),
  c('subscribe_orThrow_ok', `({ actions }, h) => actions.subscribe.orThrow(h.form([['email', 'a@b.co']]))`),
  c('subscribe_orThrow_bad', `({ actions }, h) => actions.subscribe.orThrow(h.form([['email', 'x']]))`, INPUT),

  // ---- comment (form, body min 10)
  c('comment_ok', `({ actions }, h) => actions.comment(h.form([['postId', 'p1'], ['author', 'Ada'], ['body', 'Hello, <World> & "you"!']]))`),
  c('comment_short', `({ actions }, h) => actions.comment(h.form([['postId', 'p1'], ['author', 'Ada'], ['body', 'short']]))`, INPUT),
  c('comment_five_emoji', `({ actions }, h) => actions.comment(h.form([['postId', 'p1'], ['author', 'Zoë'], ['body', '😀😀😀😀😀']]))`, INPUT),
  c('comment_ten_emoji', `({ actions }, h) => actions.comment(h.form([['postId', 'p1'], ['author', 'Zoë'], ['body', '😀😀😀😀😀😀😀😀😀😀']]))`),
  c('comment_missing_all', `({ actions }, h) => actions.comment(h.form([]))`, INPUT),
  c('comment_object', `({ actions }) => actions.comment({ postId: 'p1', author: 'Ada', body: 'long enough body' })`),
  c('comment_crlf', `({ actions }, h) => actions.comment(h.form([['postId', 'p1'], ['author', 'A\\r\\nB'], ['body', 'line one\\nline two\\r\\n']]))`),

  // ---- fields (form: tags[], agree bool, count?, nickname?, level enum)
  c('fields_ok', `({ actions }, h) => actions.fields(h.form([['tags', 'a'], ['tags', 'b'], ['agree', 'on'], ['count', '3'], ['nickname', 'nick'], ['level', 'low']]))`),
  c('fields_minimal', `({ actions }, h) => actions.fields(h.form([['level', 'high']]))`),
  c('fields_single_tag', `({ actions }, h) => actions.fields(h.form([['tags', 'only'], ['level', 'low']]))`),
  c('fields_empty_count', `({ actions }, h) => actions.fields(h.form([['count', ''], ['level', 'low']]))`),
  c('fields_count_not_number', `({ actions }, h) => actions.fields(h.form([['count', 'abc'], ['level', 'low']]))`, INPUT),
  c('fields_count_infinity', `({ actions }, h) => actions.fields(h.form([['count', 'Infinity'], ['level', 'low']]))`, INPUT),
  c('fields_bad_level', `({ actions }, h) => actions.fields(h.form([['level', 'mid']]))`, INPUT),
  c('fields_missing_level', `({ actions }, h) => actions.fields(h.form([]))`, INPUT),
  c('fields_agree_false', `({ actions }, h) => actions.fields(h.form([['agree', 'false'], ['level', 'low']]))`),
  c('fields_object', `({ actions }) => actions.fields({ tags: ['a'], agree: true, level: 'low' })`),

  // ---- upload (form, file: File)
  c('upload_ok', `({ actions }, h) => actions.upload(h.form([['file', h.file('abc', 'a.txt', 'text/plain')]]))`),
  c('upload_no_type', `({ actions }, h) => actions.upload(h.form([['file', h.file('abc', 'a.bin')]]))`),
  c('upload_json_type', `({ actions }, h) => actions.upload(h.form([['file', h.file('{}', 'a.json', 'application/json')]]))`),
  c('upload_unicode_name', `({ actions }, h) => actions.upload(h.form([['file', h.file('ü', 'ü 😀.txt', 'text/plain')]]))`),
  c('upload_quote_name', `({ actions }, h) => actions.upload(h.form([['file', h.file('q', 'a"b.txt', 'text/plain')]]))`),
  c('upload_newline_name', `({ actions }, h) => actions.upload(h.form([['file', h.file('n', 'a\\nb.txt', 'text/plain')]]))`),
  c('upload_empty_file', `({ actions }, h) => actions.upload(h.form([['file', h.file('', 'empty.txt', 'text/plain')]]))`),
  c('upload_big_file', `({ actions }, h) => actions.upload(h.form([['file', h.file('x'.repeat(200000), 'big.txt', 'text/plain')]]))`),
  c('upload_missing', `({ actions }, h) => actions.upload(h.form([]))`, INPUT),
  c('upload_string_not_file', `({ actions }, h) => actions.upload(h.form([['file', 'not a file']]))`, INPUT),
  c('upload_object', `({ actions }) => actions.upload({ file: 'x' })`),

  // ---- rawForm (form, FormData in → { key: [values or file names] })
  c('rawForm_repeated_keys', `({ actions }, h) => actions.rawForm(h.form([['a', '1'], ['b', '2'], ['a', '3']]))`),
  c('rawForm_empty', `({ actions }, h) => actions.rawForm(h.form([]))`),
  c('rawForm_empty_value', `({ actions }, h) => actions.rawForm(h.form([['a', ''], ['', 'v']]))`),
  c('rawForm_quote_name', `({ actions }, h) => actions.rawForm(h.form([['q"x', '1'], ['back\\\\slash', '2']]))`),
  c('rawForm_newline_names', `({ actions }, h) => actions.rawForm(h.form([['n\\nl', '1'], ['c\\rr', '2'], ['crlf\\r\\nx', '3']]))`),
  c('rawForm_newline_values', `({ actions }, h) => actions.rawForm(h.form([['v', 'a\\nb'], ['w', 'c\\rd'], ['x', 'e\\r\\nf']]))`),
  c('rawForm_unicode', `({ actions }, h) => actions.rawForm(h.form([['ключ', 'значение 😀'], ['日本', '語']]))`),
  c('rawForm_percent_name', `({ actions }, h) => actions.rawForm(h.form([['%22', 'literal'], ['a%0Ab', 'literal']]))`),
  c('rawForm_files_and_text', `({ actions }, h) => actions.rawForm(h.form([['f', h.file('1', 'one.txt', 'text/plain')], ['t', 'text'], ['f', h.file('2', 'two.txt', 'text/plain')]]))`),
  c('rawForm_file_quote_newline_names', `({ actions }, h) => actions.rawForm(h.form([['f"1', h.file('1', 'q"n\\n.txt', 'text/plain')]]))`),
  c('rawForm_object', `({ actions }) => actions.rawForm({ a: 1 })`),
  c('rawForm_orThrow', `({ actions }, h) => actions.rawForm.orThrow(h.form([['k', 'v']]))`),
];
