//! The article event: the one JSON object per line that newsflow emits.
//!
//! These types are serialise-only wire types; the schema below is the
//! contract with consumers and only grows.
//!
//! ```json
//! {"type":"article","schema":1,"event_id":"3f2a…","id":"9c1e…",
//!  "url":"https://example.org/news/1","title":"Kremlin warns …",
//!  "body":"First paragraph.\n\nSecond paragraph.",
//!  "tags":["Kremlin","NATO"],
//!  "quotes":[{"text":"…","speaker":"Dmitry Peskov","cue":"said","kind":"direct",
//!             "source":"Interfax","start":120,"end":388}],
//!  "feed":{"url":"https://example.org/rss","title":"World"},
//!  "published":"2021-11-30T10:00:00+00:00","modified":null,
//!  "authors":["Jane Doe"],"language":"en","image":null,
//!  "body_source":"page","truncated":false,"revision":1,"changes":[],
//!  "duplicate_of":{"id":"51d0…","url":"https://wire.example/story","similarity":0.97}}
//! ```
//!
//! | field | meaning |
//! | --- | --- |
//! | `type` | always `"article"` |
//! | `schema` | schema version of this object, currently [`SCHEMA_VERSION`] |
//! | `event_id` | identifies this emission of the article; a consumer that sees the same `event_id` twice may drop the second (only possible after a crash at the wrong moment, see the README) |
//! | `id` | stable item id, derived from the item's canonical link where it has one, else its identity ([`crate::identity::ItemKeys::event_key`]): the same item gives the same id across polls, restarts, feeds and installations |
//! | `url` | the canonical address where the page names one, else the item's link |
//! | `title` | headline (page, else feed item) |
//! | `body` | main text, paragraphs separated by `"\n\n"` |
//! | `tags` | the article's own tags and the feed's categories, deduplicated, page order |
//! | `quotes` | see [`QuoteOut`] |
//! | `feed` | `{url, title}` of the feed, `null` from `newsflow extract` |
//! | `published`, `modified` | RFC 3339 or `null` |
//! | `authors` | bylines split into names, without "By", roles, dates, initials or datelines; a credited news agency (`dpa`, `AFP`) is kept as an author |
//! | `language` | BCP 47 or `null` |
//! | `image` | lead image address or `null` |
//! | `body_source` | `"page"` when the body came from the article page, `"feed"` when the page could not be had and the feed's own content was used, `"text"` for `extract --input text` |
//! | `truncated` | `true` when the body was cut to keep the line under the size cap |
//! | `revision` | 1 for an item's first emission; each later emission of the same `id` (a material change, see [`crate::revision`]) is the previous one plus 1, with a new `event_id` |
//! | `changes` | the fields that differ from the previous revision ([`Field`] names: `title`, `body`, `quotes`, `tags`, `authors`, `published`, `url`); `[]` on revision 1 |
//! | `duplicate_of` | for a syndicated copy, the first-seen article whose body it repeats: see [`DuplicateOf`]; `null` otherwise, and always with `near_duplicates = false` |

use serde::Serialize;

use crate::quotes::{Quote, QuoteKind};

/// Version of the event object; bumped only for incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct ArticleEvent {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub schema: u32,
    pub event_id: String,
    pub id: String,
    pub url: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub quotes: Vec<QuoteOut>,
    pub feed: Option<FeedRef>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    pub body_source: BodySource,
    pub truncated: bool,
    pub revision: u32,
    pub changes: Vec<Field>,
    pub duplicate_of: Option<DuplicateOf>,
}

/// A compared field of an article, as named in `changes`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Body,
    Quotes,
    Tags,
    Authors,
    Published,
    Url,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Title,
        Field::Body,
        Field::Quotes,
        Field::Tags,
        Field::Authors,
        Field::Published,
        Field::Url,
    ];
}

/// The earlier article a syndicated copy repeats ([`crate::dedup`]): the
/// same wire story on another site, under another template, headline,
/// dateline or credit line, with ad paragraphs added or its end cut.
/// Articles sharing only a topic, names or a few paragraphs are no copies.
///
/// | field | meaning |
/// | --- | --- |
/// | `id` | the `id` of the first-seen article of the story (every copy of one story points at the same one) |
/// | `url` | that article's `url` |
/// | `similarity` | estimated share of the shorter body found in the other, 0..1 (copies score at least 0.8) |
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateOf {
    pub id: String,
    pub url: String,
    pub similarity: f64,
}

impl From<crate::dedup::Original> for DuplicateOf {
    fn from(o: crate::dedup::Original) -> Self {
        DuplicateOf {
            id: o.id,
            url: o.url,
            similarity: o.similarity,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodySource {
    Page,
    Feed,
    Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedRef {
    pub url: String,
    pub title: Option<String>,
}

/// One quotation. `start`/`end` are offsets of `text` in `body`, counted in
/// Unicode code points (as Python and most JSON consumers index strings).
#[derive(Debug, Clone, Serialize)]
pub struct QuoteOut {
    pub text: String,
    pub speaker: Option<String>,
    pub cue: Option<String>,
    pub kind: QuoteKind,
    pub source: Option<String>,
    pub start: usize,
    pub end: usize,
}

impl From<Quote> for QuoteOut {
    fn from(q: Quote) -> Self {
        QuoteOut {
            text: q.text,
            speaker: q.speaker,
            cue: q.cue,
            kind: q.kind,
            source: q.source,
            start: q.start,
            end: q.end,
        }
    }
}

impl ArticleEvent {
    /// Serialises to one line without the trailing newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("event types always serialise")
    }
}

/// A short, stable hex digest used for ids.
pub fn digest(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..12])
}
