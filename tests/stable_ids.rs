//! The event `id` of an article two feeds list under their own bare ids
//! does not depend on which feed was polled first: two installations poll
//! the same two feeds in opposite orders and agree on it.

mod support;

use std::path::Path;

use support::*;

fn rss(title: &str, items: &[(&str, String)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, link)| {
            format!(
                "<item><guid isPermaLink=\"false\">{guid}</guid><title>{guid}</title><link>{link}</link></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>http://example.org/</link>{items}</channel></rss>"
    )
}

/// Polls `first` alone, then both feeds, in the installation at `dir`;
/// returns every event of the two runs.
async fn install_and_poll(dir: &Path, first: &str, both: &[String]) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for feeds in [vec![first.to_string()], both.to_vec()] {
        let out = run_once(&write_config(dir, &feeds, "")).await;
        assert!(out.status.success(), "{}", stderr(&out));
        all.extend(events(&out));
    }
    all
}

/// The ids of the events, by the title their page gave them.
fn ids(events: &[serde_json::Value]) -> std::collections::BTreeMap<String, String> {
    events
        .iter()
        .map(|e| {
            (
                e["title"].to_string(),
                e["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_shared_article_has_one_id_whichever_feed_came_first() {
    let site = start_site().await;
    let shared = site.url("/pages/longread.html");
    site.put(
        "/a.xml",
        rss(
            "A",
            &[
                ("a-1", shared.clone()),
                ("a-2", site.url("/pages/blog.html")),
            ],
        ),
    );
    site.put(
        "/b.xml",
        rss(
            "B",
            &[
                ("b-9", format!("{shared}?utm_source=b")),
                ("b-8", site.url("/pages/seed.html")),
            ],
        ),
    );
    let (a, b) = (site.url("/a.xml"), site.url("/b.xml"));
    let both = [a.clone(), b.clone()];
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let a_first = install_and_poll(one.path(), &a, &both).await;
    let b_first = install_and_poll(two.path(), &b, &both).await;

    for events in [&a_first, &b_first] {
        assert_eq!(events.len(), 3, "the shared article once, two others");
    }
    assert_eq!(ids(&a_first).len(), 3, "three distinct titles");
    assert_eq!(
        ids(&a_first),
        ids(&b_first),
        "the same ids in both installations"
    );
    let feeds_of = |events: &[serde_json::Value]| -> Vec<String> {
        let mut f: Vec<String> = events
            .iter()
            .map(|e| e["feed"]["url"].to_string())
            .collect();
        f.sort();
        f
    };
    assert_ne!(
        feeds_of(&a_first),
        feeds_of(&b_first),
        "the shared article came from A in one, from B in the other"
    );

    // A new post of A under the same link (a sponsor back again) is a new
    // item; the link's id is taken, so it gets its own.
    site.put("/a.xml", rss("A", &[("a-3", shared.clone())]));
    let out = run_once(&write_config(one.path(), &both, "")).await;
    let again = events(&out);
    assert_eq!(again.len(), 1, "{}", stderr(&out));
    assert!(!ids(&a_first).values().any(|id| again[0]["id"] == *id));
}
