//! Which kind of body a request carries, from its `Content-Type`.

use http::HeaderMap;
use http::header::CONTENT_TYPE;

/// The kinds of body an action request can carry, as Astro tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// No `Content-Type`: no input, and the body is not read.
    Absent,
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    UrlEncoded,
    /// `multipart/form-data` (with or without a boundary).
    Multipart,
    /// Anything else: 415.
    Unsupported,
}

/// The kind of a request's body. The media type is compared without case, parameters and
/// surrounding white space (Astro compares the raw text before `;`, so it refuses
/// `application/json ; charset=utf-8`).
pub(crate) fn body_kind(headers: &HeaderMap) -> BodyKind {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return BodyKind::Absent;
    };
    let Ok(value) = value.to_str() else {
        return BodyKind::Unsupported;
    };
    // Bytes rather than `split(';')` and `trim()` (a char searcher and Unicode white space):
    // the text is visible ASCII, spaces and tabs, whose white space `trim_ascii` trims.
    let value = value.as_bytes();
    let mime = match value.iter().position(|&b| b == b';') {
        Some(at) => &value[..at],
        None => value,
    }
    .trim_ascii();
    if mime.eq_ignore_ascii_case(b"application/json") {
        BodyKind::Json
    } else if mime.eq_ignore_ascii_case(b"application/x-www-form-urlencoded") {
        BodyKind::UrlEncoded
    } else if mime.eq_ignore_ascii_case(b"multipart/form-data") {
        BodyKind::Multipart
    } else {
        BodyKind::Unsupported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(value: &str) -> BodyKind {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, value.parse().unwrap());
        body_kind(&headers)
    }

    #[test]
    fn media_types_ignore_case_parameters_and_spaces() {
        assert_eq!(kind("application/json"), BodyKind::Json);
        assert_eq!(kind("Application/JSON; charset=utf-8"), BodyKind::Json);
        assert_eq!(kind("application/json ; charset=utf-8"), BodyKind::Json);
        assert_eq!(kind("multipart/form-data; boundary=x"), BodyKind::Multipart);
        assert_eq!(
            kind("application/x-www-form-urlencoded"),
            BodyKind::UrlEncoded
        );
        assert_eq!(kind("text/plain"), BodyKind::Unsupported);
        assert_eq!(kind("application/jsonx"), BodyKind::Unsupported);
        assert_eq!(kind("\t application/json\t;"), BodyKind::Json);
        assert_eq!(kind(" MULTIPART/FORM-DATA"), BodyKind::Multipart);
        assert_eq!(kind(";application/json"), BodyKind::Unsupported);
        assert_eq!(kind(""), BodyKind::Unsupported);
        assert_eq!(kind("application/ json"), BodyKind::Unsupported);
        assert_eq!(body_kind(&HeaderMap::new()), BodyKind::Absent);
    }
}
