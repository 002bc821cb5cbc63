//! The generated clients, for real: the parity fixture's TypeScript module type-checked with
//! `tsc --strict` together with `tests/typescript/main.ts`, which then runs under Node against
//! a live fixture server; the same program against the plain JavaScript module, alone in a
//! folder; both modules against Astro 7.3.5's own client, call for call
//! (`tests/typescript/client-parity.mjs`, with what Astro's client did recorded in
//! `tests/typescript/astro-client.json`); and the plain module's devalue parser against npm
//! `devalue`.
//!
//! Needs `node` (≥ 20) and `npm`. `typescript@7.0.2` and `devalue@5.9.4` are installed once into
//! `$CARGO_TARGET_TMPDIR/typescript-npm` (never into the repository) and reused afterwards.

use crate::common::npm_install;
use crate::parity;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use tower_actions::client::TrailingSlash;

/// How to get Node and npm, for the failure messages.
const INSTALL_NODE: &str = "these tests need Node.js >= 20 and npm on the PATH: install them \
    (e.g. `apt-get install nodejs npm`, or from https://nodejs.org), or run without the feature \
    `typescript`";

const MAIN_TS: &str = include_str!("../typescript/main.ts");
const DEVALUE_MJS: &str = include_str!("../typescript/devalue.mjs");
const CALLS_MJS: &str = include_str!("../typescript/calls.mjs");
const CLIENT_PARITY_MJS: &str = include_str!("../typescript/client-parity.mjs");
const ASTRO_CLIENT_JSON: &str = include_str!("../typescript/astro-client.json");
const ASTRO_CLIENT_APP_JSON: &str = include_str!("../typescript/astro-client-app.json");

/// The folder holding `node_modules` with `typescript` and `devalue`, installed on first use.
fn npm_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-npm");
        std::fs::create_dir_all(&dir).unwrap();
        let node = Command::new("node").arg("--version").output();
        match node {
            Ok(out) if out.status.success() => {}
            _ => panic!("`node --version` failed: {INSTALL_NODE}"),
        }
        let modules = dir.join("node_modules");
        let installed = modules.join("typescript/package.json").is_file()
            && modules.join("devalue/package.json").is_file();
        if !installed {
            let started = std::time::Instant::now();
            npm_install(&dir, &["typescript@7.0.2", "devalue@5.9.4"], INSTALL_NODE);
            eprintln!("npm install took {:?}", started.elapsed());
        }
        dir
    })
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A fresh folder for one test's files.
fn scratch(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("package.json"), r#"{"type":"module"}"#).unwrap();
    dir
}

/// Runs `tsc` from the npm folder with `args`, in `dir`.
fn tsc(dir: &Path, args: &[&str]) -> Output {
    let tsc = npm_dir().join("node_modules/typescript/bin/tsc");
    Command::new("node")
        .arg(tsc)
        .args([
            "--strict",
            "--target",
            "es2022",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--lib",
            "esnext,dom",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("node runs tsc")
}

/// The test program, type-checked and compiled with the TypeScript module: the folder of
/// `main.js` (and `actions.js`, compiled from the module).
fn compiled_program() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch(npm_dir(), "ts");
        std::fs::write(dir.join("actions.ts"), parity::typescript().typescript()).unwrap();
        std::fs::write(dir.join("main.ts"), MAIN_TS).unwrap();
        let check = tsc(&dir, &["--noEmit", "actions.ts", "main.ts"]);
        assert!(
            check.status.success(),
            "tsc --strict --noEmit failed:\n{}",
            text(&check)
        );
        let build = tsc(&dir, &["--outDir", "out", "actions.ts", "main.ts"]);
        assert!(build.status.success(), "tsc failed:\n{}", text(&build));
        std::fs::write(dir.join("out/package.json"), r#"{"type":"module"}"#).unwrap();
        dir.join("out")
    })
}

/// Serves the parity fixture on a free port; its origin.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, parity::app()).await.unwrap() });
    origin
}

/// Runs `node <script>` in `dir` with `ORIGIN`, and asserts every check passed; the number of checks.
async fn node(dir: &Path, script: &str, origin: &str) -> usize {
    let out = tokio::process::Command::new("node")
        .arg(script)
        .env("ORIGIN", origin)
        .current_dir(dir)
        .output()
        .await
        .unwrap_or_else(|err| panic!("cannot run `node` ({err}): {INSTALL_NODE}"));
    let output = text(&out);
    assert!(out.status.success(), "node {script} failed:\n{output}");
    let count = output
        .lines()
        .find_map(|line| {
            line.strip_prefix("ok ")?
                .strip_suffix(" checks")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("node {script} printed no count:\n{output}"));
    eprintln!("{script}: {count} checks passed");
    count
}

#[tokio::test(flavor = "multi_thread")]
async fn the_typescript_client_type_checks_and_calls_every_action() {
    let program = tokio::task::spawn_blocking(compiled_program).await.unwrap();
    let origin = serve().await;
    let checks = node(program, "main.js", &origin).await;
    assert!(checks >= 80, "{checks} checks");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_javascript_client_alone_calls_every_action() {
    let program = tokio::task::spawn_blocking(compiled_program).await.unwrap();
    // A folder with no `node_modules` anywhere above: the module must need nothing else.
    let dir = scratch(&std::env::temp_dir(), "tower-actions-js");
    let module = parity::typescript().javascript();
    assert!(
        !module.lines().any(|line| line.starts_with("import ")),
        "the plain module imports nothing"
    );
    std::fs::write(dir.join("actions.js"), module).unwrap();
    std::fs::copy(program.join("main.js"), dir.join("main.js")).unwrap();
    let origin = serve().await;
    let checks = node(&dir, "main.js", &origin).await;
    assert!(checks >= 80, "{checks} checks");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes the client-parity program next to `actions.js` in `dir`, runs it, and asserts that
/// every call recorded from Astro's client went the same way.
async fn client_parity(dir: &Path, recorded: &str) {
    std::fs::write(dir.join("calls.mjs"), CALLS_MJS).unwrap();
    std::fs::write(dir.join("client-parity.mjs"), CLIENT_PARITY_MJS).unwrap();
    std::fs::write(dir.join("astro-client.json"), recorded).unwrap();
    let checks = node(dir, "client-parity.mjs", "").await;
    assert!(checks >= 130, "{checks} checks");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_typescript_client_behaves_as_astros_client() {
    let program = tokio::task::spawn_blocking(compiled_program).await.unwrap();
    client_parity(program, ASTRO_CLIENT_JSON).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_javascript_client_behaves_as_astros_client() {
    let dir = scratch(&std::env::temp_dir(), "tower-actions-js-parity");
    std::fs::write(dir.join("actions.js"), parity::typescript().javascript()).unwrap();
    client_parity(&dir, ASTRO_CLIENT_JSON).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// With base `/app` and no trailing slash, as Astro's client with that config.
#[tokio::test(flavor = "multi_thread")]
async fn the_javascript_client_with_a_base_behaves_as_astros_client() {
    let dir = scratch(&std::env::temp_dir(), "tower-actions-js-parity-app");
    let module = parity::typescript()
        .base("/app")
        .trailing_slash(TrailingSlash::Never)
        .javascript();
    std::fs::write(dir.join("actions.js"), module).unwrap();
    client_parity(&dir, ASTRO_CLIENT_APP_JSON).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_javascript_devalue_parser_matches_devalue() {
    let npm = tokio::task::spawn_blocking(npm_dir).await.unwrap();
    let dir = scratch(npm, "devalue");
    std::fs::write(dir.join("actions.js"), parity::typescript().javascript()).unwrap();
    std::fs::write(dir.join("devalue.mjs"), DEVALUE_MJS).unwrap();
    let checks = node(&dir, "devalue.mjs", "").await;
    assert!(checks >= 40, "{checks} checks");
}

/// The TypeScript module of a registry (no types: inputs and outputs `unknown`) type-checks
/// too, and a program can call any of its actions.
#[tokio::test(flavor = "multi_thread")]
async fn the_untyped_typescript_module_type_checks() {
    let npm = tokio::task::spawn_blocking(npm_dir).await.unwrap();
    let dir = scratch(npm, "untyped");
    let module = tower_actions::typescript::ClientModule::from_actions(&parity::actions());
    std::fs::write(dir.join("actions.ts"), module.typescript()).unwrap();
    std::fs::write(
        dir.join("main.ts"),
        "import { actions, getActionPath, isInputError } from './actions.js';\n\
         export async function main(): Promise<string> {\n\
         \x20 const greeted = await actions.greet({ name: 'Ada' });\n\
         \x20 const liked = await actions.blog.like.orThrow();\n\
         \x20 const subscribed = await actions.subscribe(new FormData());\n\
         \x20 return `${greeted.data}${liked}${isInputError(subscribed.error)}${getActionPath(actions.sum)}`;\n\
         }\n",
    )
    .unwrap();
    let check = tsc(&dir, &["--noEmit", "actions.ts", "main.ts"]);
    assert!(
        check.status.success(),
        "tsc --strict --noEmit failed:\n{}",
        text(&check)
    );
}

#[test]
fn the_typescript_module_has_the_fixture_types() {
    let ts = parity::typescript().typescript();
    for expected in [
        "import { parse } from 'devalue';",
        "  \"rich\": {\n    date: Date;\n    map: Map<string, number>;\n    set: Set<number>;\n    url: URL;\n    big: bigint;",
        "    undef: undefined;",
        "  \"upload\": {\n    file: File;\n  };",
        "  \"rawForm\": FormData;",
        "  \"empty\": undefined;",
        "  \"noInput\": unknown;",
        "    count?: number | undefined;",
        "    count?: number | null;",
        "    level: \"low\" | \"high\";",
        "    type: string;",
        "    postId: string;",
        "export interface Actions {\n  blog: {\n    /** `blog.like` (json): `POST /_actions/blog.like/`. */\n    like: ActionClient<ActionInputs[\"blog.like\"], ActionOutputs[\"blog.like\"]>;\n  };",
        "  subscribe: FormActionClient<ActionInputs[\"subscribe\"], ActionOutputs[\"subscribe\"]>;",
        "export const actions = createActions() as Actions;",
        "const BASE_URL: string = \"/\";",
        "const shouldAppendTrailingSlash: boolean = true;",
        "  TOO_MANY_REQUESTS: 429,",
    ] {
        assert!(ts.contains(expected), "missing {expected:?} in\n{ts}");
    }
}

/// The plain JavaScript runtime is the TypeScript one with its types stripped: generated again
/// from `src/typescript/runtime.ts` by `scripts/client-runtime/generate.mjs` (with the pinned
/// `tsc`), it is the committed `src/typescript/runtime.js`, byte for byte.
#[test]
fn javascript_runtime_is_generated_from_typescript_runtime() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = scratch(npm_dir(), "runtime").join("runtime.js");
    let run = Command::new("node")
        .arg(root.join("scripts/client-runtime/generate.mjs"))
        .arg("--tsc")
        .arg(npm_dir().join("node_modules/typescript/bin/tsc"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `node` ({err}): {INSTALL_NODE}"));
    assert!(
        run.status.success(),
        "scripts/client-runtime/generate.mjs failed:\n{}",
        text(&run)
    );
    let fresh = std::fs::read_to_string(&out).unwrap();
    let committed = std::fs::read_to_string(root.join("src/typescript/runtime.js")).unwrap();
    if fresh != committed {
        let line = fresh
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| fresh.lines().count().min(committed.lines().count()));
        panic!(
            "src/typescript/runtime.js is not runtime.ts with its types stripped (first difference \
             at line {}): edit runtime.ts, then run `npm install --prefix scripts/client-runtime && \
             node scripts/client-runtime/generate.mjs`, and commit both",
            line + 1
        );
    }
}
