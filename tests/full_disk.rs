//! The output file on a small tmpfs that fills up mid-run: the daemon stays
//! up, logs the condition (not once per event), holds delivery, and once
//! the filesystem grows writes every event exactly once, no line torn.
//! Needs root (mount); skipped with a message otherwise.

mod support;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use support::tmpfs::Tmpfs;
use support::*;

const ITEMS: usize = 120;

#[tokio::test]
async fn a_full_output_disk_holds_delivery_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let test = "a_full_output_disk_holds_delivery_and_loses_nothing";
    let Some(tmpfs) = Tmpfs::mount(test, &dir.path().join("out"), "64k") else {
        return;
    };
    let site = start_site().await;
    let output = tmpfs.0.join("events.ndjson");
    let extra = format!(
        "poll_interval = \"1h\"\n\n[output]\npath = \"{}\"\n",
        output.display()
    );
    let cfg = write_config(
        dir.path(),
        &[site.url(&format!("/gen/feed/{ITEMS}.xml"))],
        &extra,
    );
    let log_path = dir.path().join("stderr.log");
    let child = Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(&cfg)
            .stderr(std::fs::File::create(&log_path).unwrap()),
    );
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    assert!(
        wait_until(Duration::from_secs(60), || log().contains("output full")).await,
        "{}",
        log()
    );
    let full_at = Instant::now();
    let lines_while_full = std::fs::read_to_string(&output).unwrap().lines().count();
    assert!(lines_while_full < ITEMS, "the disk filled before the end");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(complete_lines(&output));

    tmpfs.resize("8m");
    let grown_at = Instant::now();
    let lines = || std::fs::read_to_string(&output).map_or(0, |t| t.lines().count());
    assert!(
        wait_until(Duration::from_secs(60), || lines() >= ITEMS).await,
        "{} of {ITEMS} after the disk grew\n{}",
        lines(),
        log()
    );
    let full_for = full_at.elapsed();
    eprintln!(
        "full after {lines_while_full} of {ITEMS} events; all written {:?} after the disk grew",
        grown_at.elapsed()
    );
    child.signal("-TERM");
    assert!(child.output().await.status.success(), "{}", log());

    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.ends_with('\n'));
    let mut ids = HashSet::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a whole JSON line");
        assert!(
            ids.insert(v["id"].as_str().unwrap().to_string()),
            "twice: {line}"
        );
    }
    assert_eq!(ids.len(), ITEMS, "every event exactly once");
    let reports = log().matches("output full").count() + log().matches("still full").count();
    assert!(
        reports <= 2 + full_for.as_secs() as usize / 30,
        "logged {reports} times in {full_for:?}"
    );
    assert!(log().contains("delivery resumed"), "{}", log());
}

/// Whether the file ends with a whole line (or is empty).
fn complete_lines(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    text.is_empty() || text.ends_with('\n')
}
