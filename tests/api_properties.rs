//! Property tests of the API layer: parsing never panics whatever GitLab (or a
//! proxy in front of it) sends, and request building encodes any id, path or tag.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use runner_console::api::model::{decode, RegisteredRunner, RunnerJob, TokenResponse};
use runner_console::api::request::{
    self, PageQuery, ProjectRef, RunnerFilter, RunnerSource, RunnerUpdate,
};
use runner_console::api::{ApiError, PageInfo, Runner, RunnerDetails, User};
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".*".prop_map(Value::String),
        // Field names and values GitLab uses, so objects get near the real shapes.
        prop_oneof![
            Just("online"),
            Just("project_type"),
            Just("2016-01-25T16:39:48.066Z"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let key = prop_oneof![
            Just("id".to_string()),
            Just("status".to_string()),
            Just("runner_type".to_string()),
            Just("tag_list".to_string()),
            Just("projects".to_string()),
            Just("paused".to_string()),
            Just("active".to_string()),
            Just("user".to_string()),
            Just("duration".to_string()),
            Just("token".to_string()),
            "[a-z_]{1,12}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Undoes percent-encoding (test-side, independent of the code under test).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_json_never_panics(v in json_value()) {
        let text = v.to_string();
        let _ = decode::<Runner>(&text);
        let _ = decode::<Vec<Runner>>(&text);
        let _ = decode::<RunnerDetails>(&text);
        let _ = decode::<Vec<RunnerJob>>(&text);
        let _ = decode::<User>(&text);
        let _ = decode::<TokenResponse>(&text);
        let _ = decode::<RegisteredRunner>(&text);
    }

    #[test]
    fn parsing_any_text_never_panics(text in ".*") {
        let _ = decode::<Vec<Runner>>(&text);
        let _ = decode::<RunnerDetails>(&text);
    }

    #[test]
    fn error_bodies_never_panic_and_keep_the_status(
        status in 100u16..600,
        body in prop_oneof![json_value().prop_map(|v| v.to_string()), ".*"],
        retry in proptest::option::of(".*"),
    ) {
        let e = ApiError::from_response(status, &body, retry.as_deref());
        let message = e.user_message();
        prop_assert!(!message.is_empty());
        prop_assert_eq!(e.status(), Some(status));
    }

    #[test]
    fn pagination_headers_never_panic(values in prop::collection::vec(".*", 7)) {
        let names = ["X-Page", "X-Per-Page", "X-Total", "X-Total-Pages", "X-Next-Page", "X-Prev-Page", "Link"];
        let info = PageInfo::from_headers(|n| {
            names.iter().position(|x| x.eq_ignore_ascii_case(n)).map(|i| values[i].clone())
        });
        let _ = info.next_page;
    }

    #[test]
    fn runner_ids_make_their_paths(id in any::<u64>()) {
        prop_assert_eq!(request::get_runner(id).path, format!("/runners/{id}"));
        prop_assert_eq!(request::delete_runner(id).path, format!("/runners/{id}"));
        prop_assert_eq!(
            request::reset_runner_token_by_id(id).path,
            format!("/runners/{id}/reset_authentication_token")
        );
    }

    #[test]
    fn project_paths_are_one_encoded_segment(path in "[^\\s]{1,40}(/[^\\s]{1,20}){0,3}") {
        let project = ProjectRef::Path(path.clone());
        let req = request::list_runners(&RunnerSource::Project(project), &RunnerFilter::default(), PageQuery::default());
        let segment = req
            .path
            .strip_prefix("/projects/")
            .and_then(|s| s.strip_suffix("/runners"))
            .expect("the project segment");
        prop_assert!(!segment.contains('/') && !segment.contains('?') && !segment.contains('#'), "{}", segment);
        prop_assert_eq!(percent_decode(segment), path);
    }

    #[test]
    fn tags_survive_the_query_string(tags in prop::collection::vec("[^,]{1,16}", 0..6)) {
        let filter = RunnerFilter { tag_list: tags.clone(), ..Default::default() };
        let req = request::list_runners(&RunnerSource::All, &filter, PageQuery::default());
        let url = req.url("https://gitlab.example.com");
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
        let sent: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k == "tag_list")
            .flat_map(|(_, v)| v.split(',').map(String::from).collect::<Vec<_>>())
            .collect();
        let expected: Vec<String> = tags.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        prop_assert_eq!(sent, expected);
    }

    #[test]
    fn form_bodies_round_trip(description in ".*", note in ".*") {
        let update = RunnerUpdate {
            description: Some(description.clone()),
            maintenance_note: Some(note.clone()),
            ..Default::default()
        };
        let body = request::update_runner(7, &update).form_body().expect("a form body");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap();
        prop_assert!(pairs.contains(&("description".to_string(), description)));
        prop_assert!(pairs.contains(&("maintenance_note".to_string(), note)));
    }
}
