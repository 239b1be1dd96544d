//! The SQLite state store's disk fills up mid-run (SQLITE_FULL): the
//! daemon stays up, logs the outage naming the state file (not once per
//! event), holds polls and deliveries instead of failing them, and once
//! there is room again emits every article exactly once, no line torn.
//! Needs root (mount); skipped with a message otherwise.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::tmpfs::Tmpfs;
use support::*;

const FEEDS: usize = 40;
const ITEMS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_state_store_disk_holds_work_and_loses_nothing() {
    let test = "a_full_state_store_disk_holds_work_and_loses_nothing";
    let dir = tempfile::tempdir().unwrap();
    // write_config keeps the state in dir/state: that is the small disk.
    let Some(tmpfs) = Tmpfs::mount(test, &dir.path().join("state"), "16m") else {
        return;
    };
    let site = newsgen::start(FEEDS, ITEMS, Duration::from_millis(100)).await;
    let output = dir.path().join("events.ndjson");
    let feeds: Vec<String> = (0..FEEDS).map(|i| site.feed_url(i)).collect();
    let extra = format!(
        "poll_interval = \"1h\"\n\n[output]\npath = \"{}\"\n",
        output.display()
    );
    let cfg = write_config(dir.path(), &feeds, &extra);
    let log_path = dir.path().join("stderr.log");
    let mut child = Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(&cfg)
            .stderr(std::fs::File::create(&log_path).unwrap()),
    );
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let lines = || event_urls(&output).len();
    let total = FEEDS * ITEMS;
    assert!(
        wait_until(Duration::from_secs(60), || lines() >= total / 4).await,
        "no progress before the disk filled\n{}",
        log()
    );

    let (tmpfs, filler) = off_runtime(move || {
        let filler = tmpfs.fill("filler");
        (tmpfs, filler)
    })
    .await;
    assert!(
        wait_until(Duration::from_secs(60), || log().contains("unavailable")).await,
        "the full state disk was not noticed\n{}",
        log()
    );
    let full_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let written_while_full = lines();
    assert!(child.running(), "the daemon exited\n{}", log());
    assert!(written_while_full < total, "everything was written before");

    std::fs::remove_file(&filler).unwrap();
    let freed_at = Instant::now();
    let full_for = full_at.elapsed();
    wait_until(Duration::from_secs(120), || lines() > written_while_full).await;
    let first_after = freed_at.elapsed();
    let done = wait_until(Duration::from_secs(180), || lines() >= total).await;
    let all_after = freed_at.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    child.signal("-TERM");
    assert!(child.output().await.status.success(), "{}", log());

    assert_exactly_once(&output, &site.all_articles(), done);
    assert_outage_logged(&log(), full_for);
    assert_no_feed_failed(&cfg, &log()).await;
    eprintln!(
        "state disk full: {written_while_full} of {total} written; held {:.1}s; \
         first event {:.1}s and all {:.1}s after room came back",
        full_for.as_secs_f64(),
        first_after.as_secs_f64(),
        all_after.as_secs_f64()
    );
    drop(tmpfs);
}

/// Runs blocking file-system work (mount, a large write) off the runtime
/// that serves the site.
async fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

fn assert_exactly_once(output: &Path, expected: &[String], done: bool) {
    let text = std::fs::read_to_string(output).unwrap();
    assert!(text.ends_with('\n'), "the last line is torn");
    let mut count = HashMap::<String, usize>::new();
    for u in event_urls(output) {
        *count.entry(u).or_default() += 1;
    }
    let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "emitted twice: {twice:?}");
    let missing: Vec<_> = expected
        .iter()
        .filter(|u| !count.contains_key(*u))
        .collect();
    assert!(
        done && missing.is_empty(),
        "missing {}: {missing:?}",
        missing.len()
    );
}

/// Logged when it started (naming the state file), at most once per 30 s
/// while it lasted, and when it ended.
fn assert_outage_logged(log: &str, full_for: Duration) {
    let started: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("state store") && l.contains("unavailable"))
        .collect();
    assert!(
        started.iter().any(|l| l.contains("newsflow.db")),
        "the state file is not named: {started:?}"
    );
    assert!(
        started.len() <= 2 + full_for.as_secs() as usize / 30,
        "logged {} times in {full_for:?}:\n{}",
        started.len(),
        started.join("\n")
    );
    // Nothing else logs it (a poll or a lease failing once per attempt).
    let mentions = log.lines().filter(|l| l.contains("disk is full")).count();
    assert_eq!(mentions, started.len(), "{log}");
    assert!(log.contains("state store back"), "{log}");
}

/// A store outage is no feed's failure: no poll is logged as failed and
/// `status` shows no feed with errors.
async fn assert_no_feed_failed(cfg: &Path, log: &str) {
    assert!(!log.contains("feed poll failed"), "{log}");
    let cfg: PathBuf = cfg.to_path_buf();
    let table = off_runtime(move || status_table(&cfg)).await;
    for row in table.lines().skip(1) {
        let errors = row.split_whitespace().nth(2);
        assert_eq!(errors, Some("0"), "a feed is marked failing: {row}");
    }
}
