//! The daemon against `../shared/bench/feeds/serve.py`, a local server that
//! misbehaves the way real servers do. Skipped (with a message) when the
//! shared folder is not beside the project.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::*;

struct Hostile {
    child: Child,
    base: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn shared() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let ok = root.join("bench/feeds/serve.py").exists()
        && root.join("data/feeds-dev/manifest.jsonl").exists();
    if !ok {
        support::skip(
            "hostile_servers",
            "../shared/bench/feeds/serve.py or ../shared/data/feeds-dev not found",
        );
    }
    ok.then_some(root)
}

fn start_hostile(shared: &Path) -> Hostile {
    let dir = tempfile::tempdir().unwrap();
    let port_file = dir.path().join("port");
    let log = dir.path().join("requests.jsonl");
    let child = Command::new("python3")
        .arg(shared.join("bench/feeds/serve.py"))
        .arg("--root")
        .arg(shared.join("data/feeds-dev"))
        .args([
            "--port",
            "0",
            "--lifetime",
            "300",
            "--hang-seconds",
            "6",
            "--port-file",
        ])
        .arg(&port_file)
        .arg("--log")
        .arg(&log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs serve.py");
    let deadline = Instant::now() + Duration::from_secs(40);
    let port = loop {
        if let Ok(p) = std::fs::read_to_string(&port_file)
            && !p.trim().is_empty()
        {
            break p.trim().to_string();
        }
        assert!(Instant::now() < deadline, "serve.py did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    Hostile {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log,
        _dir: dir,
    }
}

fn config(dir: &Path, extra: &str, feeds: &[String]) -> PathBuf {
    // Long enough for the good feeds while four servers stream big ones on a
    // loaded machine, shorter than a hanging (20 s) or trickling one.
    let limits = format!("timeout = \"8s\"\nmax_feed_bytes = \"4MiB\"\n{extra}");
    write_config(dir, feeds, &limits)
}

const GOOD: &str = "/local/rsparser/EMarley.rss";

#[tokio::test]
async fn every_misbehaviour_is_logged_by_feed_and_the_good_feeds_go_on() {
    let Some(shared) = shared() else { return };
    let srv = start_hostile(&shared);
    let dir = tempfile::tempdir().unwrap();
    let hostile = [
        "/hang/feed/rsparser/manton.rss",
        "/stall/feed/rsparser/manton.rss",
        "/reset/feed/rsparser/manton.rss",
        "/status/500/feed/rsparser/manton.rss",
        "/status/410/feed/rsparser/manton.rss",
        "/redirect-loop/feed/rsparser/manton.rss",
        "/bad-gzip/feed/rsparser/manton.rss",
        "/truncated/feed/rsparser/manton.rss",
        "/slow/feed/rsparser/manton.rss",
        "/huge/rss/200000",
        "/gzip/huge/rss/200000",
        "/feed/synthetic/html_not_a_feed.html",
    ];
    let mut feeds: Vec<String> = hostile.iter().map(|p| format!("{}{p}", srv.base)).collect();
    feeds.push(format!("{}{GOOD}", srv.base));
    feeds.push(format!(
        "{}/redirect/3/gzip/etag/local/rsparser/donthitsave.xml",
        srv.base
    ));
    feeds.push(format!(
        "{}/wrong-charset/chunked/local/rsparser/rubenerd.rss",
        srv.base
    ));
    feeds.push(format!("{}/as-html/local/rsparser/kc0011.rss", srv.base));
    feeds.push(format!("{}/no-type/local/rsparser/phpxml.rss", srv.base));
    let cfg = config(dir.path(), "", &feeds);

    let out = run_once(&cfg).await;
    assert!(
        out.status.success(),
        "hostile feeds never fail the run: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    for path in hostile {
        let line = err
            .lines()
            .find(|l| l.contains("feed poll failed") && l.contains(path))
            .unwrap_or_else(|| panic!("no failure line naming {path}:\n{err}"));
        assert!(line.contains("WARN"), "{line}");
    }
    // The HTML page exists (200): it fails as a document, not as a 404.
    let html = err
        .lines()
        .find(|l| l.contains("html_not_a_feed.html"))
        .unwrap();
    assert!(!html.contains("HTTP 404"), "{html}");
    assert!(html.to_lowercase().contains("not a feed"), "{html}");
    assert!(
        err.contains("over the limit"),
        "the huge feed is refused for its size:\n{err}"
    );
    let events = events(&out);
    let from = |feed: &str| {
        events
            .iter()
            .filter(|e| e["feed"]["url"].as_str().unwrap().ends_with(feed))
            .count()
    };
    assert_eq!(from(GOOD), 10, "{err}");
    assert_eq!(
        from("donthitsave.xml"),
        10,
        "redirects, gzip and etag are followed: {err}"
    );
    assert_eq!(
        from("rubenerd.rss"),
        10,
        "a lying charset still gives items: {err}"
    );
    assert_eq!(
        from("kc0011.rss"),
        20,
        "a feed served as text/html is still a feed: {err}"
    );
    assert_eq!(
        from("phpxml.rss"),
        20,
        "a feed without Content-Type is still a feed: {err}"
    );
    for e in &events {
        assert_eq!(e["body_source"], "page", "generated pages are fetched: {e}");
        assert!(!e["body"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn retry_after_is_honoured_and_the_feed_recovers() {
    retry_after_case("/retry-after/9", 429).await;
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured_too() {
    retry_after_case("/retry-after-date/9", 503).await;
}

async fn retry_after_case(prefix: &str, code: u16) {
    let Some(shared) = shared() else { return };
    let srv = start_hostile(&shared);
    let dir = tempfile::tempdir().unwrap();
    let path = format!("{prefix}/local{}", GOOD.trim_start_matches("/local"));
    let out_file = dir.path().join("events.ndjson");
    let cfg = config(
        dir.path(),
        "poll_interval = \"1s\"\n",
        &[format!("{}{path}", srv.base)],
    );
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(&format!("\n[output]\npath = \"{}\"\n", out_file.display()));
    std::fs::write(&cfg, text).unwrap();
    let child = Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(&cfg)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let log = srv.log.clone();
    let served = move || -> Vec<serde_json::Value> {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| {
                v["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("/retry-after"))
            })
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(40);
    let written = || std::fs::read_to_string(&out_file).map_or(0, |t| t.lines().count());
    while !served().iter().any(|v| v["status"] == 200) || written() < 10 {
        assert!(
            Instant::now() < deadline,
            "the feed never recovered: {:?}",
            served()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.signal("-TERM");
    let out = child.output().await;
    assert!(out.status.success());
    let reqs = served();
    let throttled = reqs.iter().filter(|v| v["status"] == code).count();
    let first = reqs[0]["t"].as_f64().unwrap();
    let ok_at = reqs.iter().find(|v| v["status"] == 200).unwrap()["t"]
        .as_f64()
        .unwrap();
    // Retry-After (9 s) is longer than the backoff after one failure
    // (5 to 6 s at this poll interval): only a daemon that honours it waits
    // this long, and asks nothing in between (an HTTP date has whole
    // seconds, hence the margin).
    let second = reqs[1]["t"].as_f64().unwrap();
    assert!(
        second - first >= 7.8,
        "asked again {:.1}s after the first request, before Retry-After ran out: {reqs:?}",
        second - first
    );
    assert!(ok_at >= second, "{reqs:?}");
    // A date rounded down can bring the retry a fraction early, once.
    assert!((1..=2).contains(&throttled), "{reqs:?}");
    let err = stderr(&out);
    assert!(
        err.contains(&code.to_string()) && err.contains(prefix),
        "{err}"
    );
    assert_eq!(written(), 10);
}

#[tokio::test]
async fn an_unchanged_feed_is_fetched_conditionally_and_not_reparsed() {
    let Some(shared) = shared() else { return };
    let srv = start_hostile(&shared);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/etag/gzip/local/rsparser/EMarley.rss", srv.base);
    let cfg = config(dir.path(), "", &[url]);
    assert_eq!(events(&run_once(&cfg).await).len(), 10);
    let second = run_once(&cfg).await;
    assert!(events(&second).is_empty());
    let reqs: Vec<serde_json::Value> = std::fs::read_to_string(&srv.log)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["path"].as_str().is_some_and(|p| p.starts_with("/etag/")))
        .collect();
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    assert_eq!(reqs[1]["status"], 304, "{reqs:?}");
    // Pages of items already emitted are not fetched again.
    let pages = std::fs::read_to_string(&srv.log)
        .unwrap()
        .matches("\"/page/")
        .count();
    assert_eq!(pages, 10);
}
