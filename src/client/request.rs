//! The request for one action call: where it goes, its headers and its body: `POST`
//! to the action's path with `Accept: application/json`, and the JSON or form body.

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use http_body_util::Full;
use serde::Serialize;

use super::form::to_form_data;
use super::form_body::form_body;
use super::json::json_body;
use super::path::{TrailingSlash, action_path_for};
use crate::action::{Accept, Action};
use crate::error::{ActionError, ActionErrorCode};

/// Where a client sends its calls, and what it adds to each.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// `scheme://authority` of the server, or empty to send bare paths.
    pub(crate) origin: String,
    /// The base path (Astro's `base`).
    pub(crate) base: String,
    pub(crate) trailing_slash: TrailingSlash,
    /// Headers added to every request.
    pub(crate) headers: HeaderMap,
}

impl Config {
    /// A config for `base_url`: an origin with an optional base path
    /// (`http://127.0.0.1:4322/docs`), or just a base path (`/`).
    pub(crate) fn new(base_url: &str) -> Config {
        let (origin, base) = match base_url.find("://") {
            Some(at) => {
                let rest = &base_url[at + 3..];
                let split = rest.find('/').map_or(base_url.len(), |i| at + 3 + i);
                base_url.split_at(split)
            }
            None => ("", base_url),
        };
        Config {
            origin: origin.to_owned(),
            base: if base.is_empty() {
                "/".to_owned()
            } else {
                base.to_owned()
            },
            trailing_slash: TrailingSlash::default(),
            headers: HeaderMap::new(),
        }
    }

    /// The path of the action named `name`.
    pub(crate) fn path(&self, name: &str) -> String {
        action_path_for(name, &self.base, self.trailing_slash)
    }

    /// The full URL (or the path, without an origin) of the action named `name`.
    pub(crate) fn url(&self, name: &str) -> String {
        format!("{}{}", self.origin, self.path(name))
    }

    /// The request calling `A` with `input`.
    pub(crate) fn request<A>(&self, input: &A::Input) -> Result<Request<Full<Bytes>>, ActionError>
    where
        A: Action,
        A::Input: Serialize,
    {
        let (content_type, body) = match A::ACCEPT {
            Accept::Json => match json_body(input)? {
                Some(json) => (Some("application/json".to_owned()), json),
                None => (None, Vec::new()),
            },
            Accept::Form => {
                let form = to_form_data(input).map_err(|e| {
                    ActionError::new(
                        ActionErrorCode::BadRequest,
                        format!("Failed to serialize request body to FormData. Full error: {e}"),
                    )
                })?;
                let (content_type, body) = form_body(&form);
                (Some(content_type), body)
            }
        };
        let uri = Uri::try_from(self.url(A::NAME)).map_err(ActionError::internal)?;
        let length = body.len();
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut last = None;
        for (name, value) in self.headers.clone() {
            if let Some(name) = name {
                headers.remove(&name);
                last = Some(name);
            }
            if let Some(name) = &last {
                headers.append(name.clone(), value);
            }
        }
        if let Some(content_type) = content_type {
            let value = HeaderValue::try_from(content_type).map_err(ActionError::internal)?;
            headers.insert(CONTENT_TYPE, value);
        }
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ActionApiContext, RawJson};

    #[test]
    fn base_urls_split_into_origin_and_base() {
        let c = Config::new("http://127.0.0.1:4322");
        assert_eq!(
            (c.origin.as_str(), c.base.as_str()),
            ("http://127.0.0.1:4322", "/")
        );
        assert_eq!(c.url("greet"), "http://127.0.0.1:4322/_actions/greet/");
        let c = Config::new("https://example.com/docs/");
        assert_eq!(
            (c.origin.as_str(), c.base.as_str()),
            ("https://example.com", "/docs/")
        );
        assert_eq!(
            c.url("blog.like"),
            "https://example.com/docs/_actions/blog.like/"
        );
        let c = Config::new("/");
        assert_eq!((c.origin.as_str(), c.base.as_str()), ("", "/"));
        assert_eq!(c.url("greet"), "/_actions/greet/");
        let c = Config::new("");
        assert_eq!(c.url("greet"), "/_actions/greet/");
    }

    struct Json;
    impl Action for Json {
        const NAME: &'static str = "json";
        type Input = RawJson;
        type Output = ();
        async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<(), ActionError> {
            Ok(())
        }
    }

    #[test]
    fn json_requests_are_posts_with_json_or_nothing() {
        let mut config = Config::new("/");
        config.trailing_slash = TrailingSlash::Never;
        config
            .headers
            .insert("origin", HeaderValue::from_static("http://x.test"));
        config
            .headers
            .insert(ACCEPT, HeaderValue::from_static("*/*"));
        let request = config
            .request::<Json>(&RawJson(Some(serde_json::json!({"a": 1}))))
            .unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri(), "/_actions/json");
        let h = request.headers();
        assert_eq!(h["content-type"], "application/json");
        assert_eq!(h["content-length"], "9"); // `{"a":1.0}`: RawJson numbers are doubles
        assert_eq!(h["origin"], "http://x.test");
        assert_eq!(h.get_all(ACCEPT).iter().collect::<Vec<_>>(), ["*/*"]);

        let request = config.request::<Json>(&RawJson(None)).unwrap();
        assert!(request.headers().get("content-type").is_none());
        assert_eq!(request.headers()["content-length"], "0");
        assert_eq!(request.headers()["accept"], "*/*");
    }
}
