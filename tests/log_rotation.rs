//! logrotate under load: the output file is renamed and SIGHUP sent five
//! times while a synthetic site's articles are being written. Every
//! article must be in exactly one of the files, and every line of every
//! file must be whole JSON (no torn line on either side of a rotation).

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use support::*;

fn lines_in(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count())
}

/// Every file's lines, each parsed (a torn line fails here).
fn all_events(files: &[PathBuf]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{}: torn last line",
            f.display()
        );
        for l in text.lines() {
            let v = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}: torn or broken line ({e}): {l}", f.display()));
            out.push(v);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_rotations_under_load_keep_every_article_once() {
    // 60 feeds of 5 articles; pages take a little while, so writing is
    // spread over the rotations.
    let site = newsgen::start(60, 5, Duration::from_millis(30)).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.ndjson");
    let feeds: Vec<String> = (0..60).map(|i| site.feed_url(i)).collect();
    let cfg = write_config(
        dir.path(),
        &feeds,
        &format!(
            "poll_interval = \"1h\"\nfeed_concurrency = 4\npage_concurrency = 4\n\
             [output]\npath = \"{}\"\n",
            out.display()
        ),
    );
    let child = Spawned::new(
        newsflow()
            .args(["run", "--config"])
            .arg(&cfg)
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    let expected = site.all_articles();
    let mut files = Vec::new();
    for n in 1..=5 {
        // Rotate only while events are still arriving.
        assert!(
            wait_until(Duration::from_secs(60), || lines_in(&out) >= 10).await,
            "no events before rotation {n}"
        );
        let rotated = dir.path().join(format!("events.ndjson.{n}"));
        std::fs::rename(&out, &rotated).unwrap();
        files.push(rotated);
        child.signal("-HUP");
    }
    files.push(out.clone());
    let total = || files.iter().map(|f| lines_in(f)).sum::<usize>();
    let done = wait_until(Duration::from_secs(120), || total() >= expected.len()).await;
    child.signal("-TERM");
    let status = child.output().await.status;
    assert!(done, "{} of {} articles arrived", total(), expected.len());
    assert!(status.success());

    let events = all_events(&files);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for e in &events {
        *seen
            .entry(e["url"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "emitted twice: {twice:?}");
    for a in &expected {
        assert!(seen.contains_key(a), "never emitted: {a}");
    }
    // The rotations really split the stream.
    let nonempty = files.iter().filter(|f| lines_in(f) > 0).count();
    assert!(nonempty >= 5, "only {nonempty} files got events");
}
