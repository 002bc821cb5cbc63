#!/usr/bin/env node
// Capture what a real Astro server (the peer in /work/shared/astro-peer, Astro 7.3.5 +
// @astrojs/node) answers to a fixed list of requests, and write
// tests/fixtures/astro-parity.json for the Rust parity replayer.
//
// Plain Node >= 20, no npm dependencies. Requests are sent with node:http so that every
// header (including Content-Length and the absence of Content-Type) is exactly what the
// case lists: global fetch would add `content-type: text/plain;charset=UTF-8` to string
// bodies on its own.
//
//   ASTRO_URL   base URL of the peer (default http://127.0.0.1:4321)
//   OUT         output file (default <repo>/tests/fixtures/astro-parity.json)
//   ONLY        optional substring filter on case names (prints, does not write)
//
// `{origin}` in request headers is replaced with the peer's origin before sending; in the
// recorded response (body, location) the peer's origin is replaced back by `{origin}`.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ASTRO_URL = (process.env.ASTRO_URL || 'http://127.0.0.1:4321').replace(/\/+$/, '');
const ORIGIN = new URL(ASTRO_URL).origin;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = process.env.OUT || path.resolve(HERE, '../../tests/fixtures/astro-parity.json');
const ASTRO_VERSION = '7.3.5';
const FOREIGN = 'http://evil.test';

// ---------------------------------------------------------------------------------------
// Body builders

const JSON_CT = ['content-type', 'application/json'];
const FORM_CT = ['content-type', 'application/x-www-form-urlencoded'];
const BOUNDARY = '----towerActionsParityBoundary7MA4YWxkTrZu0gW';
const MULTIPART_CT = ['content-type', `multipart/form-data; boundary=${BOUNDARY}`];
const SAME = ['origin', '{origin}'];
const EVIL = ['origin', FOREIGN];

/** Build a multipart/form-data body (Buffer) with the fixed BOUNDARY.
 *  parts: [name, value] for a text field, or {name, filename, type, data} for a file. */
function multipart(parts) {
  const chunks = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n`));
    if (Array.isArray(p)) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p[0]}"\r\n\r\n`));
      chunks.push(Buffer.from(p[1], 'utf8'));
    } else {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\n` +
            `Content-Type: ${p.type}\r\n\r\n`,
        ),
      );
      chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8'));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** urlencoded body from [key, value] pairs (application/x-www-form-urlencoded serializer). */
function urlencoded(pairs) {
  return new URLSearchParams(pairs).toString();
}

// ---------------------------------------------------------------------------------------
// Case constructors. Every case: {name, group, method, path, headers, body (string|Buffer|null),
// compare?, quirk?}. Content-Length is added (and recorded) for every POST/PUT/PATCH/DELETE
// unless the case lists it already or sets noContentLength.

const cases = [];
function add(c) {
  if (cases.some((x) => x.name === c.name)) throw new Error(`duplicate case ${c.name}`);
  cases.push({ method: 'POST', headers: [], body: null, ...c });
}
const json = (group, name, action, body, extra = {}) =>
  add({ group, name, path: `/_actions/${action}`, headers: [JSON_CT, SAME, ...(extra.headers || [])], body, ...extra, ...(extra.headers ? { headers: [JSON_CT, SAME, ...extra.headers] } : {}) });
const form = (group, name, action, pairs, extra = {}) =>
  add({ group, name, path: `/_actions/${action}`, headers: [FORM_CT, SAME], body: urlencoded(pairs), ...extra });
const mform = (group, name, action, parts, extra = {}) =>
  add({ group, name, path: `/_actions/${action}`, headers: [MULTIPART_CT, SAME], body: multipart(parts), ...extra });

// ---- json: every JSON action, good and bad input ---------------------------------------
json('json', 'greet_ok', 'greet', '{"name":"Ada"}');
json('json', 'greet_extra_key', 'greet', '{"name":"Ada","extra":1}');
json('json', 'greet_unicode', 'greet', '{"name":"Zoë 😀 日本"}');
json('json', 'greet_single_emoji', 'greet', '{"name":"😀"}');
json('json', 'greet_script', 'greet', '{"name":"</script><script>alert(1)</script>"}');
json('json', 'greet_u2028', 'greet', '{"name":"a\\u2028b\\u2029c"}');
json('json', 'greet_escapes', 'greet', '{"name":"q\\"b\\\\n\\nt\\tc\\u0001d\\u007f"}');
json('json', 'greet_empty_object', 'greet', '{}');
json('json', 'greet_empty_name', 'greet', '{"name":""}');
json('json', 'greet_name_number', 'greet', '{"name":5}');
json('json', 'greet_name_null', 'greet', '{"name":null}');
json('json', 'greet_array', 'greet', '[1]');
json('json', 'greet_no_body', 'greet', '');
json('json', 'greet_string', 'greet', '"str"');
json('json', 'greet_null', 'greet', 'null');
json('json', 'greet_number', 'greet', '42');
json('json', 'sum_ok', 'sum', '{"a":1,"b":2}');
json('json', 'sum_float', 'sum', '{"a":0.1,"b":0.2}');
json('json', 'sum_huge', 'sum', '{"a":1e21,"b":0}');
json('json', 'sum_just_below_1e21', 'sum', '{"a":999999999999999900000,"b":0}');
json('json', 'sum_tiny', 'sum', '{"a":1e-7,"b":0}');
json('json', 'sum_min_subnormal', 'sum', '{"a":5e-324,"b":0}');
json('json', 'sum_1_5e300', 'sum', '{"a":1.5e300,"b":1.5e300}');
json('json', 'sum_overflow_infinity', 'sum', '{"a":1e308,"b":1e308}');
json('json', 'sum_neg_zero', 'sum', '{"a":-0,"b":-0}');
json('json', 'sum_neg_zero_plus_zero', 'sum', '{"a":-0,"b":0}');
json('json', 'sum_above_2_53', 'sum', '{"a":9007199254740993,"b":0}');
json('json', 'sum_negative', 'sum', '{"a":-1.5,"b":-2.25}');
json('json', 'sum_strings', 'sum', '{"a":"1","b":"2"}');
json('json', 'sum_missing_b', 'sum', '{"a":1}');
json('json', 'sum_empty_object', 'sum', '{}');
json('json', 'sum_null', 'sum', '{"a":null,"b":1}');
json('json', 'sum_bool', 'sum', '{"a":true,"b":1}');
json('json', 'noInput_no_body', 'noInput', '');
json('json', 'noInput_null', 'noInput', 'null');
json('json', 'noInput_zero', 'noInput', '0');
json('json', 'noInput_false', 'noInput', 'false');
json('json', 'noInput_true', 'noInput', 'true');
json('json', 'noInput_string', 'noInput', '"x"');
json('json', 'noInput_empty_string', 'noInput', '""');
json('json', 'noInput_empty_object', 'noInput', '{}');
json('json', 'noInput_empty_array', 'noInput', '[]');
json('json', 'noInput_key_order', 'noInput', '{"b":1,"a":2,"10":3,"2":4}');
json('json', 'noInput_key_order_numeric_like', 'noInput', '{"z":0,"01":1,"1":2,"-1":3,"4294967294":4,"4294967295":5,"1.5":6}');
json('json', 'noInput_duplicate_keys', 'noInput', '{"a":1,"b":2,"a":3}');
json('json', 'noInput_nested_arrays', 'noInput', '[[1,[2,[3,[]]]],[],{"k":[true,null]}]');
json('json', 'noInput_repeated_values', 'noInput', '{"a":"x","b":"x","c":[1,1],"d":1}');
json('json', 'noInput_unicode', 'noInput', '{"s":"héllo ✓ 😀 日本","e":"\\u00e9"}');
json('json', 'noInput_script', 'noInput', '"</script><script>alert(1)</script><!--"');
json('json', 'noInput_u2028', 'noInput', '"a\\u2028b\\u2029c"');
json('json', 'noInput_control_chars', 'noInput', '"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f/"');
json('json', 'noInput_lone_surrogate', 'noInput', '"a\\ud800b"');
json('json', 'noInput_neg_zero', 'noInput', '-0');
json('json', 'noInput_float', 'noInput', '[0.1,1.0,1e21,1e-7,123456789012345680000,-1e-7,5e-324,1.7976931348623157e308]');
json('json', 'noInput_exp_overflow', 'noInput', '1e400');
json('json', 'noInput_proto_key', 'noInput', '{"__proto__":{"x":1},"y":2}');
json('json', 'noInput_bom', 'noInput', '\ufeff{"a":1}');
json('json', 'empty_ok', 'empty', '');
json('json', 'empty_with_body', 'empty', '{"a":1}');
json('json', 'whoami_no_user', 'whoami', '');
json('json', 'whoami_user', 'whoami', '', { headers: [['x-user', 'ada']] });
json('json', 'whoami_user_empty', 'whoami', '', { headers: [['x-user', '']] });
json('json', 'boom', 'boom', '');
json('json', 'missing_ok', 'missing', '{"id":"42"}');
json('json', 'missing_bad', 'missing', '{}');
json('json', 'missing_id_number', 'missing', '{"id":42}');
json('json', 'rich', 'rich', '');
json('json', 'blog_like_ok', 'blog.like', '{"postId":"p1"}');
json('json', 'blog_like_bad', 'blog.like', '{}');
json('json', 'teapot', 'teapot', '');

// ---- names: action name lookup ------------------------------------------------------------
// Astro 7 looks action names up as own properties only: inherited names (`toString`,
// `constructor`, `__proto__`, `blog.toString`, `greet.orThrow`) are 404 NOT_FOUND, as in our
// crate. (Astro 5.18 walked the prototype chain and called them.)
const PROTO = {};
const name = (n, p, body = '{"name":"Ada"}', extra = {}) =>
  add({ group: 'names', name: n, path: p, headers: [JSON_CT, SAME], body, ...extra });
name('name_trailing_slash', '/_actions/greet/');
name('name_blog_like_trailing_slash', '/_actions/blog.like/', '{"postId":"p1"}');
name('name_blog_like_encoded_dot', '/_actions/blog%2Elike', '{"postId":"p1"}');
name('name_blog_like_encoded_dot_lower', '/_actions/blog%2elike', '{"postId":"p1"}');
name('name_blog_namespace', '/_actions/blog', '{"postId":"p1"}', { compare: 'astro_quirk', quirk: 'Q6' });
name('name_blog_slash_like', '/_actions/blog/like', '{"postId":"p1"}');
name('name_blog_like_extra_segment', '/_actions/blog.like.x', '{"postId":"p1"}');
name('name_blog_toString', '/_actions/blog.toString', '{"postId":"p1"}', PROTO);
name('name_nope', '/_actions/nope');
name('name_toString', '/_actions/toString', undefined, PROTO);
name('name_proto', '/_actions/__proto__', undefined, PROTO);
name('name_constructor', '/_actions/constructor', undefined, PROTO);
name('name_hasOwnProperty', '/_actions/hasOwnProperty', undefined, PROTO);
name('name_greet_orThrow', '/_actions/greet.orThrow', undefined, PROTO);
name('name_empty_slash', '/_actions/');
name('name_no_slash', '/_actions');
name('name_encoded_letter', '/_actions/gr%65et');
name('name_case', '/_actions/GREET');
name('name_double_slash', '/_actions//greet');
name('name_triple_slash', '/_actions///greet');
name('name_trailing_double_slash', '/_actions/greet//');
name('name_blog_double_slash_like', '/_actions/blog//like', '{"postId":"p1"}');
name('name_leading_double_slash', '//_actions/greet');
name('name_nested_prefix', '/_actions/x/_actions/greet');
name('name_query', '/_actions/greet?x=1');
name('name_encoded_slash', '/_actions/greet%2F');
name('name_rpc_with_action_query', '/_actions/greet?_action=subscribe');

// ---- content types ------------------------------------------------------------------------
const ct = (n, p, headers, body, extra = {}) =>
  add({ group: 'content_type', name: n, path: p, headers, body, ...extra });
ct('ct_mixed_case_charset', '/_actions/greet', [['content-type', 'Application/JSON; charset=utf-8'], SAME], '{"name":"Ada"}');
ct('ct_upper', '/_actions/greet', [['content-type', 'APPLICATION/JSON'], SAME], '{"name":"Ada"}');
ct('ct_charset_no_space', '/_actions/greet', [['content-type', 'application/json;charset=utf-8'], SAME], '{"name":"Ada"}');
ct('ct_space_before_semicolon', '/_actions/greet', [['content-type', 'application/json ; charset=utf-8'], SAME], '{"name":"Ada"}', { compare: 'astro_quirk', quirk: 'Q7' });
ct('ct_jsonx', '/_actions/greet', [['content-type', 'application/jsonx'], SAME], '{"name":"Ada"}');
ct('ct_ld_json', '/_actions/greet', [['content-type', 'application/ld+json'], SAME], '{"name":"Ada"}');
ct('ct_text_plain_same_origin', '/_actions/greet', [['content-type', 'text/plain'], SAME], '{"name":"Ada"}');
ct('ct_text_plain_foreign_origin', '/_actions/greet', [['content-type', 'text/plain'], EVIL], '{"name":"Ada"}');
ct('ct_text_plain_no_origin', '/_actions/greet', [['content-type', 'text/plain']], '{"name":"Ada"}');
ct('ct_none_cl0_same_origin_noInput', '/_actions/noInput', [SAME], '');
ct('ct_none_cl0_same_origin_greet', '/_actions/greet', [SAME], '');
ct('ct_none_cl0_no_origin', '/_actions/noInput', [], '');
ct('ct_none_cl0_foreign_origin', '/_actions/noInput', [EVIL], '');
ct('ct_none_body_ignored', '/_actions/noInput', [SAME], '{"a":1}');
ct('ct_json_foreign_origin', '/_actions/greet', [JSON_CT, EVIL], '{"name":"Ada"}');
ct('ct_json_no_origin', '/_actions/greet', [JSON_CT], '{"name":"Ada"}');
ct('ct_json_null_origin', '/_actions/greet', [JSON_CT, ['origin', 'null']], '{"name":"Ada"}');
ct('ct_invalid_json', '/_actions/greet', [JSON_CT, SAME], '{bad', { compare: 'astro_quirk', quirk: 'Q5' });
ct('ct_whitespace_json', '/_actions/greet', [JSON_CT, SAME], '  \n ', { compare: 'astro_quirk', quirk: 'Q5' });
ct('ct_trailing_garbage_json', '/_actions/noInput', [JSON_CT, SAME], '{"a":1} x', { compare: 'astro_quirk', quirk: 'Q5' });
ct('ct_empty_body_json_ct', '/_actions/greet', [JSON_CT, SAME], '');
ct('ct_json_invalid_utf8', '/_actions/noInput', [JSON_CT, SAME], Buffer.from([0x22, 0x61, 0xff, 0x62, 0x22]));
ct('ct_urlencoded_to_json_action', '/_actions/greet', [FORM_CT, SAME], 'name=Ada');
ct('ct_multipart_to_json_action', '/_actions/greet', [MULTIPART_CT, SAME], multipart([['name', 'Ada']]));
ct('ct_json_to_form_action', '/_actions/subscribe', [JSON_CT, SAME], '{"email":"a@b.co"}');
ct('ct_none_to_form_action', '/_actions/subscribe', [SAME], '');
ct('ct_multipart_no_boundary', '/_actions/rawForm', [['content-type', 'multipart/form-data'], SAME], multipart([['a', '1']]));
ct('ct_multipart_wrong_boundary', '/_actions/rawForm', [['content-type', 'multipart/form-data; boundary=nope'], SAME], multipart([['a', '1']]));
// No Content-Length: chunked bodies take Astro's streaming read path (readRequestBodyWithLimit).
const CHUNKED = ['transfer-encoding', 'chunked'];
ct('ct_chunked_json', '/_actions/greet', [JSON_CT, SAME, CHUNKED], '{"name":"Ada"}');
ct('ct_chunked_json_empty', '/_actions/noInput', [JSON_CT, SAME, CHUNKED], '');
ct('ct_chunked_urlencoded', '/_actions/subscribe', [FORM_CT, SAME, CHUNKED], 'email=a%40b.co');
ct('ct_chunked_multipart', '/_actions/upload', [MULTIPART_CT, SAME, CHUNKED], multipart([{ name: 'file', filename: 'a.txt', type: 'text/plain', data: 'abc' }]));
ct('ct_urlencoded_charset', '/_actions/subscribe', [['content-type', 'application/x-www-form-urlencoded;charset=UTF-8'], SAME], 'email=a%40b.co');

// ---- methods ------------------------------------------------------------------------------
const meth = (n, m, p, extra = {}) => add({ group: 'method', name: n, method: m, path: p, headers: [], body: null, ...extra });
meth('get_greet', 'GET', '/_actions/greet', { compare: 'astro_quirk', quirk: 'NON_POST_404' });
meth('put_greet', 'PUT', '/_actions/greet', { headers: [JSON_CT, SAME], body: '{"name":"Ada"}', compare: 'astro_quirk', quirk: 'NON_POST_404' });
meth('head_greet', 'HEAD', '/_actions/greet', { compare: 'astro_quirk', quirk: 'NON_POST_404' });
meth('delete_greet', 'DELETE', '/_actions/greet', { headers: [SAME], compare: 'astro_quirk', quirk: 'NON_POST_404' });
meth('patch_greet', 'PATCH', '/_actions/greet', { headers: [JSON_CT, SAME], body: '{"name":"Ada"}', compare: 'astro_quirk', quirk: 'NON_POST_404' });
meth('options_greet', 'OPTIONS', '/_actions/greet', { compare: 'astro_quirk', quirk: 'NON_POST_404' });
meth('get_actions_root', 'GET', '/_actions/', { compare: 'astro_quirk', quirk: 'NON_POST_404' });

// ---- forms --------------------------------------------------------------------------------
// subscribe
form('form', 'subscribe_ok', 'subscribe', [['email', 'a@b.co']]);
mform('form', 'subscribe_ok_multipart', 'subscribe', [['email', 'a@b.co']]);
form('form', 'subscribe_missing', 'subscribe', []);
form('form', 'subscribe_empty', 'subscribe', [['email', '']]);
form('form', 'subscribe_bad_email', 'subscribe', [['email', 'not-an-email']]);
mform('form', 'subscribe_bad_email_multipart', 'subscribe', [['email', 'nope']]);
form('form', 'subscribe_duplicate_first_wins', 'subscribe', [['email', 'first@b.co'], ['email', 'nope']]);
form('form', 'subscribe_extra_field', 'subscribe', [['email', 'a@b.co'], ['extra', '1']]);
add({ group: 'form', name: 'subscribe_plus_and_percent', path: '/_actions/subscribe', headers: [FORM_CT, SAME], body: 'email=a%2Bb+c%40d.co' });
// comment
const c10 = 'ten chars!';
form('form', 'comment_ok', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', 'Hello, World!']]);
mform('form', 'comment_ok_multipart', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', 'Hello, World!']]);
form('form', 'comment_body_exactly_10', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', c10]]);
form('form', 'comment_short', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', 'too short']]);
mform('form', 'comment_short_multipart', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', 'short']]);
form('form', 'comment_emoji_5_is_10_units', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', '😀😀😀😀😀']]);
form('form', 'comment_emoji_4_plus_1_is_9_units', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', '😀😀😀😀a']]);
form('form', 'comment_multibyte_9_chars', 'comment', [['postId', 'p1'], ['author', 'Ada'], ['body', 'ééééééééé']]);
mform('form', 'comment_emoji_multipart_ok', 'comment', [['postId', 'p1'], ['author', 'Zoë'], ['body', '日本語のコメントです😀']]);
form('form', 'comment_missing_body', 'comment', [['postId', 'p1'], ['author', 'Ada']]);
form('form', 'comment_empty_values', 'comment', [['postId', ''], ['author', ''], ['body', '']]);
form('form', 'comment_all_missing', 'comment', []);
mform('form', 'comment_missing_author_multipart', 'comment', [['postId', 'p1'], ['body', 'Hello, World!']]);
// fields
const F = { tags: [['tags', 'a'], ['tags', 'b']], agree: [['agree', 'on']], count: [['count', '42']], nickname: [['nickname', 'nick']], level: [['level', 'low']] };
const fields = (o) => [...(o.tags ?? F.tags), ...(o.agree ?? F.agree), ...(o.count ?? F.count), ...(o.nickname ?? F.nickname), ...(o.level ?? F.level), ...(o.extra ?? [])];
form('form', 'fields_full', 'fields', fields({}));
mform('form', 'fields_full_multipart', 'fields', fields({}));
form('form', 'fields_tags_single', 'fields', fields({ tags: [['tags', 'only']] }));
form('form', 'fields_tags_absent', 'fields', fields({ tags: [] }));
form('form', 'fields_tags_empty_value', 'fields', fields({ tags: [['tags', ''], ['tags', 'x']] }));
form('form', 'fields_agree_absent', 'fields', fields({ agree: [] }));
form('form', 'fields_agree_false', 'fields', fields({ agree: [['agree', 'false']] }));
form('form', 'fields_agree_true', 'fields', fields({ agree: [['agree', 'true']] }));
form('form', 'fields_agree_empty', 'fields', fields({ agree: [['agree', '']] }));
form('form', 'fields_agree_False_caps', 'fields', fields({ agree: [['agree', 'False']] }));
form('form', 'fields_agree_dup_false_on', 'fields', fields({ agree: [['agree', 'false'], ['agree', 'on']] }));
form('form', 'fields_count_empty', 'fields', fields({ count: [['count', '']] }));
form('form', 'fields_count_absent', 'fields', fields({ count: [] }));
form('form', 'fields_count_spaces', 'fields', fields({ count: [['count', ' 12 ']] }));
form('form', 'fields_count_1e3', 'fields', fields({ count: [['count', '1e3']] }));
form('form', 'fields_count_hex', 'fields', fields({ count: [['count', '0x10']] }));
form('form', 'fields_count_abc', 'fields', fields({ count: [['count', 'abc']] }));
form('form', 'fields_count_float', 'fields', fields({ count: [['count', '-1.50']] }));
form('form', 'fields_count_zero', 'fields', fields({ count: [['count', '0']] }));
form('form', 'fields_count_infinity', 'fields', fields({ count: [['count', 'Infinity']] }));
// JS Number() semantics (Rust's f64::from_str differs: accepts "inf", "nan", rejects "0x10", "  ")
form('form', 'fields_count_inf_lower', 'fields', fields({ count: [['count', 'inf']] }));
form('form', 'fields_count_neg_infinity', 'fields', fields({ count: [['count', '-Infinity']] }));
form('form', 'fields_count_NaN', 'fields', fields({ count: [['count', 'NaN']] }));
form('form', 'fields_count_plus', 'fields', fields({ count: [['count', '+5']] }));
form('form', 'fields_count_dot5', 'fields', fields({ count: [['count', '.5']] }));
form('form', 'fields_count_5dot', 'fields', fields({ count: [['count', '5.']] }));
form('form', 'fields_count_binary', 'fields', fields({ count: [['count', '0b11']] }));
form('form', 'fields_count_octal', 'fields', fields({ count: [['count', '0o17']] }));
form('form', 'fields_count_underscore', 'fields', fields({ count: [['count', '1_000']] }));
form('form', 'fields_count_whitespace_only', 'fields', fields({ count: [['count', '  ']] }));
form('form', 'fields_count_1e400', 'fields', fields({ count: [['count', '1e400']] }));
form('form', 'fields_count_neg_zero', 'fields', fields({ count: [['count', '-0']] }));
form('form', 'fields_count_tab_newline', 'fields', fields({ count: [['count', '\t7\n']] }));
form('form', 'fields_count_nbsp', 'fields', fields({ count: [['count', '\u00a07\u00a0']] }));
form('form', 'fields_count_dup', 'fields', fields({ count: [['count', '1'], ['count', '2']] }));
form('form', 'fields_nickname_absent', 'fields', fields({ nickname: [] }));
form('form', 'fields_nickname_empty', 'fields', fields({ nickname: [['nickname', '']] }));
form('form', 'fields_level_mid', 'fields', fields({ level: [['level', 'mid']] }));
form('form', 'fields_level_high', 'fields', fields({ level: [['level', 'high']] }));
form('form', 'fields_level_absent', 'fields', fields({ level: [] }));
form('form', 'fields_level_empty', 'fields', fields({ level: [['level', '']] }));
form('form', 'fields_extra_field', 'fields', fields({ extra: [['unknown', 'x']] }));
form('form', 'fields_minimal', 'fields', [['level', 'low']]);
form('form', 'fields_all_missing', 'fields', []);
form('form', 'fields_many_bad', 'fields', [['count', 'abc'], ['level', 'mid']]);
mform('form', 'fields_multipart_bad', 'fields', [['tags', 'a'], ['agree', ''], ['count', ' 12 '], ['nickname', ''], ['level', 'mid']]);
// upload
const BIN = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10, 0x80]);
mform('form', 'upload_ok', 'upload', [{ name: 'file', filename: 'pic.png', type: 'image/png', data: BIN }]);
mform('form', 'upload_octet_stream', 'upload', [{ name: 'file', filename: 'data.bin', type: 'application/octet-stream', data: BIN }]);
mform('form', 'upload_text_file_unicode_name', 'upload', [{ name: 'file', filename: 'résumé.txt', type: 'text/plain', data: 'hi\n' }]);
mform('form', 'upload_empty_file_part', 'upload', [{ name: 'file', filename: '', type: 'application/octet-stream', data: '' }]);
mform('form', 'upload_text_value_multipart', 'upload', [['file', 'x']]);
form('form', 'upload_text_value_urlencoded', 'upload', [['file', 'x']]);
mform('form', 'upload_missing_file', 'upload', [['other', '1']]);
form('form', 'upload_empty_urlencoded', 'upload', []);
// rawForm
form('form', 'rawForm_repeated', 'rawForm', [['a', '1'], ['b', '2'], ['a', '3'], ['c', ''], ['b', '4']]);
add({ group: 'form', name: 'rawForm_urlencoded_decoding', path: '/_actions/rawForm', headers: [FORM_CT, SAME], body: 'a+b=c+d&e%20f=%F0%9F%98%80&g&=h&i=j=k&&%zz=1' });
mform('form', 'rawForm_multipart_files', 'rawForm', [
  ['a', '1'],
  { name: 'f', filename: 'one.txt', type: 'text/plain', data: 'one' },
  { name: 'f', filename: 'two.bin', type: 'application/octet-stream', data: BIN },
  ['a', '2'],
  { name: 'g', filename: '', type: 'application/octet-stream', data: '' },
]);
form('form', 'rawForm_empty_urlencoded', 'rawForm', []);
mform('form', 'rawForm_empty_multipart', 'rawForm', []);
mform('form', 'rawForm_key_order', 'rawForm', [['z', '1'], ['10', '2'], ['2', '3'], ['a', '4']]);
mform('form', 'rawForm_script_value', 'rawForm', [['s', '</script><!--\u2028']]);

// ---- origin check on form posts ------------------------------------------------------------
add({ group: 'origin', name: 'form_no_origin', path: '/_actions/subscribe', headers: [FORM_CT], body: 'email=a%40b.co' });
add({ group: 'origin', name: 'form_foreign_origin', path: '/_actions/subscribe', headers: [FORM_CT, EVIL], body: 'email=a%40b.co' });
add({ group: 'origin', name: 'form_null_origin', path: '/_actions/subscribe', headers: [FORM_CT, ['origin', 'null']], body: 'email=a%40b.co' });
add({ group: 'origin', name: 'form_origin_trailing_slash', path: '/_actions/subscribe', headers: [FORM_CT, ['origin', '{origin}/']], body: 'email=a%40b.co' });
add({ group: 'origin', name: 'multipart_no_origin', path: '/_actions/subscribe', headers: [MULTIPART_CT], body: multipart([['email', 'a@b.co']]) });
add({ group: 'origin', name: 'multipart_foreign_origin', path: '/_actions/upload', headers: [MULTIPART_CT, EVIL], body: multipart([{ name: 'file', filename: 'a.txt', type: 'text/plain', data: 'a' }]) });
add({ group: 'origin', name: 'form_foreign_origin_unknown_action', path: '/_actions/nope', headers: [FORM_CT, EVIL], body: 'a=1' });
add({ group: 'origin', name: 'form_foreign_origin_json_action', path: '/_actions/greet', headers: [FORM_CT, EVIL], body: 'name=Ada' });
add({ group: 'origin', name: 'json_foreign_origin_form_action', path: '/_actions/subscribe', headers: [JSON_CT, EVIL], body: '{"email":"a@b.co"}' });
// `{ORIGIN}`: the same origin in upper case (Astro compares origins case-sensitively).
add({ group: 'origin', name: 'form_origin_upper_case', path: '/_actions/subscribe', headers: [FORM_CT, ['origin', '{ORIGIN}']], body: 'email=a%40b.co' });
add({ group: 'origin', name: 'form_referer_only', path: '/_actions/subscribe', headers: [FORM_CT, ['referer', '{origin}/']], body: 'email=a%40b.co' });

// ---- the page at / -----------------------------------------------------------------------
const page = (n, m, p, headers, body, extra = {}) => add({ group: 'page', name: n, method: m, path: p, headers, body, ...extra });
page('page_get', 'GET', '/', [], null);
page('page_get_with_action', 'GET', '/?_action=subscribe', [], null);
page('page_subscribe_ok', 'POST', '/?_action=subscribe', [FORM_CT, SAME], 'email=a%40b.co');
page('page_subscribe_ok_multipart', 'POST', '/?_action=subscribe', [MULTIPART_CT, SAME], multipart([['email', 'a@b.co']]));
page('page_subscribe_bad_email', 'POST', '/?_action=subscribe', [FORM_CT, SAME], 'email=nope');
page('page_subscribe_missing', 'POST', '/?_action=subscribe', [FORM_CT, SAME], '');
page('page_comment_ok', 'POST', '/?_action=comment', [FORM_CT, SAME], urlencoded([['postId', 'p1'], ['author', 'Ada'], ['body', 'Hello, <World> & "you"!']]));
page('page_comment_short', 'POST', '/?_action=comment', [FORM_CT, SAME], urlencoded([['postId', 'p1'], ['author', 'Ada'], ['body', 'short']]));
page('page_comment_unicode_ok', 'POST', '/?_action=comment', [FORM_CT, SAME], urlencoded([['postId', 'p1'], ['author', 'Zoë'], ['body', '😀😀😀😀😀']]));
page('page_nope', 'POST', '/?_action=nope', [FORM_CT, SAME], 'a=1');
page('page_greet_form_body', 'POST', '/?_action=greet', [FORM_CT, SAME], 'name=Ada');
page('page_empty_action', 'POST', '/?_action=', [FORM_CT, SAME], 'email=a%40b.co');
page('page_no_action', 'POST', '/', [FORM_CT, SAME], 'email=a%40b.co');
page('page_two_actions', 'POST', '/?_action=subscribe&_action=comment', [FORM_CT, SAME], 'email=a%40b.co');
page('page_subscribe_json_body', 'POST', '/?_action=subscribe', [JSON_CT, SAME], '{"email":"a@b.co"}');
page('page_greet_json', 'POST', '/?_action=greet', [JSON_CT, SAME], '{"name":"Ada"}');
page('page_boom_json', 'POST', '/?_action=boom', [JSON_CT, SAME], '');
page('page_teapot_json', 'POST', '/?_action=teapot', [JSON_CT, SAME], '');
page('page_blog_like_json', 'POST', '/?_action=blog.like', [JSON_CT, SAME], '{"postId":"p1"}');
page('page_blog_namespace', 'POST', '/?_action=blog', [JSON_CT, SAME], '{"postId":"p1"}', { compare: 'astro_quirk', quirk: 'Q6' });
page('page_subscribe_text_plain', 'POST', '/?_action=subscribe', [['content-type', 'text/plain'], SAME], 'email=a@b.co');
page('page_invalid_json', 'POST', '/?_action=greet', [JSON_CT, SAME], '{bad', { compare: 'astro_quirk', quirk: 'Q5' });
page('page_foreign_origin_form', 'POST', '/?_action=subscribe', [FORM_CT, EVIL], 'email=a%40b.co');
page('page_no_origin_form', 'POST', '/?_action=subscribe', [FORM_CT], 'email=a%40b.co');
page('page_foreign_origin_json', 'POST', '/?_action=subscribe', [JSON_CT, EVIL], '{"email":"a@b.co"}');
page('page_encoded_action_name', 'POST', '/?_action=sub%73cribe', [FORM_CT, SAME], 'email=a%40b.co');

// ---- misc ---------------------------------------------------------------------------------
add({ group: 'misc', name: 'ping', method: 'GET', path: '/ping', headers: [], body: null });
add({ group: 'misc', name: 'not_found_page', method: 'GET', path: '/nope', headers: [], body: null });

// ---------------------------------------------------------------------------------------
// Sending

function send(c) {
  const body = c.body == null ? null : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8');
  const headers = c.headers.map(([k, v]) => [k, v.replaceAll('{origin}', ORIGIN).replaceAll('{ORIGIN}', ORIGIN.toUpperCase())]);
  const recorded = c.headers.map(([k, v]) => [k, v]);
  const hasCL = headers.some(([k]) => ['content-length', 'transfer-encoding'].includes(k.toLowerCase()));
  if (!hasCL && (body !== null || ['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.method))) {
    const n = body ? body.length : 0;
    headers.push(['content-length', String(n)]);
    recorded.push(['content-length', String(n)]);
  }
  const url = new URL(ASTRO_URL + c.path);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: c.path, // sent verbatim: no normalisation of %2E, //, etc.
        // A raw header array disables Node's default Host header; send the usual one
        // (not recorded: the replayer's client adds its own).
        headers: [['host', url.host], ...headers].flat(),
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ res, buf: Buffer.concat(chunks), recorded, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const decodeEntities = (s) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

function pageLines(html) {
  const out = [];
  for (const id of ['subscribe-result', 'comment-result']) {
    const m = html.match(new RegExp(`<p id="${id}">([\\s\\S]*?)</p>`));
    if (m) out.push(decodeEntities(m[1]));
  }
  return out;
}

function classify(c, status, ctype, text) {
  if (c.compare) return c.compare;
  if (ctype && ctype.startsWith('text/html')) return 'status';
  if (ctype === 'application/json') {
    try {
      if (JSON.parse(text).type === 'AstroActionInputError') return 'input_error';
    } catch {}
  }
  return 'exact';
}

const out = { astro: ASTRO_VERSION, captured: new Date().toISOString().slice(0, 10), cases: [] };
const counts = {};
for (const c of cases) {
  if (process.env.ONLY && !c.name.includes(process.env.ONLY)) continue;
  const { res, buf, recorded, body } = await send(c);
  const text = buf.toString('utf8');
  const isUtf8 = Buffer.from(text, 'utf8').equals(buf);
  const ctype = res.headers['content-type'] ?? null;
  const location = res.headers['location'] ?? null;
  const reqIsText = body === null || Buffer.from(body.toString('utf8'), 'utf8').equals(body);
  const binaryReq = body !== null && (!reqIsText || (c.headers.some(([k, v]) => k === 'content-type' && v.startsWith('multipart/'))));
  const compare = classify(c, res.statusCode, ctype, text);
  const entry = {
    name: c.name,
    group: c.group,
    request: {
      method: c.method,
      path: c.path,
      headers: recorded,
      body: body === null ? null : binaryReq ? null : body.toString('utf8'),
      body_base64: binaryReq ? body.toString('base64') : null,
    },
    response: {
      status: res.statusCode,
      content_type: ctype,
      body: isUtf8 ? text.replaceAll(ORIGIN, '{origin}') : null,
      location: location === null ? null : location.replaceAll(ORIGIN, '{origin}'),
    },
    compare,
  };
  if (!isUtf8) entry.response.body_base64 = buf.toString('base64');
  if (c.quirk) entry.quirk = c.quirk;
  if (c.group === 'page' && ctype && ctype.startsWith('text/html')) entry.page_lines = pageLines(text);
  out.cases.push(entry);
  counts[c.group] = (counts[c.group] || 0) + 1;
  if (process.env.ONLY || process.env.VERBOSE) {
    console.log(`${c.name}: ${res.statusCode} ${ctype} ${entry.page_lines ? JSON.stringify(entry.page_lines) : text.slice(0, 400)}`);
  }
}

if (process.env.ONLY) process.exit(0);
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${out.cases.length} cases to ${OUT}`);
for (const [g, n] of Object.entries(counts)) console.log(`  ${g}: ${n}`);
