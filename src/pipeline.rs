//! Turning one page (or one plain-text body) into an article event: the
//! part of the pipeline shared by `newsflow run` and `newsflow extract`.

use url::Url;

use crate::event::{ArticleEvent, BodySource, FeedRef, SCHEMA_VERSION, digest};
use crate::extract::{Article, Extractor};
use crate::quotes;

/// Builds the event for a page read from a file or stdin (`extract`).
/// `origin` names the input when no URL is given, for a stable id.
pub fn event_from_html(
    extractor: &Extractor,
    html: &str,
    url: Option<&Url>,
    origin: &str,
) -> ArticleEvent {
    let article = extractor.extract(html, url);
    let fallback = url
        .map(Url::to_string)
        .unwrap_or_else(|| origin.to_string());
    let key = article.canonical_url.clone().unwrap_or(fallback);
    assemble(&key, article, None, BodySource::Page, None)
}

/// Builds the event for a plain-text article body (`extract --input text`).
pub fn event_from_text(text: &str, url: Option<&Url>, origin: &str) -> ArticleEvent {
    let body = normalise_text_body(text);
    let key = url
        .map(Url::to_string)
        .unwrap_or_else(|| origin.to_string());
    let article = Article {
        body,
        ..Article::default()
    };
    assemble(
        &key,
        article,
        url.map(Url::to_string),
        BodySource::Text,
        None,
    )
}

/// Puts an extracted article and its quotes into the wire shape. `key` is the
/// item identity the article id is derived from.
pub fn assemble(
    key: &str,
    article: Article,
    url: Option<String>,
    body_source: BodySource,
    feed: Option<FeedRef>,
) -> ArticleEvent {
    let quotes = quotes::extract_quotes(&article.body);
    let id = digest(&[key]);
    ArticleEvent {
        kind: "article",
        schema: SCHEMA_VERSION,
        event_id: digest(&["event", &id]),
        url: article.canonical_url.or(url).unwrap_or_default(),
        id,
        title: article.title.unwrap_or_default(),
        body: article.body,
        tags: article.tags,
        quotes: quotes.into_iter().map(Into::into).collect(),
        feed,
        published: article.published.map(|d| d.to_rfc3339()),
        modified: article.modified.map(|d| d.to_rfc3339()),
        authors: article.authors,
        language: article.language,
        image: article.image,
        body_source,
        truncated: false,
    }
}

/// Plain-text input keeps its paragraphs but loses stray carriage returns
/// and trailing blanks, so offsets are into exactly what is emitted.
fn normalise_text_body(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    text.trim_end().to_string()
}
