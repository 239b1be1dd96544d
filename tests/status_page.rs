//! The live status page of a running daemon (the real binary, one working
//! and one failing feed on a local site): `/status.json` and `/` as a real
//! headless browser renders it (Chromium, `--dump-dom` after scripts ran),
//! with a screenshot kept in the target folder (`status-page.png`).

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::*;

/// A config for instance `instance` polling `feeds` hourly, serving the
/// status page on `port` when given, on the PostgreSQL store `store` when
/// given.
fn config(
    dir: &Path,
    instance: &str,
    port: Option<u16>,
    store: Option<&str>,
    feeds: &[String],
) -> PathBuf {
    let mut extra = String::from("poll_interval = \"1h\"\n");
    if let Some(port) = port {
        extra.push_str(&format!("listen = \"127.0.0.1:{port}\"\n"));
    }
    extra.push_str(&format!("\n[store]\ninstance = \"{instance}\"\n"));
    if let Some(url) = store {
        extra.push_str(&format!("url = \"{url}\"\n"));
    }
    let out = dir.join("events.ndjson");
    extra.push_str(&format!("\n[output]\npath = \"{}\"\n", out.display()));
    write_config(dir, feeds, &extra)
}

fn daemon(dir: &Path, cfg: &Path) -> Spawned {
    Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(cfg)
            .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap()),
    )
}

async fn status_json(port: u16) -> Option<Value> {
    let r = reqwest::get(format!("http://127.0.0.1:{port}/status.json"))
        .await
        .ok()?;
    serde_json::from_str(&r.text().await.ok()?).ok()
}

/// `/status.json` once all `feeds` feeds were polled and this instance
/// wrote events.
async fn status_after_all_polled(port: u16, feeds: usize) -> Value {
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(s) = status_json(port).await {
            let polled = s["feeds"]
                .as_array()
                .is_some_and(|f| f.len() == feeds && f.iter().all(|f| f["state"] != "new"));
            let written = s["series"]["events"]
                .as_array()
                .is_some_and(|e| e.iter().filter_map(Value::as_u64).sum::<u64>() > 0);
            if polled && written {
                return s;
            }
        }
        assert!(
            Instant::now() < end,
            "the feeds were not polled within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_status_page_shows_both_feeds_the_failure_and_plots_in_a_browser() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let good = site.url("/world.xml");
    let failing = site.url("/gone/feed.xml");
    let feeds = [good.clone(), failing.clone()];
    let cfg = config(dir.path(), "east-1", Some(port), None, &feeds);
    let daemon = daemon(dir.path(), &cfg);
    let status = status_after_all_polled(port, 2).await;
    check_status_json(&status, &good, &failing);

    // A name given on reload (SIGHUP) is shown from then on.
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("name = \"The gone feed\"\n");
    std::fs::write(&cfg, text).unwrap();
    daemon.signal("-HUP");
    let end = Instant::now() + Duration::from_secs(30);
    while status_json(port)
        .await
        .is_none_or(|s| s["feeds"][0]["name"] != "The gone feed")
    {
        assert!(Instant::now() < end, "the reloaded name was not shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let Some(browser) = browser() else {
        return skip(
            "the_status_page_shows_both_feeds_the_failure_and_plots_in_a_browser",
            "no chromium, chromium-browser or google-chrome on PATH",
        );
    };
    let page = format!("http://127.0.0.1:{port}/");
    let dom = run_browser(&browser, &["--dump-dom", &page]).await;
    assert!(dom.contains("Daily Courier: World"), "{dom}");
    assert!(
        dom.contains("The gone feed") && dom.contains(&failing),
        "{dom}"
    );
    assert!(dom.contains("<b>HTTP 404</b>"), "{dom}");
    assert!(dom.contains("1 failing"), "{dom}");
    let failing_row = dom.find("<tr class=\"failing\">").unwrap();
    let good_row = dom.find("<tr class=\"ok\">").unwrap();
    assert!(failing_row < good_row, "failing feeds first");
    // The plots were drawn: a bar of events and a bar of failed polls.
    assert!(dom.contains("<rect class=\"events\""), "{dom}");
    assert!(dom.contains("<rect class=\"failed\""), "{dom}");
    assert!(dom.contains("<rect class=\"ok\""), "{dom}");

    let shot = target_dir().join("status-page.png");
    let _ = std::fs::remove_file(&shot);
    let arg = format!("--screenshot={}", shot.display());
    run_browser(&browser, &[&arg, "--window-size=1280,900", &page]).await;
    let png = std::fs::read(&shot).expect("the screenshot was written");
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
}

/// The JSON has the contract's fields, failing feeds first, this
/// instance as the poller, and the plotted series.
fn check_status_json(s: &Value, good: &str, failing: &str) {
    let feeds = s["feeds"].as_array().unwrap();
    let fields = [
        "name",
        "url",
        "state",
        "emitted",
        "last_success",
        "next_poll",
        "last_error",
    ];
    for f in feeds {
        for field in fields {
            assert!(f.get(field).is_some(), "{field} missing in {f}");
        }
        assert_eq!(f["polled_by"], "east-1", "{f}");
    }
    let (first, second) = (&feeds[0], &feeds[1]);
    assert_eq!(
        (first["url"].as_str(), first["state"].as_str()),
        (Some(failing), Some("failing"))
    );
    assert!(first["last_error"].as_str().unwrap().contains("HTTP 404"));
    assert_eq!(first["http_status"], 404);
    assert!(first["last_success"].is_null());
    assert_eq!(
        (second["url"].as_str(), second["state"].as_str()),
        (Some(good), Some("ok"))
    );
    assert_eq!(second["name"], "Daily Courier: World");
    assert!(second["emitted"].as_i64().unwrap() > 0);
    assert!(second["last_error"].is_null());
    let summary = &s["summary"];
    assert_eq!(
        (summary["feeds"].as_u64(), summary["failing"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(summary["instances"], serde_json::json!(["east-1"]));
    assert_eq!(s["instance"], "east-1");
    let series = &s["series"];
    for name in ["events", "polls_ok", "polls_not_modified", "polls_failed"] {
        assert_eq!(series[name].as_array().map(Vec::len), Some(360), "{name}");
    }
    let total = |name: &str| -> u64 {
        series[name]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_u64)
            .sum()
    };
    assert!(total("polls_failed") >= 1 && total("polls_ok") >= 1);
}

/// On a shared store the page shows every feed with the instance that
/// polled it last: "west" polled one feed (`run --once`), then "east",
/// configured for all three, polls the two that are due.
#[tokio::test]
async fn with_postgresql_the_status_shows_which_instance_polled_each_feed() {
    let Some(server) = support::pg::PgServer::start(
        "with_postgresql_the_status_shows_which_instance_polled_each_feed",
    ) else {
        return;
    };
    let db = server.database().await;
    let site = start_site().await;
    let (west_dir, east_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let europe = site.url("/europe.atom");
    let west = config(
        west_dir.path(),
        "west",
        None,
        Some(&db),
        std::slice::from_ref(&europe),
    );
    let out = run_once(&west).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let port = free_port();
    let all = [
        site.url("/world.xml"),
        europe.clone(),
        site.url("/gone/feed.xml"),
    ];
    let east = config(east_dir.path(), "east", Some(port), Some(&db), &all);
    let _daemon = daemon(east_dir.path(), &east);
    let status = status_after_all_polled(port, 3).await;
    let polled_by: Vec<(&str, &str)> = status["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["url"].as_str().unwrap(), f["polled_by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        polled_by,
        [
            (all[2].as_str(), "east"),
            (all[1].as_str(), "west"),
            (all[0].as_str(), "east")
        ],
        "failing first, then by name (Daily Courier: Europe, Daily Courier: World)"
    );
    assert_eq!(
        status["summary"]["instances"],
        serde_json::json!(["east", "west"])
    );
    let page = reqwest::get(format!("http://127.0.0.1:{port}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("polled by east, west"), "{page}");
}

/// A Chromium-family browser on PATH.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs the headless browser off the runtime (the test site is served by
/// this runtime) and returns its stdout.
async fn run_browser(browser: &Path, args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("running the browser"))
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The cargo target folder, where test artefacts are kept.
fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_path_buf()
}
