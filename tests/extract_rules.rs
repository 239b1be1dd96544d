//! Site rules: the example rule files shipped in config/site-rules, applied
//! to the fixture pages, the errors a broken rule file gives, and (over the
//! dev pages in ../shared/data) a rule that selects nothing.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use newsflow::extract::{Extractor, SiteRules};
use url::Url;

fn rules_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config/site-rules"))
}

fn page(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn expected(name: &str) -> String {
    page(name).trim_end().to_string()
}

#[test]
fn shipped_rules_load() {
    let ex = Extractor::with_site_rules(rules_dir()).expect("shipped rules are valid");
    assert!(!ex.site_rules().is_empty());
}

#[test]
fn toml_rule_selects_body_and_metadata() {
    let ex = Extractor::with_site_rules(rules_dir()).unwrap();
    let url = Url::parse("https://www.worldwire.example/world/2021/10/12/kremlin").unwrap();
    let a = ex.extract(&page("seed.html"), Some(&url));
    assert_eq!(a.body, expected("seed.txt"));
    assert_eq!(a.authors, ["Anna Petrova"]);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2021-10-12T09:30:00+03:00"
    );
    assert_eq!(a.tags, ["Kremlin", "Peskov", "NATO", "Putin"]);
}

#[test]
fn ftr_rule_strips_and_overrides() {
    let ex = Extractor::with_site_rules(rules_dir()).unwrap();
    let url = Url::parse("https://meridian.example/longread/power-grid").unwrap();
    let with_rules = ex.extract(&page("longread.html"), Some(&url));
    let pull_quote = "We can build a line in eighteen months.";
    assert!(
        !with_rules.body.contains(pull_quote),
        "strip: removed the pull quote"
    );
    assert!(with_rules.body.starts_with("On a wet morning"));
    assert!(
        with_rules
            .body
            .contains("far from the industrial heartlands of the north")
    );
    assert_eq!(with_rules.authors, ["Lena Brandt", "Tomás Ortega"]);
    assert_eq!(
        with_rules.title.as_deref(),
        Some("The quiet rebuild of Europe's power grid")
    );

    // Another host: the rule does not apply and the heuristics keep the quote.
    let other = Url::parse("https://elsewhere.example/a").unwrap();
    assert!(
        ex.extract(&page("longread.html"), Some(&other))
            .body
            .contains(pull_quote)
    );
}

#[test]
fn ftr_rule_with_class_idiom_and_union() {
    let ex = Extractor::with_site_rules(rules_dir()).unwrap();
    let url = Url::parse("https://shednotes.example/2023/05/17/feed-reader-in-rust/").unwrap();
    let a = ex.extract(&page("blog.html"), Some(&url));
    assert_eq!(a.body, expected("blog.txt"));
    assert_eq!(a.authors, ["Marta Kowalska"]);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2023-05-17T18:42:10+01:00"
    );
}

#[test]
fn broken_rule_files_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.example.txt"),
        "title: //h1\n\nbody: //div[position()=2]\n",
    )
    .unwrap();
    let err = format!("{:#}", Extractor::with_site_rules(dir.path()).unwrap_err());
    assert!(err.contains("bad.example.txt:3:"), "{err}");
    assert!(err.contains("position()"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.toml"),
        "hosts = [\"x.example\"]\nbody = [\"div[\"]\n",
    )
    .unwrap();
    let err = format!("{:#}", Extractor::with_site_rules(dir.path()).unwrap_err());
    assert!(err.contains("x.toml:2:"), "{err}");

    let missing = dir.path().join("nope");
    let err = format!("{:#}", Extractor::with_site_rules(&missing).unwrap_err());
    assert!(err.contains("nope"), "{err}");
}

/// Attributes the extractor itself never reads are dropped before parsing,
/// except on a site a rule covers: its selectors may name any attribute.
#[test]
fn rule_selects_by_an_attribute_the_extractor_never_reads() {
    let mut rules = newsflow::extract::SiteRules::default();
    rules
        .add_toml(
            "d.toml",
            "hosts = [\"data.example\"]\nbody = [\"div[data-part='story']\"]\n",
        )
        .unwrap();
    let ex = Extractor::with_rules(std::sync::Arc::new(rules));
    let story = "The council met on Tuesday to settle the budget for the coming year.";
    let teaser = "Read the other stories from this week's council meeting and more.";
    let html = format!(
        "<html><body><div data-part=\"teaser\"><p>{teaser}</p></div>\
         <div data-part=\"story\"><p>{story}</p></div></body></html>"
    );
    let url = Url::parse("https://data.example/council").unwrap();
    assert_eq!(ex.extract(&html, Some(&url)).body, story);
}

/// The dev pages with an address: (page file, address).
fn dev_pages() -> Option<Vec<(PathBuf, Url)>> {
    let mut pages = Vec::new();
    for set in ["extraction-dev", "extraction-dev2"] {
        let dir = support::shared(&format!("data/{set}"))?;
        let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).expect("manifest");
        for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
            let m: serde_json::Value = serde_json::from_str(line).expect("manifest line");
            let Some(url) = m["url"].as_str().and_then(|u| Url::parse(u).ok()) else {
                continue;
            };
            let name = m["name"].as_str().expect("page name");
            pages.push((dir.join(format!("{name}.html")), url));
        }
    }
    Some(pages)
}

/// A page with a site rule reaches the parser with every attribute, for
/// the rule's selectors, and the read ones again under the names the
/// extractor reads them by; a page without one keeps only the read ones.
/// So a rule that selects nothing must leave every extraction as it was.
#[test]
fn a_rule_that_selects_nothing_changes_no_dev_page() {
    let Some(pages) = dev_pages() else {
        support::skip(
            "a_rule_that_selects_nothing_changes_no_dev_page",
            "../shared/data/extraction-dev{,2} not found",
        );
        return;
    };
    let hosts: BTreeSet<&str> = pages.iter().filter_map(|(_, u)| u.host_str()).collect();
    let list: Vec<String> = hosts.iter().map(|h| format!("{h:?}")).collect();
    let mut rules = SiteRules::default();
    rules
        .add_toml(
            "every-dev-host.toml",
            &format!("hosts = [{}]\n", list.join(", ")),
        )
        .expect("a rule naming only hosts");
    let with_rule = Extractor::with_rules(std::sync::Arc::new(rules));
    let plain = Extractor::new();
    for (path, url) in &pages {
        let html = String::from_utf8_lossy(&std::fs::read(path).expect("page")).into_owned();
        assert!(
            with_rule
                .site_rules()
                .for_host(url.host_str().unwrap())
                .is_some()
        );
        assert_eq!(
            with_rule.extract(&html, Some(url)),
            plain.extract(&html, Some(url)),
            "{}",
            path.display()
        );
    }
    assert!(pages.len() > 250, "{} pages", pages.len());
}
