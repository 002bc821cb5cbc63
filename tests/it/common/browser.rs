//! What the tests that drive Chromium through Node share: where the repository and the target
//! directory are, and the Chromium binary, with one hint on how to install what is missing.

use std::path::PathBuf;

/// What to install when Node.js, npm or Chromium is missing.
pub const INSTALL_HINT: &str = "These tests need Node.js with npm and Debian's Chromium: \
     `apt-get update && apt-get install -y chromium nodejs npm` \
     (or set CHROMIUM to a Chromium binary). They are never skipped.";

/// The repository's root.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Cargo's target directory (`$CARGO_TARGET_DIR`, else `target/`), where npm installs go.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                manifest_dir().join(dir)
            }
        })
        .unwrap_or_else(|| manifest_dir().join("target"))
}

/// The Chromium binary (`$CHROMIUM`, else Debian's `/usr/bin/chromium`); fails if absent.
pub fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "Chromium not found at {}. {INSTALL_HINT}",
        path.display()
    );
    path
}
