//! Tricky quotation shapes, one JSON object per line in
//! `tests/fixtures/quotes/regressions.jsonl`: every listed quote must be
//! found with its speaker (and kind, when given); every `absent` string
//! must not be emitted as a quotation.

mod support;

use newsflow::quotes::extract_quotes;
use support::quote_cases::check_cases;

#[test]
fn regression_cases() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/quotes/regressions.jsonl"
    );
    let checked = check_cases(path, extract_quotes);
    assert!(checked.cases >= 20, "fixture has {} cases", checked.cases);
    assert!(
        checked.failures.is_empty(),
        "{} failures:\n{}",
        checked.failures.len(),
        checked.failures.join("\n")
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
