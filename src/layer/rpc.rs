//! The RPC endpoint's paths and action names, and the origin check's refusal.

use std::borrow::Cow;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Method, Response, StatusCode};

use crate::origin::OriginCheck;

const ACTIONS_SEGMENT: &str = "/_actions";

/// Whether a path is the RPC endpoint: `{base}/_actions` or below (and `/_actions` itself,
/// base or not, as Astro matches it too).
#[inline]
pub(crate) fn is_rpc_path(path: &str, base: &str) -> bool {
    let below = |path: &str| {
        path.strip_prefix(ACTIONS_SEGMENT)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    // This runs on every request. The root base is tested apart rather than stripped: comparing
    // with `""` calls `memcmp` with length 0 on the empty string's dangling pointer, and glibc's
    // AVX-512 `memcmp` does a masked load there, which costs a microcode assist (about 100 ns,
    // an eighth of a whole request through an axum Router; see BENCHMARKS.md).
    if base.is_empty() {
        return below(path);
    }
    path.strip_prefix(base).is_some_and(below) || below(path)
}

/// The action name of an RPC path: the text after the last `/_actions/`, one trailing slash
/// removed, percent-decoded until stable (Astro decodes the path, then each dotted segment).
/// Runs of `/` count as one, as Astro 7 collapses them in the path before it reads the name
/// (`/_actions//greet` and `/_actions/greet//` are `greet`). `None` when it does not decode
/// to UTF-8 text. Borrowed from the path when there is nothing to collapse or decode.
pub(crate) fn action_name(path: &str) -> Option<Cow<'_, str>> {
    // Byte scans rather than `str::contains`/`rfind` with a `&str` pattern: those build a
    // two-way searcher per call (about 1,100 instructions for a short path, a tenth of an
    // RPC call); a path is short.
    let bytes = path.as_bytes();
    if bytes
        .windows(2)
        .any(|pair| pair[0] == b'/' && pair[1] == b'/')
    {
        let mut collapsed = String::with_capacity(path.len());
        for c in path.chars() {
            if c != '/' || !collapsed.ends_with('/') {
                collapsed.push(c);
            }
        }
        return action_name(&collapsed).map(|name| Cow::Owned(name.into_owned()));
    }
    const SEGMENT: &[u8] = b"/_actions/";
    let Some(at) = bytes
        .windows(SEGMENT.len())
        .rposition(|window| window[1] == b'_' && window[0] == b'/' && window == SEGMENT)
    else {
        return Some(Cow::Borrowed(""));
    };
    // `at + SEGMENT.len()` follows an ASCII `/`: a char boundary.
    let raw = &path[at + SEGMENT.len()..];
    decode_name(raw.strip_suffix('/').unwrap_or(raw))
}

/// An action name percent-decoded until stable (at most 10 rounds, as Astro); `None` when it
/// does not decode to UTF-8 text or is still changing after 10 rounds. Borrowed when it has
/// no `%` (nothing to decode).
pub(crate) fn decode_name(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.as_bytes().contains(&b'%') {
        return Some(Cow::Borrowed(raw));
    }
    let mut name = raw.to_owned();
    for _ in 0..10 {
        let decoded = percent_encoding::percent_decode_str(&name)
            .decode_utf8()
            .ok()?
            .into_owned();
        if decoded == name {
            return Some(Cow::Owned(name));
        }
        name = decoded;
    }
    None
}

/// The origin check's refusal: 403 `text/plain;charset=UTF-8`.
pub(crate) fn forbidden_response(method: &Method) -> Response<Option<Bytes>> {
    let mut response = Response::new(Some(Bytes::from(OriginCheck::forbidden_message(method))));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain;charset=UTF-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpc_paths_are_under_actions() {
        assert!(is_rpc_path("/_actions/greet", ""));
        assert!(is_rpc_path("/_actions/", ""));
        assert!(is_rpc_path("/_actions", ""));
        assert!(!is_rpc_path("/_actionsx", ""));
        assert!(!is_rpc_path("/foo/_actions/greet", ""));
        assert!(is_rpc_path("/base/_actions/greet", "/base"));
        assert!(is_rpc_path("/_actions/greet", "/base"));
        assert!(!is_rpc_path("/other/_actions/greet", "/base"));
    }

    #[test]
    fn names_are_decoded_like_astro() {
        assert_eq!(action_name("/_actions/greet").as_deref(), Some("greet"));
        assert_eq!(action_name("/_actions/greet/").as_deref(), Some("greet"));
        assert_eq!(action_name("/_actions/greet//").as_deref(), Some("greet"));
        assert_eq!(action_name("/_actions//greet").as_deref(), Some("greet"));
        assert_eq!(
            action_name("/_actions///blog.like").as_deref(),
            Some("blog.like")
        );
        assert_eq!(
            action_name("/_actions/blog//like").as_deref(),
            Some("blog/like")
        );
        assert_eq!(
            action_name("/_actions/%2F%2Fgreet").as_deref(),
            Some("//greet")
        );
        assert_eq!(
            action_name("/_actions/with%20space").as_deref(),
            Some("with space")
        );
        assert_eq!(
            action_name("/_actions/with%2Fslash").as_deref(),
            Some("with/slash")
        );
        assert_eq!(
            action_name("/_actions/blog%2Elike").as_deref(),
            Some("blog.like")
        );
        assert_eq!(
            action_name("/_actions/blog%252Elike").as_deref(),
            Some("blog.like")
        );
        assert_eq!(action_name("/_actions/").as_deref(), Some(""));
        assert_eq!(action_name("/_actions").as_deref(), Some(""));
        assert_eq!(action_name("/_actions/a/_actions/b").as_deref(), Some("b"));
        assert_eq!(action_name("/_actions/%FF"), None);
    }

    /// The byte scans against the `str` searches they replaced, on long seeded sequences of
    /// paths made of `/`, `_actions`, escapes and multi-byte text.
    #[test]
    fn byte_scans_find_what_the_str_searches_found() {
        fn reference(path: &str) -> Option<String> {
            if path.contains("//") {
                let mut collapsed = String::with_capacity(path.len());
                for c in path.chars() {
                    if c != '/' || !collapsed.ends_with('/') {
                        collapsed.push(c);
                    }
                }
                return reference(&collapsed);
            }
            let raw = match path.rfind("/_actions/") {
                Some(at) => &path[at + "/_actions/".len()..],
                None => return Some(String::new()),
            };
            decode_name(raw.strip_suffix('/').unwrap_or(raw)).map(Cow::into_owned)
        }
        const BITS: &[&str] = &[
            "/",
            "//",
            "/_actions",
            "/_actions/",
            "_actions/",
            "_",
            "a",
            "greet",
            ".",
            "%2F",
            "%25",
            "%FF",
            "é",
            "/_act",
            "ions/",
            "%",
        ];
        let mut rng = crate::test_rng::Rng(0x5eed_9a7e);
        let mut next = |n: usize| rng.below(n);
        for step in 0..50_000 {
            let path: String = (0..next(8)).map(|_| BITS[next(BITS.len())]).collect();
            assert_eq!(
                action_name(&path).map(Cow::into_owned),
                reference(&path),
                "step {step}: {path:?}"
            );
        }
    }
}
