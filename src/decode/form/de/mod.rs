//! Decoding a [`FormData`] into an action's input type, with Astro's form coercion.
//!
//! Astro turns a form into an object by walking the action's zod schema (`formDataToObject`). Here the Rust input type plays the schema: a serde `Deserializer` over the
//! form lets each field's type decide how its form values are read.
//!
//! | field type | form value | result |
//! | --- | --- | --- |
//! | `bool` | absent / `false` / `true` / anything else (`on`, `yes`, `""`, a file) | `false` / `false` / `true` / `true` |
//! | integers, floats | first value, through JavaScript's `Number()` | the number; absent or `""` → "received null", `NaN` → "received NaN", a fraction or an out-of-range value for an integer type → an issue |
//! | `String`, `char` | first value | the text; absent or `""` → "received null", a file → "received File" |
//! | `Option<T>` | absent, `""`, or (for a struct) no `k.…` key | `None`, else `Some(T)` |
//! | `Vec<T>`, tuples | every value of the key (absent → empty) | elements with Astro's array rules: numbers `Number(v)` (`""` → 0, a file → NaN), bools `"true"`/`"false"`/`""` → true/false/false and anything else true, text and files raw |
//! | structs | keys `k.field`, to any depth | the struct; a required struct with no key is "expected object, received undefined" |
//! | maps (and `#[serde(flatten)]`) | every key under the prefix | last duplicate wins, like `Object.fromEntries` |
//! | unit enums | first value | the variant named by the text; anything else is an `invalid_value` issue |
//! | [`UploadedFile`](super::UploadedFile) | first value | the file; a text value → "expected File, received string" |
//! | [`FormData`] | the whole form, only as the whole input | the form untouched |
//! | `serde_json::Value` and other self-describing types | first value | the text (a file as `{name, size, type}`, nested `k.…` keys as an object, absent as null) |
//!
//! Form keys that are not declared fields are dropped. Every problem becomes an [`Issue`] at its
//! path (`["address", "city"]`, `["tags", 1]`); as many issues as can be found are reported.
//!
//! # Limitations
//!
//! - `#[serde(default)]` never applies: every declared field is handed to its type, even when
//!   the form lacks it (that is what makes an absent `bool` false and an absent `Vec` empty).
//!   Use `Option<T>` and a default in the handler instead.
//! - `#[serde(alias)]` is not supported: aliases are declared fields too, so both names are
//!   handed over and serde reports a duplicate field.
//! - With `#[serde(flatten)]` or internally tagged / untagged enums, serde buffers values
//!   through `deserialize_any`, so the fields of such structs see text only: numbers and bools
//!   there must be read from strings, and files are not available.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeOwned};

use crate::check::issue as zod;
use crate::form_data::FormData;
use crate::{ActionError, Issue, PathSegment};

use root::RootDe;

mod access;
mod number;
mod path;
mod root;
mod value;

/// Decodes `form` into `T` with Astro's form coercion (see the module docs).
///
/// `T` must be a struct or a map (or [`FormData`] itself). Any problem is an input error
/// (`ActionError::input`) whose issues carry the paths of the offending fields.
#[cfg(test)]
pub(crate) fn from_form<T: DeserializeOwned>(form: &FormData) -> Result<T, ActionError> {
    from_form_with(form, |_: &T| Vec::new())
}

/// Decodes `form` into `T` and validates it. When some fields fail to decode, the others are
/// still validated (with stand-ins in the failed places, whose issues are dropped), and the
/// issues come in zod's order: the fields' declaration order.
pub(crate) fn from_form_validated<T: DeserializeOwned + crate::validate::Validate>(
    form: &FormData,
) -> Result<T, ActionError> {
    from_form_with(form, |value: &T| value.validate().err().unwrap_or_default())
}

fn from_form_with<T: DeserializeOwned>(
    form: &FormData,
    validate: impl FnOnce(&T) -> Vec<Issue>,
) -> Result<T, ActionError> {
    // A text its type refuses ends a pass (the type's visitor is spent): the paths in error are
    // then read as stand-ins the type accepts, pass after pass, so that every field is read.
    let mut wild = HashSet::new();
    let mut issues: Vec<Issue> = Vec::new();
    let result = loop {
        let ctx = Ctx {
            form,
            issues: RefCell::new(Vec::new()),
            orders: None,
            wild: &wild,
        };
        let result = T::deserialize(RootDe { ctx: &ctx });
        let mut found = ctx.issues.into_inner();
        // An issue at a path in error was found by an earlier pass.
        found.retain(|issue| !wild.contains(&issue.path));
        let again =
            matches!(result, Err(Error::Recorded)) && !found.is_empty() && wild.len() < MAX_PASSES;
        if again {
            wild.extend(found.iter().map(|issue| issue.path.clone()));
        }
        issues.append(&mut found);
        if !again {
            break result;
        }
    };
    let no_wild = HashSet::new();
    // The fields' declaration order, for issues in zod's order: found by decoding once more,
    // only when there is something to report (the first pass allocates nothing for it).
    let orders = || {
        let ctx = Ctx {
            form,
            issues: RefCell::new(Vec::new()),
            orders: Some(RefCell::new(std::collections::HashMap::new())),
            wild: &no_wild,
        };
        let _ = T::deserialize(RootDe { ctx: &ctx });
        ctx.orders.map(RefCell::into_inner).unwrap_or_default()
    };
    match result {
        Ok(value) if issues.is_empty() => {
            let more = validate(&value);
            if more.is_empty() {
                return Ok(value);
            }
            issues = more;
            crate::decode::collect::sort_issues(&mut issues, &orders());
        }
        Ok(value) => {
            let failed: Vec<Vec<PathSegment>> = issues.iter().map(|i| i.path.clone()).collect();
            issues.extend(
                validate(&value)
                    .into_iter()
                    .filter(|issue| !failed.iter().any(|f| issue.path.starts_with(f))),
            );
            crate::decode::collect::sort_issues(&mut issues, &orders());
        }
        Err(Error::Recorded) => {}
        Err(Error::Custom(message)) => issues.push(Issue::invalid_type(Vec::new(), message)),
    }
    if issues.is_empty() {
        issues.push(Issue::invalid_type(Vec::new(), "Invalid input"));
    }
    Err(ActionError::input(issues))
}

/// The most passes over one form (each one finds a text its type refuses).
const MAX_PASSES: usize = 64;

/// The form being decoded, the issues found so far, and each struct's declared field order.
struct Ctx<'f> {
    form: &'f FormData,
    issues: RefCell<Vec<Issue>>,
    /// The paths in error on an earlier pass, read as stand-ins.
    wild: &'f HashSet<Vec<PathSegment>>,
    /// Each struct's declared fields, by path, when asked for.
    orders: Option<RefCell<std::collections::HashMap<Vec<PathSegment>, &'static [&'static str]>>>,
}

/// The deserializer's error.
#[derive(Debug)]
enum Error {
    /// A message from serde or a visitor, not yet placed at a path.
    Custom(String),
    /// The problem is already recorded as an issue; unwind.
    Recorded,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Custom(message) => f.write_str(message),
            Error::Recorded => f.write_str("invalid form input"),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::Custom(message.to_string())
    }
}

/// A problem found while coercing a value: zod's issue, without its path.
type Problem = Issue;

fn missing(expected: &str) -> Problem {
    if expected == "File" {
        return zod::not_a_file("null");
    }
    zod::invalid_type(expected, "null")
}

fn nan() -> Problem {
    zod::not_a_finite_number(f64::NAN)
}

/// `Infinity` or `-Infinity`, which zod's `z.number()` rejects.
fn not_finite(float: f64) -> Problem {
    zod::not_a_finite_number(float)
}
