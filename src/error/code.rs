//! [`ActionErrorCode`]: Astro's 38 error codes and their HTTP statuses.

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;
use serde::{Deserialize, Serialize, Serializer};

macro_rules! codes {
    ($( $variant:ident => $name:literal, $status:literal; )*) => {
        /// One of Astro's 38 action error codes, each tied to an HTTP status.
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
}
