//! Extraction speed on the fixture pages: full extraction against the bare
//! html5ever parse of the same page (the ceiling), per page and as a batch.
//! `cargo bench --bench extract`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsflow::extract::{Attributes, Extractor, strip_raw_text};

fn pages() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixture pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("UTF-8 page"))
        })
        .collect();
    out.sort();
    out
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    let ex = Extractor::new();
    let bytes: usize = pages.iter().map(|(_, h)| h.len()).sum();

    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse_only", |b| {
        b.iter(|| {
            for (_, html) in &pages {
                black_box(scraper::Html::parse_document(black_box(html)));
            }
        })
    });
    g.bench_function("raw_text_cut_and_parse", |b| {
        b.iter(|| {
            for (_, html) in &pages {
                black_box(scraper::Html::parse_document(&strip_raw_text(
                    black_box(html),
                    Attributes::Read,
                )));
            }
        })
    });
    g.bench_function("extract", |b| {
        b.iter(|| {
            for (_, html) in &pages {
                black_box(ex.extract(black_box(html), None));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("page");
    for (name, html) in &pages {
        g.throughput(Throughput::Bytes(html.len() as u64));
        g.bench_function(name.as_str(), |b| {
            b.iter(|| black_box(ex.extract(black_box(html), None)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
