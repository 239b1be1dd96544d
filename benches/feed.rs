//! Feed parsing throughput over the dev corpus (skipped when absent).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use url::Url;

fn corpus() -> Vec<(Vec<u8>, Option<String>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/feeds-dev");
    let Ok(manifest) = std::fs::read_to_string(dir.join("manifest.jsonl")) else {
        eprintln!("SKIPPED feed bench: {} is absent", dir.display());
        return Vec::new();
    };
    manifest
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let bytes = std::fs::read(dir.join(v["file"].as_str()?)).ok()?;
            Some((bytes, v["content_type"].as_str().map(str::to_owned)))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    if docs.is_empty() {
        return;
    }
    let total: usize = docs.iter().map(|(b, _)| b.len()).sum();
    let url = Url::parse("http://feeds.example.com/feed.xml").unwrap();
    let mut group = c.benchmark_group("feed");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function("newsflow::feed::parse (dev corpus)", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(bytes, ct)| {
                    newsflow::feed::parse(bytes, &url, ct.as_deref()).map_or(0, |f| f.items.len())
                })
                .sum::<usize>()
        })
    });
    // feed-rs panics on some documents (a late XML declaration); the
    // baseline has to survive that to be measured at all.
    std::panic::set_hook(Box::new(|_| {}));
    group.bench_function("feed-rs alone (dev corpus)", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(bytes, _)| {
                    std::panic::catch_unwind(|| {
                        feed_rs::parser::parse(&bytes[..]).map_or(0, |f| f.entries.len())
                    })
                    .unwrap_or(0)
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
