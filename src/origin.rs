//! The origin check: cross-site form submissions are refused (Astro's `checkOrigin`).
//!
//! A request whose method is not `GET`, `HEAD` or `OPTIONS` and whose content type is
//! form-like (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`) or
//! absent must carry an `Origin` header equal to the request's own origin, else it is
//! answered `403 text/plain;charset=UTF-8` `Cross-site POST form submissions are forbidden`.
//! JSON requests are not checked: browsers cannot send them cross-site without CORS.
//!
//! # Example
//!
//! ```
//! use tower_actions::origin::OriginCheck;
//!
//! let check = OriginCheck::new()
//!     .scheme("https")
//!     .trust_forwarded_headers(true)
//!     .allow_origin("https://admin.example.com");
//! # let _ = check;
//! ```

use std::sync::Arc;

use http::header::{CONTENT_TYPE, HOST, ORIGIN};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};

const FORM_LIKE: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
];

/// Whether `haystack` contains `needle` (lowercase ASCII), ASCII case aside. A content type
/// usually starts with its media type in lowercase: that prefix is compared first, whole.
fn contains_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.starts_with(needle)
        || haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Whether `origin` is `scheme://host`, ASCII case aside: the lengths first, then the bytes
/// as they are (the usual case), then without case. A byte scan finds the first `://`
/// (`str::split_once` with a `&str` pattern builds a two-way searcher per call).
fn same_origin(origin: &[u8], scheme: &[u8], host: &[u8]) -> bool {
    let Some(at) = origin.windows(3).position(|window| window == b"://") else {
        return false;
    };
    let (origin_scheme, origin_host) = (&origin[..at], &origin[at + 3..]);
    origin_scheme.len() == scheme.len()
        && origin_host.len() == host.len()
        && (origin_scheme == scheme || origin_scheme.eq_ignore_ascii_case(scheme))
        && (origin_host == host || origin_host.eq_ignore_ascii_case(host))
}

/// `X-Forwarded-Host`, built once (a name given as `&str` is parsed on every lookup).
const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
/// `X-Forwarded-Proto`.
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// A map of at most this many values (repeated names counted) is read in one pass; a larger
/// one by hashed lookups, so that the pass never costs more than the lookups.
const ONE_PASS_VALUES: usize = 8;

/// The first value of each header the check reads.
#[derive(Default)]
struct Found<'a> {
    content_type: Option<&'a HeaderValue>,
    origin: Option<&'a HeaderValue>,
    host: Option<&'a HeaderValue>,
    /// Only looked for when forwarded headers are trusted.
    forwarded_host: Option<&'a HeaderValue>,
    forwarded_proto: Option<&'a HeaderValue>,
}

impl<'a> Found<'a> {
    /// Each header's first value (what `HeaderMap::get` gives), in one pass over the map's
    /// entries, comparing names without hashing.
    fn read(headers: &'a HeaderMap, forwarded: bool) -> Self {
        let mut found = Found::default();
        for (name, value) in headers {
            let slot = if *name == CONTENT_TYPE {
                &mut found.content_type
            } else if *name == ORIGIN {
                &mut found.origin
            } else if *name == HOST {
                &mut found.host
            } else if !forwarded {
                continue;
            } else if *name == X_FORWARDED_HOST {
                &mut found.forwarded_host
            } else if *name == X_FORWARDED_PROTO {
                &mut found.forwarded_proto
            } else {
                continue;
            };
            // A repeated name's later values come after its first one.
            slot.get_or_insert(value);
        }
        found
    }
}

/// The headers the check reads: a small map (a form post from a load generator or a script)
/// read in one pass up front; a larger one (a browser's) looked up by name when a header is
/// needed, so that a JSON call, answered by its content type, reads no other header.
enum Headers<'a> {
    Read(Found<'a>),
    Map {
        headers: &'a HeaderMap,
        forwarded: bool,
    },
}

impl<'a> Headers<'a> {
    fn of(headers: &'a HeaderMap, forwarded: bool) -> Self {
        if headers.len() > ONE_PASS_VALUES {
            Headers::Map { headers, forwarded }
        } else {
            Headers::Read(Found::read(headers, forwarded))
        }
    }

    fn content_type(&self) -> Option<&'a HeaderValue> {
        match self {
            Headers::Read(found) => found.content_type,
            Headers::Map { headers, .. } => headers.get(CONTENT_TYPE),
        }
    }

    fn origin(&self) -> Option<&'a HeaderValue> {
        match self {
            Headers::Read(found) => found.origin,
            Headers::Map { headers, .. } => headers.get(ORIGIN),
        }
    }

    fn host(&self) -> Option<&'a HeaderValue> {
        match self {
            Headers::Read(found) => found.host,
            Headers::Map { headers, .. } => headers.get(HOST),
        }
    }

    /// `None` unless forwarded headers are trusted.
    fn forwarded_host(&self) -> Option<&'a HeaderValue> {
        match self {
            Headers::Read(found) => found.forwarded_host,
            Headers::Map { headers, forwarded } => {
                forwarded.then(|| headers.get(X_FORWARDED_HOST)).flatten()
            }
        }
    }

    /// `None` unless forwarded headers are trusted.
    fn forwarded_proto(&self) -> Option<&'a HeaderValue> {
        match self {
            Headers::Read(found) => found.forwarded_proto,
            Headers::Map { headers, forwarded } => {
                forwarded.then(|| headers.get(X_FORWARDED_PROTO)).flatten()
            }
        }
    }
}

/// Settings of the origin check. On by default, with the scheme `http`.
#[derive(Debug, Clone)]
pub struct OriginCheck {
    enabled: bool,
    scheme: Arc<str>,
    trust_forwarded: bool,
    allowed: Vec<Arc<str>>,
}

impl Default for OriginCheck {
    fn default() -> Self {
        OriginCheck {
            enabled: true,
            scheme: Arc::from("http"),
            trust_forwarded: false,
            allowed: Vec::new(),
        }
    }
}

impl OriginCheck {
    /// The check as Astro does it: on, the request's origin taken from `Host` with the
    /// scheme `http` (or the request URI's own scheme and authority when it has them).
    pub fn new() -> Self {
        OriginCheck::default()
    }

    /// No check at all.
    pub fn disabled() -> Self {
        OriginCheck {
            enabled: false,
            ..OriginCheck::default()
        }
    }

    /// The scheme of the server's own origin, when the request URI does not carry one
    /// (`https` behind a TLS-terminating proxy).
    pub fn scheme(mut self, scheme: &str) -> Self {
        self.scheme = Arc::from(scheme.to_ascii_lowercase());
        self
    }

    /// Takes the origin from `X-Forwarded-Host` and `X-Forwarded-Proto` when present. Turn
    /// on only behind a proxy that sets them: a client could forge them otherwise.
    pub fn trust_forwarded_headers(mut self, trust: bool) -> Self {
        self.trust_forwarded = trust;
        self
    }

    /// Another origin whose form posts are accepted (`https://app.example.com`).
    pub fn allow_origin(mut self, origin: &str) -> Self {
        self.allowed
            .push(Arc::from(origin.trim_end_matches('/').to_ascii_lowercase()));
        self
    }

    /// Whether the check is on.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The request's own origin: `scheme://host[:port]`, or `None` without a host.
    pub fn request_origin(&self, uri: &Uri, headers: &HeaderMap) -> Option<String> {
        let found = Headers::of(headers, self.trust_forwarded);
        let (scheme, host) = self.origin_parts(uri, &found)?;
        Some(format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        ))
    }

    /// The scheme and host of the request's own origin, as the request gives them.
    fn origin_parts<'a>(&'a self, uri: &'a Uri, found: &Headers<'a>) -> Option<(&'a str, &'a str)> {
        let header = |value: Option<&'a HeaderValue>| {
            value
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.split(',').next())
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        let forwarded_host = header(found.forwarded_host());
        let forwarded_proto = header(found.forwarded_proto());
        let host = forwarded_host
            .or_else(|| uri.authority().map(|authority| authority.as_str()))
            .or_else(|| found.host().and_then(|value| value.to_str().ok()))?;
        let scheme = forwarded_proto
            .or_else(|| uri.scheme_str())
            .unwrap_or(&self.scheme);
        Some((scheme, host))
    }

    /// Whether this request is a cross-site form submission to refuse (Astro's
    /// `isForbiddenCrossOriginRequest`). Compares without allocating: it runs on every form
    /// post.
    pub fn is_forbidden(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> bool {
        if !self.enabled
            || *method == Method::GET
            || *method == Method::HEAD
            || *method == Method::OPTIONS
        {
            return false;
        }
        let found = Headers::of(headers, self.trust_forwarded);
        if let Some(content_type) = found.content_type() {
            let content_type = content_type.as_bytes();
            if !FORM_LIKE
                .iter()
                .any(|form| contains_ignore_ascii_case(content_type, form.as_bytes()))
            {
                return false;
            }
        }
        let Some(origin) = found.origin().and_then(|value| value.to_str().ok()) else {
            return true;
        };
        if self
            .allowed
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(origin))
        {
            return false;
        }
        let Some((scheme, host)) = self.origin_parts(uri, &found) else {
            return true;
        };
        !same_origin(origin.as_bytes(), scheme.as_bytes(), host.as_bytes())
    }

    /// The body of the 403 answer for a forbidden request.
    pub fn forbidden_message(method: &Method) -> String {
        format!("Cross-site {method} form submissions are forbidden")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(check: &OriginCheck, headers: &[(&str, &str)]) -> bool {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        check.is_forbidden(&Method::POST, &Uri::from_static("/page?_action=x"), &map)
    }

    const HOST_HEADER: (&str, &str) = ("host", "127.0.0.1:4322");
    const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

    #[test]
    fn same_origin_form_posts_pass() {
        let check = OriginCheck::new();
        assert!(!forbidden(
            &check,
            &[HOST_HEADER, FORM, ("origin", "http://127.0.0.1:4322")]
        ));
    }

    #[test]
    fn foreign_missing_or_null_origins_are_forbidden_for_form_like_bodies() {
        let check = OriginCheck::new();
        for origin in ["http://evil.test", "null", "https://127.0.0.1:4322"] {
            assert!(
                forbidden(&check, &[HOST_HEADER, FORM, ("origin", origin)]),
                "{origin}"
            );
        }
        assert!(forbidden(&check, &[HOST_HEADER, FORM]));
        assert!(forbidden(
            &check,
            &[HOST_HEADER, ("content-type", "text/plain")]
        ));
        assert!(forbidden(
            &check,
            &[
                HOST_HEADER,
                ("content-type", "multipart/form-data; boundary=x")
            ]
        ));
        // No content type at all: same-origin required too.
        assert!(forbidden(&check, &[HOST_HEADER]));
    }

    #[test]
    fn case_does_not_matter_in_content_types_origins_and_hosts() {
        let check = OriginCheck::new().allow_origin("https://Admin.Example.com");
        let form = (
            "content-type",
            "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
        );
        assert!(forbidden(
            &check,
            &[HOST_HEADER, form, ("origin", "http://evil.test")]
        ));
        assert!(!forbidden(
            &check,
            &[
                ("host", "LocalHost:4322"),
                form,
                ("origin", "HTTP://localhost:4322")
            ]
        ));
        assert!(!forbidden(
            &check,
            &[HOST_HEADER, form, ("origin", "https://admin.EXAMPLE.com")]
        ));
        // Not the same origin: another scheme, or the origin only a prefix of the host's.
        assert!(forbidden(
            &check,
            &[HOST_HEADER, form, ("origin", "https://127.0.0.1:4322")]
        ));
        assert!(forbidden(
            &check,
            &[HOST_HEADER, form, ("origin", "http://127.0.0.1")]
        ));
        assert!(forbidden(
            &check,
            &[HOST_HEADER, form, ("origin", "127.0.0.1:4322")]
        ));
    }

    #[test]
    fn json_is_never_checked() {
        let check = OriginCheck::new();
        assert!(!forbidden(
            &check,
            &[
                HOST_HEADER,
                ("content-type", "application/json"),
                ("origin", "http://evil.test")
            ]
        ));
    }

    #[test]
    fn safe_methods_and_a_disabled_check_pass() {
        let headers = HeaderMap::new();
        let uri = Uri::from_static("/");
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(!OriginCheck::new().is_forbidden(&method, &uri, &headers));
        }
        assert!(!OriginCheck::disabled().is_forbidden(&Method::POST, &uri, &headers));
    }

    #[test]
    fn forwarded_headers_count_only_when_trusted() {
        let headers = [
            HOST_HEADER,
            FORM,
            ("x-forwarded-host", "app.example.com"),
            ("x-forwarded-proto", "https"),
            ("origin", "https://app.example.com"),
        ];
        assert!(forbidden(&OriginCheck::new(), &headers));
        assert!(!forbidden(
            &OriginCheck::new().trust_forwarded_headers(true),
            &headers
        ));
    }

    #[test]
    fn extra_trusted_origins_pass() {
        let check = OriginCheck::new().allow_origin("https://admin.example.com/");
        assert!(!forbidden(
            &check,
            &[HOST_HEADER, FORM, ("origin", "https://admin.example.com")]
        ));
    }

    #[test]
    fn the_message_names_the_method() {
        assert_eq!(
            OriginCheck::forbidden_message(&Method::PUT),
            "Cross-site PUT form submissions are forbidden"
        );
    }

    /// The byte scan for `://` against `split_once`, on long seeded sequences of origins and
    /// hosts that differ in case, scheme, port and separators.
    #[test]
    fn origins_compare_as_split_once_compared_them() {
        const SCHEMES: &[&str] = &["http", "HTTP", "https", "", "h:", "http:/", "ftp"];
        const SEPARATORS: &[&str] = &["://", ":/", ":///", "", "//", "://:/"];
        const HOSTS: &[&str] = &[
            "a.test",
            "A.Test",
            "a.test:80",
            "a.test:8",
            "",
            "é.test",
            "://",
        ];
        let mut rng = crate::test_rng::Rng(0x5eed_0419);
        let mut next = |n: usize| rng.below(n);
        let check = OriginCheck::new();
        for step in 0..20_000 {
            let origin = format!(
                "{}{}{}",
                SCHEMES[next(SCHEMES.len())],
                SEPARATORS[next(SEPARATORS.len())],
                HOSTS[next(HOSTS.len())]
            );
            let host = HOSTS[next(HOSTS.len())];
            // A header that is not visible ASCII is no origin (no host): forbidden.
            let expected = !origin.is_ascii()
                || !host.is_ascii()
                || !origin.split_once("://").is_some_and(|(scheme, rest)| {
                    scheme.eq_ignore_ascii_case("http") && rest.eq_ignore_ascii_case(host)
                });
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, FORM.1.parse().unwrap());
            if let (Ok(origin), Ok(host)) = (origin.parse(), host.parse()) {
                headers.insert(ORIGIN, origin);
                headers.insert(HOST, host);
            } else {
                continue;
            }
            let forbidden = check.is_forbidden(&Method::POST, &Uri::from_static("/x"), &headers);
            assert_eq!(
                forbidden, expected,
                "step {step}: {origin:?} against {host:?}"
            );
        }
    }

    /// The check as it was written before the headers were read in one pass (three hashed
    /// lookups, `&str` names for the forwarded headers, no whole-prefix shortcuts): the
    /// reference of the equivalence test below.
    fn reference_parts<'a>(
        check: &'a OriginCheck,
        uri: &'a Uri,
        headers: &'a HeaderMap,
    ) -> Option<(&'a str, &'a str)> {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.split(',').next())
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        let forwarded_host = check
            .trust_forwarded
            .then(|| header("x-forwarded-host"))
            .flatten();
        let forwarded_proto = check
            .trust_forwarded
            .then(|| header("x-forwarded-proto"))
            .flatten();
        let host = forwarded_host
            .or_else(|| uri.authority().map(|authority| authority.as_str()))
            .or_else(|| headers.get(HOST).and_then(|value| value.to_str().ok()))?;
        let scheme = forwarded_proto
            .or_else(|| uri.scheme_str())
            .unwrap_or(&check.scheme);
        Some((scheme, host))
    }

    fn reference_is_forbidden(
        check: &OriginCheck,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> bool {
        if !check.enabled || [Method::GET, Method::HEAD, Method::OPTIONS].contains(method) {
            return false;
        }
        if let Some(content_type) = headers.get(CONTENT_TYPE) {
            let content_type = content_type.as_bytes();
            if !FORM_LIKE.iter().any(|form| {
                content_type
                    .windows(form.len())
                    .any(|window| window.eq_ignore_ascii_case(form.as_bytes()))
            }) {
                return false;
            }
        }
        let Some(origin) = headers.get(ORIGIN).and_then(|value| value.to_str().ok()) else {
            return true;
        };
        if check
            .allowed
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(origin))
        {
            return false;
        }
        let Some((scheme, host)) = reference_parts(check, uri, headers) else {
            return true;
        };
        !origin
            .split_once("://")
            .is_some_and(|(origin_scheme, origin_host)| {
                origin_scheme.eq_ignore_ascii_case(scheme) && origin_host.eq_ignore_ascii_case(host)
            })
    }

    /// The one-pass reading (small maps) and the lookups (large maps) answer what the
    /// reference answers, over seeded header maps: the checked names in any order and case,
    /// repeated (only the first value counts), among up to 14 other names (both sides of
    /// the one-pass limit), values in odd case, with commas, spaces, empty, or not UTF-8;
    /// with and without `Host`, URIs with and without an authority, every setting.
    #[test]
    fn one_pass_reading_answers_what_the_lookups_answered() {
        const NAMES: &[&str] = &[
            "content-type",
            "Content-Type",
            "origin",
            "ORIGIN",
            "host",
            "Host",
            "x-forwarded-host",
            "X-Forwarded-Host",
            "x-forwarded-proto",
            "X-Forwarded-PROTO",
        ];
        const CONTENT_TYPES: &[&[u8]] = &[
            b"application/x-www-form-urlencoded",
            b"Application/X-WWW-Form-Urlencoded; charset=UTF-8",
            b"multipart/form-data; boundary=x",
            b"text/plain",
            b"TEXT/PLAIN;charset=utf-8",
            b"application/json",
            b"",
            b"text/plai",
            b"x; application/x-www-form-urlencoded",
            b"application/x-www-form-urlencoded\xff",
        ];
        const ORIGINS: &[&[u8]] = &[
            b"http://localhost",
            b"HTTP://LocalHost",
            b"https://localhost",
            b"http://localhost:8080",
            b"https://app.example.com",
            b"https://Admin.example.com",
            b"null",
            b"",
            b"http://",
            b"://localhost",
            b"http://l\xe9calhost",
            b"http://localhost, http://evil.test",
        ];
        const HOSTS: &[&[u8]] = &[
            b"localhost",
            b"LOCALHOST",
            b"localhost:8080",
            b"app.example.com",
            b"app.example.com, evil.test",
            b" app.example.com ",
            b"",
            b",",
            b"l\xe9calhost",
        ];
        const PROTOS: &[&[u8]] = &[b"https", b"HTTP", b"http, https", b"", b" ", b"h\xe9"];
        const URIS: &[&str] = &[
            "/?_action=x",
            "/",
            "http://localhost/?_action=x",
            "https://app.example.com/x",
            "http://LocalHost:8080/",
        ];
        let checks = [
            OriginCheck::new(),
            OriginCheck::new().trust_forwarded_headers(true),
            OriginCheck::new().scheme("HTTPS"),
            OriginCheck::new()
                .trust_forwarded_headers(true)
                .allow_origin("https://admin.example.com"),
            OriginCheck::disabled(),
        ];
        let methods = [Method::POST, Method::PUT, Method::GET, Method::DELETE];
        let mut rng = crate::test_rng::Rng(0x0419_5eed_cafe);
        let mut compared_small = 0;
        let mut compared_large = 0;
        for step in 0..60_000 {
            let mut headers = HeaderMap::new();
            let others = rng.below(15);
            let checked = rng.below(7);
            for _ in 0..others + checked {
                if rng.below(others + checked) < others {
                    let name = format!("x-other-{}", rng.below(20));
                    let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
                    headers.append(name, HeaderValue::from_static("v"));
                    continue;
                }
                let name = NAMES[rng.below(NAMES.len())];
                let pool = match name.to_ascii_lowercase().as_str() {
                    "content-type" => CONTENT_TYPES,
                    "origin" => ORIGINS,
                    "x-forwarded-proto" => PROTOS,
                    _ => HOSTS,
                };
                let value = HeaderValue::from_bytes(pool[rng.below(pool.len())]).unwrap();
                headers.append(HeaderName::from_bytes(name.as_bytes()).unwrap(), value);
            }
            let uri: Uri = URIS[rng.below(URIS.len())].parse().unwrap();
            let check = &checks[rng.below(checks.len())];
            let method = &methods[rng.below(methods.len())];
            assert_eq!(
                check.is_forbidden(method, &uri, &headers),
                reference_is_forbidden(check, method, &uri, &headers),
                "step {step}: {method} {uri} {headers:?} {check:?}"
            );
            assert_eq!(
                check.request_origin(&uri, &headers),
                reference_parts(check, &uri, &headers).map(|(scheme, host)| format!(
                    "{}://{}",
                    scheme.to_ascii_lowercase(),
                    host.to_ascii_lowercase()
                )),
                "step {step}: {uri} {headers:?} {check:?}"
            );
            if headers.len() > ONE_PASS_VALUES {
                compared_large += 1;
            } else {
                compared_small += 1;
            }
        }
        assert!(compared_small > 10_000 && compared_large > 10_000);
    }
}
