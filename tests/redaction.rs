//! Feed URLs with credentials (userinfo, tokens in the query) and feed
//! header values never reach the log (human and JSON), `/metrics`, the
//! status page (`/`, `/status.json`) or `newsflow status` unmasked. The
//! real binary polls one working, one missing and one unreachable feed,
//! each with its own secrets, so success, HTTP and network errors all log.

mod support;

use std::time::Duration;

use support::*;

/// The secrets in the feed URLs, usernames included.
const SECRETS: &[&str] = &[
    "alice",
    "pw-alice-1",
    "tok-22",
    "carol",
    "pw-carol-3",
    "key-44",
    "dave",
    "pw-dave-5",
    "sig-66",
    "at-77",
    "hdr-secret-88",
];

fn feeds(port: u16) -> Vec<String> {
    vec![
        format!("http://alice:pw-alice-1@127.0.0.1:{port}/world.xml?token=tok-22&lang=en"),
        format!("http://carol:pw-carol-3@127.0.0.1:{port}/gone/feed.xml?api_key=key-44"),
        format!(
            "http://dave:pw-dave-5@127.0.0.1:{}/feed.xml?sig=sig-66&access_token=at-77",
            free_port()
        ),
    ]
}

fn assert_no_secret(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} shows {s:?}:\n{text}");
    }
}

#[tokio::test]
async fn credentials_in_feed_urls_and_headers_are_masked_in_logs_metrics_and_status() {
    let site = start_site().await;
    let port = free_port();
    // Two installations with their own state: the second polls afresh.
    let config = |dir: &std::path::Path| {
        let extra = format!(
            "listen = \"127.0.0.1:{port}\"\npoll_interval = \"1h\"\n\n[output]\npath = \"{}\"\n",
            dir.join("events.ndjson").display()
        );
        let path = write_config(dir, &feeds(site.addr.port()), &extra);
        // The last feed entry gets a secret header.
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("headers = { Authorization = \"Bearer hdr-secret-88\" }\n");
        std::fs::write(&path, text).unwrap();
        path
    };
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let events = dir.path().join("events.ndjson");

    // Human log, everything at debug level (the HTTP stack's own lines too).
    let once = cfg.clone();
    let out = tokio::task::spawn_blocking(move || {
        newsflow()
            .args(["--log-level", "debug", "run", "--once", "--config"])
            .arg(&once)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let human = stderr(&out);
    assert_no_secret("the human log", &human);
    assert!(human.contains("http://***@127.0.0.1"), "{human}");
    assert!(human.contains("api_key=***"), "{human}");
    assert!(std::fs::read_to_string(&events).unwrap().lines().count() > 0);

    // JSON log and /metrics of a running daemon.
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let log_path = dir.path().join("stderr.json");
    let child = Spawned::new(
        newsflow()
            .args(["--log-format", "json", "run", "--config"])
            .arg(&cfg)
            .stderr(std::fs::File::create(&log_path).unwrap()),
    );
    let failed = || {
        std::fs::read_to_string(&log_path).is_ok_and(|t| t.matches("feed poll failed").count() >= 2)
    };
    assert!(wait_until(Duration::from_secs(30), failed).await);
    let get = |path: &'static str| async move {
        let r = reqwest::get(format!("http://127.0.0.1:{port}{path}"))
            .await
            .unwrap();
        r.text().await.unwrap()
    };
    let metrics = get("/metrics").await;
    assert!(metrics.contains("newsflow_polls_total 3"), "{metrics}");
    assert_no_secret("/metrics", &metrics);
    // The failure is logged just before it is recorded.
    let end = std::time::Instant::now() + Duration::from_secs(30);
    while !get("/status.json").await.contains("HTTP 404") {
        assert!(std::time::Instant::now() < end, "the 404 was not recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let page = get("/").await;
    assert!(page.contains("<b>HTTP 404</b>"), "{page}");
    assert!(page.contains("http://***@127.0.0.1"), "{page}");
    assert_no_secret("the status page", &page);
    let json = get("/status.json").await;
    assert!(json.contains("api_key=***"), "{json}");
    assert_no_secret("/status.json", &json);
    child.signal("-TERM");
    assert!(child.output().await.status.success());
    let json = std::fs::read_to_string(&log_path).unwrap();
    assert_no_secret("the JSON log", &json);
    assert!(json.contains("***@127.0.0.1"), "{json}");

    let table = tokio::task::spawn_blocking(move || status_table(&cfg))
        .await
        .unwrap();
    assert!(table.contains("HTTP 404"), "{table}");
    assert_no_secret("newsflow status", &table);
}
