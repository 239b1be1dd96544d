//! JSON Feed 1.0/1.1, read leniently: feeds in the wild use `http://`
//! version URLs, bare version numbers, numeric ids and string tags, all of
//! which a strict reader (feed-rs's) rejects outright.

use serde_json::Value;
use url::Url;

use super::{Feed, FeedError, Item, markup};

pub(crate) fn parse(text: &str, feed_url: &Url) -> Result<Feed, FeedError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| FeedError::Json(format!("invalid JSON: {e}")))?;
    let Value::Object(obj) = &doc else {
        return Err(FeedError::Json("top level is not an object".into()));
    };
    let declared = obj
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.contains("jsonfeed.org/version"));
    // Without the version URL, insist on a feed's own top-level fields, so
    // an API response that merely has `items` is not taken for a feed.
    let feedish = ["title", "home_page_url", "feed_url"]
        .iter()
        .any(|k| obj.get(*k).is_some_and(Value::is_string));
    if !declared && !feedish {
        return Err(FeedError::NotAFeed(
            "JSON document without a JSON Feed version or feed title".into(),
        ));
    }
    let items = match obj.get("items") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(Value::Null) | None if declared => &[],
        Some(_) => return Err(FeedError::Json("`items` is not an array".into())),
        None => return Err(FeedError::Json("no `items` array".into())),
    };
    let base = obj
        .get("feed_url")
        .and_then(Value::as_str)
        .and_then(|u| feed_url.join(u).ok())
        .unwrap_or_else(|| feed_url.clone());
    let feed_authors = authors(obj.get("authors"), obj.get("author"));
    let items = items
        .iter()
        .filter_map(Value::as_object)
        .map(|it| {
            let s = |k: &str| {
                it.get(k)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let link = s("url")
                .or_else(|| s("external_url"))
                .and_then(|u| base.join(&u).ok());
            let mut item_authors = authors(it.get("authors"), it.get("author"));
            if item_authors.is_empty() {
                item_authors = feed_authors.clone();
            }
            Item {
                guid: match it.get("id") {
                    Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                },
                link,
                title: s("title"),
                summary: s("summary"),
                content: s("content_html").or_else(|| s("content_text")),
                published: s("date_published")
                    .or_else(|| s("date_modified"))
                    .and_then(|d| markup::parse_date(&d)),
                updated: s("date_modified").and_then(|d| markup::parse_date(&d)),
                authors: item_authors,
                categories: match it.get("tags") {
                    Some(Value::Array(tags)) => tags
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|t| t.trim().to_owned())
                        .filter(|t| !t.is_empty())
                        .collect(),
                    Some(Value::String(t)) if !t.trim().is_empty() => vec![t.trim().to_owned()],
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    Ok(Feed {
        title: obj
            .get("title")
            .and_then(Value::as_str)
            .map(|t| t.trim().to_owned()),
        ttl_minutes: None,
        items,
    })
}

/// JSON Feed 1.1 `authors` array, or 1.0's single `author`.
fn authors(list: Option<&Value>, single: Option<&Value>) -> Vec<String> {
    let name = |v: &Value| match v {
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|n| n.trim().to_owned()),
        Value::String(s) => Some(s.trim().to_owned()),
        _ => None,
    };
    let mut out: Vec<String> = match list {
        Some(Value::Array(a)) => a.iter().filter_map(name).collect(),
        _ => Vec::new(),
    };
    if out.is_empty() {
        out.extend(single.and_then(name));
    }
    out.retain(|n| !n.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://example.org/feed.json").unwrap()
    }

    #[test]
    fn accepts_versionless_feed_with_title() {
        let feed = parse(
            r#"{"title": "t", "items": [{"id": "1", "url": "a"}]}"#,
            &url(),
        )
        .unwrap();
        assert_eq!(
            feed.items[0].link.as_ref().unwrap().as_str(),
            "https://example.org/a"
        );
    }

    #[test]
    fn rejects_other_json() {
        let err = parse(r#"{"rss": {"channel": {}}}"#, &url()).unwrap_err();
        assert!(
            err.to_string().starts_with("not a feed: JSON document"),
            "{err}"
        );
        let err = parse(r#"{"items": [{"id": 1}]}"#, &url()).unwrap_err();
        assert!(matches!(err, FeedError::NotAFeed(_)));
        let err = parse("[1, 2]", &url()).unwrap_err();
        assert_eq!(err.to_string(), "JSON Feed: top level is not an object");
        let err = parse(
            r#"{"version": "https://jsonfeed.org/version/1", "items": "x"}"#,
            &url(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "JSON Feed: `items` is not an array");
    }

    #[test]
    fn declared_feed_without_items_is_empty() {
        let feed = parse(
            r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t"}"#,
            &url(),
        )
        .unwrap();
        assert!(feed.items.is_empty());
    }
}
