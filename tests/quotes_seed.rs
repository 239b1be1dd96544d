//! The seed article (headline, tag line and "Comments" label dropped): the
//! main quotations and their speakers, and the strings that must not be
//! attributed.

use newsflow::quotes::{Quote, QuoteKind, extract_quotes};

fn seed() -> (String, Vec<Quote>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/quotes/seed.txt"
    );
    let text = std::fs::read_to_string(path).expect("seed fixture");
    let quotes = extract_quotes(&text);
    (text, quotes)
}

fn find<'a>(quotes: &'a [Quote], start: &str) -> &'a Quote {
    quotes
        .iter()
        .find(|q| q.text.starts_with(start))
        .unwrap_or_else(|| panic!("no quote starting {start:?} in {quotes:#?}"))
}

#[test]
fn offsets_are_char_offsets_of_the_text() {
    let (text, quotes) = seed();
    assert!(!quotes.is_empty());
    for q in &quotes {
        let span: String = text.chars().skip(q.start).take(q.end - q.start).collect();
        assert_eq!(span, q.text);
    }
}

#[test]
fn peskov_statement_is_one_direct_quote_with_nested_marks() {
    let (_, quotes) = seed();
    let q = find(
        &quotes,
        "Ukraine's membership in NATO would be the worst-case scenario.",
    );
    assert!(
        q.text
            .contains("beyond the \"red lines\" of Russia's national interests")
    );
    assert!(q.text.ends_with("to ensure its own security,"));
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(q.speaker.as_deref(), Some("Dmitry Peskov"));
    assert_eq!(q.cue.as_deref(), Some("said"));
    assert_eq!(q.source.as_deref(), Some("Interfax"));
    // The nested "red lines" is part of the statement, not its own quote.
    assert!(
        !quotes
            .iter()
            .any(|q| q.text == "red lines" && q.start < 700)
    );
}

#[test]
fn zelensky_quote_resolves_he_said() {
    let (_, quotes) = seed();
    let q = find(&quotes, "If NATO really expects us");
    assert!(q.text.ends_with("resolved immediately,"));
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(q.speaker.as_deref(), Some("Volodymyr Zelensky"));
    assert_eq!(q.cue.as_deref(), Some("said"));
}

#[test]
fn stoltenberg_partial() {
    let (_, quotes) = seed();
    let q = find(&quotes, "not tomorrow");
    assert_eq!(q.kind, QuoteKind::Partial);
    assert_eq!(q.speaker.as_deref(), Some("Jens Stoltenberg"));
}

#[test]
fn decisive_steps_partial_is_peskov() {
    let (_, quotes) = seed();
    let q = find(&quotes, "take decisive steps");
    assert_eq!(q.kind, QuoteKind::Partial);
    assert_eq!(q.speaker.as_deref(), Some("Dmitry Peskov"));
}

#[test]
fn documentary_title_is_not_a_quote() {
    let (_, quotes) = seed();
    assert!(!quotes.iter().any(|q| q.text.contains("master of the game")));
}

#[test]
fn scare_quotes_get_no_wrong_speaker() {
    let (_, quotes) = seed();
    // The journalist's "threat" is nobody named: dropped or unattributed.
    for q in quotes.iter().filter(|q| q.text == "threat") {
        assert_eq!(q.speaker, None);
    }
    // Peskov's own words, woven into reported speech: found, and his.
    for word in ["understand", "informed"] {
        let q = find(&quotes, word);
        assert_eq!(q.text, word);
        assert_eq!(q.kind, QuoteKind::Partial);
        assert_eq!(q.speaker.as_deref(), Some("Dmitry Peskov"));
    }
    // The last paragraph's "red lines" are those Putin spoke about.
    let q = find(&quotes, "red lines");
    assert_eq!(q.speaker.as_deref(), Some("Vladimir Putin"));
}
