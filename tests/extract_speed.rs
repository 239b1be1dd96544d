//! Throughput over the shared dev pages: html5ever parse alone (the ceiling)
//! against the full extraction, one thread, best of five rounds (the machine
//! is shared; the minimum is the least disturbed figure). Ignored by default
//! because it is a measurement: run it in release with
//! `cargo test --release --test extract_speed -- --ignored --nocapture`.

mod support;

use std::path::PathBuf;
use std::time::Instant;

use newsflow::extract::{Attributes, Extractor, strip_raw_text};

fn dev_pages() -> Option<Vec<String>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/extraction-dev");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    Some(
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("dev page is UTF-8"))
            .collect(),
    )
}

fn best_of(rounds: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut out = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        out = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, out)
}

#[test]
#[ignore = "measurement; run in release with --ignored"]
fn parse_only_vs_full_extraction() {
    let Some(pages) = dev_pages() else {
        support::skip("extract_speed", "../shared/data/extraction-dev not found");
        return;
    };
    let n = pages.len() as f64;
    let mib = pages.iter().map(String::len).sum::<usize>() as f64 / 1048576.0;
    let (parse, nodes) = best_of(5, || {
        pages
            .iter()
            .map(|p| scraper::Html::parse_document(p).tree.nodes().count())
            .sum()
    });
    let (cut, cut_nodes) = best_of(5, || {
        pages
            .iter()
            .map(|p| {
                scraper::Html::parse_document(&strip_raw_text(p, Attributes::Read))
                    .tree
                    .nodes()
                    .count()
            })
            .sum()
    });
    let ex = Extractor::new();
    let (full, chars) = best_of(5, || {
        pages.iter().map(|p| ex.extract(p, None).body.len()).sum()
    });
    eprintln!(
        "{} pages, {mib:.1} MiB, one thread: html5ever parse-only {:.0} pages/s ({:.0} MiB/s, {nodes} nodes); \
         raw-text cut + parse {:.0} pages/s ({cut_nodes} nodes); full extract {:.0} pages/s",
        pages.len(),
        n / parse,
        mib / parse,
        n / cut,
        n / full
    );
    assert!(nodes > cut_nodes && chars > 0);
}
