//! [`ActionPayload`]: the form action that ran for a page request, and [`action_result`], the
//! page's accessor for it.
//!
//! A form action (`POST /page?_action=name`) runs, then the page renders with the payload in
//! its request extensions (Astro's `locals._actionPayload`). With POST/redirect/GET the same
//! payload is kept in a [`ResultStore`](crate::persist::ResultStore) and handed to the page of
//! the `GET` after the redirect.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::action::Action;
use crate::error::ActionError;
use crate::result::SerializedActionResult;

/// The result of the form action that ran for this page request, with the values the user
/// submitted: in the page request's extensions (Astro's `locals._actionPayload`), and what a
/// [`ResultStore`](crate::persist::ResultStore) keeps between a POST and the `GET` after it.
///
/// A page reads its typed result with [`action_result`]; it reads the payload itself when it
/// needs the submitted values or does not know which action ran:
///
/// ```
/// use tower_actions::ActionPayload;
///
/// fn typed_name<B>(request: &http::Request<B>) -> &str {
///     request
///         .extensions()
///         .get::<ActionPayload>()
///         .and_then(|payload| payload.value("name"))
///         .unwrap_or("")
/// }
/// # assert_eq!(typed_name(&http::Request::new(())), "");
/// ```
#[doc(alias = "_actionPayload")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPayload {
    /// The action's name.
    #[serde(rename = "actionName")]
    pub name: String,
    /// Its serialized result.
    #[serde(rename = "actionResult")]
    pub result: SerializedActionResult,
    /// The submitted non-file form values, in order (empty for a JSON body). A page shows
    /// them again next to the field errors of an input error.
    #[serde(default)]
    pub input: Vec<(String, String)>,
}

impl ActionPayload {
    /// The first submitted value of a form field.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.input
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The typed result of action `A`: `None` unless `A` is the action that ran.
    pub(crate) fn result_of<A>(&self) -> Option<Result<A::Output, ActionError>>
    where
        A: Action,
        A::Output: DeserializeOwned,
    {
        (self.name == A::NAME).then(|| self.result.deserialize())
    }
}

/// The result of action `A` for this page request: `None` unless `A` is the form action
/// that ran (Astro's `Astro.getActionResult(actions.x)`). With axum, the extractor
/// [`extract::ActionResult`](crate::extract::ActionResult) gives the same.
///
/// ```
/// # use tower_actions::{Action, ActionApiContext, ActionError, input::RawJson};
/// # struct Subscribe;
/// # impl Action for Subscribe {
/// #     const NAME: &'static str = "subscribe";
/// #     type Input = RawJson;
/// #     type Output = String;
/// #     async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<String, ActionError> { Ok("ok".into()) }
/// # }
/// fn page<B>(request: &http::Request<B>) -> String {
///     match tower_actions::action_result::<Subscribe, _>(request) {
///         None => "no submission".into(),
///         Some(Ok(message)) => message,
///         Some(Err(err)) => format!("failed: {}", err.message()),
///     }
/// }
/// # assert_eq!(page(&http::Request::new(())), "no submission");
/// ```
#[doc(alias = "getActionResult")]
pub fn action_result<A, B>(request: &http::Request<B>) -> Option<Result<A::Output, ActionError>>
where
    A: Action,
    A::Output: DeserializeOwned,
{
    request
        .extensions()
        .get::<ActionPayload>()?
        .result_of::<A>()
}
