//! OPML subscription lists to feed configuration entries.
//!
//! Readers export their subscriptions as OPML: `<outline>` elements, nested
//! one level (sometimes more) for folders, the feed's address in `xmlUrl`.
//! Exports are often sloppy (bare `&` in attributes, odd case), so the
//! reader is forgiving about markup but strict about the document being
//! OPML at all.

use std::path::Path;

use anyhow::{Context, Result, bail};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One subscription from an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    /// The outline's `title`, else its `text`.
    pub title: Option<String>,
    /// The enclosing folder outline's title/text, else the outline's own
    /// `category` attribute.
    pub category: Option<String>,
}

/// Parses an OPML document. Outlines without `xmlUrl` (folders, plain
/// outline items) are skipped; a URL listed twice is kept once, first
/// occurrence wins.
pub fn parse(text: &str) -> Result<Vec<OpmlFeed>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = Reader::from_str(text);
    let cfg = reader.config_mut();
    cfg.check_end_names = false;
    cfg.allow_unmatched_ends = true;
    cfg.allow_dangling_amp = true;
    cfg.check_comments = false;

    let mut seen_root = false;
    // Label of each open outline (None for outlines that carry no label).
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds: Vec<OpmlFeed> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            let line = line_at(text, reader.error_position() as usize);
            anyhow::anyhow!("OPML: XML error at line {line}: {e}")
        })?;
        let (start, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.local_name().into_inner().eq_ignore_ascii_case("outline") {
                    folders.pop();
                }
                continue;
            }
            Event::Text(t) if !seen_root && !t.trim().is_empty() => {
                bail!("not an OPML document: text before the root element")
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = start.local_name().into_inner();
        if !seen_root {
            if !name.eq_ignore_ascii_case("opml") {
                bail!(
                    "not an OPML document: root element is <{}>",
                    truncate(name, 64)
                );
            }
            seen_root = true;
            continue;
        }
        if !name.eq_ignore_ascii_case("outline") {
            continue;
        }
        let attr = |key: &str| attribute(&start, key);
        let label = attr("title").or_else(|| attr("text"));
        if let Some(url) = attr("xmlurl")
            && seen.insert(url.clone())
        {
            let category = folders
                .iter()
                .rev()
                .find_map(Clone::clone)
                .or_else(|| attr("category").and_then(|c| first_category(&c)));
            feeds.push(OpmlFeed {
                url,
                title: label.clone(),
                category,
            });
        }
        if !empty {
            folders.push(label);
        }
    }
    if !seen_root {
        bail!("not an OPML document: no root element");
    }
    Ok(feeds)
}

/// Reads and parses an OPML file; errors name the file.
pub fn read_file(path: &Path) -> Result<Vec<OpmlFeed>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = crate::feed::decode_xml_text(&bytes);
    parse(&text).with_context(|| format!("{}: cannot import", path.display()))
}

/// Renders feeds as `[[feeds]]` entries for the configuration file.
pub fn to_toml(feeds: &[OpmlFeed]) -> String {
    let mut out = String::new();
    let mut last_category: Option<&str> = None;
    for feed in feeds {
        // Entries are separated by a blank line; a folder's first entry
        // carries its name as a comment.
        if !out.is_empty() {
            out.push('\n');
        }
        if feed.category.as_deref() != last_category {
            if let Some(c) = &feed.category {
                out.push_str("# ");
                // A comment ends at the line end; keep it on one line.
                out.push_str(&c.replace(['\n', '\r'], " "));
                out.push('\n');
            }
            last_category = feed.category.as_deref();
        }
        out.push_str("[[feeds]]\nurl = ");
        push_toml_string(&mut out, &feed.url);
        out.push('\n');
        if let Some(title) = &feed.title {
            out.push_str("name = ");
            push_toml_string(&mut out, title);
            out.push('\n');
        }
    }
    out
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn push_toml_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An attribute by case-insensitive name, entity-decoded, trimmed,
/// non-empty.
fn attribute(e: &BytesStart, key: &str) -> Option<String> {
    e.html_attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().into_inner().eq_ignore_ascii_case(key))
        .map(|a| crate::feed::unescape_entities(&a.value))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// OPML 2.0 `category` is a comma-separated list of slash paths
/// ("/Tech/News,/Reading"); the first path's last segment names a folder.
fn first_category(c: &str) -> Option<String> {
    c.split(',')
        .next()
        .and_then(|path| path.trim().trim_matches('/').rsplit('/').next())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn truncate(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_are_escaped() {
        let mut s = String::new();
        push_toml_string(&mut s, "a \"b\" \\ c\n\u{1}");
        assert_eq!(s, r#""a \"b\" \\ c\n\u0001""#);
    }

    #[test]
    fn category_attribute_paths() {
        assert_eq!(
            first_category("/Tech/News, /Other").as_deref(),
            Some("News")
        );
        assert_eq!(first_category(" ").as_deref(), None);
    }
}
