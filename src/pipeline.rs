//! Turning one page (or one plain-text body) into an article event: the
//! part of the pipeline shared by `newsflow run` and `newsflow extract`.

use url::Url;

use crate::event::{ArticleEvent, BodySource, FeedRef, SCHEMA_VERSION, digest};
use crate::extract::{Article, Extractor};
use crate::feed::Item;
use crate::identity::canonical_link;
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
        language: crate::text::detect_language(&body).map(str::to_string),
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
    let quotes = quotes::extract_quotes_with_blocks(
        &article.body,
        &article.block_quotes,
        article.language.as_deref(),
    );
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
        revision: 1,
        changes: Vec::new(),
        duplicate_of: None,
    }
}

/// Plain-text input keeps its paragraphs but loses stray carriage returns
/// and trailing blanks, so offsets are into exactly what is emitted.
fn normalise_text_body(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    text.trim_end().to_string()
}

/// Builds the event for a feed item. `page` is the extracted article page,
/// or `None` when it could not be had and the feed's own content stands in.
/// `id_key`: what the event id derives from ([`ItemKeys::event_key`]).
pub fn item_event(
    item: &Item,
    id_key: &str,
    page: Option<Article>,
    feed: FeedRef,
    extra_tags: &[String],
    max_line_bytes: usize,
) -> ArticleEvent {
    let (mut article, source) = match page {
        Some(a) => (a, BodySource::Page),
        None => (
            Article {
                body: item
                    .content
                    .as_deref()
                    .or(item.summary.as_deref())
                    .map(html_to_text)
                    .unwrap_or_default(),
                ..Article::default()
            },
            BodySource::Feed,
        ),
    };
    if article.title.as_deref().is_none_or(str::is_empty) {
        article.title = item.title.as_deref().map(crate::text::collapse_whitespace);
    }
    if article.published.is_none() {
        article.published = item.published.map(|d| d.fixed_offset());
    }
    if article.authors.is_empty() {
        article.authors = item.authors.clone();
    }
    article.tags = crate::tags::merge(
        article
            .tags
            .iter()
            .chain(&item.categories)
            .chain(extra_tags)
            .map(String::as_str),
    );
    let link = item.link.as_ref().map(canonical_link);
    let mut event = assemble(id_key, article, link, source, Some(feed));
    fit_line(&mut event, max_line_bytes);
    event
}

/// Keeps an event line under `max` bytes by cutting the body (at a
/// paragraph break when one is near, else at a character boundary) and
/// dropping quotes past the cut; the event says so with `truncated: true`.
pub fn fit_line(event: &mut ArticleEvent, max: usize) {
    let len = event.to_line().len();
    if len <= max {
        return;
    }
    let body_json = serde_json::to_string(&event.body).map_or(0, |b| b.len());
    // What the body may take on the wire, quotes included in the overhead
    // (dropping some of them only makes the line shorter).
    let budget = max.saturating_sub(len - body_json + 2);
    let mut used = 0;
    let mut cut = 0;
    for (i, c) in event.body.char_indices() {
        used += match c {
            '"' | '\\' | '\n' | '\r' | '\t' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        };
        if used > budget {
            break;
        }
        cut = i + c.len_utf8();
    }
    if let Some(p) = event.body[..cut].rfind("\n\n").filter(|&p| p >= cut / 2) {
        cut = p;
    }
    event.body.truncate(cut);
    let chars = event.body.chars().count();
    event.quotes.retain(|q| q.end <= chars);
    event.truncated = true;
}

/// Plain text of an HTML fragment (feed content), block elements and line
/// breaks becoming paragraphs (feeds often separate paragraphs with `<br>`).
pub fn html_to_text(fragment: &str) -> String {
    use scraper::Node;
    let doc = scraper::Html::parse_fragment(fragment);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for edge in doc.root_element().traverse() {
        let ego_tree::iter::Edge::Open(node) = edge else {
            if let ego_tree::iter::Edge::Close(node) = edge
                && let Node::Element(e) = node.value()
                && crate::extract::is_block(e.name())
            {
                flush_paragraph(&mut current, &mut paragraphs);
            }
            continue;
        };
        match node.value() {
            Node::Text(t)
                if !node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "script" | "style"))
                }) =>
            {
                current.push_str(t);
            }
            Node::Element(e) if crate::extract::is_block(e.name()) => {
                flush_paragraph(&mut current, &mut paragraphs)
            }
            _ => {}
        }
    }
    flush_paragraph(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

fn flush_paragraph(current: &mut String, out: &mut Vec<String>) {
    let p = crate::text::collapse_whitespace(current);
    if !p.is_empty() {
        out.push(p);
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blockquotes_keep_their_attribution_and_unmarked_ones_are_quotes() {
        let para = "The council met on Tuesday evening to discuss the harbour wall, which was damaged in the winter storms, and the cost of repairing it before the spring tides arrive.";
        let html = format!(
            "<html><body><nav><a href=\"/\">Home</a></nav><article><h1>Harbour</h1><p>{para}</p>\
             <blockquote><p>\u{201c}We cannot wait another winter for this wall.\u{201d}</p><footer>said <cite>Anna Whitfield</cite>.</footer></blockquote>\
             <p>{para}</p><blockquote><p>The sea does not read council minutes, and it will not wait for them either.</p></blockquote>\
             <p>{para}</p></article><footer>Copyright</footer></body></html>"
        );
        let e = event_from_html(&Extractor::new(), &html, None, "t");
        let marked = e
            .quotes
            .iter()
            .find(|q| q.text.starts_with("We cannot"))
            .expect("marked quote");
        assert_eq!(marked.speaker.as_deref(), Some("Anna Whitfield"));
        assert!(
            e.body.contains("this wall.\u{201d} said Anna Whitfield."),
            "{}",
            e.body
        );
        let unmarked = e
            .quotes
            .iter()
            .find(|q| q.text.starts_with("The sea"))
            .expect("unmarked block quote");
        assert_eq!(unmarked.kind, crate::quotes::QuoteKind::Direct);
        assert!(!e.body.contains("Copyright"));
    }

    #[test]
    fn feed_html_becomes_paragraphs() {
        let t = html_to_text("<p>One <b>two</b></p><p>Three<br>four</p><script>x()</script>five");
        assert_eq!(t, "One two\n\nThree\n\nfour\n\nfive");
    }

    #[test]
    fn long_events_are_cut_and_flagged() {
        let mut e = event_from_text(&"word \"quoted\" é\n\n".repeat(2000), None, "t");
        fit_line(&mut e, 4096);
        assert!(e.truncated);
        assert!(e.to_line().len() <= 4096, "{}", e.to_line().len());
        assert!(e.body.len() > 1500, "{}", e.body.len());
        assert!(e.body.ends_with("é"), "cut at a paragraph break");
    }

    #[test]
    fn feed_content_stands_in_when_the_page_is_missing() {
        let item = Item {
            link: Some(Url::parse("http://x/a").unwrap()),
            title: Some("Title".into()),
            summary: Some("<p>Summary text.</p>".into()),
            categories: vec!["World".into()],
            ..Item::default()
        };
        let keys = crate::identity::item_keys(&Url::parse("http://f/").unwrap(), &item);
        let feed = FeedRef {
            url: "http://f/".into(),
            title: None,
        };
        let e = item_event(
            &item,
            keys.event_key(false),
            None,
            feed,
            &["extra".into()],
            1 << 20,
        );
        assert_eq!(e.body, "Summary text.");
        assert_eq!(e.body_source, BodySource::Feed);
        assert_eq!(e.title, "Title");
        assert_eq!(e.tags, ["World", "extra"]);
        assert_eq!(e.url, "http://x/a");
    }
}
