//! Hostile and damaged input: parsing must return (Ok or Err), never panic,
//! never blow up in time or memory.

mod support;

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use newsflow::feed::{self, FeedError};
use url::Url;

fn url() -> Url {
    Url::parse("http://example.com/feed.xml").unwrap()
}

#[test]
fn billion_laughs_is_not_expanded() {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doc.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    doc.push_str("]>\n<rss version=\"2.0\"><channel><title>t</title><item><title>&lol9;</title><link>http://example.com/a</link></item></channel></rss>");
    let start = Instant::now();
    let feed = feed::parse(doc.as_bytes(), &url(), None).unwrap();
    assert_eq!(feed.items.len(), 1);
    assert!(feed.items[0].title.as_ref().unwrap().len() < 100);
    // A hang guard, not a speed test (speed is in the benches): expansion
    // that grew exponentially would not end at all.
    assert!(start.elapsed().as_secs() < 60);
}

#[test]
fn external_entities_are_never_read() {
    let doc = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\
               <rss version=\"2.0\"><channel><item><title>&xxe;</title><link>http://example.com/a</link></item></channel></rss>";
    let feed = feed::parse(doc.as_bytes(), &url(), None).unwrap();
    assert!(
        !feed.items[0]
            .title
            .as_deref()
            .unwrap_or("")
            .contains("root:")
    );
}

#[test]
fn deep_nesting_huge_title_and_nul_bytes() {
    let mut deep =
        String::from("<rss version=\"2.0\"><channel><item><title>deep</title><description>");
    deep.push_str(&"<div>".repeat(3000));
    deep.push_str(&"</div>".repeat(3000));
    deep.push_str("</description><link>http://example.com/d</link></item></channel></rss>");
    assert_eq!(
        feed::parse(deep.as_bytes(), &url(), None)
            .unwrap()
            .items
            .len(),
        1
    );

    let unclosed = format!("<rss>{}", "<item>".repeat(3000));
    let _ = feed::parse(unclosed.as_bytes(), &url(), None);

    let title = "x".repeat(1 << 20);
    let big = format!(
        "<rss version=\"2.0\"><channel><item><title>{title}</title></item></channel></rss>"
    );
    let feed = feed::parse(big.as_bytes(), &url(), None).unwrap();
    assert_eq!(feed.items[0].title.as_ref().unwrap().len(), 1 << 20);

    let nul = b"<rss version=\"2.0\"><channel><item><title>a\0b</title><link>http://example.com/n</link></item></channel></rss>";
    let feed = feed::parse(nul, &url(), None).unwrap();
    assert_eq!(feed.items[0].title.as_deref(), Some("ab"));
}

#[test]
fn non_feeds_get_clear_errors() {
    let err = |doc: &str| {
        feed::parse(doc.as_bytes(), &url(), None)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("<!DOCTYPE html><html><head><title>x</title></head></html>"),
        "not a feed: HTML page"
    );
    assert_eq!(err(""), "not a feed: empty document");
    assert!(
        err("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [")
            .starts_with("JSON Feed: invalid JSON")
    );
    let broken = err("<rss version=\"2.0\">\n<channel>\n<title>x</title>\n</channel\n");
    assert!(broken.starts_with("XML error at line "), "{broken}");
    assert!(matches!(
        feed::parse(b"<opml version=\"2.0\"><body/></opml>", &url(), None),
        Err(FeedError::NotAFeed(_))
    ));
}

/// Every corpus file, cut short at several points and with bytes flipped:
/// parsing must never panic. Panics inside feed-rs are caught by the
/// parser and counted here, so they can be reported upstream.
#[test]
fn damaged_corpus_never_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/feeds-dev");
    let Ok(manifest) = std::fs::read_to_string(dir.join("manifest.jsonl")) else {
        support::skip(
            "damaged_corpus_never_panics",
            &format!("{} is absent", dir.display()),
        );
        return;
    };
    static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        PANICS.lock().unwrap().push(at);
    }));
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // More rounds for a longer hunt: FEED_ROBUSTNESS_ROUNDS=50.
    let rounds: usize = std::env::var("FEED_ROBUSTNESS_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut escaped = Vec::new();
    let mut runs = 0;
    for line in manifest.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = v["file"].as_str().unwrap();
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        let mut variants = Vec::new();
        for k in 1..4 {
            variants.push(bytes[..bytes.len() * k / 4].to_vec());
        }
        for _ in 0..rounds {
            let mut b = bytes.clone();
            for _ in 0..1 + b.len() / 500 {
                if !b.is_empty() {
                    let i = next() as usize % b.len();
                    const NASTY: &[u8] = b"<>&;\"'/!?[]\0\xff\xfe";
                    b[i] = NASTY[next() as usize % NASTY.len()];
                }
            }
            variants.push(b);
        }
        for doc in variants {
            runs += 1;
            let r =
                std::panic::catch_unwind(|| feed::parse(&doc, &url(), None).map(|f| f.items.len()));
            if r.is_err() {
                escaped.push(file.to_owned());
            }
        }
    }
    std::panic::set_hook(previous);
    let caught = PANICS.lock().unwrap().clone();
    eprintln!(
        "damaged corpus: {runs} documents, {} panics inside dependencies caught",
        caught.len() - escaped.len()
    );
    let mut sites = caught.clone();
    sites.sort();
    sites.dedup();
    for s in &sites {
        eprintln!("  panic site: {s}");
    }
    assert!(
        escaped.is_empty(),
        "panics escaped feed::parse on {escaped:?}"
    );
}

#[test]
fn many_categories_and_entity_amplification_stay_cheap() {
    let categories: String = (0..50_000)
        .map(|i| format!("<category>c{i}</category>"))
        .collect();
    for root in ["<rss version=\"2.0\">", "<rss>"] {
        let doc =
            format!("{root}<channel><item><title>t</title>{categories}</item></channel></rss>");
        let start = Instant::now();
        let feed = feed::parse(doc.as_bytes(), &url(), None).unwrap();
        assert_eq!(feed.items[0].categories.len(), 256);
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }
    let doc = format!(
        "<!DOCTYPE rss [<!ENTITY e \"{}\">]><rss><channel><item><title>{}</title></item></channel></rss>",
        "x".repeat(1000),
        "&e;".repeat(200_000)
    );
    let feed = feed::parse(doc.as_bytes(), &url(), None).unwrap();
    let title = feed.items[0].title.as_ref().unwrap();
    assert!(title.len() < 4 * doc.len(), "{}", title.len());
}

#[test]
fn pathological_repetitions_stay_linear() {
    let url = url();
    let decls = format!(
        "<rss version=\"2.0\"><channel>{}</channel></rss>",
        "<?xml version ".repeat(100_000)
    );
    let amps = format!(
        "<!DOCTYPE rss [<!ENTITY e \"x\">]><rss><channel><item><title>{}</title></item></channel></rss>",
        "&e ".repeat(400_000)
    );
    for doc in [decls, amps] {
        let start = Instant::now();
        let _ = feed::parse(doc.as_bytes(), &url, None);
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }
}
