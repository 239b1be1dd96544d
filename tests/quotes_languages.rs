//! Quote attribution outside English: one fixture file per language in
//! `tests/fixtures/quotes/lang/<code>.jsonl`, written from real-world
//! patterns (the article texts are our own). Each case lists the quotes
//! that must be found with their speakers and the strings that must not be
//! taken for quotations. The language is passed as a page would declare it.

mod support;

use newsflow::quotes::extract_quotes_with_blocks;
use newsflow::text::detect_language;
use support::quote_cases::check_cases;

/// Languages with a bundled table, and the fewest quotes each fixture must
/// hold.
const LANGUAGES: &[(&str, usize)] = &[
    ("de", 15),
    ("fr", 15),
    ("es", 15),
    ("it", 15),
    ("pt", 15),
    ("nl", 15),
    ("ru", 15),
];

fn fixture(code: &str) -> String {
    format!(
        "{}/tests/fixtures/quotes/lang/{code}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn every_language_fixture_passes() {
    let mut failures = Vec::new();
    for &(code, min_quotes) in LANGUAGES {
        let path = fixture(code);
        let checked = check_cases(&path, |text| {
            extract_quotes_with_blocks(text, &[], Some(code))
        });
        assert!(
            checked.quotes >= min_quotes,
            "{code}: the fixture holds {} quotes, fewer than {min_quotes}",
            checked.quotes
        );
        failures.extend(checked.failures.into_iter().map(|f| format!("{code}: {f}")));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A whole fixture file is long enough for the detector to be sure, so a
/// plain-text input in that language gets that language's rules.
#[test]
fn each_fixture_language_is_detected_from_its_text() {
    for &(code, _) in LANGUAGES {
        let path = fixture(code);
        let text: String = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["text"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
            .join("\n\n");
        assert_eq!(detect_language(&text), Some(code), "{path}");
    }
}
