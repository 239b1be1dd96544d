//! Article extraction: pure functions from an HTML page to an [`Article`].
//!
//! No network here: the caller hands in the page text (already decoded) and
//! the page's address, and gets the main body with boilerplate removed plus
//! the metadata the page states about itself.

use chrono::{DateTime, FixedOffset};
use scraper::{Html, Selector};
use url::Url;

/// What a page says about itself, after boilerplate is removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub title: Option<String>,
    /// Main text, paragraphs separated by a blank line.
    pub body: String,
    pub canonical_url: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    pub authors: Vec<String>,
    /// BCP 47 language tag.
    pub language: Option<String>,
    /// The page's own tags in page order, already normalised by [`crate::tags`].
    pub tags: Vec<String>,
    pub image: Option<String>,
    pub site_name: Option<String>,
}

/// Extracts articles from pages. Holds whatever is costly to build once
/// (compiled selectors, site rules) so a batch pays for it once.
#[derive(Debug, Default)]
pub struct Extractor {}

impl Extractor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Extracts the article from one page. `url` is the page's address, used
    /// to resolve relative links and pick site rules.
    pub fn extract(&self, html: &str, url: Option<&Url>) -> Article {
        let _ = url;
        // Placeholder until the content scorer lands: paragraph text only.
        let doc = Html::parse_document(html);
        let p = Selector::parse("p").expect("static selector");
        let title = Selector::parse("title").expect("static selector");
        let body = doc
            .select(&p)
            .map(|e| crate::text::collapse_whitespace(&e.text().collect::<String>()))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        Article {
            title: doc
                .select(&title)
                .next()
                .map(|e| crate::text::collapse_whitespace(&e.text().collect::<String>())),
            body,
            ..Article::default()
        }
    }
}
