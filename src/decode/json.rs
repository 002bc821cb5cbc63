//! JSON input: parsing with paths on errors, and [`RawJson`] for actions with no schema.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::error::{ActionError, ActionErrorCode, Issue};
use crate::validate::Validate;

/// The input of a JSON action with no schema: the JSON value as it came, or `None` when the
/// request had no body (JavaScript `undefined`).
///
/// As an output it serializes as JavaScript would hold it: numbers as JS numbers, `None` as
/// `undefined` (so an action that echoes an absent input answers 204).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawJson(pub Option<Value>);

impl RawJson {
    /// The value, when there was a body.
    pub fn value(&self) -> Option<&Value> {
        self.0.as_ref()
    }

    /// The value, when there was a body.
    pub fn into_inner(self) -> Option<Value> {
        self.0
    }
}

impl crate::validate::Validate for RawJson {
    fn validate(&self) -> Result<(), Vec<Issue>> {
        Ok(())
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawJson;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawJson, E> {
                Ok(RawJson(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<RawJson, E> {
                Ok(RawJson(None))
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<RawJson, D::Error> {
                Value::deserialize(d).map(|value| RawJson(Some(value)))
            }
        }
        deserializer.deserialize_newtype_struct(crate::marker::RAW_JSON, RawVisitor)
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            None => serializer.serialize_none(),
            Some(value) => JsValue(value).serialize(serializer),
        }
    }
}

/// A JSON value as JavaScript holds it once parsed: every number a double.
struct JsValue<'a>(&'a Value);

impl Serialize for JsValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit_struct("null"),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => serializer.serialize_f64(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&JsValue(item))?;
                }
                seq.end()
            }
            Value::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, &JsValue(value))?;
                }
                map.end()
            }
        }
    }
}

/// Parses a JSON body into a validated `T`. Malformed JSON is a 400 `BAD_REQUEST` (Astro
/// answers 500), and so is JSON nested deeper than `depth_limit` levels of arrays
/// and objects (Astro has no limit); JSON of the wrong shape is an input error listing every
/// problem.
pub(super) fn from_json<T: DeserializeOwned + Validate>(
    bytes: &[u8],
    depth_limit: usize,
) -> Result<T, ActionError> {
    // Like `Request.json()`: a leading byte order mark is skipped.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let depth_limit = depth_limit.min(super::JSON_DEPTH_CEILING);
    // Measured before parsing, without recursion: serde_json skips an ignored field without
    // recursing, so the parse alone would apply the limit to some fields and not others.
    let depth = depth_for_limits(bytes, depth_limit);
    if depth > depth_limit {
        return Err(too_deep(depth_limit));
    }
    match parse(bytes, depth > SERDE_JSON_DEPTH) {
        Ok(result) => result,
        Err(err) if is_recursion_limit(&err) => Err(too_deep(depth_limit)),
        Err(err) => Err(malformed(&err)),
    }
}

/// How many levels of arrays and objects serde_json parses by itself.
const SERDE_JSON_DEPTH: usize = 127;

/// Parses `bytes` into a validated `T` (the outer error: the JSON is malformed; the inner:
/// it does not make a valid `T`). `unbounded` lifts serde_json's own depth limit, for a body
/// already measured.
fn parse<T: DeserializeOwned + Validate>(
    bytes: &[u8],
    unbounded: bool,
) -> Result<Result<T, ActionError>, serde_json::Error> {
    // The fast path parses straight into `T`. serde lets a struct be read from an array, which
    // zod refuses, so a body that is an array takes the checked path.
    let is_array = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if !is_array {
        // `null` for a `js::Date` is refused here as the checked path refuses it.
        if let Ok(input) = crate::js::refusing_null(|| from_slice::<T>(bytes, unbounded)) {
            if input.validate().is_ok() {
                return Ok(Ok(input));
            }
            // Validation failed: the checked path reports the issues in zod's order (the
            // fields' declaration order; garde reports them in alphabetical order).
        }
    }
    match from_slice::<Value>(bytes, unbounded) {
        Ok(value) => Ok(super::collect::from_value(Some(&value))),
        Err(err) => match lenient(bytes, unbounded) {
            Ok(value) => Ok(super::collect::from_value(Some(&value))),
            // Past invalid UTF-8, the lenient parse may be the one that meets the depth.
            Err(lenient_err) if is_recursion_limit(&lenient_err) => Err(lenient_err),
            Err(lenient_err) if is_out_of_range(&lenient_err) => {
                // JavaScript reads a number too large for a double as ±Infinity, which zod
                // refuses as a number: an input error, where the type says what it expects.
                let text = String::from_utf8_lossy(bytes);
                let replaced = replace_infinities(&replace_lone_surrogates(&text));
                match from_slice::<Value>(replaced.as_bytes(), unbounded) {
                    Ok(value) => match super::collect::from_value_checked(Some(&value)) {
                        (result, false) => Ok(result),
                        (_, true) => Err(lenient_err),
                    },
                    Err(_) => Err(lenient_err),
                }
            }
            Err(_) => Err(err),
        },
    }
}

/// `serde_json::from_slice`, with or without serde_json's depth limit.
fn from_slice<T: DeserializeOwned>(bytes: &[u8], unbounded: bool) -> serde_json::Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    if unbounded {
        deserializer.disable_recursion_limit();
    }
    let value = T::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

fn is_out_of_range(err: &serde_json::Error) -> bool {
    err.to_string().starts_with("number out of range")
}

/// Replaces every number of a JSON text that is too large for a double by the string that
/// stands for `Infinity` or `-Infinity` in the decoder (`collect::INFINITY`).
fn replace_infinities(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let byte = bytes[i];
        if in_string {
            match byte {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if byte == b'-' || byte.is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
            {
                i += 1;
            }
            if let Ok(number) = text[start..i].parse::<f64>() {
                if number.is_infinite() {
                    out.push_str(&text[copied..start]);
                    let stand_in = super::collect::INFINITY[usize::from(number < 0.0)];
                    out.push_str(&serde_json::to_string(stand_in).unwrap_or_default());
                    copied = i;
                }
            }
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

fn is_recursion_limit(err: &serde_json::Error) -> bool {
    err.to_string().starts_with("recursion limit exceeded")
}

/// The nesting depth of `bytes` as far as the two limits (`limit`, [`SERDE_JSON_DEPTH`]) can
/// tell: a body cannot nest deeper than it has `[` and `{` (counted in one quick pass, strings
/// and all), so with no more of them than either limit that count is given instead of the
/// exact measure, and compares with both limits as the exact depth does.
fn depth_for_limits(bytes: &[u8], limit: usize) -> usize {
    let openers = bytes.iter().filter(|&&b| b == b'[' || b == b'{').count();
    if openers <= limit.min(SERDE_JSON_DEPTH) {
        openers
    } else {
        nesting_depth(bytes, limit)
    }
}

/// How deep a JSON text nests arrays and objects (`[[1]]`: 2), measured without recursion
/// (brackets inside strings do not count); counting stops past `limit`, at `limit + 1`.
fn nesting_depth(bytes: &[u8], limit: usize) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if deepest > limit {
                        break;
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn too_deep(limit: usize) -> ActionError {
    ActionError::new(
        ActionErrorCode::BadRequest,
        format!("The JSON in the request body is nested deeper than {limit} levels"),
    )
}

/// Parses JSON the way a browser's `Request.json()` does where serde_json is stricter:
/// invalid UTF-8 becomes U+FFFD (`TextDecoder`), and so does an escaped lone surrogate
/// (`JSON.parse` keeps it; encoding it as UTF-8 makes it U+FFFD).
fn lenient(bytes: &[u8], unbounded: bool) -> serde_json::Result<Value> {
    let text = String::from_utf8_lossy(bytes);
    from_slice(replace_lone_surrogates(&text).as_bytes(), unbounded)
}

fn replace_lone_surrogates(text: &str) -> String {
    fn escape_at(bytes: &[u8], at: usize) -> Option<u16> {
        if bytes.get(at..at + 2)? != b"\\u" {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?, 16).ok()
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape_at(bytes, i) else {
            i += 2; // any other escape, `\\` included
            continue;
        };
        let paired = (0xD800..0xDC00).contains(&unit)
            && escape_at(bytes, i + 6).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        if paired {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out.push_str(&text[copied..i]);
            out.push_str("\\ufffd");
            i += 6;
            copied = i;
        } else {
            i += 6;
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn malformed(err: &serde_json::Error) -> ActionError {
    ActionError::new(
        ActionErrorCode::BadRequest,
        format!("Malformed JSON in the request body: {err}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(replace_lone_surrogates(r#"["\ud800"]"#), r#"["\ufffd"]"#);
        assert_eq!(replace_lone_surrogates(r#"["\udc00x"]"#), r#"["\ufffdx"]"#);
        assert_eq!(
            replace_lone_surrogates(r#"["\ud83d\ude00"]"#),
            r#"["\ud83d\ude00"]"#
        );
        assert_eq!(replace_lone_surrogates(r#"["\\ud800"]"#), r#"["\\ud800"]"#);
        assert_eq!(
            lenient(b"\"a\xFFb\"", false).ok(),
            Some(Value::String("a\u{FFFD}b".into()))
        );
    }

    #[test]
    fn the_quick_count_decides_as_the_exact_depth() {
        const BITS: &[&str] = &[
            "[", "{", "]", "}", "\"", "\\", "a", ",", "[[[[", "]]]]", "\"[{\"",
        ];
        let mut rng = crate::test_rng::Rng(0x5eed_de97);
        let mut next = |n: usize| rng.below(n);
        for step in 0..20_000 {
            let body: String = (0..next(80)).map(|_| BITS[next(BITS.len())]).collect();
            let limit = [0, 1, 2, 3, 5, 8, 40, 127, 128, 512][next(10)];
            let quick = depth_for_limits(body.as_bytes(), limit);
            let exact = nesting_depth(body.as_bytes(), limit);
            assert_eq!(
                (quick > limit, quick > SERDE_JSON_DEPTH),
                (exact > limit, exact > SERDE_JSON_DEPTH),
                "step {step}: {body:?} against {limit}"
            );
        }
    }

    #[test]
    fn depth_is_measured_outside_strings() {
        assert_eq!(nesting_depth(b"1", 10), 0);
        assert_eq!(nesting_depth(b"[[1],{\"a\":[2]}]", 10), 3);
        assert_eq!(nesting_depth(b"[[1],{\"a\":[[2]]}]", 10), 4);
        assert_eq!(nesting_depth(b"[[1],{\"a\":[[2]]}]", 2), 3);
        assert_eq!(
            nesting_depth(br#"["[[[[", "\"[[[[", {"{{{{":"\\"}]"#, 10),
            2
        );
        assert_eq!(nesting_depth(br#"["\\", [[[]]]]"#, 10), 4);
        assert_eq!(nesting_depth(b"]]]][[", 10), 2);
    }

    #[test]
    fn serde_json_stops_at_its_own_depth() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let at = nested(SERDE_JSON_DEPTH);
        assert!(serde_json::from_str::<Value>(&at).is_ok());
        let err = serde_json::from_str::<Value>(&nested(SERDE_JSON_DEPTH + 1)).unwrap_err();
        assert!(is_recursion_limit(&err), "{err}");
        let deep = nested(SERDE_JSON_DEPTH + 1);
        assert!(from_slice::<Value>(deep.as_bytes(), true).is_ok());
    }
}
