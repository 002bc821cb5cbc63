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
    // The text before the first `;`, trimmed, is the media type: compared as a prefix, with
    // only white space between it and the end or a `;` (no scan for `;` through the
    // parameters; the text is visible ASCII, spaces and tabs, whose white space
    // `trim_ascii_start` trims as `str::trim` does).
    let value = value.as_bytes().trim_ascii_start();
    // The bytes as they are first (a content type is usually sent in lowercase), then
    // without case.
    let is = |mime: &[u8]| {
        value.len() >= mime.len()
            && (value[..mime.len()] == *mime || value[..mime.len()].eq_ignore_ascii_case(mime))
            && matches!(
                value[mime.len()..].trim_ascii_start().first(),
                None | Some(b';')
            )
    };
    if is(b"application/json") {
        BodyKind::Json
    } else if is(b"application/x-www-form-urlencoded") {
        BodyKind::UrlEncoded
    } else if is(b"multipart/form-data") {
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

    /// The prefix comparison against `split(';')` and `trim()`, on long seeded sequences of
    /// header values made of media types, cases, white space and parameters.
    #[test]
    fn prefix_comparison_reads_the_media_type_as_split_and_trim_did() {
        const BITS: &[&str] = &[
            "application/json",
            "APPLICATION/JSON",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "Multipart/Form-Data",
            " ",
            "\t",
            ";",
            "; charset=utf-8",
            "x",
            "/",
            "application",
            "json",
            "=",
            ",",
        ];
        let reference = |value: &str| {
            let mime = value.split(';').next().unwrap_or("").trim();
            if mime.eq_ignore_ascii_case("application/json") {
                BodyKind::Json
            } else if mime.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
                BodyKind::UrlEncoded
            } else if mime.eq_ignore_ascii_case("multipart/form-data") {
                BodyKind::Multipart
            } else {
                BodyKind::Unsupported
            }
        };
        let mut rng = crate::test_rng::Rng(0x5eed_c0de);
        let mut next = |n: usize| rng.below(n);
        for step in 0..20_000 {
            let value: String = (0..next(5)).map(|_| BITS[next(BITS.len())]).collect();
            assert_eq!(kind(&value), reference(&value), "step {step}: {value:?}");
        }
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
