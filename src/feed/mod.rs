//! Feed documents (RSS, Atom, JSON Feed, CDF) to items.
//!
//! The bytes are decoded to UTF-8 first (RFC 3023 with feedparser's
//! recoveries, [`decode`]), the root element decides whether this is a feed
//! at all ([`sniff`]), then feed-rs reads the document. Where feed-rs
//! rejects it or drops items it should not (version-less RSS, RSS 1.1, CDF,
//! Atom 0.3, broken XML), a forgiving reader ([`lenient`]) takes over.
//! JSON Feeds go to our own reader ([`json`]), which accepts what real
//! feeds publish.

mod decode;
mod json;
mod lenient;
mod markup;
mod sniff;

pub use decode::http_charset;

use chrono::{DateTime, Utc};
use url::Url;

use sniff::Kind;

/// One entry of a feed, with links already resolved against the feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    /// GUID / Atom id / JSON Feed id as the feed gives it (trimmed).
    pub guid: Option<String>,
    /// The article's address, absolute.
    pub link: Option<Url>,
    pub title: Option<String>,
    /// Summary or description (HTML or text as the feed gives it).
    pub summary: Option<String>,
    /// Full content (HTML) when the feed carries it.
    pub content: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// When the feed says the entry last changed (Atom `updated`, JSON Feed
    /// `date_modified`, RSS `dc:modified`/`atom:updated`); a change of it
    /// is one of the signals that the article changed.
    pub updated: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
}

/// A parsed feed document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    pub title: Option<String>,
    /// `<ttl>` in minutes, where the feed states one.
    pub ttl_minutes: Option<u32>,
    pub items: Vec<Item>,
}

/// Why a document yielded no feed. The messages are written for a log line
/// that already names the feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The document is something else (HTML, OPML, empty, ...).
    #[error("not a feed: {0}")]
    NotAFeed(String),
    /// Broken XML from which no item could be recovered.
    #[error("XML error at line {line}: {message}")]
    Xml { line: usize, message: String },
    /// Invalid JSON, or JSON that is not a JSON Feed.
    #[error("JSON Feed: {0}")]
    Json(String),
}

impl FeedError {
    fn xml(text: &str, offset: usize, err: &dyn std::fmt::Display) -> Self {
        let offset = offset.min(text.len());
        let line = text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let mut message = err.to_string();
        if message.len() > 200 {
            let cut = (0..=200)
                .rev()
                .find(|&i| message.is_char_boundary(i))
                .unwrap_or(0);
            message.truncate(cut);
            message.push('…');
        }
        FeedError::Xml { line, message }
    }
}

/// Parses a feed document fetched from `feed_url` (pass the Content-Location
/// when the server sent one: it is the base for relative links).
/// `content_type` is the HTTP Content-Type; its charset overrides the XML
/// declaration (RFC 3023).
pub fn parse(bytes: &[u8], feed_url: &Url, content_type: Option<&str>) -> Result<Feed, FeedError> {
    let decoded = decode::decode(bytes, content_type);
    let text: &str = &decoded.text;
    tracing::trace!(encoding = decoded.encoding, "feed decoded");
    if text.trim().is_empty() {
        return Err(FeedError::NotAFeed("empty document".into()));
    }
    if text.starts_with(['{', '[']) {
        return json::parse(text, feed_url);
    }
    // Servers prepend junk (PHP warnings, stray text) to otherwise good
    // feeds; skip to the feed's start when one is plainly there.
    let text = if text.starts_with('<') {
        text
    } else {
        sniff::skip_leading_junk(text)
    };
    let kind = sniff::classify(text)?;
    let expanded = if memchr::memmem::find(text.as_bytes(), b"<!ENTITY").is_some() {
        markup::expand_internal_entities(text)
    } else {
        None
    };
    let text = expanded.as_deref().unwrap_or(text);

    let feed_rs_reads_it = matches!(kind, Kind::Rss | Kind::Rdf | Kind::Atom | Kind::AtomEntry);
    let from_feed_rs = if feed_rs_reads_it && !sniff::has_undeclared_entities(text) {
        Some(with_feed_rs_guarded(text, feed_url))
    } else {
        None
    };
    if let Some(Ok(feed)) = &from_feed_rs
        && feed.items.len() >= sniff::count_item_tags(text)
    {
        let feed = from_feed_rs.and_then(Result::ok).expect("matched Ok above");
        return Ok(complete(feed, kind, text, feed_url));
    }

    let lenient = lenient::parse(text, feed_url);
    match from_feed_rs {
        Some(Ok(feed)) if feed.items.len() >= lenient.feed.items.len() => {
            Ok(complete(feed, kind, text, feed_url))
        }
        _ if !lenient.feed.items.is_empty() || lenient.error.is_none() => Ok(lenient.feed),
        _ => Err(lenient.error.expect("checked above")),
    }
}

/// A feed document's vocabulary, as `discover` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RSS of any version, RSS 1.0/1.1 (RDF) included.
    Rss,
    /// Atom 1.0 or 0.3.
    Atom,
    /// JSON Feed.
    Json,
    /// Microsoft's Channel Definition Format.
    Cdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
            Format::Cdf => "cdf",
        }
    }
}

/// The vocabulary of a document [`parse`] accepts, decided the way
/// [`parse`] decides it; `None` for what is no feed.
pub fn format_of(bytes: &[u8], content_type: Option<&str>) -> Option<Format> {
    let decoded = decode::decode(bytes, content_type);
    let text: &str = &decoded.text;
    if text.starts_with(['{', '[']) {
        return Some(Format::Json);
    }
    let text = if text.starts_with('<') {
        text
    } else {
        sniff::skip_leading_junk(text)
    };
    Some(match sniff::classify(text).ok()? {
        Kind::Rss | Kind::RssOther | Kind::Rdf | Kind::Rss11 => Format::Rss,
        Kind::Atom | Kind::Atom03 | Kind::AtomEntry => Format::Atom,
        Kind::Cdf => Format::Cdf,
    })
}

/// Fills what feed-rs leaves out of RSS items (see [`fill_missing`]) when
/// something is missing that the document may well hold.
fn complete(mut feed: Feed, kind: Kind, text: &str, feed_url: &Url) -> Feed {
    // Most feeds without dates simply have none; only a Dublin Core date is
    // worth a second pass.
    let dc_date = memchr::memmem::find(text.as_bytes(), b":date>").is_some();
    let incomplete = |i: &Item| {
        i.link.is_none()
            || i.title.is_none()
            || (dc_date && i.published.is_none())
            || (kind == Kind::Rdf && i.guid.is_none())
    };
    if matches!(kind, Kind::Rss | Kind::Rdf) && feed.items.iter().any(incomplete) {
        fill_missing(&mut feed, text, feed_url);
    }
    feed
}

/// feed-rs has panicked on input we had not normalised away (a late XML
/// declaration); a panic in a dependency must not take a feed, or the
/// daemon, down, so treat it as a rejection and let the lenient reader try.
fn with_feed_rs_guarded(text: &str, feed_url: &Url) -> Result<Feed, String> {
    std::panic::catch_unwind(|| with_feed_rs(text, feed_url))
        .map_err(|_| "feed-rs panicked".to_owned())?
        .map_err(|e| e.to_string())
}

fn with_feed_rs(text: &str, feed_url: &Url) -> Result<Feed, feed_rs::parser::ParseFeedError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        // We report the feed's own ids only; the caller keys items itself.
        .id_generator(|_, _, _| String::new())
        // feed-rs's own date parser runs a dozen regex substitutions per
        // date, about a tenth of all parsing time; ours is hand-written.
        .timestamp_parser(markup::parse_date)
        .build();
    let f = parser.parse(text.as_bytes())?;
    let items = f
        .entries
        .into_iter()
        .map(|e| {
            // feed-rs files RSS <comments> and wfw:commentRss as links with
            // a target but no rel; they are not the article.
            let alternate = |l: &&feed_rs::model::Link| {
                l.target.is_none() && l.rel.as_deref().is_none_or(is_alternate)
            };
            let link = e
                .links
                .iter()
                .filter(alternate)
                .find(|l| l.media_type.as_deref().is_none_or(|t| t.contains("html")))
                .or_else(|| e.links.iter().find(alternate))
                .and_then(|l| feed_url.join(l.href.trim()).ok());
            let id = e.id.trim();
            Item {
                guid: (!id.is_empty()).then(|| id.to_owned()),
                link,
                title: e.title.map(text_of).filter(|t| !t.is_empty()),
                summary: e
                    .summary
                    .map(|t| t.content)
                    .filter(|t| !t.trim().is_empty()),
                content: e
                    .content
                    .and_then(|c| c.body)
                    .filter(|t| !t.trim().is_empty()),
                published: e.published.or(e.updated),
                updated: e.updated,
                authors: e
                    .authors
                    .into_iter()
                    .filter_map(|p| p.name.map(|n| n.trim().to_owned()))
                    .filter(|n| !n.is_empty())
                    .collect(),
                categories: dedup(
                    e.categories
                        .into_iter()
                        .map(|c| c.label.unwrap_or(c.term).trim().to_owned()),
                ),
            }
        })
        .collect();
    Ok(Feed {
        title: f.title.map(text_of),
        ttl_minutes: f.ttl,
        items,
    })
}

/// Atom's `alternate` relation, also in its IANA registry URI form.
pub(crate) fn is_alternate(rel: &str) -> bool {
    let rel = rel.trim();
    rel.eq_ignore_ascii_case("alternate")
        || rel.eq_ignore_ascii_case("http://www.iana.org/assignments/relation/alternate")
}

/// Most authors or categories kept per item: real items have a handful,
/// and deduplication is quadratic in the count.
pub(crate) const MAX_LIST: usize = 256;

/// Non-empty strings, first occurrence kept, at most [`MAX_LIST`].
fn dedup(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if out.len() >= MAX_LIST {
            break;
        }
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A headline as text: feed-rs passes HTML and XHTML titles through as
/// markup.
fn text_of(t: feed_rs::model::Text) -> String {
    if t.content_type.subty() == "plain" {
        t.content.trim().to_owned()
    } else {
        markup::html_to_text(&t.content)
    }
}

/// RSS items without `<link>` take their permalink `<guid>`, RSS 1.0 items
/// are named by `rdf:about`, and `dc:title`, `dc:date`, `dc:subject`,
/// `xhtml:body` stand in for missing fields; feed-rs keeps none of these,
/// so borrow them from the lenient reader when both readers agree on the
/// items.
fn fill_missing(feed: &mut Feed, text: &str, feed_url: &Url) {
    let other = lenient::parse(text, feed_url).feed;
    if other.items.len() != feed.items.len() {
        return;
    }
    for (mine, theirs) in feed.items.iter_mut().zip(other.items) {
        if mine.guid.is_some() && theirs.guid.is_some() && mine.guid != theirs.guid {
            continue;
        }
        mine.guid = mine.guid.take().or(theirs.guid);
        mine.link = mine.link.take().or(theirs.link);
        mine.title = mine.title.take().or(theirs.title);
        mine.published = mine.published.or(theirs.published);
        mine.updated = mine.updated.or(theirs.updated);
        mine.summary = mine.summary.take().or(theirs.summary);
        mine.content = mine.content.take().or(theirs.content);
        if mine.authors.is_empty() {
            mine.authors = theirs.authors;
        }
        if mine.categories.is_empty() {
            mine.categories = theirs.categories;
        }
    }
}

/// Decodes an XML document's bytes (BOM, declaration, lying charsets) to
/// UTF-8, for other XML formats we import (OPML).
pub(crate) fn decode_xml_text(bytes: &[u8]) -> String {
    decode::decode(bytes, None).text.into_owned()
}

/// Decodes XML and HTML entity and character references, keeping unknown
/// ones literally.
pub(crate) fn unescape_entities(s: &str) -> String {
    markup::unescape(s)
}
