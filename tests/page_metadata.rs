//! Title, authors and tags on reconstructions of real page patterns, one
//! fixture per class of the metadata issue (tests/fixtures/metadata): each
//! `NAME.html` is extracted as a library call and compared with
//! `NAME.expect.json`.

use std::path::Path;

use newsflow::extract::Extractor;

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Expected {
    title: String,
    authors: Vec<String>,
    tags: Vec<String>,
}

fn check(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/metadata");
    let read = |ext: &str| {
        std::fs::read_to_string(dir.join(format!("{name}.{ext}")))
            .unwrap_or_else(|e| panic!("{name}.{ext}: {e}"))
    };
    let want: Expected = serde_json::from_str(&read("expect.json")).expect("expectation JSON");
    let a = Extractor::new().extract(&read("html"), None);
    let got = Expected {
        title: a.title.unwrap_or_default(),
        authors: a.authors,
        tags: a.tags,
    };
    assert_eq!(got, want, "{name}");
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(#[test]
        fn $name() {
            check(stringify!($name));
        })*
    };
}

fixtures!(
    // Tags the site wrote for itself.
    cms_identifiers,
    taxonomy_prefixes,
    internal_labels,
    section_headings_de,
    section_headings_zh,
    headline_as_tag,
    comma_in_tag,
    // Tags the page declares, one source each.
    declared_jsonld_string,
    declared_jsonld_array,
    declared_parsely,
    declared_news_keywords,
    declared_visible_list,
    // Bylines: agencies, roles, two languages' joins.
    agency_credit,
);
