//! Property tests of the API layer: parsing never panics whatever GitLab (or a
//! proxy in front of it) sends, and request building encodes any id, path or tag.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use runner_console::api::model::{decode, RegisteredRunner, RunnerJob, TokenResponse};
use runner_console::api::request::{
    self, PageQuery, ProjectRef, RunnerFilter, RunnerSource, RunnerUpdate,
};
use runner_console::api::{ApiError, PageInfo, Runner, RunnerDetails, User};
use runner_console::{json, url_encoding};
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

/// Our value equals serde_json's (the oracle): numbers by value, objects by key.
fn same_json(ours: &json::Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (json::Value::Null, Value::Null) => true,
        (json::Value::Bool(a), Value::Bool(b)) => a == b,
        (json::Value::String(a), Value::String(b)) => a == b,
        (json::Value::Number(_), Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                ours.as_u64() == Some(u)
            } else if let Some(i) = n.as_i64() {
                ours.as_i64() == Some(i)
            } else {
                let (a, b) = (ours.as_f64().unwrap(), n.as_f64().unwrap());
                // Within a few units in the last place (subnormals: absolutely).
                (a - b).abs() <= 1e-14 * b.abs() || (a - b).abs() < 1e-300
            }
        }
        (json::Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y))
        }
        (json::Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && b.iter()
                    .all(|(k, v)| a.get(k).is_some_and(|x| same_json(x, v)))
        }
        _ => false,
    }
}

/// A JSON text with one character put in, taken out or cut off: mostly broken.
fn damaged_json() -> impl Strategy<Value = String> {
    (
        json_value(),
        any::<prop::sample::Index>(),
        any::<char>(),
        0..3u8,
    )
        .prop_map(|(v, at, c, how)| {
            let text = v.to_string();
            let mut cut = at.index(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let (head, tail) = text.split_at(cut);
            match how {
                0 => format!("{head}{c}{tail}"),
                1 => format!("{head}{}", tail.chars().skip(1).collect::<String>()),
                _ => head.to_string(),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn json_is_read_as_serde_json_reads_it_and_written_back_the_same(v in json_value()) {
        let ours = json::parse(&v.to_string()).expect("valid JSON");
        prop_assert!(same_json(&ours, &v), "{:?} vs {}", ours, v);
        prop_assert_eq!(json::parse(&ours.to_string()).expect("our own output"), ours);
    }

    #[test]
    fn query_strings_are_written_and_read_as_serde_urlencoded_does(
        pairs in prop::collection::vec((".*", ".*"), 0..4),
        raw in "[a-z=&%+0-9A-F\\u{e9} ]{0,30}",
    ) {
        let ours = url_encoding::encode_pairs(&pairs);
        prop_assert_eq!(&ours, &serde_urlencoded::to_string(&pairs).unwrap());
        prop_assert_eq!(url_encoding::decode_pairs(&ours), pairs);
        let theirs: Vec<(String, String)> = serde_urlencoded::from_str(&raw).unwrap();
        prop_assert_eq!(url_encoding::decode_pairs(&raw), theirs);
    }

    #[test]
    fn broken_json_is_refused_where_serde_json_refuses_it(text in damaged_json()) {
        let ours = json::parse(&text);
        let theirs = serde_json::from_str::<Value>(&text);
        // Past f64's range serde_json stops ("out of range"); browsers' JSON.parse,
        // and ours, read ±inf: no claim then.
        let out_of_range = theirs.as_ref().is_err_and(|e| e.to_string().contains("out of range"));
        if !out_of_range {
            prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?}", text, ours);
        }
        if let (Ok(a), Ok(b)) = (&ours, &theirs) {
            prop_assert!(same_json(a, b), "{:?}", text);
        }
    }

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
