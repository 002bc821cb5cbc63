//! The OpenAPI document (feature `openapi`): what the parity fixture's document says of each
//! action, checked part by part; that it is valid OpenAPI 3.1 for a real validator, and that
//! the bodies the layer really answers match its schemas (`tests/openapi/validate.mjs`); that
//! the validator refuses broken documents; and that the demo serves its document.
//!
//! Needs `node` (≥ 20) and `npm`. `@seriousme/openapi-schema-validator@2.11.0`, `ajv@8.20.0`
//! and `devalue@5.9.4` are installed once into `$CARGO_TARGET_TMPDIR/openapi-npm` (never into
//! the repository) and reused afterwards.

use crate::common::{npm_install, post, post_json, send};
use crate::{demo, parity};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};
use tower_actions::openapi::OpenApi;

/// How to get Node and npm, for the failure messages.
const INSTALL_NODE: &str = "these tests need Node.js >= 20 and npm on the PATH: install them \
    (e.g. `apt-get install nodejs npm`, or from https://nodejs.org), or run without the feature \
    `openapi`";

const VALIDATE_MJS: &str = include_str!("../openapi/validate.mjs");

/// The npm packages the validator runs on, pinned.
const PACKAGES: [&str; 3] = [
    "@seriousme/openapi-schema-validator@2.11.0",
    "ajv@8.20.0",
    "devalue@5.9.4",
];

/// The folder holding `node_modules` and `validate.mjs`, installed on first use.
fn npm_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi-npm");
        std::fs::create_dir_all(&dir).unwrap();
        let modules = dir.join("node_modules");
        let installed = PACKAGES.iter().all(|package| {
            let (name, version) = package.rsplit_once('@').unwrap();
            std::fs::read_to_string(modules.join(name).join("package.json"))
                .is_ok_and(|json| json.contains(&format!("\"version\": \"{version}\"")))
        });
        if !installed {
            npm_install(&dir, &PACKAGES, INSTALL_NODE);
        }
        std::fs::write(dir.join("package.json"), r#"{"type":"module"}"#).unwrap();
        std::fs::write(dir.join("validate.mjs"), VALIDATE_MJS).unwrap();
        dir
    })
}

/// What `node validate.mjs args…` said: whether it passed, and its output.
fn validate(args: &[&str]) -> (bool, String) {
    let dir = npm_dir();
    let out = Command::new("node")
        .arg("validate.mjs")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `node` ({err}): {INSTALL_NODE}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Writes `value` as JSON into a file of the npm folder named `name` (with this process's
/// id, so that concurrent runs do not share it); its path.
fn write(name: &str, value: &Value) -> String {
    let path = npm_dir().join(format!("{}-{name}", std::process::id()));
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The parity fixture's document: every action the layer serves, described by its types.
fn parity_document() -> Value {
    let typed = parity::typescript();
    // Every action, typed (the same list `parity::typescript()` holds).
    let document = OpenApi::from_layer(&parity::layer())
        .action::<parity::Greet>()
        .action::<parity::Sum>()
        .action::<parity::NoInput>()
        .action::<parity::Empty>()
        .action::<parity::Whoami>()
        .action::<parity::Boom>()
        .action::<parity::Missing>()
        .action::<parity::BlogLike>()
        .action::<parity::Teapot>()
        .action::<parity::Rich>()
        .action::<parity::Subscribe>()
        .action::<parity::Comment>()
        .action::<parity::Fields>()
        .action::<parity::Upload>()
        .action::<parity::RawForm>();
    assert!(document.names().eq(typed.names()));
    document.title("parity").version("1.0.0").to_value()
}

fn schema<'a>(document: &'a Value, name: &str) -> &'a Value {
    let schema = &document["components"]["schemas"][name];
    assert!(schema.is_object(), "no component schema {name}");
    schema
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn the_parity_document_describes_every_action() {
    let document = parity_document();
    assert_eq!(document["openapi"], "3.1.1");
    assert_eq!(document["info"]["title"], "parity");
    assert_eq!(document["info"]["version"], "1.0.0");
    assert_eq!(
        keys(&document["paths"]),
        [
            "/_actions/blog.like",
            "/_actions/boom",
            "/_actions/comment",
            "/_actions/empty",
            "/_actions/fields",
            "/_actions/greet",
            "/_actions/missing",
            "/_actions/noInput",
            "/_actions/rawForm",
            "/_actions/rich",
            "/_actions/subscribe",
            "/_actions/sum",
            "/_actions/teapot",
            "/_actions/upload",
            "/_actions/whoami",
        ]
    );
    for (path, item) in document["paths"].as_object().unwrap() {
        assert_eq!(keys(item), ["post"], "{path}: POST only");
    }
    let op = |name: &str| &document["paths"][format!("/_actions/{name}")]["post"];

    // A JSON action: its input by reference, its output in the devalue result.
    let greet = op("greet");
    assert_eq!(greet["operationId"], "greet");
    assert_eq!(greet["requestBody"]["required"], true);
    assert_eq!(keys(&greet["requestBody"]["content"]), ["application/json"]);
    assert_eq!(
        greet["requestBody"]["content"]["application/json"]["schema"],
        json!({ "$ref": "#/components/schemas/GreetInput" })
    );
    assert_eq!(
        schema(&document, "GreetInput"),
        &json!({
            "type": "object",
            "properties": { "name": { "type": "string" } },
            "required": ["name"],
        })
    );
    assert_eq!(
        keys(&greet["responses"]),
        ["200", "400", "404", "413", "415", "500", "default"]
    );
    assert_eq!(
        keys(&greet["responses"]["200"]["content"]),
        ["application/json+devalue"]
    );
    assert_eq!(
        greet["responses"]["200"]["content"]["application/json+devalue"]["schema"],
        json!({
            "$ref": "#/components/schemas/DevalueDocument",
            "x-devalue-decodes-to": { "type": "string" },
        })
    );
    for (status, response) in [
        ("400", "BadRequest"),
        ("404", "NotFound"),
        ("413", "ContentTooLarge"),
        ("415", "UnsupportedMediaType"),
        ("500", "InternalServerError"),
        ("default", "ActionError"),
    ] {
        assert_eq!(
            greet["responses"][status],
            json!({ "$ref": format!("#/components/responses/{response}") })
        );
    }

    // A namespaced action: its name as path and operation id, serde's renames kept.
    let like = op("blog.like");
    assert_eq!(like["operationId"], "blog.like");
    let liked = &like["responses"]["200"]["content"]["application/json+devalue"]["schema"];
    assert_eq!(
        liked["x-devalue-decodes-to"],
        json!({ "$ref": "#/components/schemas/Liked" })
    );
    assert_eq!(
        keys(&schema(&document, "Liked")["properties"]),
        ["postId", "likes"]
    );
    assert_eq!(
        keys(&schema(&document, "PostRef")["properties"]),
        ["postId"]
    );

    // Outputs that can be `undefined` answer 204; `()` only 204.
    let empty = op("empty");
    assert!(empty["responses"].get("200").is_none());
    assert_eq!(
        empty["responses"]["204"]["description"],
        "The action returned `undefined` (`()`, `None`): no body."
    );
    assert!(empty["responses"]["204"].get("content").is_none());
    let no_input = op("noInput");
    assert!(no_input["responses"].get("200").is_some());
    assert!(no_input["responses"].get("204").is_some());
    assert!(op("blog.like")["responses"].get("204").is_none());
    // No body is `undefined`: fine for a raw input, not for a typed one.
    assert_eq!(no_input["requestBody"]["required"], false);

    // Form actions: both form encodings, the same schema, and the origin check's 403.
    let subscribe = op("subscribe");
    assert_eq!(
        keys(&subscribe["requestBody"]["content"]),
        ["application/x-www-form-urlencoded", "multipart/form-data"]
    );
    for content in subscribe["requestBody"]["content"]
        .as_object()
        .unwrap()
        .values()
    {
        assert_eq!(
            content["schema"],
            json!({ "$ref": "#/components/schemas/SubscribeInput" })
        );
    }
    assert_eq!(subscribe["requestBody"]["required"], true);
    assert_eq!(
        subscribe["responses"]["403"],
        json!({ "$ref": "#/components/responses/Forbidden" })
    );
    assert!(greet["responses"].get("403").is_none());
    let forbidden = &document["components"]["responses"]["Forbidden"]["content"];
    assert_eq!(keys(forbidden), ["text/plain", "application/json"]);
    assert_eq!(
        forbidden["text/plain"]["example"],
        "Cross-site POST form submissions are forbidden"
    );

    // A file is a binary part in the input, `{name, size, type}` in no output here.
    let upload = schema(&document, "UploadInput");
    assert_eq!(
        upload["properties"]["file"],
        json!({
            "type": "string",
            "format": "binary",
            "contentMediaType": "application/octet-stream",
            "x-js-type": "File",
        })
    );
    assert_eq!(
        keys(&schema(&document, "FileInfo")["properties"]),
        ["name", "size", "type"]
    );

    // A type both sent and answered (`comment`) is one component.
    let comment = op("comment");
    assert_eq!(
        comment["requestBody"]["content"]["multipart/form-data"]["schema"],
        json!({ "$ref": "#/components/schemas/CommentInput" })
    );
    assert_eq!(
        comment["responses"]["200"]["content"]["application/json+devalue"]["schema"]["x-devalue-decodes-to"],
        json!({ "$ref": "#/components/schemas/CommentInput" })
    );

    // JavaScript types in outputs are named.
    let rich = &schema(&document, "RichOutput")["properties"];
    assert_eq!(rich["date"]["x-js-type"], "Date");
    assert_eq!(rich["map"]["x-js-type"], "Map");
    assert_eq!(rich["set"]["x-js-type"], "Set");
    assert_eq!(rich["url"]["x-js-type"], "URL");
    assert_eq!(rich["big"]["x-js-type"], "bigint");
    assert_eq!(rich["undef"]["x-js-type"], "undefined");

    // Astro's error bodies.
    let error = schema(&document, "AstroActionError");
    assert_eq!(
        error["required"],
        json!(["type", "code", "status", "message"])
    );
    assert_eq!(
        error["properties"]["type"],
        json!({ "const": "AstroActionError" })
    );
    assert_eq!(
        error["properties"]["code"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        38
    );
    let input_error = schema(&document, "AstroActionInputError");
    assert_eq!(input_error["required"], json!(["type", "issues", "fields"]));
    assert_eq!(
        input_error["properties"]["issues"]["items"],
        json!({ "$ref": "#/components/schemas/ZodIssue" })
    );
    assert_eq!(
        document["components"]["responses"]["BadRequest"]["content"]["application/json"]["schema"]
            ["oneOf"],
        json!([
            { "$ref": "#/components/schemas/AstroActionInputError" },
            { "$ref": "#/components/schemas/AstroActionError" },
        ])
    );
    assert!(
        document["components"]["responses"]["ContentTooLarge"]["description"]
            .as_str()
            .unwrap()
            .contains("over 1048576 bytes")
    );
    // Components in name order.
    let names = keys(&document["components"]["schemas"]);
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);

    // Same actions, same bytes.
    assert_eq!(
        serde_json::to_string(&document).unwrap(),
        serde_json::to_string(&parity_document()).unwrap()
    );
}

#[test]
fn a_layer_with_a_base_path_puts_its_actions_under_it() {
    let layer = parity::layer().base_path("/app/").body_limit(1000);
    let document = OpenApi::from_layer(&layer).to_value();
    let paths = keys(&document["paths"]);
    assert_eq!(paths.len(), 15);
    assert!(
        paths.iter().all(|path| path.starts_with("/app/_actions/")),
        "{paths:?}"
    );
    // Untyped: any input, any output (200 or 204).
    let greet = &document["paths"]["/app/_actions/greet"]["post"];
    assert_eq!(
        greet["requestBody"]["content"]["application/json"]["schema"],
        json!({})
    );
    assert!(greet["responses"].get("204").is_some());
    assert!(
        document["components"]["responses"]["ContentTooLarge"]["description"]
            .as_str()
            .unwrap()
            .contains("over 1000 bytes")
    );
    let document = OpenApi::new()
        .base("api")
        .action::<parity::Greet>()
        .to_value();
    assert_eq!(keys(&document["paths"]), ["/api/_actions/greet"]);
}

/// Bodies the parity layer really answers, each with the schema that must describe it.
async fn answered_bodies(document: &Value) -> Vec<Value> {
    let app = parity::app;
    let json_of = |answer: &crate::common::Answer| -> Value {
        serde_json::from_slice(&answer.body).expect("a JSON body")
    };
    let mut samples = Vec::new();
    let mut sample = |what: &str, schema: &str, status: u16, answer: crate::common::Answer| {
        assert_eq!(answer.status.as_u16(), status, "{what}: {}", answer.text());
        assert_eq!(answer.content_type(), Some("application/json"), "{what}");
        samples.push(json!({ "what": what, "schema": schema, "body": json_of(&answer) }));
    };
    let answer = send(app(), post_json("/_actions/greet", r#"{"name":""}"#)).await;
    sample(
        "greet with an empty name",
        "AstroActionInputError",
        400,
        answer,
    );
    let answer = send(app(), post_json("/_actions/sum", r#"{"a":"x"}"#)).await;
    sample("sum with a string", "AstroActionInputError", 400, answer);
    let answer = send(app(), post_json("/_actions/greet", r#"{"name":"#)).await;
    sample("malformed JSON", "AstroActionError", 400, answer);
    let answer = send(app(), post_json("/_actions/nope", "{}")).await;
    sample("an unknown action", "AstroActionError", 404, answer);
    let answer = send(app(), post_json("/_actions/missing", r#"{"id":"7"}"#)).await;
    sample("the action's NOT_FOUND", "AstroActionError", 404, answer);
    let answer = send(app(), post_json("/_actions/subscribe", "{}")).await;
    sample("JSON to a form action", "AstroActionError", 415, answer);
    let big = format!(r#"{{"name":"{}"}}"#, "x".repeat(1024 * 1024));
    let answer = send(app(), post_json("/_actions/greet", &big)).await;
    sample("a body over the limit", "AstroActionError", 413, answer);
    let answer = send(app(), post_json("/_actions/boom", "{}")).await;
    sample("an unexpected error", "AstroActionError", 500, answer);
    let answer = send(app(), post_json("/_actions/teapot", "{}")).await;
    sample(
        "the action's TOO_MANY_REQUESTS",
        "AstroActionError",
        429,
        answer,
    );
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let answer = send(app(), post("/_actions/subscribe", &form, b"email=x")).await;
    // (no Origin header: refused as cross-site, in plain text)
    assert_eq!(answer.status.as_u16(), 403);
    assert_eq!(answer.content_type(), Some("text/plain;charset=UTF-8"));
    let origin = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("origin", "http://localhost"),
        ("host", "localhost"),
    ];
    let answer = send(app(), post("/_actions/subscribe", &origin, b"email=x")).await;
    sample(
        "a form with a bad email",
        "AstroActionInputError",
        400,
        answer,
    );

    // Results, decoded with devalue, against what they decode to.
    let result = |name: &str| {
        let ok = &document["paths"][format!("/_actions/{name}")]["post"]["responses"]["200"];
        assert!(ok.is_object(), "{name} has a 200");
        json!([
            "paths",
            format!("/_actions/{name}"),
            "post",
            "responses",
            "200",
            "content",
            "application/json+devalue",
            "schema",
            "x-devalue-decodes-to"
        ])
    };
    for (name, input) in [
        ("blog.like", r#"{"postId":"p1"}"#),
        ("greet", r#"{"name":"Ada"}"#),
        ("sum", r#"{"a":1,"b":2}"#),
    ] {
        let answer = send(app(), post_json(&format!("/_actions/{name}"), input)).await;
        assert_eq!(answer.status.as_u16(), 200, "{name}");
        assert_eq!(answer.content_type(), Some("application/json+devalue"));
        samples.push(json!({ "what": name, "at": result(name), "devalue": answer.text() }));
    }
    let answer = send(
        app(),
        post("/_actions/upload", &origin_multipart(), MULTIPART),
    )
    .await;
    assert_eq!(answer.status.as_u16(), 200, "upload: {}", answer.text());
    samples.push(json!({ "what": "upload", "at": result("upload"), "devalue": answer.text() }));
    samples
}

const MULTIPART: &[u8] = b"--b\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\ncontent-type: text/plain\r\n\r\nhello\r\n--b--\r\n";

fn origin_multipart() -> [(&'static str, &'static str); 3] {
    [
        ("content-type", "multipart/form-data; boundary=b"),
        ("origin", "http://localhost"),
        ("host", "localhost"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_parity_document_is_valid_openapi_and_describes_what_the_layer_answers() {
    let document = parity_document();
    let samples = answered_bodies(&document).await;
    let count = samples.len();
    let (document, samples) = (
        write("parity.json", &document),
        write("samples.json", &json!(samples)),
    );
    let (ok, output) = tokio::task::spawn_blocking(move || validate(&[&document, &samples]))
        .await
        .unwrap();
    assert!(ok, "the validator refused the document:\n{output}");
    // Two document checks, one or two per schema, one per sample.
    let checks: usize = output
        .lines()
        .find_map(|line| {
            line.strip_prefix("ok ")?
                .strip_suffix(" checks")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no count:\n{output}"));
    assert!(checks > 2 + 40 + count, "{checks} checks:\n{output}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_validator_refuses_broken_documents_and_bodies() {
    let document = parity_document();
    let refused = |name: &str, document: Value, samples: Option<Value>, expected: &str| {
        let document = write(name, &document);
        let samples = samples.map(|samples| write(&format!("samples-{name}"), &samples));
        let mut args = vec![document.as_str()];
        args.extend(samples.as_deref());
        let (ok, output) = validate(&args);
        assert!(!ok, "{name}: the validator took it:\n{output}");
        assert!(
            output.contains(expected),
            "{name}: expected `{expected}` in:\n{output}"
        );
    };
    tokio::task::spawn_blocking(move || {
        // A reference to a component that is not there.
        let mut broken = document.clone();
        broken["components"]["schemas"]
            .as_object_mut()
            .unwrap()
            .remove("GreetInput");
        refused("no-component.json", broken, None, "Can't resolve #/components/schemas/GreetInput");
        // Not OpenAPI: an operation without its responses' descriptions.
        let mut broken = document.clone();
        broken["paths"]["/_actions/empty"]["post"]["responses"]["204"]
            .as_object_mut()
            .unwrap()
            .remove("description");
        refused("no-description.json", broken, None, "not valid OpenAPI 3.1");
        // A schema that is not JSON Schema.
        let mut broken = document.clone();
        broken["components"]["schemas"]["GreetInput"]["properties"]["name"]["type"] =
            json!("text");
        refused("bad-type.json", broken, None, "not a JSON Schema 2020-12 schema");
        // A body without the keys the document promises.
        let body = json!([{
            "what": "an input error without fields",
            "schema": "AstroActionInputError",
            "body": { "type": "AstroActionInputError", "issues": [] },
        }]);
        refused("good.json", document.clone(), Some(body), "does not match");
        // A result that does not decode to its output.
        let at = json!([
            "paths", "/_actions/blog.like", "post", "responses", "200", "content",
            "application/json+devalue", "schema", "x-devalue-decodes-to"
        ]);
        let body = json!([{ "what": "likes as a string", "at": at, "devalue": r#"[{"postId":1,"likes":1},"p1"]"# }]);
        refused("good2.json", document, Some(body), "does not match");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_serves_its_document_at_openapi_json() {
    let results = tower_actions::persist::CookieResults::new(cookie::Key::generate());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/openapi.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, demo::app(results)).await });

    let saved = npm_dir().join(format!("{}-demo-served.json", std::process::id()));
    let args = [url.clone(), "--save".into(), saved.to_str().unwrap().into()];
    let (ok, output) = tokio::task::spawn_blocking(move || {
        validate(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert!(ok, "the demo's document is not valid:\n{output}");
    assert!(
        output.contains("content-type: application/json\n"),
        "{output}"
    );

    let served = std::fs::read_to_string(&saved).unwrap();
    assert_eq!(served, demo::openapi(&Default::default()).to_json());
    let document: Value = serde_json::from_str(&served).unwrap();
    assert_eq!(
        keys(&document["paths"]),
        [
            "/_actions/account.login",
            "/_actions/account.logout",
            "/_actions/files.upload",
            "/_actions/guestbook.like",
            "/_actions/guestbook.sign",
            "/_actions/members.post",
        ]
    );
    let sign = &document["paths"]["/_actions/guestbook.sign"]["post"];
    assert_eq!(
        sign["responses"]["200"]["content"]["application/json+devalue"]["schema"]["x-devalue-decodes-to"],
        json!({ "$ref": "#/components/schemas/Entry" })
    );
    assert_eq!(
        document["components"]["schemas"]["Entry"]["properties"]["signedAt"]["x-js-type"],
        "Date"
    );
    assert!(
        document["components"]["responses"]["ContentTooLarge"]["description"]
            .as_str()
            .unwrap()
            .contains(&format!("an uploaded file over {} bytes", demo::FILE_LIMIT))
    );
}
