//! `application/x-www-form-urlencoded` bodies.
//!
//! The WHATWG parser (what `request.formData()` runs): the body is split on `&`, empty pieces
//! skipped, each piece split at its first `=` (a piece without one is a name with an empty
//! value), `+` becomes a space and `%XX` the byte XX (a `%` not followed by two hex digits is
//! kept). Unlike the web, which replaces invalid UTF-8 with U+FFFD, a body that is not valid
//! UTF-8 after decoding is rejected.

use super::{FormLimits, too_many_fields};
use crate::form_data::{FormData, FormValue};
use crate::{ActionError, ActionErrorCode};

/// Parses a URL-encoded form body.
///
/// Errors: 400 `BAD_REQUEST` when a name or value is not valid UTF-8 once decoded, 413
/// `CONTENT_TOO_LARGE` when the form has more than `limits.max_fields` entries.
pub(crate) fn parse_urlencoded(body: &[u8], limits: &FormLimits) -> Result<FormData, ActionError> {
    // Room for the usual form at once (at most one entry per `&`-piece); a long one grows.
    let pieces = body.iter().filter(|&&b| b == b'&').count() + 1;
    let mut form = FormData::with_capacity(pieces.min(limits.max_fields).min(16));
    for piece in body.split(|&b| b == b'&').filter(|piece| !piece.is_empty()) {
        if form.len() == limits.max_fields {
            return Err(too_many_fields(limits.max_fields));
        }
        let (name, value) = match piece.iter().position(|&b| b == b'=') {
            Some(eq) => (&piece[..eq], &piece[eq + 1..]),
            None => (piece, &[][..]),
        };
        form.push(decode(name)?, FormValue::Text(decode(value)?));
    }
    Ok(form)
}

/// One name or value: `+` as a space and `%XX` as the byte XX (a `%` without two hex digits
/// after it is kept), in one pass into one buffer, the runs between escapes copied whole.
fn decode(raw: &[u8]) -> Result<String, ActionError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.iter().position(|&b| b == b'+' || b == b'%') {
        out.extend_from_slice(&rest[..at]);
        let escape = rest[at];
        let after = &rest[at + 1..];
        rest = after;
        out.push(if escape == b'+' {
            b' '
        } else {
            match after {
                [high, low, tail @ ..] => match (hex(*high), hex(*low)) {
                    (Some(high), Some(low)) => {
                        rest = tail;
                        high << 4 | low
                    }
                    _ => b'%',
                },
                _ => b'%',
            }
        });
    }
    out.extend_from_slice(rest);
    String::from_utf8(out).map_err(|_| {
        ActionError::new(
            ActionErrorCode::BadRequest,
            "The URL-encoded form is not valid UTF-8",
        )
    })
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|value| value as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: FormLimits = FormLimits {
        body_limit: 1 << 20,
        file_limit: 1 << 20,
        max_fields: 4,
        json_depth: 128,
    };

    fn texts(form: &FormData) -> Vec<(&str, &str)> {
        form.texts().collect()
    }

    #[test]
    fn plus_and_percent_decoding() {
        let form =
            parse_urlencoded(b"a+b=c+d&x%20y=%7e%2B%25&caf%C3%A9=%E2%9C%93", &LIMITS).unwrap();
        assert_eq!(
            texts(&form),
            [("a b", "c d"), ("x y", "~+%"), ("café", "✓")]
        );
    }

    #[test]
    fn empty_pieces_missing_equals_and_bad_escapes() {
        let limits = FormLimits {
            max_fields: 10,
            ..LIMITS
        };
        let form = parse_urlencoded(b"&&flag&empty=&=v&p=%zz%4&q=a=b", &limits).unwrap();
        assert_eq!(
            texts(&form),
            [
                ("flag", ""),
                ("empty", ""),
                ("", "v"),
                ("p", "%zz%4"),
                ("q", "a=b")
            ]
        );
        assert!(parse_urlencoded(b"", &LIMITS).unwrap().is_empty());
    }

    #[test]
    fn duplicate_keys_are_all_kept_in_order() {
        let form = parse_urlencoded(b"tag=a&other=x&tag=b", &LIMITS).unwrap();
        assert_eq!(
            form.get_all("tag")
                .filter_map(FormValue::as_text)
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(form.get("tag").and_then(FormValue::as_text), Some("a"));
    }

    #[test]
    fn invalid_utf8_is_a_bad_request() {
        for body in [&b"name=%FF"[..], b"%C3=x", b"a=\xff"] {
            let err = parse_urlencoded(body, &LIMITS).unwrap_err();
            assert_eq!(err.code(), ActionErrorCode::BadRequest);
            assert!(err.message().contains("not valid UTF-8"), "{err}");
        }
    }

    #[test]
    fn too_many_fields_is_content_too_large() {
        assert_eq!(
            parse_urlencoded(b"a=1&b=2&c=3&d=4&&", &LIMITS)
                .unwrap()
                .len(),
            4
        );
        let err = parse_urlencoded(b"a=1&b=2&c=3&d=4&e=5", &LIMITS).unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::ContentTooLarge);
        assert_eq!(err.message(), "Form has more than 4 fields");
    }

    /// The one-pass decoder against the two steps it replaced (`+` to space, then
    /// `percent_encoding`), on long seeded sequences of pieces full of escapes, broken escapes
    /// and multi-byte text.
    #[test]
    fn one_pass_decoding_equals_plus_then_percent_decoding() {
        const BITS: &[&str] = &[
            "a",
            "+",
            "%",
            "%2",
            "%20",
            "%2B",
            "%2b",
            "%C3",
            "%A9",
            "%e2%9c%93",
            "%zz",
            "%%",
            "%4",
            "é",
            "=",
            "~",
            "%FF",
            "%0",
            "0",
            "F",
            "++",
            "%+1",
            "%1+",
        ];
        let reference = |raw: &[u8]| {
            let plus: Vec<u8> = raw
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect();
            String::from_utf8(percent_encoding::percent_decode(&plus).collect()).ok()
        };
        let mut rng = crate::test_rng::Rng(0x5eed_f0a4);
        let mut next = |n: usize| rng.below(n);
        for step in 0..50_000 {
            let raw: String = (0..next(9)).map(|_| BITS[next(BITS.len())]).collect();
            let decoded = decode(raw.as_bytes()).ok();
            assert_eq!(decoded, reference(raw.as_bytes()), "step {step}: {raw:?}");
        }
    }
}
