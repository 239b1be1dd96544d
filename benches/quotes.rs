//! Quote extraction throughput (articles per second) on the fixture texts:
//! the seed article and every regression case, run as one batch.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use newsflow::quotes::extract_quotes;

fn fixtures() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/quotes");
    let mut texts = vec![std::fs::read_to_string(format!("{dir}/seed.txt")).expect("seed fixture")];
    let reg = std::fs::read_to_string(format!("{dir}/regressions.jsonl")).expect("regressions");
    for line in reg.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
        texts.push(v["text"].as_str().unwrap_or_default().to_string());
    }
    texts
}

fn bench(c: &mut Criterion) {
    let texts = fixtures();
    let seed = texts[0].clone();
    let mut g = c.benchmark_group("quotes");
    g.throughput(Throughput::Elements(1));
    g.bench_function("seed_article", |b| {
        b.iter(|| extract_quotes(black_box(&seed)))
    });
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("fixture_batch", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| extract_quotes(black_box(t)).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
