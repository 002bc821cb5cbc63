//! The smallest app: one action, `greet`, answering an HTML form on the page and RPC calls.
//!
//! ```text
//! cargo run --example hello     # then open http://127.0.0.1:3000
//! curl -s -H 'origin: http://127.0.0.1:3000' -d name=Ada http://127.0.0.1:3000/_actions/greet
//! ```

use axum::{Router, extract::Request, response::Html, routing::get};
use tower_actions::{Action, ActionApiContext, ActionError, Actions, ActionsLayer, input::Accept};

#[derive(serde::Deserialize, garde::Validate)]
struct Greeting {
    #[garde(
        custom(tower_actions::check::min(1)),
        custom(tower_actions::check::max(40))
    )]
    name: String,
}

struct Greet;

impl Action for Greet {
    const NAME: &'static str = "greet";
    const ACCEPT: Accept = Accept::Form;
    type Input = Greeting;
    type Output = String;

    async fn handle(
        &self,
        input: Greeting,
        _: &mut ActionApiContext,
    ) -> Result<String, ActionError> {
        Ok(format!("Hello, {}!", input.name))
    }
}

/// The page: the form, and after a post the greeting (or the error) in place.
async fn page(request: Request) -> Html<String> {
    let said = match tower_actions::action_result::<Greet, _>(&request) {
        Some(Ok(greeting)) => greeting,
        Some(Err(err)) => err.message().into_owned(),
        None => String::new(),
    };
    let said = said.replace('&', "&amp;").replace('<', "&lt;");
    Html(format!(
        r#"<p>{said}</p><form method="post" action="?_action=greet"><input name="name"><button>Greet</button></form>"#
    ))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new()
        .route("/", get(page).post(page))
        .layer(ActionsLayer::new(Actions::new().add(Greet)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, app).await
}
