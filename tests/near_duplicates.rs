//! The labelled near-duplicate set (`tests/fixtures/near_duplicates/`):
//! four wire stories, two English and two German, each with copies as
//! other sites run them (dateline and credit line, straight quotes, ad,
//! "Read more" and newsletter paragraphs, a photo caption with the last
//! paragraph cut, desk edits with paragraphs run together) and look-alikes
//! written separately (a follow-up reusing two paragraphs, a round-up
//! quoting one, another reporter's story of the same event). File names
//! say which is which: `NN-original`, `NN-copy-*`, `NN-lookalike-*`.

mod support;

use std::path::PathBuf;

use newsflow::dedup::{CopyIndex, Fingerprint, MIN_CONTAINMENT};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    Original,
    Copy,
    LookAlike,
}

struct Doc {
    story: String,
    name: String,
    label: Label,
    path: PathBuf,
    body: String,
}

fn labelled_set() -> Vec<Doc> {
    let root = support::fixtures().join("near_duplicates");
    let stories = support::sorted_entries(&root);
    let mut docs = Vec::new();
    for dir in stories {
        let files = support::sorted_entries(&dir);
        for path in files {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let label = match name.split('-').nth(1) {
                Some("original") => Label::Original,
                Some("copy") => Label::Copy,
                Some("lookalike") => Label::LookAlike,
                other => panic!("{}: unlabelled ({other:?})", path.display()),
            };
            docs.push(Doc {
                story: dir.file_name().unwrap().to_string_lossy().into_owned(),
                name,
                label,
                body: std::fs::read_to_string(&path).unwrap(),
                path,
            });
        }
    }
    docs
}

/// Every pair of documents, labelled: a copy pair is a copy and the
/// original of one story (or two copies of it); every other pair (a
/// look-alike with anything of its story, any two stories) is not.
fn pairs(docs: &[Doc]) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let (a, b) = (&docs[i], &docs[j]);
            let same =
                a.story == b.story && a.label != Label::LookAlike && b.label != Label::LookAlike;
            out.push((i, j, same));
        }
    }
    out
}

#[test]
fn copies_are_linked_and_look_alikes_are_not_at_the_chosen_threshold() {
    let docs = labelled_set();
    assert!(docs.len() >= 30, "{} documents", docs.len());
    let fps: Vec<Fingerprint> = docs
        .iter()
        .map(|d| Fingerprint::of_body(&d.body).unwrap_or_else(|| panic!("{}", d.name)))
        .collect();
    // Scores against each story's original, for the report.
    for (d, fp) in docs.iter().zip(&fps) {
        let original = docs
            .iter()
            .position(|o| o.story == d.story && o.label == Label::Original)
            .unwrap();
        let (containment, coverage) = fp.overlap(&fps[original]);
        println!(
            "{:14} {:28} containment {containment:.2} coverage {coverage:.2}",
            d.story, d.name
        );
    }
    let pairs = pairs(&docs);
    let score = |&(i, j, _): &(usize, usize, bool)| fps[i].overlap(&fps[j]).0;
    let lowest_copy = pairs.iter().filter(|p| p.2).map(score).fold(1.0, f64::min);
    let highest_other = pairs.iter().filter(|p| !p.2).map(score).fold(0.0, f64::max);
    println!(
        "containment: copy pairs {lowest_copy:.2} and up, other pairs {highest_other:.2} at most"
    );
    // The containment threshold with the coverage bound, and alone.
    for (threshold, min_coverage) in [0.4, 0.5, 0.6, 0.7, MIN_CONTAINMENT, 0.9, 0.95]
        .into_iter()
        .flat_map(|t| [(t, newsflow::dedup::MIN_COVERAGE), (t, 0.0)])
    {
        let (mut tp, mut fp_, mut fn_) = (0, 0, 0);
        for &(i, j, same) in &pairs {
            let (containment, coverage) = fps[i].overlap(&fps[j]);
            let linked = containment >= threshold && coverage >= min_coverage;
            match (linked, same) {
                (true, true) => tp += 1,
                (true, false) => fp_ += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
        println!(
            "containment >= {threshold:.2}, coverage >= {min_coverage:.1}: precision {:.3} recall {:.3} ({tp} copy pairs found, {fp_} false, {fn_} missed, {} pairs)",
            f64::from(tp) / f64::from((tp + fp_).max(1)),
            f64::from(tp) / f64::from((tp + fn_).max(1)),
            pairs.len()
        );
    }
    for &(i, j, same) in &pairs {
        let linked = fps[i].copy_similarity(&fps[j]).is_some();
        assert_eq!(
            linked,
            same,
            "{} vs {}: {:?}",
            docs[i].path.display(),
            docs[j].path.display(),
            fps[i].overlap(&fps[j])
        );
    }
}

#[test]
fn the_index_links_every_copy_to_the_first_seen_article_of_its_story() {
    let docs = labelled_set();
    let mut index = CopyIndex::new();
    // Stories interleaved, as a stream of several sites would bring them.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].name.clone(), docs[i].story.clone()));
    for i in order {
        let d = &docs[i];
        let fp = Fingerprint::of_body(&d.body).unwrap();
        let found = index.link(&d.name, &format!("{}/{}", d.story, d.name), fp);
        match d.label {
            Label::Original | Label::LookAlike => assert_eq!(found, None, "{}", d.name),
            Label::Copy => {
                let found = found.unwrap_or_else(|| panic!("{} not linked", d.path.display()));
                assert_eq!(found.url, format!("{}/00-original", d.story), "{}", d.name);
                assert!(found.similarity >= MIN_CONTAINMENT, "{found:?}");
            }
        }
    }
}

#[test]
fn extract_links_copies_among_its_inputs_in_input_order() {
    let docs = labelled_set();
    let story: Vec<&Doc> = docs.iter().filter(|d| d.story == "de-streik").collect();
    // A copy first: the original, coming later, is linked to it.
    let mut inputs: Vec<&Doc> = story.iter().copied().rev().collect();
    inputs.rotate_left(3);
    let run = |extra: &[&str]| {
        let out = support::newsflow()
            .args(["extract", "--input", "text"])
            .args(extra)
            .args(inputs.iter().map(|d| &d.path))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", support::stderr(&out));
        support::events(&out)
    };
    let events = run(&[]);
    assert_eq!(events.len(), inputs.len());
    let first = inputs
        .iter()
        .position(|d| d.label != Label::LookAlike)
        .unwrap();
    for (i, (d, e)) in inputs.iter().zip(&events).enumerate() {
        let dup = &e["duplicate_of"];
        if d.label == Label::LookAlike || i == first {
            assert!(dup.is_null(), "{}: {dup}", d.name);
        } else {
            assert_eq!(dup["id"], events[first]["id"], "{}", d.name);
            assert_eq!(dup["url"], events[first]["url"], "{}", d.name);
            assert!(dup["similarity"].as_f64().unwrap() >= MIN_CONTAINMENT);
        }
    }
    let off = run(&["--near-duplicates", "false"]);
    assert!(off.iter().all(|e| e["duplicate_of"].is_null()));
}

/// A distinct news-like body: `n` paragraphs of words drawn from a fixed
/// vocabulary by a seeded generator, so every body has its own 5-grams.
fn synthetic_body(seed: u64, paragraphs: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "government",
        "said",
        "on",
        "tuesday",
        "that",
        "it",
        "would",
        "council",
        "police",
        "minister",
        "city",
        "people",
        "year",
        "after",
        "report",
        "new",
        "plan",
        "market",
        "prices",
        "company",
        "workers",
        "union",
        "court",
        "election",
        "party",
        "vote",
        "river",
        "storm",
        "water",
        "school",
        "children",
        "hospital",
        "doctors",
        "power",
        "energy",
        "gas",
        "oil",
        "bank",
        "rates",
    ];
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        WORDS[(x % WORDS.len() as u64) as usize]
    };
    (0..paragraphs)
        .map(|_| (0..40).map(|_| next()).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Bytes the index takes per article in each store, measured by indexing
/// `N` distinct articles. `cargo test --release --test near_duplicates --
/// --ignored --nocapture`.
#[tokio::test]
#[ignore = "measurement; run in release with --ignored"]
async fn index_size_per_article() {
    use newsflow::store::{SqliteStore, Store};
    const N: u64 = 20_000;
    let fps: Vec<Fingerprint> = (0..N)
        .map(|i| Fingerprint::of_body(&synthetic_body(i, 8)).unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newsflow.db");
    let size = |p: &std::path::Path| {
        ["", "-wal"]
            .iter()
            .filter_map(|s| std::fs::metadata(format!("{}{s}", p.display())).ok())
            .map(|m| m.len())
            .sum::<u64>()
    };
    let store = SqliteStore::open(dir.path()).unwrap();
    let before = size(&db);
    let url = |i: u64| {
        format!("https://news.example.com/2025/03/05/section/a-headline-of-some-length-{i}")
    };
    for (i, fp) in (0..N).zip(&fps) {
        let id = newsflow::event::digest(&[&i.to_string()]);
        assert_eq!(store.link_copy(&id, &url(i), fp, 0).await.unwrap(), None);
    }
    drop(store);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(conn);
    println!(
        "SQLite: {:.0} bytes per indexed article",
        (size(&db) - before) as f64 / N as f64
    );
    let Some(server) = support::pg::PgServer::start("index_size_per_article") else {
        return;
    };
    let url_db = server.database().await;
    let store = support::pg::reconnect(&url_db, "m").await;
    for (i, fp) in (0..N).zip(&fps) {
        let id = newsflow::event::digest(&[&i.to_string()]);
        store.link_copy(&id, &url(i), fp, 0).await.unwrap();
    }
    let (client, conn) = tokio_postgres::connect(&url_db, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let row = client
        .query_one(
            "SELECT pg_total_relation_size('copies') + pg_total_relation_size('copy_bands')",
            &[],
        )
        .await
        .unwrap();
    let bytes: i64 = row.get(0);
    println!(
        "PostgreSQL: {:.0} bytes per indexed article",
        bytes as f64 / N as f64
    );
}
