//! zod 4's checks, verdicts, issue objects and English messages, for Rust input types.
//!
//! Each function here is a garde custom rule: put it on a field with
//! `#[garde(custom(tower_actions::check::...))]`, one rule per zod check, in zod's order. A
//! failing rule carries zod 4's issue object through garde (inside the garde error), and the
//! bridge from garde to [`Validate`](crate::Validate) turns it back into that [`Issue`], at the
//! field's path. Plain garde rules (`#[garde(email)]`, ...) keep working, reported with
//! garde's own messages.
//!
//! | zod 4 | Rust |
//! | --- | --- |
//! | `z.string().min(n)` / `.max(n)` / `.length(n)` | `custom(check::min(n))` / `custom(check::max(n))` / `custom(check::length(n))` |
//! | `.email()`, `.url()`, `.uuid()` | `custom(check::email())`, `custom(check::url())`, `custom(check::uuid())` |
//! | `.regex(/re/)` | `custom(check::regex("re"))` |
//! | `.startsWith(s)`, `.endsWith(s)`, `.includes(s)` | `custom(check::starts_with(s))`, `custom(check::ends_with(s))`, `custom(check::includes(s))` |
//! | `.trim().min(n)` | `#[serde(deserialize_with = "check::trimmed")]` and `custom(check::min(n))` (the handler gets the trimmed text), or `custom(check::trim(check::min(n)))` (checks only) |
//! | `z.number().min(n)` / `.max(n)` / `.gt(n)` / `.lt(n)` | `custom(check::min(n))` / `custom(check::max(n))` / `custom(check::gt(n))` / `custom(check::lt(n))` |
//! | `.positive()`, `.nonnegative()`, `.negative()`, `.nonpositive()` | `custom(check::positive())`, ... |
//! | `.int()`, `.multipleOf(n)` | `custom(check::int())`, `custom(check::multiple_of(n))` |
//! | `z.array(..).min(n)` / `.max(n)` / `.length(n)` / `.nonempty()` | `custom(check::min(n))` / `custom(check::max(n))` / `custom(check::length(n))` / `custom(check::nonempty())` |
//!
//! String lengths count code points, as zod 4 does (`[...text].length`). On an `Option`
//! field, a rule checks the value when there is one (zod's `.optional()`). A rule's own
//! message: [`message`]`("…", rule)`; messages for a whole site (per issue code, per field):
//! [`Messages`]. The rules need the `garde` feature (on by default); [`Messages`],
//! [`trimmed`] and the [`Checked`] trait do not.
//!
//! # Example
//!
//! ```
//! use tower_actions::{check, input::Validate};
//!
//! #[derive(serde::Deserialize, garde::Validate)]
//! struct Signup {
//!     #[garde(custom(check::email()))]
//!     email: String,
//!     #[garde(custom(check::min(8)))]
//!     password: String,
//! }
//!
//! let issues = Signup { email: "ada@example.com".into(), password: "short".into() }
//!     .validate()
//!     .unwrap_err();
//! assert_eq!(
//!     serde_json::to_string(&issues).unwrap(),
//!     r#"[{"origin":"string","code":"too_small","minimum":8,"inclusive":true,"path":["password"],"message":"Too small: expected string to have >=8 characters"}]"#,
//! );
//! ```

// Without garde, the rules that build some of these issues are not compiled.
#![cfg_attr(not(feature = "garde"), allow(dead_code))]

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::error::Issue;

/// A number as zod writes it in an issue: an integral double as an integer.
pub(crate) fn num_value(n: f64) -> Value {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// A number as JavaScript's `String(n)` writes it.
pub(crate) fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    ryu_js::Buffer::new().format(n).to_owned()
}

/// zod 4's issue objects with their default English messages.
pub(crate) mod issue {
    use super::*;

    /// `invalid_type` for a value of the wrong JavaScript type (`received`: `string`,
    /// `number`, `undefined`, `null`, `array`, `object`, `boolean`, ...).
    pub(crate) fn invalid_type(expected: &str, received: &str) -> Issue {
        Issue::invalid_type(
            Vec::new(),
            format!("Invalid input: expected {expected}, received {received}"),
        )
        .with_before("expected", expected.to_owned())
        .default_message()
    }

    /// `z.number()` given `NaN` or an infinity (its `received` key).
    pub(crate) fn not_a_finite_number(n: f64) -> Issue {
        let received = js_number(n);
        Issue::invalid_type(
            Vec::new(),
            format!("Invalid input: expected number, received {received}"),
        )
        .with_before("expected", "number")
        .with("received", received)
        .default_message()
    }

    /// `z.instanceof(File)` given something else.
    pub(crate) fn not_a_file(received: &str) -> Issue {
        Issue::invalid_type(
            Vec::new(),
            format!("Invalid input: expected File, received {received}"),
        )
        .with("expected", "File")
        .default_message()
    }

    /// `z.enum([...])` / `z.literal(...)` given a value not in the list.
    pub(crate) fn invalid_value(values: &[&str]) -> Issue {
        let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        let message = if quoted.len() == 1 {
            format!("Invalid input: expected {}", quoted[0])
        } else {
            format!("Invalid option: expected one of {}", quoted.join("|"))
        };
        Issue::new("invalid_value", Vec::new(), message)
            .with("values", values.to_vec())
            .default_message()
    }

    /// `z.number().int()` given a fraction.
    pub(crate) fn not_an_int() -> Issue {
        Issue::invalid_type(
            Vec::new(),
            "Invalid input: expected int, received number".to_owned(),
        )
        .with_before("expected", "int")
        .with_before("format", "safeint")
        .default_message()
    }

    fn unit(origin: &str) -> Option<&'static str> {
        match origin {
            "string" => Some("characters"),
            "file" => Some("bytes"),
            "array" | "set" => Some("items"),
            "map" => Some("entries"),
            _ => None,
        }
    }

    fn bound_message(big: bool, origin: &str, bound: f64, inclusive: bool, exact: bool) -> String {
        let adj = match (exact, inclusive, big) {
            (true, _, _) => "exactly ",
            (false, true, true) => "<=",
            (false, true, false) => ">=",
            (false, false, true) => "<",
            (false, false, false) => ">",
        };
        let head = if big { "Too big" } else { "Too small" };
        let bound = js_number(bound);
        match unit(origin) {
            Some(unit) => format!("{head}: expected {origin} to have {adj}{bound} {unit}"),
            None => format!("{head}: expected {origin} to be {adj}{bound}"),
        }
    }

    /// `too_small` (`big` false) or `too_big`, as zod's min/max/gt/lt/length checks write it.
    pub(crate) fn bound(
        big: bool,
        origin: &str,
        bound: f64,
        inclusive: bool,
        exact: bool,
    ) -> Issue {
        let (code, key) = if big {
            ("too_big", "maximum")
        } else {
            ("too_small", "minimum")
        };
        let mut issue = Issue::new(
            code,
            Vec::new(),
            bound_message(big, origin, bound, inclusive, exact),
        )
        .with_before("origin", origin.to_owned())
        .with(key, num_value(bound))
        .with("inclusive", inclusive);
        if exact {
            issue = issue.with("exact", true);
        }
        issue.default_message()
    }

    /// `.int()` given an integer outside JavaScript's safe range.
    pub(crate) fn unsafe_int(big: bool) -> Issue {
        let (code, key, bound) = if big {
            ("too_big", "maximum", 9_007_199_254_740_991.0)
        } else {
            ("too_small", "minimum", -9_007_199_254_740_991.0)
        };
        Issue::new(
            code,
            Vec::new(),
            bound_message(big, "int", bound, true, false),
        )
        .with(key, num_value(bound))
        .with("note", "Integers must be within the safe integer range.")
        .with("origin", "int")
        .with("inclusive", true)
        .default_message()
    }

    /// A failed string format (`email`, `uuid`, `regex`, `starts_with`, ...), with the keys
    /// that follow `format` (`pattern`, `prefix`, ...).
    pub(crate) fn format(format: &str, extra: &[(&'static str, String)]) -> Issue {
        let value = |key: &str| {
            extra
                .iter()
                .find(|(k, _)| *k == key)
                .map_or("", |(_, v)| v.as_str())
        };
        let message = match format {
            "starts_with" => format!("Invalid string: must start with \"{}\"", value("prefix")),
            "ends_with" => format!("Invalid string: must end with \"{}\"", value("suffix")),
            "includes" => format!("Invalid string: must include \"{}\"", value("includes")),
            "regex" => format!("Invalid string: must match pattern {}", value("pattern")),
            "email" => "Invalid email address".to_owned(),
            "url" => "Invalid URL".to_owned(),
            "uuid" => "Invalid UUID".to_owned(),
            other => format!("Invalid {other}"),
        };
        let mut issue = Issue::new("invalid_format", Vec::new(), message);
        if format != "url" {
            issue = issue.with_before("origin", "string");
        }
        issue = issue.with("format", format.to_owned());
        for (key, value) in extra {
            issue = issue.with(*key, value.clone());
        }
        issue.default_message()
    }

    /// zod 4's UUID pattern (`z.uuid()`): RFC 9562 versions 1 to 8, nil and max.
    pub(crate) const UUID: &str = r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$";

    /// `z.uuid()` given text that is not a UUID.
    pub(crate) fn not_a_uuid() -> Issue {
        format("uuid", &[("pattern", std::format!("/{UUID}/"))])
    }

    /// `.multipleOf(divisor)` failed.
    pub(crate) fn not_multiple_of(divisor: f64) -> Issue {
        Issue::new(
            "not_multiple_of",
            Vec::new(),
            format!(
                "Invalid number: must be a multiple of {}",
                js_number(divisor)
            ),
        )
        .with_before("origin", "number")
        .with("divisor", num_value(divisor))
        .default_message()
    }
}

/// What a check looks at in a field's value.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// Text (`z.string()`).
    Text(&'a str),
    /// A number (`z.number()`).
    Number(f64),
    /// The number of items of a list (`z.array()`).
    Items(usize),
}

/// A field type the checks of this module apply to: text, numbers, lists, and `Option`s
/// of them (an absent value passes every check, as zod's `.optional()`).
pub trait Checked {
    /// What the checks look at; `None` when there is no value to check.
    fn subject(&self) -> Option<Subject<'_>>;
}

impl Checked for str {
    fn subject(&self) -> Option<Subject<'_>> {
        Some(Subject::Text(self))
    }
}

impl Checked for String {
    fn subject(&self) -> Option<Subject<'_>> {
        Some(Subject::Text(self))
    }
}

impl Checked for Cow<'_, str> {
    fn subject(&self) -> Option<Subject<'_>> {
        Some(Subject::Text(self))
    }
}

impl<T: Checked + ?Sized> Checked for &T {
    fn subject(&self) -> Option<Subject<'_>> {
        (**self).subject()
    }
}

impl<T: Checked + ?Sized> Checked for Box<T> {
    fn subject(&self) -> Option<Subject<'_>> {
        (**self).subject()
    }
}

impl<T: Checked> Checked for Option<T> {
    fn subject(&self) -> Option<Subject<'_>> {
        self.as_ref().and_then(Checked::subject)
    }
}

impl<T> Checked for Vec<T> {
    fn subject(&self) -> Option<Subject<'_>> {
        Some(Subject::Items(self.len()))
    }
}

impl<T> Checked for [T] {
    fn subject(&self) -> Option<Subject<'_>> {
        Some(Subject::Items(self.len()))
    }
}

macro_rules! numbers {
    ($($ty:ty),*) => {$(
        impl Checked for $ty {
            fn subject(&self) -> Option<Subject<'_>> {
                Some(Subject::Number(*self as f64))
            }
        }
    )*};
}

numbers!(f32, f64, i8, i16, i32, i64, u8, u16, u32, u64, isize, usize);

#[cfg(feature = "garde")]
mod rules;
#[cfg(feature = "garde")]
pub(crate) use rules::decode;
#[cfg(feature = "garde")]
pub use rules::*;

/// zod's `.trim()` as a transform: `#[serde(deserialize_with = "tower_actions::check::trimmed")]`
/// on a `String` field gives the handler the text without JavaScript's leading and trailing
/// whitespace, and the checks see it that way too (`z.string().trim().min(3)`:
/// `#[serde(deserialize_with = "check::trimmed")] #[garde(custom(check::min(3)))]`).
pub fn trimmed<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    let trimmed = text.trim_matches(is_js_space);
    Ok(if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_owned()
    })
}

/// Whitespace as JavaScript's `String.prototype.trim` sees it.
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

type MessageFn = Arc<dyn Fn(&Issue) -> String + Send + Sync>;

/// The messages of input errors, when zod 4's English will not do (zod's `customError`,
/// for a translated site, and a field's own `error`).
///
/// A rule replaces the default message of an issue: a field rule (`field`) applies to every
/// issue under that top-level field, a code rule (`code`) to every issue with that code; a
/// field rule wins over a code rule. Messages a check chose itself ([`message`]) and those of
/// issues built by hand are kept. Set it with
/// [`ActionsLayer::messages`](crate::ActionsLayer::messages).
///
/// ```
/// use tower_actions::check::Messages;
///
/// let messages = Messages::new()
///     .code("too_small", |issue| format!("Au moins {} caractères", issue.param("minimum").unwrap()))
///     .field("email", |_| "Adresse invalide".to_owned());
/// # let _ = messages;
/// ```
#[derive(Clone, Default)]
pub struct Messages {
    by_code: Vec<(String, MessageFn)>,
    by_field: Vec<(String, MessageFn)>,
}

impl Messages {
    /// No rule: zod 4's English everywhere.
    pub fn new() -> Self {
        Messages::default()
    }

    /// The message of every issue with this code (`too_small`, `invalid_type`, ...).
    pub fn code(
        mut self,
        code: impl Into<String>,
        message: impl Fn(&Issue) -> String + Send + Sync + 'static,
    ) -> Self {
        self.by_code.push((code.into(), Arc::new(message)));
        self
    }

    /// The message of every issue under this top-level field.
    pub fn field(
        mut self,
        field: impl Into<String>,
        message: impl Fn(&Issue) -> String + Send + Sync + 'static,
    ) -> Self {
        self.by_field.push((field.into(), Arc::new(message)));
        self
    }

    /// Rewrites the default messages of these issues by the rules.
    pub fn apply(&self, issues: &mut [Issue]) {
        for issue in issues
            .iter_mut()
            .filter(|issue| issue.has_default_message())
        {
            let field = issue.path.first().map(ToString::to_string);
            let rule = self
                .by_field
                .iter()
                .find(|(name, _)| Some(name) == field.as_ref())
                .or_else(|| self.by_code.iter().find(|(code, _)| *code == issue.code));
            if let Some((_, message)) = rule {
                issue.message = message(issue);
            }
        }
    }

    /// Whether there is no rule.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty() && self.by_field.is_empty()
    }
}

impl fmt::Debug for Messages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Messages")
            .field(
                "codes",
                &self.by_code.iter().map(|(c, _)| c).collect::<Vec<_>>(),
            )
            .field(
                "fields",
                &self.by_field.iter().map(|(c, _)| c).collect::<Vec<_>>(),
            )
            .finish()
    }
}
