//! Replays the fuzz corpora (`fuzz/corpus/<target>/*`) through the fuzz targets' own checks
//! (`fuzz/checks.rs`), so that every seed and every crash found and fixed stays a test on
//! stable Rust.

use crate::checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(result.is_ok(), "{} fails its check", file.display());
    }
}

#[test]
fn devalue_corpus() {
    replay("devalue", checks::devalue);
}

#[test]
fn form_urlencoded_corpus() {
    replay("form_urlencoded", checks::form_urlencoded);
}

#[test]
fn form_multipart_corpus() {
    replay("form_multipart", checks::form_multipart);
}

#[test]
fn action_name_corpus() {
    replay("action_name", checks::action_name);
}

#[test]
fn request_corpus() {
    replay("request", checks::request);
}
