//! The RPC endpoint over JSON, rule by rule (protocol §1, §2, §3, §7).

use crate::common;
use crate::parity;

use bytes::Bytes;
use common::{post, post_json, send};
use http::{Request, StatusCode};
use http_body_util::Full;
use tower::Layer;
use tower_actions::{
    Action, ActionApiContext, ActionError, ActionErrorCode, Actions, ActionsLayer,
};

const NOT_FOUND: &str =
    r#"{"type":"AstroActionError","code":"NOT_FOUND","status":404,"message":""}"#;
/// The headers of a same-origin browser request.
const SAME_ORIGIN: &[(&str, &str)] = &[("host", "example.test"), ("origin", "http://example.test")];
const JSON: Option<&str> = Some("application/json");
const DEVALUE: Option<&str> = Some("application/json+devalue");

#[tokio::test]
async fn json_call_answers_devalue() {
    send(
        parity::app(),
        post_json("/_actions/greet", r#"{"name":"Ada"}"#),
    )
    .await
    .assert(200, DEVALUE, r#"["Hello, Ada!"]"#);
}

#[tokio::test]
async fn trailing_slash_is_accepted() {
    send(
        parity::app(),
        post_json("/_actions/greet/", r#"{"name":"Ada"}"#),
    )
    .await
    .assert(200, DEVALUE, r#"["Hello, Ada!"]"#);
}

#[tokio::test]
async fn nested_names_reach_namespaced_actions() {
    for path in [
        "/_actions/blog.like",
        "/_actions/blog%2Elike",
        "/_actions/blog.like/",
    ] {
        send(parity::app(), post_json(path, r#"{"postId":"p1"}"#))
            .await
            .assert(200, DEVALUE, r#"[{"postId":1,"likes":2},"p1",1]"#);
    }
}

#[tokio::test]
async fn unknown_and_unreachable_names_are_not_found() {
    for path in [
        "/_actions/nope",
        "/_actions/",
        "/_actions",
        "/_actions/toString",
        "/_actions/__proto__",
        "/_actions/constructor",
        "/_actions/prototype",
        "/_actions/greet.orThrow",
        "/_actions/blog",
        "/_actions/blog/like",
        "/_actions/blog//like",
        "/_actions/%FF",
    ] {
        let answer = send(parity::app(), post_json(path, "{}")).await;
        assert_eq!(
            (answer.status.as_u16(), answer.content_type(), answer.text()),
            (404, JSON, NOT_FOUND),
            "{path}"
        );
    }
}

#[tokio::test]
async fn percent_encoded_names_are_decoded() {
    send(
        parity::app(),
        post_json("/_actions/gr%65et", r#"{"name":"Ada"}"#),
    )
    .await
    .assert(200, DEVALUE, r#"["Hello, Ada!"]"#);
}

#[tokio::test]
async fn forbidden_segments_cannot_be_registered() {
    struct Proto;
    impl Action for Proto {
        const NAME: &'static str = "a.__proto__";
        type Input = tower_actions::input::RawJson;
        type Output = ();
        async fn handle(
            &self,
            _: tower_actions::input::RawJson,
            _: &mut ActionApiContext,
        ) -> Result<(), ActionError> {
            Ok(())
        }
    }
    let panic = std::panic::catch_unwind(|| Actions::new().add(Proto)).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("cannot add action `a.__proto__`"),
        "{message}"
    );
}

#[tokio::test]
async fn other_methods_answer_405_with_allow_post() {
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let request = Request::builder()
            .method(method)
            .uri("/_actions/greet")
            .body(Full::default())
            .unwrap();
        let answer = send(parity::app(), request).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(answer.headers["allow"], "POST");
        assert_eq!(
            answer.text(),
            format!(
                r#"{{"type":"AstroActionError","code":"METHOD_NOT_ALLOWED","status":405,"message":"Actions are called with POST, not {method}"}}"#
            )
        );
    }
    let head = Request::head("/_actions/greet")
        .body(Full::default())
        .unwrap();
    let answer = send(parity::app(), head).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(answer.body.is_empty());
}

#[tokio::test]
async fn json_content_type_ignores_case_parameters_and_spaces() {
    for content_type in [
        "Application/JSON; charset=utf-8",
        "application/json ; charset=utf-8",
        "application/json",
    ] {
        send(
            parity::app(),
            post(
                "/_actions/greet",
                &[("content-type", content_type)],
                br#"{"name":"Ada"}"#,
            ),
        )
        .await
        .assert(200, DEVALUE, r#"["Hello, Ada!"]"#);
    }
}

#[tokio::test]
async fn no_content_type_means_no_input_and_the_body_is_not_read() {
    // 2 MiB without a content type: over the limit, but never read.
    let big = vec![b'x'; 2 * 1024 * 1024];
    send(parity::app(), post("/_actions/noInput", SAME_ORIGIN, &big))
        .await
        .assert(204, None, "");
    let headers = [SAME_ORIGIN[0], SAME_ORIGIN[1], ("content-length", "0")];
    send(parity::app(), post("/_actions/empty", &headers, b""))
        .await
        .assert(204, None, "");
}

#[tokio::test]
async fn a_body_less_post_needs_a_same_origin_origin() {
    let forbidden = "Cross-site POST form submissions are forbidden";
    let plain = Some("text/plain;charset=UTF-8");
    send(
        parity::app(),
        post("/_actions/empty", &[("host", "example.test")], b""),
    )
    .await
    .assert(403, plain, forbidden);
    let foreign = [("host", "example.test"), ("origin", "http://evil.test")];
    send(parity::app(), post("/_actions/empty", &foreign, b""))
        .await
        .assert(403, plain, forbidden);
}

#[tokio::test]
async fn cross_site_form_like_posts_are_refused_but_json_is_not() {
    let plain = Some("text/plain;charset=UTF-8");
    let foreign_text = [
        ("host", "example.test"),
        ("origin", "http://evil.test"),
        ("content-type", "text/plain"),
    ];
    send(parity::app(), post("/_actions/greet", &foreign_text, b"x"))
        .await
        .assert(403, plain, "Cross-site POST form submissions are forbidden");
    let foreign_json = [
        ("host", "example.test"),
        ("origin", "http://evil.test"),
        ("content-type", "application/json"),
    ];
    send(
        parity::app(),
        post("/_actions/greet", &foreign_json, br#"{"name":"Ada"}"#),
    )
    .await
    .assert(200, DEVALUE, r#"["Hello, Ada!"]"#);
    let app = ActionsLayer::new(parity::actions())
        .origin_check(tower_actions::origin::OriginCheck::disabled())
        .layer(tower::service_fn(not_called));
    send(app, post("/_actions/empty", &[], b""))
        .await
        .assert(204, None, "");
}

#[tokio::test]
async fn empty_json_body_means_no_input() {
    send(
        parity::app(),
        post(
            "/_actions/noInput",
            &[("content-type", "application/json")],
            b"",
        ),
    )
    .await
    .assert(204, None, "");
}

#[tokio::test]
async fn no_input_to_a_schema_is_an_input_error_at_the_root() {
    let answer = send(parity::app(), post("/_actions/greet", SAME_ORIGIN, b"")).await;
    answer.assert(
        400,
        JSON,
        r#"{"type":"AstroActionInputError","issues":[{"expected":"object","code":"invalid_type","path":[],"message":"Invalid input: expected object, received undefined"}],"fields":{}}"#,
    );
}

#[tokio::test]
async fn other_content_types_are_415() {
    send(
        parity::app(),
        post(
            "/_actions/greet",
            &[
                SAME_ORIGIN[0],
                SAME_ORIGIN[1],
                ("content-type", "text/plain"),
            ],
            b"not json",
        ),
    )
    .await
    .assert(
        415,
        JSON,
        r#"{"type":"AstroActionError","code":"UNSUPPORTED_MEDIA_TYPE","status":415,"message":""}"#,
    );
}

#[tokio::test]
async fn malformed_json_is_a_400_bad_request() {
    for body in ["{bad", "   ", r#"{"name":"Ada""#] {
        let answer = send(parity::app(), post_json("/_actions/greet", body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer.content_type(), JSON);
        let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(json["type"], "AstroActionError");
        assert_eq!(json["code"], "BAD_REQUEST");
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .starts_with("Malformed JSON in the request body"),
            "{json}"
        );
    }
}

#[tokio::test]
async fn wrong_types_are_input_errors_at_their_path() {
    let answer = send(parity::app(), post_json("/_actions/greet", r#"{"name":5}"#)).await;
    answer.assert(
        400,
        JSON,
        r#"{"type":"AstroActionInputError","issues":[{"expected":"string","code":"invalid_type","path":["name"],"message":"Invalid input: expected string, received number"}],"fields":{"name":["Invalid input: expected string, received number"]}}"#,
    );
    let answer = send(parity::app(), post_json("/_actions/greet", "{}")).await;
    answer.assert(
        400,
        JSON,
        r#"{"type":"AstroActionInputError","issues":[{"expected":"string","code":"invalid_type","path":["name"],"message":"Invalid input: expected string, received undefined"}],"fields":{"name":["Invalid input: expected string, received undefined"]}}"#,
    );
    // Bodies as Astro 7.3.5 answers them (zod 4).
    let answer = send(
        parity::app(),
        post_json("/_actions/sum", r#"{"a":1,"b":"2"}"#),
    )
    .await;
    answer.assert(
        400,
        JSON,
        r#"{"type":"AstroActionInputError","issues":[{"expected":"number","code":"invalid_type","path":["b"],"message":"Invalid input: expected number, received string"}],"fields":{"b":["Invalid input: expected number, received string"]}}"#,
    );
}

#[tokio::test]
async fn validation_failures_are_input_errors() {
    let answer = send(
        parity::app(),
        post_json("/_actions/greet", r#"{"name":""}"#),
    )
    .await;
    // As Astro 7.3.5 answers it (zod 4's `z.string().min(1)`).
    answer.assert(
        400,
        JSON,
        r#"{"type":"AstroActionInputError","issues":[{"origin":"string","code":"too_small","minimum":1,"inclusive":true,"path":["name"],"message":"Too small: expected string to have >=1 characters"}],"fields":{"name":["Too small: expected string to have >=1 characters"]}}"#,
    );
}

#[tokio::test]
async fn validation_reports_every_failing_field() {
    #[derive(serde::Deserialize, garde::Validate)]
    struct Signup {
        #[garde(email)]
        email: String,
        #[garde(length(min = 8))]
        password: String,
        #[garde(range(min = 18))]
        age: u32,
    }
    struct SignupAction;
    impl Action for SignupAction {
        const NAME: &'static str = "signup";
        type Input = Signup;
        type Output = ();
        async fn handle(&self, _: Signup, _: &mut ActionApiContext) -> Result<(), ActionError> {
            Ok(())
        }
    }
    let app =
        ActionsLayer::new(Actions::new().add(SignupAction)).layer(tower::service_fn(not_called));
    let answer = send(
        app,
        post_json(
            "/_actions/signup",
            r#"{"email":"x","password":"short","age":3}"#,
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let mut fields: Vec<&String> = json["fields"].as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(fields, ["age", "email", "password"]);
    assert_eq!(json["issues"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn action_errors_answer_their_code_and_status() {
    send(parity::app(), post_json("/_actions/whoami", "{}"))
        .await
        .assert(401, JSON, r#"{"type":"AstroActionError","code":"UNAUTHORIZED","status":401,"message":"Not logged in"}"#);
    send(
        parity::app(),
        post_json("/_actions/missing", r#"{"id":"7"}"#),
    )
    .await
    .assert(
        404,
        JSON,
        r#"{"type":"AstroActionError","code":"NOT_FOUND","status":404,"message":"no item 7"}"#,
    );
    send(parity::app(), post_json("/_actions/teapot", "{}"))
        .await
        .assert(429, JSON, r#"{"type":"AstroActionError","code":"TOO_MANY_REQUESTS","status":429,"message":"slow down"}"#);
}

/// An action answering the error whose code it is given.
struct Fail;

#[derive(serde::Deserialize, garde::Validate)]
struct FailInput {
    #[garde(skip)]
    code: String,
}

impl Action for Fail {
    const NAME: &'static str = "fail";
    type Input = FailInput;
    type Output = ();
    async fn handle(&self, input: FailInput, _: &mut ActionApiContext) -> Result<(), ActionError> {
        let code = ActionErrorCode::parse(&input.code).expect("a known code");
        Err(ActionError::new(
            code,
            format!("failed with {}", input.code),
        ))
    }
}

#[tokio::test]
async fn all_38_codes_answer_their_status() {
    let app = ActionsLayer::new(Actions::new().add(Fail)).layer(tower::service_fn(not_called));
    let table = [
        ("BAD_REQUEST", 400),
        ("UNAUTHORIZED", 401),
        ("PAYMENT_REQUIRED", 402),
        ("FORBIDDEN", 403),
        ("NOT_FOUND", 404),
        ("METHOD_NOT_ALLOWED", 405),
        ("NOT_ACCEPTABLE", 406),
        ("PROXY_AUTHENTICATION_REQUIRED", 407),
        ("REQUEST_TIMEOUT", 408),
        ("CONFLICT", 409),
        ("GONE", 410),
        ("LENGTH_REQUIRED", 411),
        ("PRECONDITION_FAILED", 412),
        ("CONTENT_TOO_LARGE", 413),
        ("URI_TOO_LONG", 414),
        ("UNSUPPORTED_MEDIA_TYPE", 415),
        ("RANGE_NOT_SATISFIABLE", 416),
        ("EXPECTATION_FAILED", 417),
        ("MISDIRECTED_REQUEST", 421),
        ("UNPROCESSABLE_CONTENT", 422),
        ("LOCKED", 423),
        ("FAILED_DEPENDENCY", 424),
        ("TOO_EARLY", 425),
        ("UPGRADE_REQUIRED", 426),
        ("PRECONDITION_REQUIRED", 428),
        ("TOO_MANY_REQUESTS", 429),
        ("REQUEST_HEADER_FIELDS_TOO_LARGE", 431),
        ("UNAVAILABLE_FOR_LEGAL_REASONS", 451),
        ("INTERNAL_SERVER_ERROR", 500),
        ("NOT_IMPLEMENTED", 501),
        ("BAD_GATEWAY", 502),
        ("SERVICE_UNAVAILABLE", 503),
        ("GATEWAY_TIMEOUT", 504),
        ("HTTP_VERSION_NOT_SUPPORTED", 505),
        ("VARIANT_ALSO_NEGOTIATES", 506),
        ("INSUFFICIENT_STORAGE", 507),
        ("LOOP_DETECTED", 508),
        ("NETWORK_AUTHENTICATION_REQUIRED", 511),
    ];
    assert_eq!(table.len(), 38);
    for (code, status) in table {
        let answer = send(
            app.clone(),
            post_json("/_actions/fail", &format!(r#"{{"code":"{code}"}}"#)),
        )
        .await;
        answer.assert(
            status,
            JSON,
            &format!(r#"{{"type":"AstroActionError","code":"{code}","status":{status},"message":"failed with {code}"}}"#),
        );
        let parsed = ActionErrorCode::parse(code).unwrap();
        assert_eq!(parsed.status().as_u16(), status);
        assert_eq!(ActionErrorCode::from_status(parsed.status()), parsed);
    }
}

#[tokio::test]
async fn unexpected_errors_are_500_with_the_message_hidden_by_default() {
    let hidden = ActionsLayer::new(parity::actions()).layer(tower::service_fn(not_called));
    send(hidden, post_json("/_actions/boom", "{}"))
        .await
        .assert(500, JSON, r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"Internal server error"}"#);
    // The parity fixture exposes it, as Astro does.
    send(parity::app(), post_json("/_actions/boom", "{}"))
        .await
        .assert(500, JSON, r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"kaboom"}"#);
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_service_keeps_serving() {
    struct Panics;
    impl Action for Panics {
        const NAME: &'static str = "panics";
        type Input = tower_actions::input::RawJson;
        type Output = ();
        async fn handle(
            &self,
            _: tower_actions::input::RawJson,
            _: &mut ActionApiContext,
        ) -> Result<(), ActionError> {
            panic!("handler bug")
        }
    }
    let app = ActionsLayer::new(parity::actions().add(Panics)).layer(tower::service_fn(not_called));
    send(app.clone(), post_json("/_actions/panics", "{}"))
        .await
        .assert(500, JSON, r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"Internal server error"}"#);
    send(app, post_json("/_actions/greet", r#"{"name":"Ada"}"#))
        .await
        .assert(200, DEVALUE, r#"["Hello, Ada!"]"#);
}

#[tokio::test]
async fn void_results_are_204_with_no_body_and_no_content_type() {
    send(parity::app(), post_json("/_actions/empty", "{}"))
        .await
        .assert(204, None, "");
}

#[tokio::test]
async fn raw_input_is_echoed_as_javascript_holds_it() {
    send(parity::app(), post_json("/_actions/noInput", "null"))
        .await
        .assert(200, DEVALUE, "[null]");
    send(parity::app(), post_json("/_actions/noInput", "0"))
        .await
        .assert(200, DEVALUE, "[0]");
    send(parity::app(), post_json("/_actions/noInput", "false"))
        .await
        .assert(200, DEVALUE, "[false]");
    send(
        parity::app(),
        post_json("/_actions/noInput", r#"["a","a","b"]"#),
    )
    .await
    .assert(200, DEVALUE, r#"[[1,1,2],"a","b"]"#);
    send(
        parity::app(),
        post_json("/_actions/noInput", r#"{"b":1,"a":2,"10":3,"2":4}"#),
    )
    .await
    .assert(200, DEVALUE, r#"[{"2":1,"10":2,"b":3,"a":4},4,3,1,2]"#);
    send(
        parity::app(),
        post_json("/_actions/sum", r#"{"a":0.1,"b":0.2}"#),
    )
    .await
    .assert(200, DEVALUE, "[0.30000000000000004]");
    send(
        parity::app(),
        post_json("/_actions/sum", r#"{"a":1e21,"b":0}"#),
    )
    .await
    .assert(200, DEVALUE, "[1e+21]");
}

#[tokio::test]
async fn handlers_add_response_headers_and_cookies() {
    struct SetsCookie;
    impl Action for SetsCookie {
        const NAME: &'static str = "setCookie";
        type Input = tower_actions::input::RawJson;
        type Output = bool;
        async fn handle(
            &self,
            _: tower_actions::input::RawJson,
            cx: &mut ActionApiContext,
        ) -> Result<bool, ActionError> {
            let mut cookie = cookie::Cookie::new("fromAction", "yes");
            cookie.set_path("/");
            cookie.set_http_only(true);
            cx.set_cookie(cookie);
            cx.response_headers_mut()
                .insert("x-action", "set".parse().unwrap());
            Ok(cx.cookie("seen").is_some_and(|c| c.value() == "1"))
        }
    }
    let app =
        ActionsLayer::new(Actions::new().add(SetsCookie)).layer(tower::service_fn(not_called));
    let answer = send(
        app,
        post(
            "/_actions/setCookie",
            &[SAME_ORIGIN[0], SAME_ORIGIN[1], ("cookie", "a=b; seen=1")],
            b"",
        ),
    )
    .await;
    answer.assert(200, DEVALUE, "[true]");
    assert_eq!(
        answer.headers["set-cookie"],
        "fromAction=yes; HttpOnly; Path=/"
    );
    assert_eq!(answer.headers["x-action"], "set");
}

#[tokio::test]
async fn handlers_see_the_request_and_its_extensions() {
    #[derive(Clone)]
    struct CurrentUser(&'static str);
    struct Inspect;
    impl Action for Inspect {
        const NAME: &'static str = "inspect";
        type Input = tower_actions::input::RawJson;
        type Output = String;
        async fn handle(
            &self,
            _: tower_actions::input::RawJson,
            cx: &mut ActionApiContext,
        ) -> Result<String, ActionError> {
            let user = cx.local::<CurrentUser>().map_or("nobody", |u| u.0);
            Ok(format!(
                "{} {} {} {}",
                cx.method(),
                cx.uri(),
                cx.headers()["x-test"].to_str().unwrap(),
                user
            ))
        }
    }
    let app = ActionsLayer::new(Actions::new().add(Inspect)).layer(tower::service_fn(not_called));
    let mut request = post(
        "/_actions/inspect?x=1",
        &[SAME_ORIGIN[0], SAME_ORIGIN[1], ("x-test", "here")],
        b"",
    );
    request.extensions_mut().insert(CurrentUser("ada"));
    send(app, request)
        .await
        .assert(200, DEVALUE, r#"["POST /_actions/inspect?x=1 here ada"]"#);
}

#[tokio::test]
async fn base_path_serves_under_it_and_at_the_root() {
    let app = ActionsLayer::new(parity::actions())
        .base_path("/base/")
        .layer(tower::service_fn(not_called));
    for path in [
        "/base/_actions/greet",
        "/base/_actions/greet/",
        "/_actions/greet",
    ] {
        send(app.clone(), post_json(path, r#"{"name":"Ada"}"#))
            .await
            .assert(200, DEVALUE, r#"["Hello, Ada!"]"#);
    }
}

#[tokio::test]
async fn server_side_calls_validate_and_return_typed_results() {
    let actions = parity::actions();
    let mut cx = ActionApiContext::detached();
    let greeting = actions
        .call::<parity::Greet>(parity::GreetInput { name: "Ada".into() }, &mut cx)
        .await
        .unwrap();
    assert_eq!(greeting, "Hello, Ada!");
    let err = actions
        .call::<parity::Greet>(
            parity::GreetInput {
                name: String::new(),
            },
            &mut cx,
        )
        .await
        .unwrap_err();
    assert!(err.is_input_error());
    assert_eq!(
        err.as_input_error().unwrap().issues()[0].path,
        ["name".into()]
    );
    let err = cx
        .call(&parity::Missing, parity::MissingInput { id: "9".into() })
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message().into_owned()),
        (ActionErrorCode::NotFound, "no item 9".to_owned())
    );
}

async fn not_called<B>(
    _: Request<B>,
) -> Result<http::Response<Full<Bytes>>, std::convert::Infallible> {
    Ok(http::Response::new(Full::new(Bytes::from_static(
        b"inner service",
    ))))
}
