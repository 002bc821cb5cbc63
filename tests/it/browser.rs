//! The demo app in a real browser: headless Chromium driven by `playwright-core` from Node.
//!
//! The test starts the demo (`examples/demo/app.rs`, included below) in process on a free
//! 127.0.0.1 port, and a second server on another port that serves a cross-site form. It then
//! runs `tests/browser/demo.spec.mjs` with Node against both. `playwright-core` is installed
//! at test time into `target/browser-tests/` (never committed); Chromium is Debian's
//! (`/usr/bin/chromium`, or `$CHROMIUM`). Playwright never downloads a browser here.
//!
//! Without Node, npm or Chromium the test fails and says how to install them: it is never
//! skipped.

use crate::common::browser::{INSTALL_HINT, chromium, manifest_dir, target_dir};
use crate::demo;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_actions::persist::CookieResults;

/// The `playwright-core` version the spec is written against.
const PLAYWRIGHT_CORE: &str = "1.65.1";

async fn require_tool(name: &str) {
    let found = tokio::process::Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .is_ok_and(|status| status.success());
    assert!(found, "`{name}` not found. {INSTALL_HINT}");
}

/// Installs `playwright-core` into `target/browser-tests` unless it is there already.
async fn playwright_dir() -> PathBuf {
    let dir = target_dir().join("browser-tests");
    let installed = dir.join("node_modules/playwright-core/package.json");
    let wanted = format!("\"version\": \"{PLAYWRIGHT_CORE}\"");
    if std::fs::read_to_string(&installed).is_ok_and(|manifest| manifest.contains(&wanted)) {
        return dir;
    }
    std::fs::create_dir_all(&dir).expect("create target/browser-tests");
    // A package.json of its own, so that npm installs here and never looks further up.
    std::fs::write(
        dir.join("package.json"),
        format!(
            r#"{{"name":"tower-actions-browser-tests","private":true,"dependencies":{{"playwright-core":"{PLAYWRIGHT_CORE}"}}}}"#
        ),
    )
    .expect("write target/browser-tests/package.json");
    let output = tokio::process::Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .output()
        .await
        .unwrap_or_else(|err| panic!("could not run npm: {err}. {INSTALL_HINT}"));
    assert!(
        output.status.success(),
        "`npm install playwright-core@{PLAYWRIGHT_CORE}` failed in {}:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// A page on another origin whose form posts to the demo: a cross-site form submission.
fn cross_site_page(demo: &str) -> Router {
    let page = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title></head>
<body>
  <form method="post" action="{demo}/?_action=guestbook.sign" id="cross-site-form">
    <input name="name" value="Mallory">
    <input name="message" value="Signed from another site">
    <button>Sign somebody else's guestbook</button>
  </form>
</body></html>"#
    );
    Router::new().route("/", get(move || async move { Html(page) }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_works_in_headless_chromium() {
    let chromium = chromium();
    require_tool("node").await;
    require_tool("npm").await;
    let modules = playwright_dir().await;

    let results = CookieResults::new(cookie::Key::generate());
    let demo_url = serve(demo::app(results)).await;
    let cross_url = serve(cross_site_page(&demo_url)).await;

    let spec = manifest_dir().join("tests/browser/demo.spec.mjs");
    let screenshot = target_dir().join("browser-tests/demo.png");
    let started = Instant::now();
    let run = tokio::process::Command::new("node")
        .arg(&spec)
        .env("DEMO_URL", &demo_url)
        .env("CROSS_URL", &cross_url)
        .env("CHROMIUM", &chromium)
        .env("PLAYWRIGHT_DIR", &modules)
        .env("SCREENSHOT", &screenshot)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(180), run)
        .await
        .expect("the browser tests took more than 3 minutes")
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser tests failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    println!("{stdout}");
    println!(
        "browser tests took {:.1?} (screenshot: {})",
        started.elapsed(),
        screenshot.display()
    );
    assert!(
        Path::new(&screenshot).is_file(),
        "no screenshot at {}",
        screenshot.display()
    );
}
