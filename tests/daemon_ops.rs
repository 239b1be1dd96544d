//! Operating the daemon: reload on SIGHUP, metrics and health endpoints.

mod support;

use std::time::Duration;

use support::*;

/// A daemon config that serves `/metrics` on `port` and writes to
/// `dir/events.ndjson`.
fn write_daemon_config(dir: &std::path::Path, port: u16, feeds: &[String]) -> std::path::PathBuf {
    let extra = format!(
        "listen = \"127.0.0.1:{port}\"\npoll_interval = \"1h\"\n\n[output]\npath = \"{}\"\n",
        dir.join("events.ndjson").display()
    );
    write_config(dir, feeds, &extra)
}

async fn wait_for(what: &str, cond: impl FnMut() -> bool) {
    assert!(
        wait_until(Duration::from_secs(30), cond).await,
        "timed out waiting for {what}"
    );
}

async fn get(port: u16, path: &str) -> (u16, String) {
    let r = reqwest::get(format!("http://127.0.0.1:{port}{path}"))
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn lines(dir: &std::path::Path) -> usize {
    std::fs::read_to_string(dir.join("events.ndjson")).map_or(0, |t| t.lines().count())
}

#[tokio::test]
async fn sighup_reloads_feeds_keeps_a_bad_config_out_and_metrics_are_served() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let cfg = write_daemon_config(dir.path(), port, &[site.url("/europe.atom")]);
    let log = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
    let child = Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(&cfg)
            .stdout(std::process::Stdio::null())
            .stderr(log),
    );
    let d = dir.path().to_path_buf();
    wait_for("the first feed's two events", || lines(&d) == 2).await;
    assert_eq!(get(port, "/health").await, (200, "ok\n".into()));
    assert_eq!(get(port, "/ready").await.0, 200);

    // logrotate moves the file away; a new feed arrives with the reload,
    // without a restart, and its events go to a fresh file.
    std::fs::rename(d.join("events.ndjson"), d.join("events.ndjson.1")).unwrap();
    write_daemon_config(
        dir.path(),
        port,
        &[site.url("/europe.atom"), site.url("/world.xml")],
    );
    child.signal("-HUP");
    wait_for("the added feed's new events", || lines(&d) == 2).await;
    let rotated = std::fs::read_to_string(d.join("events.ndjson.1")).unwrap();
    assert_eq!(
        rotated.lines().count(),
        2,
        "nothing more went to the rotated file"
    );

    // A broken config is refused and the daemon keeps running.
    std::fs::write(&cfg, "[[feeds]]\nurl = 42\n").unwrap();
    child.signal("-HUP");
    let stderr_path = dir.path().join("stderr.log");
    wait_for("the rejection", || {
        std::fs::read_to_string(&stderr_path)
            .unwrap()
            .contains("configuration rejected")
    })
    .await;
    let (status, metrics) = get(port, "/metrics").await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains("newsflow_items_emitted_total 4"),
        "{metrics}"
    );
    assert!(metrics.contains("newsflow_polls_total 2"), "{metrics}");
    assert!(
        metrics.contains("newsflow_fetch_errors_total{target=\"page\",kind=\"permanent\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains(&format!(
        "newsflow_request_seconds_count{{host=\"127.0.0.1:{}\"}}",
        site.addr.port()
    )));

    child.signal("-TERM");
    assert!(child.output().await.status.success());
    let err = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(err.contains("configuration reloaded"), "{err}");
    assert!(err.contains("newsflow stopped"), "{err}");
    assert_eq!(lines(&d), 2);
}

#[tokio::test]
async fn a_second_daemon_on_the_same_state_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &["http://127.0.0.1:9/feed.xml".to_string()],
        "poll_interval = \"1h\"\n",
    );
    let first = Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(&cfg)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null()),
    );
    let lock = dir.path().join("state/newsflow.lock");
    wait_for("the first daemon's lock", || lock.exists()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = run_once(&cfg).await;
    assert_eq!(second.status.code(), Some(1));
    assert!(
        stderr(&second).contains("another newsflow is running"),
        "{}",
        stderr(&second)
    );
    first.signal("-TERM");
    assert!(first.output().await.status.success());
}
