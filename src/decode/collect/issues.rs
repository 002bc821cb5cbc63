//! The issues of a wrongly-shaped input as zod words and orders them.

use std::collections::HashMap;

use crate::error::{Issue, PathSegment};

use super::Path;

/// zod's name for a JavaScript type that JSON and forms carry only as text or numbers
/// (`js::Date`, `js::BigInt`), from the newtype name these types deserialize with.
pub(crate) fn js_only(name: &str) -> Option<&'static str> {
    match name {
        crate::marker::DATE => Some("date"),
        crate::marker::BIGINT => Some("bigint"),
        _ => None,
    }
}

/// The issue for a string whose text the Rust type refused (its visitor, `expecting` what it
/// says, returned `message`): zod's format issue where the type stands for a zod format (a
/// UUID: `z.uuid()`; a URL: `z.url()`), else zod's code for a refinement, `custom`, with the
/// type's words: what it expects when `message` is serde's own wording, else `message`.
pub(crate) fn refused_text(expecting: &str, message: &str) -> Issue {
    match Format::of(expecting) {
        Some(Format::Uuid) => return crate::check::issue::not_a_uuid(),
        Some(Format::Url) => return crate::check::issue::format("url", &[]),
        None => {}
    }
    let serde_words = ["invalid value: ", "invalid type: ", "invalid length "];
    let message = if serde_words.iter().any(|words| message.starts_with(words)) {
        format!("Invalid input: expected {expecting}")
    } else {
        message.to_owned()
    };
    Issue::new("custom", Vec::new(), message).default_message()
}

/// A zod string format that a Rust type stands for, known by what its visitor expects.
enum Format {
    Uuid,
    Url,
}

impl Format {
    fn of(expecting: &str) -> Option<Format> {
        if expecting.contains("UUID string") {
            Some(Format::Uuid)
        } else if expecting == crate::js::URL_EXPECTING {
            Some(Format::Url)
        } else {
            None
        }
    }
}

/// A text the type that expects `expecting` accepts, to stand in for one it refused while
/// the other fields are read (`""` when there is none known).
pub(crate) fn stand_in_text(expecting: &str) -> &'static str {
    match Format::of(expecting) {
        Some(Format::Uuid) => "00000000-0000-0000-0000-000000000000",
        Some(Format::Url) => "about:blank",
        None => "",
    }
}

/// What a visitor says it expects (its `expecting`).
pub(crate) fn expecting_of<'de, V: serde::de::Visitor<'de>>(visitor: &V) -> String {
    (visitor as &dyn serde::de::Expected).to_string()
}

/// What a visitor says it expects, written into a buffer on the stack: the form decoder
/// asks every string field's visitor before reading the field (the visitor is consumed by
/// the read), so this must not allocate. A longer text keeps its first bytes (cut at a
/// character) and says it was cut.
pub(crate) struct Expecting {
    buf: [u8; 96],
    len: usize,
    whole: bool,
}

impl Expecting {
    /// Writes what `visitor` expects.
    pub(crate) fn of<'de, V: serde::de::Visitor<'de>>(visitor: &V) -> Self {
        use std::fmt::Write as _;
        let mut expecting = Expecting {
            buf: [0; 96],
            len: 0,
            whole: true,
        };
        let _ = write!(expecting, "{}", visitor as &dyn serde::de::Expected);
        expecting
    }

    /// The text, or its first bytes when it did not fit.
    pub(crate) fn as_str(&self) -> &str {
        // Only whole characters are ever copied in (see `write_str`).
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    /// Whether [`Expecting::as_str`] is the whole text.
    pub(crate) fn is_whole(&self) -> bool {
        self.whole
    }
}

impl std::fmt::Write for Expecting {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        if !self.whole {
            return Ok(()); // a prefix stays a prefix
        }
        let room = self.buf.len() - self.len;
        let mut take = text.len().min(room);
        while !text.is_char_boundary(take) {
            take -= 1;
        }
        self.buf[self.len..self.len + take].copy_from_slice(&text.as_bytes()[..take]);
        self.len += take;
        if take < text.len() {
            self.whole = false;
        }
        Ok(())
    }
}

/// The key serde names in its "unknown field" error.
pub(super) fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find("`, ")?].to_owned())
}

/// zod's `unrecognized_keys` issue for each object that had keys its struct refuses.
pub(super) fn add_unrecognized(issues: &mut Vec<Issue>, unknown: &[(Path, Vec<String>)]) {
    for (path, keys) in unknown {
        let quoted: Vec<String> = keys.iter().map(|key| format!("\"{key}\"")).collect();
        let plural = if keys.len() > 1 { "s" } else { "" };
        let mut issue = Issue::new(
            "unrecognized_keys",
            Vec::new(),
            format!("Unrecognized key{plural}: {}", quoted.join(", ")),
        )
        .with("keys", keys.clone())
        .default_message();
        issue.path = path.clone();
        issues.push(issue);
    }
}

/// Puts issues in zod's order: an object's fields in declaration order (zod walks the
/// schema's shape), array items by index; issues at one place keep their order.
pub(crate) fn sort_issues(
    issues: &mut Vec<Issue>,
    orders: &HashMap<Path, &'static [&'static str]>,
) {
    // An array longer than its `max`/`length` cap is reported by that issue alone: zod does
    // not look at its items.
    let capped: Vec<Path> = issues
        .iter()
        .filter(|issue| {
            issue.code == "too_big"
                && issue.param("origin").and_then(|o| o.as_str()) == Some("array")
        })
        .map(|issue| issue.path.clone())
        .collect();
    if !capped.is_empty() {
        issues.retain(|issue| {
            !capped
                .iter()
                .any(|cap| issue.path.len() > cap.len() && issue.path.starts_with(cap))
        });
    }
    let key = |issue: &Issue| -> Vec<usize> {
        let mut at: Path = Vec::new();
        let mut key = Vec::with_capacity(issue.path.len());
        for segment in &issue.path {
            key.push(match segment {
                PathSegment::Index(index) => *index,
                PathSegment::Key(name) => orders
                    .get(&at)
                    .and_then(|fields| fields.iter().position(|field| field == name))
                    .unwrap_or(usize::MAX),
            });
            at.push(segment.clone());
        }
        // An issue about a value comes after those about its items (zod checks an array or
        // an object after parsing what is inside).
        key.push(usize::MAX);
        key
    };
    issues.sort_by_cached_key(key);
}

/// Turns a serde error message into an issue with zod-like wording.
pub(crate) fn issue_from_serde(mut path: Vec<PathSegment>, message: &str) -> Issue {
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        path.push(PathSegment::Key(field.to_owned()));
        return Issue::invalid_type(path, "Invalid input: expected a value, received undefined");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((received, expected)) = rest.split_once(", expected ") {
            return Issue::invalid_type(
                path,
                format!(
                    "Invalid input: expected {}, received {}",
                    js_kind(expected),
                    js_kind(received)
                ),
            );
        }
    }
    let code = if message.starts_with("unknown variant") || message.starts_with("invalid value") {
        "invalid_value"
    } else if message.starts_with("unknown field") {
        "unrecognized_keys"
    } else {
        "invalid_type"
    };
    Issue::new(code, path, format!("Invalid input: {message}"))
}

/// serde's words for a kind of value, in JavaScript's.
fn js_kind(serde_words: &str) -> &str {
    let words = serde_words.trim();
    let head = words.split([' ', '`']).next().unwrap_or(words);
    match head {
        "unit" => "undefined",
        "null" => "null",
        "map" | "struct" | "a" if words.contains("map") || words.starts_with("struct") => "object",
        "sequence" | "tuple" | "an" if words.contains("sequence") || words.contains("array") => {
            "array"
        }
        "string" | "char" => "string",
        "integer" | "floating" | "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32"
        | "u64" | "u128" | "f32" | "f64" | "isize" | "usize" => "number",
        "boolean" => "boolean",
        _ if words.contains("string") => "string",
        _ if words.contains("sequence") => "array",
        _ if words.contains("bool") => "boolean",
        _ if words.contains("integer") || words.contains("float") || words.contains("number") => {
            "number"
        }
        _ => words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Expects(String);

    impl<'de> serde::de::Visitor<'de> for Expects {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            // Written in pieces, as derived visitors do.
            for piece in self.0.split_inclusive(' ') {
                f.write_str(piece)?;
            }
            Ok(())
        }
    }

    #[test]
    fn expecting_is_the_visitors_text_or_a_whole_character_prefix_of_it() {
        for text in [
            String::new(),
            "a UUID string".to_owned(),
            "x".repeat(96),
            "x".repeat(97),
            "é ".repeat(40),
            format!("{}é and more", "y".repeat(95)),
            "日本語 ".repeat(30),
        ] {
            let expecting = Expecting::of(&Expects(text.clone()));
            assert_eq!(expecting.is_whole(), text.len() <= 96, "{text:?}");
            if expecting.is_whole() {
                assert_eq!(expecting.as_str(), text);
            } else {
                assert!(text.starts_with(expecting.as_str()), "{text:?}");
                assert!(text.len() - expecting.as_str().len() > 0);
                assert!(expecting.as_str().len() > 96 - 4, "{text:?}");
            }
            assert_eq!(expecting_of(&Expects(text.clone())), text);
        }
    }

    #[test]
    fn serde_words_become_javascript_kinds() {
        assert_eq!(js_kind("struct Greet"), "object");
        assert_eq!(js_kind("a map"), "object");
        assert_eq!(js_kind("map"), "object");
        assert_eq!(js_kind("a sequence"), "array");
        assert_eq!(js_kind("sequence"), "array");
        assert_eq!(js_kind("a string"), "string");
        assert_eq!(js_kind("string \"x\""), "string");
        assert_eq!(js_kind("integer `5`"), "number");
        assert_eq!(js_kind("f64"), "number");
        assert_eq!(js_kind("unit value"), "undefined");
        assert_eq!(js_kind("a boolean"), "boolean");
        assert_eq!(js_kind("boolean `true`"), "boolean");
    }
}
