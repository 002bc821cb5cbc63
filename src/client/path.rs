//! Where an action lives: its RPC path (`getActionPath`) and its form query string
//! (`actions.x.queryString`), encoded exactly as Astro's client encodes them: each dotted segment of the name
//! `encodeURIComponent`-encoded and the dots between them kept, after the base path and
//! `/_actions/`, with a trailing `/` when the site's `trailingSlash` says so.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::action::Action;

/// What `encodeURIComponent` leaves alone: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// What `URLSearchParams` leaves alone (`A-Z a-z 0-9 * - . _`); space becomes `+`.
const SEARCH_PARAMS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// Whether the client appends `/` to an action's path (Astro's `trailingSlash` config, as
/// `shouldAppendTrailingSlash` reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TrailingSlash {
    /// `/_actions/greet/`: Astro's `trailingSlash: 'always'`, and its default (`'ignore'`
    /// with `build.format: 'directory'`).
    #[default]
    Always,
    /// `/_actions/greet`: Astro's `trailingSlash: 'never'` (and `'ignore'` with
    /// `build.format: 'file'`).
    Never,
}

/// `encodeURIComponent(text)`, with `.` also encoded (`%2E`) as Astro's action proxy does.
pub(crate) fn encode_uri_component(text: &str) -> String {
    utf8_percent_encode(text, URI_COMPONENT)
        .to_string()
        .replace('.', "%2E")
}

/// One value as `URLSearchParams` writes it (`application/x-www-form-urlencoded`).
pub(crate) fn encode_search_param(text: &str) -> String {
    utf8_percent_encode(text, SEARCH_PARAMS)
        .to_string()
        .replace("%20", "+")
}

/// The action's name as the client's proxy builds it: each dotted segment
/// `encodeURIComponent`-ed (a `.` inside a segment as `%2E`), joined by `.`.
///
/// ```
/// use tower_actions::client::encoded_name;
///
/// assert_eq!(encoded_name("blog.like"), "blog.like");
/// assert_eq!(encoded_name("with space"), "with%20space");
/// assert_eq!(encoded_name("with/slash"), "with%2Fslash");
/// ```
pub fn encoded_name(name: &str) -> String {
    name.split('.')
        .map(encode_uri_component)
        .collect::<Vec<_>>()
        .join(".")
}

/// The RPC path of the action named `name` under `base` (Astro's `getActionPath`): `base`
/// with one trailing `/` removed, `/_actions/`, the [encoded name](encoded_name), and `/`
/// when `trailing_slash` says so.
///
/// ```
/// use tower_actions::client::{TrailingSlash, action_path_for};
///
/// assert_eq!(action_path_for("subscribe", "/", TrailingSlash::Always), "/_actions/subscribe/");
/// assert_eq!(action_path_for("blog.like", "/base/", TrailingSlash::Never), "/base/_actions/blog.like");
/// ```
pub fn action_path_for(name: &str, base: &str, trailing_slash: TrailingSlash) -> String {
    let base = base.strip_suffix('/').unwrap_or(base);
    let mut path = String::with_capacity(base.len() + name.len() + 12);
    if !base.is_empty() && !base.starts_with('/') {
        path.push('/');
    }
    path.push_str(base);
    path.push_str("/_actions/");
    path.push_str(&encoded_name(name));
    if trailing_slash == TrailingSlash::Always {
        path.push('/');
    }
    path
}

/// The form query string of the action named `name` (the proxy's `queryString`):
/// `?_action=` and the [encoded name](encoded_name) as `URLSearchParams` writes it.
///
/// ```
/// use tower_actions::client::query_string_for;
///
/// assert_eq!(query_string_for("blog.like"), "?_action=blog.like");
/// assert_eq!(query_string_for("with/slash"), "?_action=with%252Fslash");
/// ```
pub fn query_string_for(name: &str) -> String {
    format!("?_action={}", encode_search_param(&encoded_name(name)))
}

/// The RPC path of `A` with Astro's default config (base `/`, trailing slash):
/// `/_actions/blog.like/`. [`ActionClient::action_path`](super::ActionClient::action_path)
/// uses the client's config instead.
pub fn action_path<A: Action>() -> String {
    action_path_for(A::NAME, "/", TrailingSlash::Always)
}

/// The query string that makes a page's form call `A`: `?_action=blog.like` (use it as a
/// form's `action`).
pub fn query_string<A: Action>() -> String {
    query_string_for(A::NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_paths_as_astros_client_writes_them() {
        let default = |name| action_path_for(name, "/", TrailingSlash::Always);
        assert_eq!(default("subscribe"), "/_actions/subscribe/");
        assert_eq!(default("blog.like"), "/_actions/blog.like/");
        assert_eq!(default("with space"), "/_actions/with%20space/");
        // `with.dot` can only be a namespace here: names are dotted paths.
        assert_eq!(default("with.dot"), "/_actions/with.dot/");
        assert_eq!(encode_uri_component("with.dot"), "with%2Edot");
        assert_eq!(encode_uri_component("my.action"), "my%2Eaction");
        assert_eq!(
            action_path_for("subscribe", "/", TrailingSlash::Never),
            "/_actions/subscribe"
        );
        assert_eq!(
            action_path_for("subscribe", "/base", TrailingSlash::Always),
            "/base/_actions/subscribe/"
        );
    }

    #[test]
    fn action_paths_of_action_path_test() {
        use TrailingSlash::{Always, Never};
        let cases = [
            ("subscribe", "/", Never, "/_actions/subscribe"),
            ("subscribe", "/base", Never, "/base/_actions/subscribe"),
            ("subscribe", "/base/", Never, "/base/_actions/subscribe"),
            ("subscribe", "/", Always, "/_actions/subscribe/"),
            (
                "transformFormInput",
                "/base",
                Always,
                "/base/_actions/transformFormInput/",
            ),
            ("user.admins.auth", "/", Never, "/_actions/user.admins.auth"),
            ("subscribe", "", Never, "/_actions/subscribe"),
            ("subscribe", "base", Never, "/base/_actions/subscribe"),
        ];
        for (name, base, trailing_slash, path) in cases {
            assert_eq!(
                action_path_for(name, base, trailing_slash),
                path,
                "{name} under {base:?}"
            );
        }
    }

    #[test]
    fn query_strings_of_action_path_test_and_proxy_test() {
        // `getActionQueryString(path)` encodes the path it is given…
        assert_eq!(encode_search_param("subscribe"), "subscribe");
        assert_eq!(encode_search_param("user.admins.auth"), "user.admins.auth");
        assert_eq!(encode_search_param("with/slash"), "with%2Fslash");
        // …and the proxy gives it the encoded name.
        assert_eq!(query_string_for("subscribe"), "?_action=subscribe");
        assert_eq!(query_string_for("user.auth"), "?_action=user.auth");
        assert_eq!(query_string_for("blog.like"), "?_action=blog.like");
        assert_eq!(query_string_for("with/slash"), "?_action=with%252Fslash");
        assert_eq!(query_string_for("with space"), "?_action=with%2520space");
        assert_eq!(
            format!(
                "?_action={}",
                encode_search_param(&encode_uri_component("with.dot"))
            ),
            "?_action=with%252Edot"
        );
        assert_eq!(encoded_name("with/slash"), "with%2Fslash");
    }

    #[test]
    fn search_params_and_uri_components_encode_like_javascript() {
        assert_eq!(
            encode_search_param("a b%/+*-._~!"),
            "a+b%25%2F%2B*-._%7E%21"
        );
        assert_eq!(
            encode_uri_component("a b%/+*-_~!'()"),
            "a%20b%25%2F%2B*-_~!'()"
        );
        assert_eq!(encode_uri_component("é"), "%C3%A9");
    }
}
