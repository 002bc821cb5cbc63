//! devalue, the format Astro answers actions in: [`to_string`] writes exactly what
//! `devalue.stringify(value, { URL: (v) => v instanceof URL && v.href })` (devalue 5.9.4) writes
//! for the JavaScript value a Rust value stands for, and [`parse`] reads it back like the client's
//! `devalue.parse(body, { URL: (href) => new URL(href) })`.
//!
//! Rust values map to JavaScript as `serde_json` would map them, plus: `()`, `None` and
//! [`js::Undefined`](crate::js::Undefined) are `undefined`; `f64` NaN, ±Infinity and -0 are
//! themselves; byte buffers (`serialize_bytes`) are `Uint8Array`s; the [`js`](crate::js) types are
//! `Date`, `Map`, `Set`, `URL` and `bigint`. Integers beyond ±2^53 are an error (JavaScript
//! numbers cannot hold them; use [`js::BigInt`](crate::js::BigInt)).
//!
//! # Example
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use tower_actions::{devalue, js};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Out {
//!     name: String,
//!     tags: Vec<String>,
//!     created: js::Date,
//!     note: Option<String>,
//! }
//!
//! let out = Out {
//!     name: "a".into(),
//!     tags: vec!["a".into(), "b".into()],
//!     created: js::Date::from_unix_millis(0),
//!     note: None,
//! };
//! let text = devalue::to_string(&out).unwrap();
//! assert_eq!(
//!     text,
//!     r#"[{"name":1,"tags":2,"created":4,"note":-1},"a",[1,3],"b",["Date","1970-01-01T00:00:00.000Z"]]"#,
//! );
//! let back: Out = devalue::from_str(&text).unwrap();
//! assert_eq!(back, out);
//!
//! assert_eq!(devalue::to_string(&f64::NAN).unwrap(), "-3");
//! assert!(matches!(devalue::parse("-6").unwrap(), devalue::Value::Number(n) if n == 0.0 && n.is_sign_negative()));
//! ```

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

mod base64;
mod de;
mod direct;
mod parse;
mod ser;
mod text;
mod value;

pub use value::Value;

/// An error writing or reading devalue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    /// Internal: the fast serializer met object keys out of JavaScript's order.
    restart: bool,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            restart: false,
        }
    }

    pub(crate) fn restart() -> Error {
        Error {
            message: "object keys need reordering".into(),
            restart: true,
        }
    }

    /// The message, e.g. `Invalid input`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "devalue: {}", self.message)
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(msg.to_string())
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(msg.to_string())
    }
}

/// Serializes `value` to devalue, byte for byte what devalue 5.9.4's `stringify` (with Astro's
/// `URL` reducer) writes for the JavaScript value it stands for.
///
/// Objects whose keys are not in JavaScript's `Object.keys` order (array-index keys such as
/// `"2"` first, ascending) are reordered, which takes a slower second pass.
#[inline]
pub fn to_vec<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    ser::to_vec(value, true)
}

/// Serializes `value` to a devalue string; see [`to_vec`].
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    let bytes = to_vec(value)?;
    String::from_utf8(bytes).map_err(|_| Error::new("serializer wrote invalid UTF-8"))
}

/// Parses devalue text like devalue's `parse` with Astro's `URL` reviver, rejecting what it
/// rejects. Cycles are an error; shared references are copied.
pub fn parse(s: &str) -> Result<Value, Error> {
    parse::parse(s.as_bytes())
}

/// Parses devalue text into `T`: the same as [`from_value`] of [`parse`]'s answer, errors
/// included, without building the [`Value`] when the text holds only primitives, arrays and
/// plain objects.
pub fn from_str<T: DeserializeOwned>(s: &str) -> Result<T, Error> {
    match direct::from_str(s) {
        Some(value) => Ok(value),
        None => from_tree(s),
    }
}

/// `from_str` through the [`Value`] tree: the answer wherever the fast route declines.
#[cold]
#[inline(never)]
fn from_tree<T: DeserializeOwned>(s: &str) -> Result<T, Error> {
    from_value(parse(s)?)
}

/// Deserializes `T` from a parsed [`Value`].
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(value)
}
