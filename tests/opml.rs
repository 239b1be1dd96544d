//! OPML import: parsing a realistic export and rendering configuration.

mod support;

use std::path::Path;

use newsflow::opml::{self, OpmlFeed};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/opml")
        .join(name)
}

fn feed(url: &str, title: Option<&str>, category: Option<&str>) -> OpmlFeed {
    OpmlFeed {
        url: url.into(),
        title: title.map(Into::into),
        category: category.map(Into::into),
    }
}

#[test]
fn reads_nested_export() {
    let feeds = opml::read_file(&fixture("subscriptions.opml")).unwrap();
    assert_eq!(
        feeds,
        vec![
            feed(
                "https://news.example.com/world/rss.xml",
                Some("Example World"),
                Some("World news")
            ),
            feed(
                "https://lemonde.example.fr/rss/une.xml",
                Some("Le Monde \u{e9}dition"),
                Some("World news")
            ),
            feed(
                "https://eu.example.org/feed.atom",
                Some("Euro Desk"),
                Some("Europe")
            ),
            feed(
                "http://code.example.net/feed/?format=rss&lang=en",
                Some("Code & Coffee"),
                Some("Tech")
            ),
            feed(
                "https://quoted.example.com/index.xml",
                Some("The \"Quoted\" \\ Blog"),
                Some("Tech")
            ),
            feed(
                "https://pod.example.com/feed.xml",
                Some("Top-level podcast"),
                Some("Podcasts")
            ),
            feed("https://untitled.example.com/rss", None, None),
        ]
    );
}

#[test]
fn toml_output_round_trips_through_a_toml_parser() {
    let feeds = opml::read_file(&fixture("subscriptions.opml")).unwrap();
    let text = opml::to_toml(&feeds);
    assert!(text.starts_with("# World news\n[[feeds]]\n"), "{text}");
    assert!(
        text.contains("name = \"Le Monde \u{e9}dition\"\n\n# Europe\n[[feeds]]"),
        "{text}"
    );
    let parsed: toml::Table = toml::from_str(&text).expect("valid TOML");
    let entries = parsed["feeds"].as_array().unwrap();
    assert_eq!(entries.len(), feeds.len());
    for (entry, feed) in entries.iter().zip(&feeds) {
        assert_eq!(entry["url"].as_str(), Some(feed.url.as_str()));
        assert_eq!(
            entry.get("name").and_then(|n| n.as_str()),
            feed.title.as_deref()
        );
    }
}

#[test]
fn rejects_non_opml_with_a_clear_error() {
    let err = opml::parse("<rss version=\"2.0\"><channel/></rss>").unwrap_err();
    assert!(err.to_string().contains("root element is <rss>"), "{err}");
    let err = opml::parse("just some text").unwrap_err();
    assert!(err.to_string().contains("not an OPML document"), "{err}");
    let err = opml::parse("<opml>\n<body><outline xmlUrl=\"http://a/").unwrap_err();
    assert!(err.to_string().contains("XML error at line 2"), "{err}");
}

#[test]
fn read_file_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-opml.xml");
    std::fs::write(&path, "<html><body>hi</body></html>").unwrap();
    let err = format!("{:#}", opml::read_file(&path).unwrap_err());
    assert!(
        err.contains("not-opml.xml") && err.contains("<html>"),
        "{err}"
    );
    let missing = dir.path().join("missing.opml");
    let err = format!("{:#}", opml::read_file(&missing).unwrap_err());
    assert!(err.contains("missing.opml"), "{err}");
}

/// The corpus's OPML samples (when present) parse, and the NetNewsWire
/// export without title attributes falls back to `text`.
#[test]
fn corpus_opml_samples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/feeds-dev/rsparser");
    if !dir.exists() {
        support::skip(
            "corpus_opml_samples",
            &format!("{} is absent", dir.display()),
        );
        return;
    }
    let subs = opml::read_file(&dir.join("Subs.opml")).unwrap();
    let no_titles = opml::read_file(&dir.join("SubsNoTitleAttributes.opml")).unwrap();
    assert!(subs.len() > 10, "{}", subs.len());
    assert_eq!(subs.len(), no_titles.len());
    assert!(no_titles.iter().all(|f| f.title.is_some()));
    assert!(
        subs.iter()
            .any(|f| f.title.as_deref() == Some("chat & code"))
    );
}
