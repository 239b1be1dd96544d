//! Daemon settings and signals promised in the README, run against the real
//! binary and local servers: `shutdown_timeout`, `max_backoff`, the `opml`
//! key, site rules reloaded on SIGHUP and a rejected reload.

mod support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::*;

async fn wait_for(what: &str, cond: impl FnMut() -> bool) {
    assert!(
        wait_until(Duration::from_secs(30), cond).await,
        "timed out waiting for {what}"
    );
}

/// Starts `newsflow run` on `cfg`, its stderr in `dir/stderr.log`.
fn start_daemon(dir: &Path, cfg: &Path) -> Spawned {
    let log = std::fs::File::create(dir.join("stderr.log")).unwrap();
    Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(cfg)
            .stdout(std::process::Stdio::null())
            .stderr(log),
    )
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default()
}

fn output_events(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("events.ndjson"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An RSS feed of `(guid, path)` items.
fn rss(items: &[(&str, String)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Settings</title><link>/</link>",
    );
    for (guid, link) in items {
        xml.push_str(&format!(
            "<item><title>{guid}</title><link>{link}</link><guid>{guid}</guid></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

#[tokio::test]
async fn shutdown_timeout_gives_up_on_a_stuck_page() {
    // The page never answers (the fetch timeout is far away), so only the
    // drain's own deadline can end the shutdown.
    let asked = Arc::new(Mutex::new(false));
    let flag = asked.clone();
    let app = axum::Router::new()
        .route(
            "/feed.xml",
            axum::routing::get(|| async {
                (
                    [("content-type", "application/rss+xml")],
                    rss(&[("stuck", "/slow.html".into())]),
                )
            }),
        )
        .route(
            "/slow.html",
            axum::routing::get(move || {
                *flag.lock().unwrap() = true;
                async {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    "never"
                }
            }),
        );
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cfg = write_config(
        d,
        &[format!("http://{addr}/feed.xml")],
        &format!(
            "poll_interval = \"1h\"\ntimeout = \"300s\"\nshutdown_timeout = \"2s\"\n\n[output]\npath = \"{}\"\n",
            d.join("events.ndjson").display()
        ),
    );
    let mut child = start_daemon(d, &cfg);
    wait_for("the stuck page request", || *asked.lock().unwrap()).await;
    child.signal("-TERM");
    let status = child.exit_within(Duration::from_secs(30)).await;
    assert!(
        status.is_some(),
        "still running 30 s after SIGTERM with shutdown_timeout = 2s:\n{}",
        log(d)
    );
    let err = log(d);
    assert!(
        err.contains("in-flight polls did not finish within 2s"),
        "{err}"
    );
    assert!(
        output_events(d).is_empty(),
        "the stuck item was not emitted"
    );
}

#[tokio::test]
async fn max_backoff_caps_the_gap_between_retries() {
    // Backoff after the n-th failure is 5 s * 2^(n-1) (plus up to 20 %
    // jitter) with a 1 s interval; a 1 s cap keeps every gap near 1.2 s,
    // while the uncapped first gap alone is 5 s.
    let times: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let seen = times.clone();
    let app = axum::Router::new().route(
        "/down.xml",
        axum::routing::get(move || {
            seen.lock().unwrap().push(Instant::now());
            async { (axum::http::StatusCode::SERVICE_UNAVAILABLE, "busy") }
        }),
    );
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cfg = write_config(
        d,
        &[format!("http://{addr}/down.xml")],
        "poll_interval = \"1s\"\nmax_backoff = \"1s\"\n",
    );
    let _child = start_daemon(d, &cfg);
    let six = wait_until(Duration::from_secs(30), || times.lock().unwrap().len() >= 6).await;
    // Short of six, the wait since the last request counts as a gap too.
    let mut times = times.lock().unwrap().clone();
    if !six {
        times.push(Instant::now());
    }
    for (i, w) in times.windows(2).enumerate() {
        let gap = w[1] - w[0];
        assert!(
            gap < Duration::from_secs(4),
            "gap {i} between retries was {gap:?}, more than max_backoff allows:\n{}",
            log(d)
        );
    }
    assert!(six, "fewer than six retries in 30 s: {times:?}");
}

#[tokio::test]
async fn feeds_come_from_the_opml_key() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let feed = site.url("/europe.atom");
    std::fs::write(
        d.join("feeds.opml"),
        format!(
            "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>Subs</title></head><body>\
             <outline text=\"News\"><outline type=\"rss\" text=\"Europe\" xmlUrl=\"{feed}\"/></outline>\
             </body></opml>"
        ),
    )
    .unwrap();
    // Relative, so it resolves against the config's folder.
    let cfg = write_config(d, &[], "opml = \"feeds.opml\"\n");
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let events = events(&out);
    assert_eq!(events.len(), 2, "{}", stderr(&out));
    for e in &events {
        assert_eq!(e["feed"]["url"], feed.as_str(), "{e}");
    }
}

/// An article page whose third paragraph is a `.aside-note` that the
/// heuristics keep and a site rule can strip.
fn article(title: &str) -> String {
    format!(
        "<html lang=\"en\"><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav>\
         <article><h1>{title}</h1>\
         <p>Paragraph one of {title} tells what happened in the town on Monday morning, when the river rose above the old stone bridge.</p>\
         <p>Paragraph two of {title} explains what the council will do next, and when the roads along the valley will open again.</p>\
         <p class=\"aside-note\">Kestrel note: the ferry timetable for the whole winter season was changed again by the harbour office this week.</p>\
         <p>Paragraph four of {title} closes with what the residents of the lower streets said they needed most after the water went down.</p>\
         </article><footer>Copyright</footer></body></html>"
    )
}

fn daemon_config(d: &Path, feed: &str, extra: &str) -> PathBuf {
    write_config(
        d,
        &[feed.to_string()],
        &format!(
            "poll_interval = \"1s\"\n{extra}\n[output]\npath = \"{}\"\n",
            d.join("events.ndjson").display()
        ),
    )
}

#[tokio::test]
async fn site_rules_are_reloaded_on_sighup() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let rules = d.join("rules");
    std::fs::create_dir(&rules).unwrap();
    let rule_file = rules.join("local.toml");
    std::fs::write(&rule_file, "hosts = [\"127.0.0.1\"]\ntitle = [\"h1\"]\n").unwrap();
    site.put("/rules/a.html", article("Story A"));
    site.put("/rules/b.html", article("Story B"));
    site.put(
        "/rules/feed.xml",
        rss(&[("rule-a", site.url("/rules/a.html"))]),
    );
    let cfg = daemon_config(
        d,
        &site.url("/rules/feed.xml"),
        &format!("site_rules = \"{}\"\n", rules.display()),
    );
    let mut child = start_daemon(d, &cfg);
    wait_for("the first item", || output_events(d).len() == 1).await;
    let first = &output_events(d)[0];
    assert!(
        first["body"].as_str().unwrap().contains("Kestrel note"),
        "the old rule keeps the note: {first}"
    );

    std::fs::write(
        &rule_file,
        "hosts = [\"127.0.0.1\"]\ntitle = [\"h1\"]\nstrip = [\".aside-note\"]\n",
    )
    .unwrap();
    child.signal("-HUP");
    wait_for("the reload", || log(d).contains("configuration reloaded")).await;
    site.put(
        "/rules/feed.xml",
        rss(&[
            ("rule-a", site.url("/rules/a.html")),
            ("rule-b", site.url("/rules/b.html")),
        ]),
    );
    wait_for("the second item", || output_events(d).len() == 2).await;
    let second = &output_events(d)[1];
    let body = second["body"].as_str().unwrap();
    assert!(body.contains("Paragraph four of Story B"), "{second}");
    assert!(
        !body.contains("Kestrel note"),
        "the new rule strips it: {second}"
    );
    assert!(child.running(), "{}", log(d));
}

#[tokio::test]
async fn a_rejected_reload_keeps_the_daemon_and_its_output() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    site.put("/keep/a.html", article("Story A"));
    site.put("/keep/b.html", article("Story B"));
    site.put(
        "/keep/feed.xml",
        rss(&[("keep-a", site.url("/keep/a.html"))]),
    );
    let cfg = daemon_config(d, &site.url("/keep/feed.xml"), "");
    let mut child = start_daemon(d, &cfg);
    wait_for("the first item", || output_events(d).len() == 1).await;

    // Broken in one value, and pointing the output elsewhere: nothing of it
    // may take effect.
    let text = std::fs::read_to_string(&cfg).unwrap();
    let broken = text
        .replace("poll_interval = \"1s\"", "poll_interval = \"often\"")
        .replace("events.ndjson", "other.ndjson");
    assert_ne!(broken, text);
    std::fs::write(&cfg, broken).unwrap();
    child.signal("-HUP");
    let cfg_name = cfg.display().to_string();
    wait_for("the rejection naming the file", || {
        let err = log(d);
        err.contains("configuration rejected") && err.contains(&cfg_name)
    })
    .await;
    let err = log(d);
    assert!(err.contains("poll_interval"), "{err}");
    assert!(child.running(), "{err}");

    // The old configuration still polls every second and writes to the
    // same file.
    site.put(
        "/keep/feed.xml",
        rss(&[
            ("keep-a", site.url("/keep/a.html")),
            ("keep-b", site.url("/keep/b.html")),
        ]),
    );
    wait_for("the later item in the same output", || {
        output_events(d).len() == 2
    })
    .await;
    assert_eq!(output_events(d)[1]["title"], "Story B");
    assert!(!d.join("other.ndjson").exists());
    assert!(!log(d).contains("configuration reloaded"), "{}", log(d));
    child.signal("-TERM");
    assert!(child.output().await.status.success());
}
