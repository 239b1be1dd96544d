//! The real binary against a real HTTP server on 127.0.0.1.

mod support;

use support::*;

fn by_title<'a>(events: &'a [serde_json::Value], needle: &str) -> &'a serde_json::Value {
    events
        .iter()
        .find(|e| e["title"].as_str().unwrap_or("").contains(needle))
        .unwrap_or_else(|| panic!("no event titled {needle:?} in {events:#?}"))
}

#[tokio::test]
async fn once_emits_every_article_once_and_a_restart_emits_nothing() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &[site.url("/world.xml"), site.url("/europe.atom")],
        "",
    );

    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let events = events(&out);
    // Seed article (three items in two feeds), tidal mill, removed story,
    // night trains.
    assert_eq!(events.len(), 4, "{events:#?}\n{}", stderr(&out));
    let ids: std::collections::HashSet<_> =
        events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4);

    let seed = by_title(&events, "Kremlin warns");
    assert_eq!(seed["type"], "article");
    assert_eq!(seed["body_source"], "page");
    // Both feeds carry it; whichever claims it first names the feed.
    let from = seed["feed"]["url"].as_str().unwrap();
    assert!(
        [site.url("/world.xml"), site.url("/europe.atom")].contains(&from.to_string()),
        "{from}"
    );
    let body = seed["body"].as_str().unwrap();
    assert!(
        body.starts_with("Ukraine's membership in the North Atlantic Alliance"),
        "{body}"
    );
    assert!(body.contains("\n\n"));
    assert!(!body.contains("Comments"), "{body}");
    assert!(!body.contains("Kremlin, Peskov, NATO, Putin"), "{body}");
    let tags: Vec<&str> = seed["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        &tags[..4],
        ["Kremlin", "Peskov", "NATO", "Putin"],
        "{tags:?}"
    );
    assert!(
        tags.contains(&"World"),
        "feed categories are tags too: {tags:?}"
    );
    let speakers: Vec<&str> = seed["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["speaker"].as_str())
        .collect();
    for who in ["Dmitry Peskov", "Volodymyr Zelensky", "Jens Stoltenberg"] {
        assert!(speakers.contains(&who), "{who} missing from {speakers:?}");
    }

    let mill = by_title(&events, "tidal mill");
    assert_eq!(mill["authors"][0], "Maria Lopes");
    assert_eq!(mill["url"], site.url("/site-pages/tidal-mill.html"));
    assert!(
        mill["published"]
            .as_str()
            .unwrap()
            .starts_with("2021-11-29T08:00:00")
    );
    let mill_body = mill["body"].as_str().unwrap();
    assert!(mill_body.contains("Councillors in Port Ellery"));
    assert!(
        mill_body.contains("Edward Pascoe, retired in 1953"),
        "{mill_body}"
    );
    for junk in [
        "cookies",
        "Share on",
        "Most read",
        "About time",
        "Storm damage",
        "All rights reserved",
    ] {
        assert!(!mill_body.contains(junk), "{junk:?} left in {mill_body}");
    }

    let removed = by_title(&events, "Removed story");
    assert_eq!(removed["body_source"], "feed");
    assert_eq!(
        removed["body"],
        "The ferry service to the islands resumes on Monday, the operator said.\n\nTimetables are unchanged."
    );
    assert!(
        stderr(&out).contains("/gone/removed-story.html"),
        "the 404 is logged with its URL"
    );

    let trains = by_title(&events, "Night trains");
    assert_eq!(trains["feed"]["title"], "Daily Courier: Europe");
    assert!(
        trains["body"]
            .as_str()
            .unwrap()
            .contains("Demand after the pandemic")
    );

    let again = run_once(&cfg).await;
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        support::events(&again).is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert!(
        *site.served.not_modified.lock().unwrap() >= 2,
        "feeds are polled conditionally"
    );
    // Pages already emitted are not fetched again.
    assert_eq!(site.hits("/site-pages/tidal-mill.html"), 1);
}

#[tokio::test]
async fn a_transient_page_failure_is_retried_on_the_next_poll() {
    let site = start_site().await;
    site.served
        .fail_next
        .lock()
        .unwrap()
        .insert("/site-pages/night-trains.html".into(), 1);
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &[site.url("/europe.atom")], "");

    let first = run_once(&cfg).await;
    assert!(first.status.success());
    let titles: Vec<String> = events(&first)
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(stderr(&first).contains("503"), "{}", stderr(&first));

    // The feed has not changed (304), but the parked item is still due.
    let second = run_once(&cfg).await;
    let ev = events(&second);
    assert_eq!(ev.len(), 1, "{}", stderr(&second));
    assert_eq!(ev[0]["title"], "Night trains return to the Alps");
    assert_eq!(ev[0]["body_source"], "page");
    assert!(events(&run_once(&cfg).await).is_empty());
}

#[tokio::test]
async fn events_go_to_the_file_sink_and_logs_never_to_stdout() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out/events.ndjson");
    let extra = format!("[output]\npath = \"{}\"\n", out_path.display());
    // [output] must come after the top-level keys: put it at the end.
    let cfg = write_config(dir.path(), &[], "");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(&format!(
        "\n[[feeds]]\nurl = \"{}\"\n\n{extra}",
        site.url("/world.xml")
    ));
    std::fs::write(&cfg, text).unwrap();

    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(written.lines().count(), 3);
    assert!(written.ends_with('\n'));
    for line in written.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["schema"], 1);
        assert!(v["event_id"].as_str().is_some_and(|s| !s.is_empty()));
    }
}

#[tokio::test]
async fn a_broken_feed_is_logged_by_name_and_others_go_on() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &[
            site.url("/pages/../site-pages/tidal-mill.html"),
            site.url("/missing.xml"),
            site.url("/europe.atom"),
        ],
        "",
    );
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "a failing feed does not fail the run");
    assert_eq!(events(&out).len(), 2);
    let err = stderr(&out);
    assert!(err.contains("missing.xml") && err.contains("404"), "{err}");
    assert!(err.contains("tidal-mill.html"), "{err}");
    let table = status_table(&cfg);
    assert!(table.contains("missing.xml"), "{table}");
    assert!(table.contains("europe.atom"), "{table}");
}

#[tokio::test]
async fn sigterm_stops_the_daemon_gracefully() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &[site.url("/world.xml")],
        "poll_interval = \"1h\"\n",
    );
    let child = Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(&cfg)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped()),
    );
    // Wait until the state records the first poll as done (its items are
    // claimed by then, and the sink drains them on the way out).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let table = status_table(&cfg);
        let polled = table.lines().any(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            l.contains("world.xml")
                && cols.get(1) == Some(&"3")
                && cols.get(3).is_some_and(|c| *c != "-")
        });
        if polled {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the first poll never finished: {table}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    child.signal("-TERM");
    let out = child.output().await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(events(&out).len(), 3);
    assert!(stderr(&out).contains("SIGTERM"));
}

#[tokio::test]
async fn robots_txt_is_obeyed_for_pages_when_asked() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &[site.url("/europe.atom")], "");
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "host_delay = \"0s\"\n",
        "host_delay = \"0s\"\nrobots = true\n",
    );
    std::fs::write(&cfg, text).unwrap();
    let out = run_once(&cfg).await;
    assert!(out.status.success());
    let trains = events(&out)
        .into_iter()
        .find(|e| e["title"].as_str().unwrap().contains("Night trains"))
        .unwrap();
    assert_eq!(trains["body_source"], "feed");
    assert_eq!(site.hits("/site-pages/night-trains.html"), 0);
    assert_eq!(site.hits("/robots.txt"), 1, "fetched once per host");
    assert!(stderr(&out).contains("disallowed by robots.txt"));
}

/// A weekly show's feed: episodes link to the show's page, a notice to the
/// front page, a trailer has nothing but its audio, and two specials were
/// published under one id.
fn show_feed(items: &[&str]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
<title>Courier Weekly</title>
<link>/</link>
<description>The week's news, read aloud.</description>
{}
</channel>
</rss>"#,
        items.join("\n")
    )
}

fn episode(n: u32, title: &str) -> String {
    format!(
        r#"<item><title>Episode {n}: {title}</title><link>/site-pages/weekly.html</link><guid isPermaLink="false">weekly-{n}</guid>
<description>{title}, in twenty minutes.</description>
<enclosure url="/audio/{n}.mp3" length="18000000" type="audio/mpeg"/></item>"#
    )
}

const NOTICE: &str = r#"<item><title>We move to Thursdays</title><link>/</link><description>From next week, new episodes come out on Thursdays.</description></item>"#;
const TRAILER: &str =
    r#"<item><enclosure url="/audio/trailer.mp3" length="900000" type="audio/mpeg"/></item>"#;
const SPECIAL_TRAINS: &str = r#"<item><title>Special: night trains</title><link>/gone/special-trains.html</link><guid isPermaLink="false">weekly-special</guid></item>"#;
const SPECIAL_MILL: &str = r#"<item><title>Special: the tidal mill</title><link>/gone/special-mill.html</link><guid isPermaLink="false">weekly-special</guid></item>"#;

#[tokio::test]
async fn every_entry_is_an_item_once_even_without_a_usable_id_or_link() {
    let site = start_site().await;
    let (ep1, ep2, ep3) = (
        episode(1, "Harbour walls"),
        episode(2, "The Kremlin and NATO"),
        episode(3, "Night trains"),
    );
    site.put(
        "/weekly.xml",
        show_feed(&[&ep2, &ep1, NOTICE, TRAILER, SPECIAL_TRAINS, SPECIAL_MILL]),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &[site.url("/weekly.xml")], "");

    let first = run_once(&cfg).await;
    assert!(first.status.success(), "{}", stderr(&first));
    let ev = events(&first);
    let mut titles: Vec<&str> = ev.iter().map(|e| e["title"].as_str().unwrap()).collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "",
            "Episode 1: Harbour walls",
            "Episode 2: The Kremlin and NATO",
            "Special: night trains",
            "Special: the tidal mill",
            "We move to Thursdays"
        ],
        "{}",
        stderr(&first)
    );
    let ids: std::collections::HashSet<&str> =
        ev.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 6);
    let e1 = by_title(&ev, "Episode 1");
    assert_eq!(e1["url"], site.url("/site-pages/weekly.html"));
    assert_eq!(e1["body"], "Harbour walls, in twenty minutes.");
    assert_eq!(e1["body_source"], "feed");
    assert_eq!(
        site.hits("/site-pages/weekly.html"),
        0,
        "the show's page is no episode's article"
    );
    assert_eq!(site.hits("/"), 0, "nor is the front page");

    // A week later: a new episode, the oldest gone, one special left.
    site.put(
        "/weekly.xml",
        show_feed(&[&ep3, &ep2, NOTICE, TRAILER, SPECIAL_MILL]),
    );
    let second = run_once(&cfg).await;
    let ev = events(&second);
    assert_eq!(ev.len(), 1, "{ev:#?}\n{}", stderr(&second));
    assert_eq!(ev[0]["title"], "Episode 3: Night trains");
    assert!(events(&run_once(&cfg).await).is_empty());
}

const DAY_MS: i64 = 86_400_000;

/// Ages the state as if `days` had passed since the feed was last read in
/// full (`fresh`) and since its items' keys were last marked (`keys`).
fn age_state(state_dir: &std::path::Path, fresh_days: i64, key_days: i64) {
    let db = rusqlite::Connection::open(state_dir.join("newsflow.db")).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    db.execute(
        "UPDATE feeds SET fresh_at = ?1",
        [now - fresh_days * DAY_MS],
    )
    .unwrap();
    db.execute("UPDATE seen SET at = ?1", [now - key_days * DAY_MS])
        .unwrap();
}

fn oldest_key_age_days(state_dir: &std::path::Path) -> Option<i64> {
    let db = rusqlite::Connection::open(state_dir.join("newsflow.db")).unwrap();
    let oldest: Option<i64> = db
        .query_row("SELECT min(at) FROM seen", [], |r| r.get(0))
        .unwrap();
    oldest.map(|t| (chrono::Utc::now().timestamp_millis() - t) / DAY_MS)
}

#[tokio::test]
async fn keys_live_while_a_feed_lists_the_item_and_are_dropped_after() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &[site.url("/world.xml")], "");
    let state = dir.path().join("state");
    assert_eq!(events(&run_once(&cfg).await).len(), 3);
    assert_eq!(oldest_key_age_days(&state), Some(0));

    // Two months of 304s: the feed is read in full again, nothing is
    // emitted, and the keys of the items it still lists are marked again.
    age_state(&state, 60, 170);
    let before = *site.served.not_modified.lock().unwrap();
    let out = run_once(&cfg).await;
    assert!(events(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(*site.served.not_modified.lock().unwrap(), before);
    assert_eq!(oldest_key_age_days(&state), Some(0));

    // Keys nobody marked for longer than seen_retention are dropped.
    age_state(&state, 0, 200);
    let out = run_once(&cfg).await;
    assert!(stderr(&out).contains("forgot items"), "{}", stderr(&out));
    assert_eq!(oldest_key_age_days(&state), None);
}
