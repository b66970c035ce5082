//! The generated world: the same seed gives the same runners and tokens, and a
//! large world builds and serves its first page.

mod common;

use common::*;
use gitlab_sandbox::Config;

fn seeded(seed: u64) -> Config {
    Config {
        runners: 60,
        seed,
        ..Default::default()
    }
}

fn tokens(s: &Sandbox) -> Vec<String> {
    s.running
        .state
        .read()
        .runners
        .values()
        .map(|r| r.token.clone())
        .collect()
}

/// Every runner as `GET /runners/all` lists it, minus the clock-dependent fields.
async fn listing(s: &Sandbox) -> Vec<(u64, String, String, String)> {
    let r = s.get("/runners/all?per_page=100", ADMIN_TOKEN).await;
    r.ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["id"].as_u64().unwrap(),
                x["description"].as_str().unwrap().to_string(),
                x["runner_type"].as_str().unwrap().to_string(),
                x["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn same_seed_same_world() {
    let a = Sandbox::with(seeded(7)).await;
    let b = Sandbox::with(seeded(7)).await;
    assert_eq!(tokens(&a).len(), 60);
    assert_eq!(tokens(&a), tokens(&b));
    assert_eq!(
        a.instance_registration_token(),
        b.instance_registration_token()
    );
    assert_eq!(a.group_registration_token(3), b.group_registration_token(3));
    assert_eq!(
        a.project_registration_token(7),
        b.project_registration_token(7)
    );
    let listed = listing(&a).await;
    assert_eq!(listed.len(), 60);
    assert_eq!(listed, listing(&b).await);
    // A token read from one sandbox authenticates its runner on the other.
    let token = a.runner_token(42);
    assert_eq!(
        b.post_form("/runners/verify", None, &[("token", &token)])
            .await
            .ok(200)["id"],
        42
    );
    // Tags and the rest of the details agree too.
    for id in [8, 9, 13, 30, 60] {
        let da = a.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
        let db = b.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
        for key in [
            "tag_list",
            "locked",
            "run_untagged",
            "access_level",
            "version",
            "maximum_timeout",
        ] {
            assert_eq!(da.ok(200)[key], db.ok(200)[key], "runner {id} {key}");
        }
        // Owners by id (their web_url holds each sandbox's own port).
        for key in ["projects", "groups"] {
            assert_eq!(ids(&da.body[key]), ids(&db.body[key]), "runner {id} {key}");
        }
    }
}

#[tokio::test]
async fn another_seed_another_world_with_the_same_fixed_runners() {
    let a = Sandbox::with(seeded(7)).await;
    let b = Sandbox::with(seeded(8)).await;
    let (ta, tb) = (tokens(&a), tokens(&b));
    assert!(
        ta.iter().zip(&tb).all(|(x, y)| x != y),
        "tokens should all differ"
    );
    let (la, lb) = (listing(&a).await, listing(&b).await);
    assert_ne!(la, lb);
    // The hand-made twelve keep their type and status whatever the seed.
    let fixed = |l: &[(u64, String, String, String)]| -> Vec<(u64, String, String)> {
        l.iter()
            .take(12)
            .map(|(id, _, t, st)| (*id, t.clone(), st.clone()))
            .collect()
    };
    assert_eq!(fixed(&la), fixed(&lb));
    let statuses: Vec<&str> = la.iter().take(12).map(|x| x.3.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "online",
            "online",
            "online",
            "offline",
            "offline",
            "offline",
            "stale",
            "stale",
            "stale",
            "never_contacted",
            "never_contacted",
            "never_contacted"
        ]
    );
    // A token of one world is nothing in the other.
    b.post_form("/runners/verify", None, &[("token", &a.runner_token(1))])
        .await
        .expect(403, FORBIDDEN);
}

#[tokio::test]
async fn a_large_world_builds_and_lists_its_first_page() {
    let s = Sandbox::with(Config {
        runners: 100_000,
        ..Default::default()
    })
    .await;
    let r = s.get("/runners/all", ADMIN_TOKEN).await;
    assert_eq!(r.ids(), (1..=20).collect::<Vec<u64>>());
    assert_eq!(r.header("x-total"), None);
    assert_eq!(r.header("x-next-page"), Some("2"));
    assert_eq!(
        s.get("/runners/100000", ADMIN_TOKEN).await.ok(200)["id"],
        100_000
    );
    s.get("/runners/100001", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
}
