//! Long seeded sequences through every piece of state kept on a thread between calls, each
//! result checked against what a fresh state gives: the same input on a new thread, which has
//! kept nothing.
//!
//! - The devalue serializer keeps its buffers and the written text of struct field names
//!   (remembered by address) on the thread: thousands of values of every kind and size, in a
//!   row on one thread, against a new thread each, and against npm devalue's own `stringify`
//!   (devalue 5.9.4 with Astro's `URL` reducer, installed with npm into `$CARGO_TARGET_TMPDIR`,
//!   never into the repository; needs `node` and `npm`).
//! - The form decoder hands forms and files to their visitors through a thread-local slot, and
//!   forms and files lend themselves to the client's form encoder through another: thousands
//!   of form requests (multipart with files, URL-encoded, the hand-off token sent as text,
//!   forms and files in outputs, inputs encoded by the client) through one app on one thread,
//!   against a new app on a new thread each.
//!
//! The generator of values is `fuzz/values.rs`, shared with the `devalue_sequence` fuzz
//! target, whose seeds are replayed here too.

use crate::checks;
use crate::common::npm_install;
use crate::parity;

use std::path::{Path, PathBuf};
use std::process::Command;

use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;
use tower_actions::devalue;
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionsLayer,
    input::{Accept, FormData, FormValue, UploadedFile},
};

use checks::values::{Gen, Item, Rng, Source};

const ORIGIN: &str = "http://parity.test";

/// A sequence of `count` values: mostly random items, with runs that alternate huge values and
/// `null`/`true`/`false` or tiny ones.
fn sequence(seed: u64, count: usize) -> Vec<Item> {
    let mut rng = Rng(seed);
    let mut generator = Gen::new(&mut rng);
    let mut items = Vec::with_capacity(count);
    while items.len() < count {
        if generator.source.chance(4) {
            for _ in 0..1 + generator.source.below(4) {
                items.push(generator.huge());
                let tiny = match generator.source.below(4) {
                    0 => Item::Value(devalue::Value::Null),
                    1 => Item::Value(devalue::Value::Bool(true)),
                    2 => Item::Value(devalue::Value::Bool(false)),
                    _ => generator.item(),
                };
                items.push(tiny);
            }
        } else {
            items.push(generator.item());
        }
    }
    items.truncate(count);
    items
}

fn show(result: &Result<Vec<u8>, devalue::Error>) -> String {
    match result {
        Ok(text) => {
            let text = String::from_utf8_lossy(text);
            let cut: String = text.chars().take(300).collect();
            if cut.len() < text.len() {
                format!("{cut}… ({} bytes)", text.len())
            } else {
                cut
            }
        }
        Err(err) => format!("error: {err}"),
    }
}

/// Each item serialized on a new thread.
fn fresh(items: &[Item]) -> Vec<Result<Vec<u8>, devalue::Error>> {
    std::thread::scope(|scope| {
        items
            .iter()
            .map(|item| {
                scope
                    .spawn(|| devalue::to_vec(item))
                    .join()
                    .expect("serializes")
            })
            .collect()
    })
}

#[test]
fn devalue_sequences_on_one_thread_write_what_a_fresh_thread_writes() {
    let items = sequence(0x5eed_0001, 3_000);
    let want = fresh(&items);
    // In order, in reverse, and in order again: each value after different ones.
    let orders: [Box<dyn Fn(usize) -> usize>; 3] = [
        Box::new(|i| i),
        Box::new(|i| items.len() - 1 - i),
        Box::new(|i| i),
    ];
    for (pass, order) in orders.iter().enumerate() {
        let mut wrong = Vec::new();
        for k in 0..items.len() {
            let i = order(k);
            let got = devalue::to_vec(&items[i]);
            if got != want[i] {
                wrong.push(format!(
                    "value {i} ({}):\n  after others {}\n  fresh        {}",
                    match &items[i] {
                        Item::Value(v) => format!("{:.80}", format!("{v:?}")),
                        other => format!("{:.80}", format!("{other:?}")),
                    },
                    show(&got),
                    show(&want[i])
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "pass {pass}: {} of {} values are written differently after others on one thread:\n{}",
            wrong.len(),
            items.len(),
            wrong[..wrong.len().min(8)].join("\n")
        );
    }
}

/// The `devalue_sequence` fuzz target's seeds.
#[test]
fn devalue_sequence_fuzz_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/devalue_sequence");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    for file in files {
        checks::devalue_sequence(&std::fs::read(&file).unwrap());
    }
}

const INSTALL_NODE: &str = "this test needs Node.js >= 20 and npm on the PATH (e.g. `apt-get \
    install nodejs npm`), to ask npm devalue what it writes";

/// A folder with `devalue@5.9.4` in its `node_modules`, installed on first use.
fn devalue_npm() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sequences-npm");
    std::fs::create_dir_all(&dir).unwrap();
    if !dir.join("node_modules/devalue/package.json").is_file() {
        // A package.json of its own, so that npm installs here and never looks further up.
        std::fs::write(dir.join("package.json"), r#"{"private":true}"#).unwrap();
        npm_install(&dir, &["devalue@5.9.4"], INSTALL_NODE);
    }
    dir
}

/// What npm devalue's `stringify` writes for each JavaScript expression.
fn npm_stringify(expressions: &[String]) -> Vec<String> {
    let dir = devalue_npm();
    let values = dir.join(format!("values-{}.mjs", std::process::id()));
    let output = dir.join(format!("out-{}.json", std::process::id()));
    let mut module = String::from("export const values = [\n");
    for expression in expressions {
        module.push_str("() => ");
        module.push_str(expression);
        module.push_str(",\n");
    }
    module.push_str("];\n");
    std::fs::write(&values, module).unwrap();
    let script = format!(
        r#"
import {{ stringify }} from 'devalue';
import {{ writeFileSync }} from 'node:fs';
import {{ values }} from {values};
const reducers = {{ URL: (v) => v instanceof URL && v.href }};
const out = values.map((make) => {{
  try {{ return stringify(make(), reducers); }} catch (e) {{ return '!error ' + e.message; }}
}});
writeFileSync({output}, JSON.stringify(out));
"#,
        values = serde_json::to_string(&format!(
            "./{}",
            values.file_name().unwrap().to_str().unwrap()
        ))
        .unwrap(),
        output = serde_json::to_string(output.to_str().unwrap()).unwrap(),
    );
    let script_path = dir.join(format!("stringify-{}.mjs", std::process::id()));
    std::fs::write(&script_path, script).unwrap();
    let out = Command::new("node")
        .arg(&script_path)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `node` ({err}): {INSTALL_NODE}"));
    assert!(
        out.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: Vec<String> =
        serde_json::from_slice(&std::fs::read(&output).unwrap()).expect("node wrote JSON");
    for path in [values, output, script_path] {
        let _ = std::fs::remove_file(path);
    }
    written
}

#[test]
fn devalue_sequences_on_one_thread_write_what_npm_devalue_writes() {
    let items = sequence(0x5eed_0002, 2_000);
    // Serialized one after the other on this thread, with everything it keeps.
    let ours: Vec<Result<Vec<u8>, devalue::Error>> = items.iter().map(devalue::to_vec).collect();
    let expressions: Vec<String> = items.iter().map(Item::to_js).collect();
    let theirs = npm_stringify(&expressions);
    assert_eq!(theirs.len(), items.len());
    if std::env::var_os("SEQ_DEBUG").is_some() {
        for (e, t) in expressions.iter().zip(&theirs).step_by(97) {
            eprintln!("{:.150}\n   => {:.150}", e, t);
        }
        let total: usize = theirs.iter().map(String::len).sum();
        eprintln!(
            "{} bytes; errors: {}",
            total,
            theirs.iter().filter(|t| t.starts_with('!')).count()
        );
    }
    let mut wrong = Vec::new();
    for (i, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
        let same = matches!(ours, Ok(text) if text == theirs.as_bytes());
        if !same {
            let cut: String = theirs.chars().take(300).collect();
            wrong.push(format!(
                "value {i}: {:.200}\n  ours   {}\n  devalue {cut}",
                expressions[i],
                show(ours)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} values are written differently from npm devalue:\n{}",
        wrong.len(),
        items.len(),
        wrong[..wrong.len().min(8)].join("\n")
    );
}

// Forms and files: the form decoder's hand-off slot and the lending slot.

/// `echoForm` (form, no schema): the form as it came.
struct EchoForm;

impl Action for EchoForm {
    const NAME: &'static str = "echoForm";
    const ACCEPT: Accept = Accept::Form;
    type Input = FormData;
    type Output = FormData;
    async fn handle(
        &self,
        form: FormData,
        _: &mut ActionApiContext,
    ) -> Result<FormData, ActionError> {
        Ok(form)
    }
}

/// `files` (form): a title, an optional cover and any number of files; answers them.
struct Files;

#[derive(Deserialize, Serialize, garde::Validate, Clone, Debug)]
struct FilesInput {
    #[garde(skip)]
    title: String,
    #[garde(skip)]
    cover: Option<UploadedFile>,
    #[garde(skip)]
    files: Vec<UploadedFile>,
}

impl Action for Files {
    const NAME: &'static str = "files";
    const ACCEPT: Accept = Accept::Form;
    type Input = FilesInput;
    type Output = (FilesInput, Vec<usize>);
    async fn handle(
        &self,
        input: FilesInput,
        _: &mut ActionApiContext,
    ) -> Result<(FilesInput, Vec<usize>), ActionError> {
        let sizes = input.files.iter().map(UploadedFile::size).collect();
        Ok((input, sizes))
    }
}

/// `jsonFile` (json): a file can only come from a form; JSON naming the hand-off is refused.
struct JsonFile;

#[derive(Deserialize, Serialize, garde::Validate)]
struct JsonFileInput {
    #[garde(skip)]
    file: Option<UploadedFile>,
    #[garde(skip)]
    note: Option<String>,
}

impl Action for JsonFile {
    const NAME: &'static str = "jsonFile";
    type Input = JsonFileInput;
    type Output = Option<String>;
    async fn handle(
        &self,
        input: JsonFileInput,
        _: &mut ActionApiContext,
    ) -> Result<Option<String>, ActionError> {
        Ok(input.file.map(|file| file.name().to_owned()).or(input.note))
    }
}

fn app() -> axum::Router {
    let actions = parity::actions().add(EchoForm).add(Files).add(JsonFile);
    parity::routes().layer(ActionsLayer::new(actions).expose_internal_errors(true))
}

const BOUNDARY: &str = "----sequenceBoundary7MA4YWxkTrZu0gW";
const HANDOFF: &str = "$tower_actions::handoff";

/// One request of the form sequence.
#[derive(Clone, Debug)]
enum FormCall {
    /// Sent as it is.
    Raw {
        path: String,
        content_type: String,
        body: Vec<u8>,
    },
    /// `files` with this input, encoded by the client (feature `client`).
    ClientFiles(FilesInput),
    /// `echoForm` with this form, encoded by the client (feature `client`).
    ClientForm(FormData),
}

impl FormCall {
    /// The request; encoding through the client uses its lending slot on this thread.
    fn request(&self) -> Request<Full<Bytes>> {
        let request = match self {
            FormCall::Raw {
                path,
                content_type,
                body,
            } => Request::post(path.as_str())
                .header("content-type", content_type.as_str())
                .body(Full::new(Bytes::from(body.clone())))
                .unwrap(),
            #[cfg(feature = "client")]
            FormCall::ClientFiles(input) => client().request::<Files>(input).unwrap(),
            #[cfg(feature = "client")]
            FormCall::ClientForm(form) => client().request::<EchoForm>(form).unwrap(),
            #[cfg(not(feature = "client"))]
            _ => unreachable!("client calls are made with the feature `client` only"),
        };
        let (mut parts, body) = request.into_parts();
        parts.headers.insert("host", "parity.test".parse().unwrap());
        parts.headers.insert("origin", ORIGIN.parse().unwrap());
        Request::from_parts(parts, body)
    }
}

#[cfg(feature = "client")]
fn client() -> tower_actions::client::ActionClient<()> {
    tower_actions::client::ActionClient::new((), "/")
}

fn random_bytes(rng: &mut Rng, large: bool) -> Vec<u8> {
    let n = match rng.below(10) {
        0 => 0,
        1..=7 => rng.below(64),
        _ if large => rng.below(200_000),
        _ => rng.below(2_000),
    };
    (0..n).map(|_| rng.next() as u8).collect()
}

fn random_text(rng: &mut Rng) -> String {
    if rng.chance(10) {
        return HANDOFF.to_owned();
    }
    let mut generator = Gen::new(rng);
    // Multipart bodies cannot hold the boundary; text fields carry no NUL for simplicity.
    generator.string(false).replace('\0', " ")
}

const FIELD_NAMES: &[&str] = &[
    "title", "cover", "files", "file", "tag", "tags", "email", "note", "postId", "author", "body",
    "agree", "level", "count", "x",
];

fn random_file(rng: &mut Rng, large: bool) -> UploadedFile {
    let names = ["a.txt", "photo.jpg", "", "é €.bin", "x\"y.txt", HANDOFF];
    let types = ["text/plain", "application/octet-stream", "image/jpeg", ""];
    UploadedFile::new(
        names[rng.below(names.len())],
        types[rng.below(types.len())],
        random_bytes(rng, large),
    )
}

fn random_form(rng: &mut Rng, large: bool) -> FormData {
    let mut form = FormData::new();
    for _ in 0..rng.below(if large { 40 } else { 8 }) {
        let name = FIELD_NAMES[rng.below(FIELD_NAMES.len())];
        if rng.chance(40) {
            form.push(name, random_file(rng, large));
        } else {
            form.push(name, random_text(rng));
        }
    }
    form
}

fn multipart(form: &FormData) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in form.iter() {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match value {
            FormValue::Text(text) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(text.as_bytes());
            }
            FormValue::File(file) => {
                let filename = file.name().replace(['"', '\r', '\n'], "_");
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                    )
                    .as_bytes(),
                );
                if !file.content_type().is_empty() {
                    body.extend_from_slice(
                        format!("Content-Type: {}\r\n", file.content_type()).as_bytes(),
                    );
                }
                body.extend_from_slice(b"\r\n");
                body.extend_from_slice(file.bytes());
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn urlencoded(form: &FormData) -> Vec<u8> {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                    char::from(b).to_string()
                }
                b' ' => "+".to_owned(),
                b => format!("%{b:02X}"),
            })
            .collect()
    };
    form.texts()
        .map(|(name, text)| format!("{}={}", encode(name), encode(text)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn form_calls(seed: u64, count: usize) -> Vec<FormCall> {
    let mut rng = Rng(seed);
    let paths = [
        "/_actions/rawForm",
        "/_actions/echoForm",
        "/_actions/files",
        "/_actions/upload",
        "/_actions/subscribe",
        "/_actions/fields",
        "/?_action=rawForm",
        "/?_action=files",
        "/?_action=comment",
    ];
    let mut calls = Vec::with_capacity(count);
    while calls.len() < count {
        let large = rng.chance(10);
        let call = match rng.below(10) {
            0..=4 => {
                let form = random_form(&mut rng, large);
                FormCall::Raw {
                    path: paths[rng.below(paths.len())].to_owned(),
                    content_type: format!("multipart/form-data; boundary={BOUNDARY}"),
                    body: multipart(&form),
                }
            }
            5 | 6 => {
                let form = random_form(&mut rng, large);
                FormCall::Raw {
                    path: paths[rng.below(paths.len())].to_owned(),
                    content_type: "application/x-www-form-urlencoded".to_owned(),
                    body: urlencoded(&form),
                }
            }
            7 => {
                let bodies = [
                    format!(r#"{{"file":"{HANDOFF}"}}"#),
                    format!(r#"{{"note":"{HANDOFF}"}}"#),
                    r#"{"file":null,"note":"n"}"#.to_owned(),
                    r#"{"file":{"name":"a.txt"}}"#.to_owned(),
                    "{}".to_owned(),
                ];
                let (path, body) = if rng.chance(80) {
                    (
                        "/_actions/jsonFile",
                        bodies[rng.below(bodies.len())].clone(),
                    )
                } else {
                    ("/_actions/noInput", format!(r#""{HANDOFF}""#))
                };
                FormCall::Raw {
                    path: path.to_owned(),
                    content_type: "application/json".to_owned(),
                    body: body.into_bytes(),
                }
            }
            _ if cfg!(feature = "client") => {
                if rng.chance(50) {
                    FormCall::ClientForm(random_form(&mut rng, large))
                } else {
                    FormCall::ClientFiles(FilesInput {
                        title: random_text(&mut rng),
                        cover: rng.chance(50).then(|| random_file(&mut rng, large)),
                        files: (0..rng.below(6))
                            .map(|_| random_file(&mut rng, large))
                            .collect(),
                    })
                }
            }
            _ => continue,
        };
        calls.push(call);
    }
    calls
}

/// What is compared of an answer.
#[derive(Debug, PartialEq)]
struct Answer {
    status: u16,
    content_type: Option<String>,
    body: Bytes,
}

async fn answer(app: axum::Router, call: &FormCall) -> Answer {
    let response = app.oneshot(call.request()).await.unwrap();
    Answer {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .map(|value| value.to_str().unwrap().to_owned()),
        body: response.into_body().collect().await.unwrap().to_bytes(),
    }
}

fn fresh_answer(call: &FormCall) -> Answer {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap()
                    .block_on(answer(app(), call))
            })
            .join()
            .expect("the fresh answer")
    })
}

#[test]
fn form_sequences_on_one_thread_answer_as_a_fresh_state() {
    let calls = form_calls(0x5eed_0003, 2_000);
    // One app on this thread, serving every call in turn.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let app = app();
    let mut wrong = Vec::new();
    let mut statuses = std::collections::BTreeMap::new();
    for (i, call) in calls.iter().enumerate() {
        let got = runtime.block_on(answer(app.clone(), call));
        let want = fresh_answer(call);
        *statuses.entry(want.status).or_insert(0) += 1;
        if got != want {
            wrong.push(format!(
                "call {i} {:.300}:\n  got    {} {:?} {:?}\n  wanted {} {:?} {:?}",
                format!("{call:?}"),
                got.status,
                got.content_type,
                String::from_utf8_lossy(&got.body[..got.body.len().min(300)]),
                want.status,
                want.content_type,
                String::from_utf8_lossy(&want.body[..want.body.len().min(300)]),
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} answers differ from a fresh state's:\n{}",
        wrong.len(),
        calls.len(),
        wrong[..wrong.len().min(8)].join("\n")
    );
    // The sequence reached the actions, and their errors, not only one kind of answer.
    for status in [200, 400] {
        assert!(
            statuses.get(&status).copied().unwrap_or(0) > 20,
            "few answers {status}: {statuses:?}"
        );
    }
}
