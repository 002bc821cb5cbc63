//! Astro's error model: [`ActionError`], its [`ActionErrorCode`]s and input errors.
//!
//! Every failure of an action, whether it comes from the body, from validation or from the
//! handler, is an [`ActionError`]. On the wire it is one of two JSON bodies:
//!
//! ```text
//! {"type":"AstroActionError","code":"NOT_FOUND","status":404,"message":"no item 7"}
//! {"type":"AstroActionInputError","issues":[{"code":"invalid_type","path":["name"],"message":"…"}],"fields":{"name":["…"]}}
//! ```
//!
//! # Example
//!
//! ```
//! use tower_actions::{ActionError, ActionErrorCode};
//!
//! let err = ActionError::new(ActionErrorCode::Unauthorized, "Not logged in");
//! assert_eq!(err.status(), http::StatusCode::UNAUTHORIZED);
//! assert_eq!(
//!     err.to_json(false),
//!     r#"{"type":"AstroActionError","code":"UNAUTHORIZED","status":401,"message":"Not logged in"}"#,
//! );
//!
//! // Anything that is not an `ActionError` becomes INTERNAL_SERVER_ERROR, its text hidden
//! // from the client unless the layer was told to expose it.
//! let io = std::io::Error::other("disk on fire");
//! let err = ActionError::from(io);
//! assert_eq!(err.code(), ActionErrorCode::InternalServerError);
//! assert_eq!(
//!     err.to_json(false),
//!     r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"Internal server error"}"#,
//! );
//! ```
//!
//! The files of this module each hold one part: [`ActionErrorCode`] (`code.rs`), the issues
//! of input errors (`input.rs`), the JSON bodies the server writes (`wire.rs`) and reading
//! them back on the client side (`parse.rs`).

mod code;
mod input;
mod parse;
mod wire;

pub use code::ActionErrorCode;
pub use input::{InputError, Issue, PathSegment};

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;

/// Any failure of an action: Astro's `ActionError` (and its subclass `ActionInputError`).
///
/// Build one with [`ActionError::new`] to answer with a chosen code. Any other error converts
/// into an `ActionError` with `?` and becomes `INTERNAL_SERVER_ERROR`: its text is logged and,
/// unless the layer is set to expose internal errors, hidden from the client.
///
/// Like `anyhow::Error`, `ActionError` does not implement `std::error::Error` itself (that is
/// what lets every error convert into it); it converts into `Box<dyn std::error::Error>`.
pub struct ActionError {
    repr: Repr,
}

enum Repr {
    Action {
        code: ActionErrorCode,
        message: Cow<'static, str>,
    },
    Input(InputError),
    Internal(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl ActionError {
    /// An error with this code and message.
    pub fn new(code: ActionErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        ActionError {
            repr: Repr::Action {
                code,
                message: message.into(),
            },
        }
    }

    /// An error with this code and an empty message.
    pub fn from_code(code: ActionErrorCode) -> Self {
        ActionError::new(code, "")
    }

    /// An input error (`AstroActionInputError`, 400) made of these issues.
    pub fn input(issues: Vec<Issue>) -> Self {
        ActionError {
            repr: Repr::Input(InputError::new(issues)),
        }
    }

    /// An unexpected error: `INTERNAL_SERVER_ERROR`, with the error's text hidden from the
    /// client unless internal errors are exposed.
    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        ActionError {
            repr: Repr::Internal(error.into()),
        }
    }

    /// The error's code (`BAD_REQUEST` for input errors).
    pub fn code(&self) -> ActionErrorCode {
        match &self.repr {
            Repr::Action { code, .. } => *code,
            Repr::Input(_) => ActionErrorCode::BadRequest,
            Repr::Internal(_) => ActionErrorCode::InternalServerError,
        }
    }

    /// The HTTP status of the error's code.
    pub fn status(&self) -> StatusCode {
        self.code().status()
    }

    /// The error's message: as given, Astro's `Failed to validate: …` for input errors, and
    /// the underlying error's text for unexpected errors.
    pub fn message(&self) -> Cow<'_, str> {
        match &self.repr {
            Repr::Action { message, .. } => Cow::Borrowed(message),
            Repr::Input(input) => Cow::Owned(input.message()),
            Repr::Internal(error) => Cow::Owned(error.to_string()),
        }
    }

    /// Rewrites the default messages of an input error's issues by these rules (nothing
    /// for other errors).
    pub fn apply_messages(&mut self, messages: &crate::check::Messages) {
        if let Repr::Input(input) = &mut self.repr {
            messages.apply(&mut input.issues);
        }
    }

    /// The input error, when this is one.
    pub fn as_input_error(&self) -> Option<&InputError> {
        match &self.repr {
            Repr::Input(input) => Some(input),
            _ => None,
        }
    }

    /// Whether this is an input error (Astro's `isInputError`).
    #[doc(alias = "isInputError")]
    pub fn is_input_error(&self) -> bool {
        matches!(self.repr, Repr::Input(_))
    }

    /// Whether this error came from an unexpected (non-`ActionError`) failure.
    pub fn is_internal(&self) -> bool {
        matches!(self.repr, Repr::Internal(_))
    }

    /// The `type` Astro gives this error: `AstroActionInputError` or `AstroActionError`.
    pub fn type_name(&self) -> &'static str {
        match self.repr {
            Repr::Input(_) => "AstroActionInputError",
            _ => "AstroActionError",
        }
    }
}

impl fmt::Debug for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Action { code, message } => f
                .debug_struct("ActionError")
                .field("code", code)
                .field("message", message)
                .finish(),
            Repr::Input(input) => f
                .debug_struct("ActionError")
                .field("code", &ActionErrorCode::BadRequest)
                .field("issues", &input.issues)
                .finish(),
            Repr::Internal(error) => f
                .debug_struct("ActionError")
                .field("code", &ActionErrorCode::InternalServerError)
                .field("source", error)
                .finish(),
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Action { code, message } if message.is_empty() => write!(f, "{code}"),
            Repr::Action { code, message } => write!(f, "{code}: {message}"),
            Repr::Input(input) => write!(f, "BAD_REQUEST: {}", input.message()),
            Repr::Internal(error) => write!(f, "INTERNAL_SERVER_ERROR: {error}"),
        }
    }
}

impl<E> From<E> for ActionError
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn from(error: E) -> Self {
        ActionError::internal(error)
    }
}

impl From<ActionError> for Box<dyn std::error::Error + Send + Sync + 'static> {
    fn from(error: ActionError) -> Self {
        Box::new(StdActionError(error))
    }
}

/// [`ActionError`] as a `std::error::Error`, for code that needs one.
#[derive(Debug)]
pub struct StdActionError(pub ActionError);

impl fmt::Display for StdActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for StdActionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.repr {
            Repr::Internal(error) => Some(&**error),
            _ => None,
        }
    }
}
