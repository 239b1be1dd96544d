//! Tricky quotation shapes, one JSON object per line in
//! `tests/fixtures/quotes/regressions.jsonl`: every listed quote must be
//! found with its speaker (and kind, when given); every `absent` string
//! must not be emitted as a quotation.

use newsflow::quotes::{QuoteKind, extract_quotes};
use serde_json::Value;

#[test]
fn regression_cases() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/quotes/regressions.jsonl"
    );
    let data = std::fs::read_to_string(path).expect("regression fixture");
    let mut failures = Vec::new();
    let mut cases = 0;
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        cases += 1;
        let case: Value = serde_json::from_str(line).expect("valid JSON line");
        let name = case["name"].as_str().unwrap_or("?");
        let text = case["text"].as_str().expect("text");
        let got = extract_quotes(text);
        for q in &got {
            let span: String = text.chars().skip(q.start).take(q.end - q.start).collect();
            if span != q.text {
                failures.push(format!("{name}: offsets do not match text {:?}", q.text));
            }
        }
        for want in case["quotes"].as_array().into_iter().flatten() {
            let wt = want["text"].as_str().expect("quote text");
            let Some(q) = got.iter().find(|q| q.text == wt) else {
                failures.push(format!("{name}: missing {wt:?}; got {got:?}"));
                continue;
            };
            let ws = want["speaker"].as_str();
            if q.speaker.as_deref() != ws {
                failures.push(format!(
                    "{name}: {wt:?} speaker {:?}, want {ws:?}",
                    q.speaker
                ));
            }
            let wk = match want["kind"].as_str() {
                Some("direct") => Some(QuoteKind::Direct),
                Some("partial") => Some(QuoteKind::Partial),
                _ => None,
            };
            if let Some(k) = wk
                && q.kind != k
            {
                failures.push(format!("{name}: {wt:?} kind {:?}, want {k:?}", q.kind));
            }
        }
        for absent in case["absent"].as_array().into_iter().flatten() {
            let a = absent.as_str().expect("absent text");
            if got.iter().any(|q| q.text.trim_end_matches(['.', ',']) == a) {
                failures.push(format!("{name}: {a:?} must not be a quotation"));
            }
        }
    }
    assert!(cases >= 20, "fixture has {cases} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Scraped text can hold any mix of marks and punctuation: extraction must
/// never panic and offsets must always match.
#[test]
fn noise_never_panics() {
    let pieces = [
        "\"",
        "“",
        "”",
        "‘",
        "’",
        "'",
        "«",
        "»",
        "„",
        " ",
        "\n\n",
        ".",
        ",",
        ":",
        "—",
        "said",
        "he",
        "Jane",
        "Doe",
        "Mr.",
        "the",
        "(",
        ")",
        "s",
        "according",
        "to",
        "told",
        "BBC",
        "Ł",
        "x",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..400 {
        let mut text = String::new();
        for _ in 0..60 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let piece = pieces[(seed % pieces.len() as u64) as usize];
            text.push_str(piece);
            if seed.is_multiple_of(3) {
                text.push(' ');
            }
        }
        for q in extract_quotes(&text) {
            let span: String = text.chars().skip(q.start).take(q.end - q.start).collect();
            assert_eq!(span, q.text, "in {text:?}");
        }
    }
}
