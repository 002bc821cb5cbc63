//! Astro's `action-error.test.ts` and the error parts of `serialize.test.ts`, ported (§11).

use http::StatusCode;
use serde_json::json;
use tower_actions::{
    ActionError, ActionErrorCode,
    error::{Issue, PathSegment},
};

#[test]
fn an_action_error_has_its_code_status_message_and_type() {
    let err = ActionError::new(ActionErrorCode::NotFound, "Page not found");
    assert_eq!(err.code(), ActionErrorCode::NotFound);
    assert_eq!(err.status(), StatusCode::NOT_FOUND);
    assert_eq!(err.message(), "Page not found");
    assert_eq!(err.type_name(), "AstroActionError");
}

#[test]
fn no_message_is_an_empty_message() {
    let err = ActionError::from_code(ActionErrorCode::Forbidden);
    assert_eq!(err.message(), "");
    assert_eq!(
        err.to_json(false),
        r#"{"type":"AstroActionError","code":"FORBIDDEN","status":403,"message":""}"#
    );
}

#[test]
fn status_to_code_maps_known_statuses_and_falls_back_to_internal_server_error() {
    for (status, code) in [
        (400, ActionErrorCode::BadRequest),
        (401, ActionErrorCode::Unauthorized),
        (404, ActionErrorCode::NotFound),
        (500, ActionErrorCode::InternalServerError),
        (999, ActionErrorCode::InternalServerError),
        (418, ActionErrorCode::InternalServerError),
    ] {
        assert_eq!(
            ActionErrorCode::from_status(StatusCode::from_u16(status).unwrap()),
            code
        );
    }
}

#[test]
fn from_json_builds_action_errors_input_errors_and_falls_back() {
    let err = ActionError::from_json_value(
        &json!({"type":"AstroActionError","code":"UNAUTHORIZED","message":"Not logged in"}),
    );
    assert_eq!(
        (err.code(), &*err.message()),
        (ActionErrorCode::Unauthorized, "Not logged in")
    );
    assert!(!err.is_input_error());

    let err = ActionError::from_json_value(&json!({
        "type":"AstroActionInputError",
        "issues":[{"code":"invalid_type","expected":"string","path":["name"],"message":"Expected string"}],
        "fields":{"ignored":["the client recomputes fields from issues"]}
    }));
    assert!(err.is_input_error());
    assert_eq!(err.code(), ActionErrorCode::BadRequest);
    let input = err.as_input_error().unwrap();
    assert_eq!(input.field("name"), ["Expected string"]);
    assert!(input.field("ignored").is_empty());

    let err = ActionError::from_json_value(&json!({"something":"random"}));
    assert_eq!(
        (err.code(), &*err.message()),
        (ActionErrorCode::InternalServerError, "")
    );

    // An input-error type without an `issues` array is not an input error.
    let err = ActionError::from_json_value(&json!({"type":"AstroActionInputError"}));
    assert!(!err.is_input_error());
}

#[test]
fn a_body_that_is_not_json_becomes_internal_server_error_with_the_body_as_message() {
    let err = ActionError::from_body(b"Unauthorized");
    assert_eq!(
        (err.code(), &*err.message()),
        (ActionErrorCode::InternalServerError, "Unauthorized")
    );
    let err = ActionError::from_body(b"");
    assert_eq!(
        (err.code(), &*err.message()),
        (ActionErrorCode::InternalServerError, "")
    );
}

#[test]
fn input_error_fields_group_messages_by_the_first_path_segment() {
    let err = ActionError::input(vec![
        Issue::invalid_type(vec!["name".into()], "Expected string"),
        Issue::new("too_small", vec!["name".into()], "Too short"),
        Issue::invalid_type(vec!["email".into()], "Required"),
    ]);
    let input = err.as_input_error().unwrap();
    assert_eq!(input.field("name"), ["Expected string", "Too short"]);
    assert_eq!(input.field("email"), ["Required"]);
    assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    assert!(err.message().starts_with("Failed to validate: "));
}

#[test]
fn an_empty_path_issue_adds_no_field() {
    let err = ActionError::input(vec![Issue::new("custom", vec![], "root refine")]);
    assert_eq!(
        err.to_json(false),
        r#"{"type":"AstroActionInputError","issues":[{"code":"custom","path":[],"message":"root refine"}],"fields":{}}"#
    );
}

#[test]
fn nested_paths_count_under_their_first_segment() {
    let err = ActionError::input(vec![Issue::invalid_type(
        vec![PathSegment::Key("tags".into()), PathSegment::Index(0)],
        "Expected string",
    )]);
    assert_eq!(
        err.to_json(false),
        r#"{"type":"AstroActionInputError","issues":[{"code":"invalid_type","path":["tags",0],"message":"Expected string"}],"fields":{"tags":["Expected string"]}}"#
    );
}

#[test]
fn any_error_converts_into_an_internal_action_error() {
    fn fails() -> Result<(), ActionError> {
        let _: u32 = "x".parse()?;
        Ok(())
    }
    let err = fails().unwrap_err();
    assert!(err.is_internal());
    assert_eq!(err.code(), ActionErrorCode::InternalServerError);
    assert_eq!(err.message(), "invalid digit found in string");
    assert_eq!(
        err.to_json(true),
        r#"{"type":"AstroActionError","code":"INTERNAL_SERVER_ERROR","status":500,"message":"invalid digit found in string"}"#
    );
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        ActionError::from_code(ActionErrorCode::Gone).into();
    assert_eq!(boxed.to_string(), "GONE");
}

#[test]
fn an_error_answers_as_a_complete_response() {
    let err = ActionError::new(ActionErrorCode::TooManyRequests, "slow down");
    let response = tower_actions::SerializedActionResult::from_error(&err, false).into_response();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.body().as_deref(),
        Some(&br#"{"type":"AstroActionError","code":"TOO_MANY_REQUESTS","status":429,"message":"slow down"}"#[..])
    );
}
