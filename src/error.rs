//! Astro's error model: [`ActionError`], its [`ActionErrorCode`]s and input errors.
//!
//! Every failure of an action, whether it comes from the body, from validation or from the
//! handler, is an [`ActionError`]. On the wire it is one of two JSON bodies (protocol §1.6, §3):
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

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

/// The message sent for an unexpected error while internal messages are hidden.
pub(crate) const HIDDEN_INTERNAL_MESSAGE: &str = "Internal server error";

macro_rules! codes {
    ($( $variant:ident => $name:literal, $status:literal; )*) => {
        /// One of Astro's 38 action error codes, each tied to an HTTP status (protocol §2).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ActionErrorCode {
            $(
                #[doc = concat!("`", $name, "`, HTTP ", stringify!($status), ".")]
                $variant,
            )*
        }

        impl ActionErrorCode {
            /// Every code, in Astro's source order.
            pub const ALL: [ActionErrorCode; 38] = [$(ActionErrorCode::$variant),*];

            /// The code as Astro writes it, e.g. `"NOT_FOUND"`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ActionErrorCode::$variant => $name,)* }
            }

            /// The HTTP status of this code (Astro's `codeToStatus`).
            pub const fn status(self) -> StatusCode {
                match self {
                    // Every literal below is a valid status code, checked by the test
                    // `every_code_maps_to_its_status_and_back`.
                    $(ActionErrorCode::$variant => match StatusCode::from_u16($status) {
                        Ok(status) => status,
                        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
                    },)*
                }
            }

            /// The code for an HTTP status (Astro's `statusToCode`); a status with no code of its
            /// own is `INTERNAL_SERVER_ERROR`, as in Astro.
            pub fn from_status(status: StatusCode) -> ActionErrorCode {
                match status.as_u16() {
                    $($status => ActionErrorCode::$variant,)*
                    _ => ActionErrorCode::InternalServerError,
                }
            }

            /// Parses a code as Astro writes it; `None` for a string that is not one of the 38.
            pub fn parse(code: &str) -> Option<ActionErrorCode> {
                match code {
                    $($name => Some(ActionErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    BadRequest => "BAD_REQUEST", 400;
    Unauthorized => "UNAUTHORIZED", 401;
    PaymentRequired => "PAYMENT_REQUIRED", 402;
    Forbidden => "FORBIDDEN", 403;
    NotFound => "NOT_FOUND", 404;
    MethodNotAllowed => "METHOD_NOT_ALLOWED", 405;
    NotAcceptable => "NOT_ACCEPTABLE", 406;
    ProxyAuthenticationRequired => "PROXY_AUTHENTICATION_REQUIRED", 407;
    RequestTimeout => "REQUEST_TIMEOUT", 408;
    Conflict => "CONFLICT", 409;
    Gone => "GONE", 410;
    LengthRequired => "LENGTH_REQUIRED", 411;
    PreconditionFailed => "PRECONDITION_FAILED", 412;
    ContentTooLarge => "CONTENT_TOO_LARGE", 413;
    UriTooLong => "URI_TOO_LONG", 414;
    UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE", 415;
    RangeNotSatisfiable => "RANGE_NOT_SATISFIABLE", 416;
    ExpectationFailed => "EXPECTATION_FAILED", 417;
    MisdirectedRequest => "MISDIRECTED_REQUEST", 421;
    UnprocessableContent => "UNPROCESSABLE_CONTENT", 422;
    Locked => "LOCKED", 423;
    FailedDependency => "FAILED_DEPENDENCY", 424;
    TooEarly => "TOO_EARLY", 425;
    UpgradeRequired => "UPGRADE_REQUIRED", 426;
    PreconditionRequired => "PRECONDITION_REQUIRED", 428;
    TooManyRequests => "TOO_MANY_REQUESTS", 429;
    RequestHeaderFieldsTooLarge => "REQUEST_HEADER_FIELDS_TOO_LARGE", 431;
    UnavailableForLegalReasons => "UNAVAILABLE_FOR_LEGAL_REASONS", 451;
    InternalServerError => "INTERNAL_SERVER_ERROR", 500;
    NotImplemented => "NOT_IMPLEMENTED", 501;
    BadGateway => "BAD_GATEWAY", 502;
    ServiceUnavailable => "SERVICE_UNAVAILABLE", 503;
    GatewayTimeout => "GATEWAY_TIMEOUT", 504;
    HttpVersionNotSupported => "HTTP_VERSION_NOT_SUPPORTED", 505;
    VariantAlsoNegotiates => "VARIANT_ALSO_NEGOTIATES", 506;
    InsufficientStorage => "INSUFFICIENT_STORAGE", 507;
    LoopDetected => "LOOP_DETECTED", 508;
    NetworkAuthenticationRequired => "NETWORK_AUTHENTICATION_REQUIRED", 511;
}

impl fmt::Display for ActionErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ActionErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ActionErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = Cow::<'de, str>::deserialize(deserializer)?;
        ActionErrorCode::parse(&code).ok_or_else(|| {
            serde::de::Error::custom(format_args!("unknown action error code `{code}`"))
        })
    }
}

/// One step of an issue's path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// An object key (a struct field, a map key, a form name).
    Key(String),
    /// An array index.
    Index(usize),
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSegment::Key(key) => f.write_str(key),
            PathSegment::Index(index) => write!(f, "{index}"),
        }
    }
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<String> for PathSegment {
    fn from(key: String) -> Self {
        PathSegment::Key(key)
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

impl Serialize for PathSegment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PathSegment::Key(key) => serializer.serialize_str(key),
            PathSegment::Index(index) => serializer.serialize_u64(*index as u64),
        }
    }
}

impl<'de> Deserialize<'de> for PathSegment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Index(u64),
            Number(f64),
            Key(String),
        }
        Ok(match Raw::deserialize(deserializer)? {
            Raw::Index(i) => PathSegment::Index(i as usize),
            // zod paths are JS numbers; a non-integer index is kept as its text.
            Raw::Number(n) => PathSegment::Key(n.to_string()),
            Raw::Key(k) => PathSegment::Key(k),
        })
    }
}

/// One problem with an action's input: a zod 4 issue object.
///
/// Every issue has zod's `code`, `path` and `message`; most also carry the other keys zod 4
/// writes for their code (`expected`, `origin`, `minimum`, `inclusive`, `format`, `values`,
/// ...), kept in zod's key order: [`Issue::with_before`] adds a key before `code` (as zod
/// writes `expected` before it), [`Issue::with`] one after it. On the wire the keys come in
/// that order, then `path`, then `message`:
///
/// ```
/// use tower_actions::Issue;
///
/// let issue = Issue::new("too_small", vec!["name".into()], "Too small: expected string to have >=1 characters")
///     .with_before("origin", "string")
///     .with("minimum", 1)
///     .with("inclusive", true);
/// assert_eq!(
///     serde_json::to_string(&issue).unwrap(),
///     r#"{"origin":"string","code":"too_small","minimum":1,"inclusive":true,"path":["name"],"message":"Too small: expected string to have >=1 characters"}"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// What kind of problem, as zod names it: `invalid_type` for input of the wrong shape,
    /// `too_small`, `invalid_format`, ... for a failed check, or a validator's own code.
    pub code: Cow<'static, str>,
    /// Where the problem is, from the root of the input. Empty for the input as a whole.
    pub path: Vec<PathSegment>,
    /// A human-readable description.
    pub message: String,
    /// zod's other keys, in order; the first `code_at` of them come before `code`.
    params: Vec<(Cow<'static, str>, serde_json::Value)>,
    code_at: usize,
    /// Whether `message` is zod's default wording (which a [`Messages`](crate::check::Messages)
    /// setting may replace) rather than one chosen for this issue.
    default_message: bool,
}

impl Issue {
    /// An issue with the given code, path and message, and no other key.
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        path: Vec<PathSegment>,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            code: code.into(),
            path,
            message: message.into(),
            params: Vec::new(),
            code_at: 0,
            default_message: false,
        }
    }

    /// Input of the wrong shape at `path` (zod's `invalid_type`).
    pub fn invalid_type(path: Vec<PathSegment>, message: impl Into<String>) -> Self {
        Issue::new("invalid_type", path, message)
    }

    /// Adds a key written after `code` (and after the keys added before with `with`).
    pub fn with(
        mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.params.push((key.into(), value.into()));
        self
    }

    /// Adds a key written before `code` (and after the keys added before with `with_before`).
    pub fn with_before(
        mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.params.insert(self.code_at, (key.into(), value.into()));
        self.code_at += 1;
        self
    }

    /// The value of one of zod's other keys (`minimum`, `expected`, ...).
    pub fn param(&self, key: &str) -> Option<&serde_json::Value> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// zod's other keys and their values, in the order they are written (`code`, `path` and
    /// `message` excepted).
    pub fn params(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.params.iter().map(|(k, v)| (&**k, v))
    }

    /// Whether the message is zod's default English for the issue, which a
    /// [`Messages`](crate::check::Messages) setting may replace.
    pub fn has_default_message(&self) -> bool {
        self.default_message
    }

    /// Marks the message as zod's default wording (replaceable by a `Messages` setting).
    pub(crate) fn default_message(mut self) -> Self {
        self.default_message = true;
        self
    }

    #[cfg_attr(not(feature = "garde"), allow(dead_code))]
    pub(crate) fn set_default_message(&mut self, default: bool) {
        self.default_message = default;
    }
}

impl Serialize for Issue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.params.len() + 3))?;
        for (key, value) in &self.params[..self.code_at] {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("code", &self.code)?;
        for (key, value) in &self.params[self.code_at..] {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("message", &self.message)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Issue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        // `serde_json` keeps key order (the `preserve_order` feature).
        let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let mut issue = Issue::new("custom", Vec::new(), String::new());
        let mut seen_code = false;
        let mut message = None;
        for (key, value) in object {
            match key.as_str() {
                "code" => {
                    seen_code = true;
                    if let serde_json::Value::String(code) = value {
                        issue.code = Cow::Owned(code);
                    }
                }
                "path" => {
                    issue.path =
                        Vec::<PathSegment>::deserialize(value).map_err(D::Error::custom)?;
                }
                "message" => {
                    message = Some(String::deserialize(value).map_err(D::Error::custom)?);
                }
                _ if seen_code => issue = issue.with(key, value),
                _ => issue = issue.with_before(key, value),
            }
        }
        issue.message = message.ok_or_else(|| D::Error::missing_field("message"))?;
        Ok(issue)
    }
}

/// The issues of an input that failed to parse or validate: Astro's `ActionInputError`.
///
/// Its `fields` map is derived from the issues: every issue whose path is not empty adds its
/// message under the path's first segment, in issue order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InputError {
    issues: Vec<Issue>,
}

impl InputError {
    /// An input error made of these issues.
    pub fn new(issues: Vec<Issue>) -> Self {
        InputError { issues }
    }

    /// The issues, in the order they were found.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Messages per top-level field, in first-seen order (Astro's `fields`).
    pub fn fields(&self) -> Vec<(String, Vec<&str>)> {
        let mut fields: Vec<(String, Vec<&str>)> = Vec::new();
        for issue in &self.issues {
            let Some(first) = issue.path.first() else {
                continue;
            };
            let key = first.to_string();
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some((_, messages)) => messages.push(&issue.message),
                None => fields.push((key, vec![&issue.message])),
            }
        }
        fields
    }

    /// The messages of one top-level field (`fields[name]` in Astro).
    pub fn field(&self, name: &str) -> Vec<&str> {
        self.issues
            .iter()
            .filter(|issue| {
                issue
                    .path
                    .first()
                    .is_some_and(|first| first.to_string() == name)
            })
            .map(|issue| issue.message.as_str())
            .collect()
    }

    /// Astro's message for an input error: `Failed to validate: ` and the issues as JSON.
    pub fn message(&self) -> String {
        let issues = serde_json::to_string_pretty(&self.issues).unwrap_or_default();
        format!("Failed to validate: {issues}")
    }
}

impl Serialize for InputError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Fields<'a>(&'a InputError);
        impl Serialize for Fields<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let fields = self.0.fields();
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, messages) in &fields {
                    map.serialize_entry(key, messages)?;
                }
                map.end()
            }
        }
        struct Issues<'a>(&'a [Issue]);
        impl Serialize for Issues<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
                for issue in self.0 {
                    seq.serialize_element(issue)?;
                }
                seq.end()
            }
        }
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("type", "AstroActionInputError")?;
        map.serialize_entry("issues", &Issues(&self.issues))?;
        map.serialize_entry("fields", &Fields(self))?;
        map.end()
    }
}

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

    /// The error's JSON body, as the RPC endpoint sends it. With `expose_internal` false, an
    /// unexpected error's text is replaced by a generic message.
    pub fn to_json(&self, expose_internal: bool) -> String {
        // Serializing these plain structures into a string cannot fail.
        serde_json::to_string(&Body {
            error: self,
            expose_internal,
        })
        .unwrap_or_default()
    }

    /// The error as a complete HTTP response, as the RPC endpoint would send it (internal
    /// messages hidden): handy for a gate that refuses an action.
    pub fn to_response(&self) -> http::Response<String> {
        let mut response = http::Response::new(self.to_json(false));
        *response.status_mut() = self.status();
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        response
    }

    /// Builds an error from an error JSON body as the client receives it (Astro's
    /// `ActionError.fromJson`): an input error from `issues`, an `ActionError` from `code`
    /// and `message`, anything else `INTERNAL_SERVER_ERROR` with an empty message.
    pub fn from_json_value(value: &serde_json::Value) -> ActionError {
        let type_name = value.get("type").and_then(|t| t.as_str());
        if type_name == Some("AstroActionInputError") {
            if let Some(issues) = value.get("issues").filter(|i| i.is_array()) {
                let issues =
                    serde_json::from_value::<Vec<Issue>>(issues.clone()).unwrap_or_default();
                return ActionError::input(issues);
            }
        }
        if type_name == Some("AstroActionError") {
            let code = value
                .get("code")
                .and_then(|c| c.as_str())
                .and_then(ActionErrorCode::parse)
                .unwrap_or(ActionErrorCode::InternalServerError);
            let message = value.get("message").and_then(|m| m.as_str()).unwrap_or("");
            return ActionError::new(code, message.to_owned());
        }
        ActionError::from_code(ActionErrorCode::InternalServerError)
    }

    /// Builds an error from a response body as Astro's client does: JSON error bodies as in
    /// [`ActionError::from_json_value`], any other text `INTERNAL_SERVER_ERROR` with the text as
    /// its message.
    pub fn from_body(body: &[u8]) -> ActionError {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value) => ActionError::from_json_value(&value),
            Err(_) => ActionError::new(
                ActionErrorCode::InternalServerError,
                String::from_utf8_lossy(body).into_owned(),
            ),
        }
    }
}

struct Body<'a> {
    error: &'a ActionError,
    expose_internal: bool,
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let message = match &self.error.repr {
            Repr::Input(input) => return input.serialize(serializer),
            Repr::Action { message, .. } => Cow::Borrowed(&**message),
            Repr::Internal(error) if self.expose_internal => Cow::Owned(error.to_string()),
            Repr::Internal(_) => Cow::Borrowed(HIDDEN_INTERNAL_MESSAGE),
        };
        let code = self.error.code();
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("type", "AstroActionError")?;
        map.serialize_entry("code", code.as_str())?;
        map.serialize_entry("status", &code.status().as_u16())?;
        map.serialize_entry("message", &message)?;
        map.end()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_maps_to_its_status_and_back() {
        for code in ActionErrorCode::ALL {
            assert_eq!(ActionErrorCode::from_status(code.status()), code);
            assert_eq!(ActionErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(
            ActionErrorCode::from_status(StatusCode::IM_A_TEAPOT),
            ActionErrorCode::InternalServerError
        );
    }

    #[test]
    fn fields_group_by_first_segment_and_skip_empty_paths() {
        let err = InputError::new(vec![
            Issue::invalid_type(vec!["name".into()], "Expected string"),
            Issue::new("too_small", vec!["name".into()], "Too short"),
            Issue::new("custom", vec![], "root refine"),
            Issue::invalid_type(vec!["tags".into(), 0.into()], "Required"),
        ]);
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"type":"AstroActionInputError","issues":[{"code":"invalid_type","path":["name"],"message":"Expected string"},{"code":"too_small","path":["name"],"message":"Too short"},{"code":"custom","path":[],"message":"root refine"},{"code":"invalid_type","path":["tags",0],"message":"Required"}],"fields":{"name":["Expected string","Too short"],"tags":["Required"]}}"#
        );
    }

    #[test]
    fn zod_issues_keep_their_keys_in_order_through_a_round_trip() {
        let body = r#"{"type":"AstroActionInputError","issues":[{"expected":"number","code":"invalid_type","received":"NaN","path":["nums",1],"message":"Invalid input: expected number, received NaN"},{"origin":"string","code":"too_small","minimum":3,"inclusive":true,"path":["name"],"message":"Too small: expected string to have >=3 characters"}],"fields":{"nums":["Invalid input: expected number, received NaN"],"name":["Too small: expected string to have >=3 characters"]}}"#;
        let err = ActionError::from_body(body.as_bytes());
        assert_eq!(err.to_json(false), body);
        let input = err.as_input_error().unwrap();
        assert_eq!(
            input.issues()[1].param("minimum"),
            Some(&serde_json::json!(3))
        );
        // Astro's message: the issues as pretty JSON, keys in zod's order.
        assert!(
            err.message()
                .starts_with("Failed to validate: [\n  {\n    \"expected\": \"number\",\n    \"code\": \"invalid_type\",\n    \"received\": \"NaN\",")
        );
    }
}
