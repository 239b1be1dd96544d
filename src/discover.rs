//! `newsflow discover`: the feeds a web page offers.
//!
//! Pages declare feeds with `<link rel="alternate">`, link to them from
//! their text, or say nothing, and then the usual addresses are tried.
//! Declared feeds are often dead and guessed ones often answer with an
//! HTML page, so every candidate is fetched and parsed by [`crate::feed`]
//! and only documents that parse are reported.
//!
//! Trust follows the daemon's: the page the user names, and the usual
//! places on its site, are fetched like a configured feed; addresses taken
//! from the page's markup are someone else's links and go through the
//! private-address guard like article links.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use crate::config::FeedConfig;
use crate::feed::{self, Format};
use crate::fetch::{FeedResponse, FetchError, Fetcher, Response, Validators};

/// A working feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The feed's address after redirects.
    pub url: Url,
    pub title: Option<String>,
    pub format: Format,
}

/// Where a candidate address came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `<link rel="alternate">` of a feed type.
    Declared,
    /// An `<a>` whose address or text suggests a feed.
    Linked,
    /// A usual feed path on the page's site, not named by the page.
    Usual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub url: Url,
    pub source: Source,
}

/// Most candidates taken from one page: a site's "all our feeds" page
/// lists a few dozen, while a page listing thousands of `.xml` links
/// must not turn one command into thousands of requests.
pub const MAX_CANDIDATES: usize = 100;

/// Paths where feeds live when a page names none (WordPress, Ghost, Hugo,
/// Jekyll, Blogger and hand-made sites), tried at the site root and under
/// the page's own path.
const USUAL_PATHS: &[&str] = &[
    "feed",
    "rss",
    "rss.xml",
    "atom.xml",
    "feed.xml",
    "index.xml",
    "index.rss",
    "feed.json",
    "atom",
    "feeds/posts/default",
];

const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "application/x-atom+xml",
    "application/x.atom+xml",
];

/// The working feeds of the page at `page`, page-declared ones first, each
/// once, at most `concurrency` candidates fetched at a time. An error is
/// a page that could not be fetched at all.
pub async fn discover(
    fetcher: &Fetcher,
    page: &Url,
    concurrency: usize,
) -> Result<Vec<Found>, FetchError> {
    let r = trusted_get(fetcher, page).await?;
    // The user may name a feed itself; then that is the answer.
    if let Ok(found) = as_feed(&r) {
        return Ok(vec![found]);
    }
    let base = base_of(&r);
    let charset = r.content_type.as_deref().and_then(feed::http_charset);
    let html = crate::text::decode_html(&r.body, charset);
    let found = probe(fetcher, candidates_in(&html, &base), concurrency).await;
    if !found.is_empty() {
        return Ok(found);
    }
    let usual = usual_places(&r.url)
        .into_iter()
        .map(|url| Candidate {
            url,
            source: Source::Usual,
        })
        .collect();
    Ok(probe(fetcher, usual, concurrency).await)
}

/// Fetches and parses every candidate, keeping their order, and returns
/// those that are feeds, each final address once.
async fn probe(fetcher: &Fetcher, candidates: Vec<Candidate>, concurrency: usize) -> Vec<Found> {
    let results: Vec<Option<Found>> = futures::stream::iter(candidates)
        .map(|c| check(fetcher, c))
        .buffered(concurrency.max(1))
        .collect()
        .await;
    let mut seen = HashSet::new();
    results
        .into_iter()
        .flatten()
        .filter(|f| seen.insert(f.url.clone()))
        .collect()
}

async fn check(fetcher: &Fetcher, c: Candidate) -> Option<Found> {
    let got = match c.source {
        Source::Usual => trusted_get(fetcher, &c.url).await,
        Source::Declared | Source::Linked => fetcher.discovered_feed(&c.url).await,
    };
    let why = match got.map(|r| as_feed(&r)) {
        Ok(Ok(found)) => return Some(found),
        Ok(Err(e)) => format!("{}: {e}", c.url),
        Err(e) => e.to_string(),
    };
    // Dead declared feeds are worth a line; a guessed path that is
    // missing is the normal case.
    match c.source {
        Source::Usual => tracing::debug!("no feed: {why}"),
        Source::Declared | Source::Linked => tracing::info!("candidate skipped: {why}"),
    }
    None
}

/// Fetches `url` as a configured feed would be: the user named it.
async fn trusted_get(fetcher: &Fetcher, url: &Url) -> Result<Response, FetchError> {
    let as_configured = FeedConfig {
        url: url.clone(),
        name: url.to_string(),
        interval: Duration::ZERO,
        enabled: true,
        tags: Vec::new(),
        headers: Vec::new(),
        proxy: None,
        recheck: Vec::new(),
    };
    match fetcher.feed(&as_configured, &Validators::default()).await? {
        FeedResponse::Fresh(r) => Ok(*r),
        FeedResponse::NotModified => Err(FetchError::Permanent(format!(
            "{url}: 304 Not Modified to an unconditional request"
        ))),
    }
}

/// Where relative links of a response are resolved from.
fn base_of(r: &Response) -> Url {
    r.content_location
        .as_deref()
        .and_then(|loc| r.url.join(loc).ok())
        .unwrap_or_else(|| r.url.clone())
}

fn as_feed(r: &Response) -> Result<Found, feed::FeedError> {
    let ct = r.content_type.as_deref();
    let parsed = feed::parse(&r.body, &base_of(r), ct)?;
    let format = feed::format_of(&r.body, ct)
        .ok_or_else(|| feed::FeedError::NotAFeed("unknown format".into()))?;
    Ok(Found {
        url: r.url.clone(),
        title: parsed
            .title
            .map(|t| crate::text::collapse_whitespace(&t))
            .filter(|t| !t.is_empty()),
        format,
    })
}

/// The feed addresses a page names, declared ones first, each in document
/// order, each once, at most [`MAX_CANDIDATES`].
pub fn candidates_in(html: &str, page: &Url) -> Vec<Candidate> {
    let doc = Html::parse_document(html);
    let select = |css: &str| Selector::parse(css).expect("constant selector");
    let base = doc
        .select(&select("base[href]"))
        .next()
        .and_then(|b| page.join(b.attr("href")?.trim()).ok())
        .unwrap_or_else(|| page.clone());
    let (links, anchors) = (select("link[href]"), select("a[href]"));
    let declared = doc
        .select(&links)
        .filter(|l| declares_feed(l))
        .map(|l| (l, Source::Declared));
    let linked = doc.select(&anchors).map(|a| (a, Source::Linked));
    let mut seen = HashSet::from([page.clone()]);
    let mut out = Vec::new();
    for (el, source) in declared.chain(linked) {
        let Some(url) = el.attr("href").and_then(|h| resolve(&base, h)) else {
            continue;
        };
        if source == Source::Linked && !links_feed(&url, &el) {
            continue;
        }
        if seen.insert(url.clone()) {
            out.push(Candidate { url, source });
            if out.len() == MAX_CANDIDATES {
                break;
            }
        }
    }
    out
}

/// An http(s) address for `href`, with `feed:` addresses (an old way of
/// handing a link to a feed reader) turned back into what they wrap.
fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    let href = match href.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("feed:") => {
            let rest = &href[5..];
            if rest.starts_with("//") {
                format!("http:{rest}")
            } else {
                rest.to_string()
            }
        }
        _ => href.to_string(),
    };
    let mut url = base.join(&href).ok()?;
    url.set_fragment(None);
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// `<link rel="alternate" type="application/rss+xml">` and kin; the HTML5
/// `rel="feed"` needs no type.
fn declares_feed(link: &ElementRef) -> bool {
    let rel = link.attr("rel").unwrap_or("").to_ascii_lowercase();
    let mut rels = rel.split_ascii_whitespace();
    let feed_type = link.attr("type").is_some_and(is_feed_type);
    if rels.clone().any(|r| r == "feed") {
        return link.attr("type").is_none() || feed_type;
    }
    rels.any(|r| r == "alternate") && feed_type
}

fn is_feed_type(t: &str) -> bool {
    let t = t.split(';').next().unwrap_or("").trim();
    FEED_TYPES.iter().any(|f| f.eq_ignore_ascii_case(t))
}

/// Whether an `<a>` looks like it leads to a feed: a feed type, a feed-ish
/// file name or path segment or query, or link text that says so.
fn links_feed(url: &Url, a: &ElementRef) -> bool {
    if a.attr("type").is_some_and(is_feed_type) {
        return true;
    }
    let path = url.path().to_ascii_lowercase();
    let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    if last.starts_with("sitemap") {
        return false;
    }
    const FEED_WORDS: &[&str] = &["rss", "atom", "feed", "feeds", "rss2"];
    let file_says = [".rss", ".atom", ".rdf", ".xml"]
        .iter()
        .any(|ext| last.ends_with(ext))
        || (last.ends_with(".json") && last.contains("feed"));
    let path_says = path.split('/').any(|seg| FEED_WORDS.contains(&seg));
    let query_says = url.query_pairs().any(|(k, v)| {
        let v = v.to_ascii_lowercase();
        k.eq_ignore_ascii_case("feed")
            || (k.eq_ignore_ascii_case("format") && FEED_WORDS.contains(&v.as_str()))
    });
    let text_says = label_of(a)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| FEED_WORDS.contains(&w));
    file_says || path_says || query_says || text_says
}

/// What a link says to a reader: its text, its title and, for the usual
/// orange icon, the image's alt text.
fn label_of(a: &ElementRef) -> String {
    let mut label: String = a.text().collect();
    let icons = a
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "img");
    let attrs = [a.attr("title"), a.attr("aria-label")]
        .into_iter()
        .chain(icons.map(|img| img.attr("alt")));
    for value in attrs.flatten() {
        label.push(' ');
        label.push_str(value);
    }
    label
}

/// The usual feed addresses at the site root and under the page's own
/// path (`/blog/` for `/blog/`, `/blog` and `/blog/index.html`).
pub fn usual_places(page: &Url) -> Vec<Url> {
    let path = page.path();
    let dir = match path.rsplit_once('/') {
        Some((parent, last)) if last.contains('.') => format!("{parent}/"),
        _ => format!("{}/", path.trim_end_matches('/')),
    };
    let mut dirs = vec!["/".to_string()];
    if dir != "/" {
        dirs.push(dir);
    }
    dirs.iter()
        .flat_map(|d| USUAL_PATHS.iter().map(move |p| format!("{d}{p}")))
        .filter_map(|p| page.join(&p).ok())
        .collect()
}

/// `[[feeds]]` entries for the configuration file, each preceded by a
/// blank line so the output can be appended to a file that lacks a final
/// newline.
pub fn to_toml(found: &[Found]) -> String {
    found
        .iter()
        .map(|f| {
            let entry = crate::opml::OpmlFeed {
                url: f.url.to_string(),
                title: f.title.clone(),
                category: None,
            };
            format!("\n{}", crate::opml::to_toml(&[entry]))
        })
        .collect()
}

/// One `{"url", "title", "format"}` line, keys in that order.
pub fn to_json_line(f: &Found) -> String {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        url: &'a str,
        title: Option<&'a str>,
        format: &'static str,
    }
    serde_json::to_string(&Line {
        url: f.url.as_str(),
        title: f.title.as_deref(),
        format: f.format.as_str(),
    })
    .expect("strings serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(cands: &[Candidate]) -> Vec<(&str, Source)> {
        cands.iter().map(|c| (c.url.as_str(), c.source)).collect()
    }

    #[test]
    fn declared_then_linked_in_document_order() {
        let page = Url::parse("https://news.example/section/page.html").unwrap();
        let html = r#"<html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/json+oembed" href="/oembed">
            <link rel="alternate" hreflang="fr" href="/fr/">
            <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
            <link rel="alternate" type="application/rss+xml" href="https://other.example/rss">
            </head><body>
            <a href="/about">About</a> <a href="/feedback">Feedback</a>
            <a href="/sitemap.xml">Sitemap</a>
            <a href="feed://news.example/podcast.rss">Podcast</a>
            <a href="/world">World RSS</a>
            <a href="/atom.xml#top">Atom again</a>
            <a href="/feeds/posts/default">x</a> <a href="/?feed=rss2">y</a>
            <a href="/subscribe"><img src="/i.png" alt="RSS"></a>
            <a href="/follow" title="Atom feed">+</a> <a href="/x">Atomic</a>
            </body></html>"#;
        assert_eq!(
            urls(&candidates_in(html, &page)),
            vec![
                ("https://news.example/section/atom.xml", Source::Declared),
                ("https://other.example/rss", Source::Declared),
                ("http://news.example/podcast.rss", Source::Linked),
                ("https://news.example/world", Source::Linked),
                ("https://news.example/atom.xml", Source::Linked),
                ("https://news.example/feeds/posts/default", Source::Linked),
                ("https://news.example/?feed=rss2", Source::Linked),
                ("https://news.example/subscribe", Source::Linked),
                ("https://news.example/follow", Source::Linked),
            ]
        );
    }

    #[test]
    fn base_element_anchors_relative_links() {
        let page = Url::parse("https://a.example/x/y").unwrap();
        let html = r#"<head><base href="https://cdn.example/site/">
            <link rel="alternate" type="application/feed+json" href="feed.json"></head>"#;
        assert_eq!(
            urls(&candidates_in(html, &page)),
            vec![("https://cdn.example/site/feed.json", Source::Declared)]
        );
    }

    #[test]
    fn usual_places_at_root_and_under_the_page() {
        let at = |u: &str| {
            usual_places(&Url::parse(u).unwrap())
                .iter()
                .map(Url::to_string)
                .collect::<Vec<_>>()
        };
        let root = at("https://s.example/?q=1");
        assert_eq!(root.len(), USUAL_PATHS.len());
        assert_eq!(root[0], "https://s.example/feed");
        for page in [
            "https://s.example/blog",
            "https://s.example/blog/index.html",
        ] {
            let all = at(page);
            assert_eq!(all.len(), 2 * USUAL_PATHS.len(), "{page}");
            assert!(all.contains(&"https://s.example/blog/rss.xml".to_string()));
            assert!(all.contains(&"https://s.example/feeds/posts/default".to_string()));
        }
    }

    #[test]
    fn toml_entries_escape_titles_and_parse() {
        let found = [
            Found {
                url: Url::parse("https://s.example/rss?a=1&b=2").unwrap(),
                title: Some("The \"Daily\" \\ Courier".into()),
                format: Format::Rss,
            },
            Found {
                url: Url::parse("https://s.example/untitled.json").unwrap(),
                title: None,
                format: Format::Json,
            },
        ];
        let text = to_toml(&found);
        assert!(text.starts_with("\n[[feeds]]\n"), "{text}");
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        let feeds = parsed["feeds"].as_array().unwrap();
        assert_eq!(feeds[0]["name"].as_str(), Some("The \"Daily\" \\ Courier"));
        assert!(feeds[1].get("name").is_none());
        assert_eq!(
            to_json_line(&found[1]),
            r#"{"url":"https://s.example/untitled.json","title":null,"format":"json"}"#
        );
    }
}
