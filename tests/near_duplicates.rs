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
    let mut stories: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    stories.sort();
    let mut docs = Vec::new();
    for dir in stories {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
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
            let same = a.story == b.story
                && a.label != Label::LookAlike
                && b.label != Label::LookAlike;
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
