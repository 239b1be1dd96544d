//! What kind of document this is, decided from its root element before any
//! feed parser runs, so non-feeds are rejected with a useful reason.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::FeedError;

/// The feed vocabularies we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `<rss>` with the version feed-rs understands (2.0, 0.91, 0.92).
    Rss,
    /// `<rss>` of a version feed-rs rejects (none, 0.93, 0.94, 2.01, ...).
    RssOther,
    /// RSS 0.90 / 1.0 (`rdf:RDF`).
    Rdf,
    /// RSS 1.1 (`<Channel>` in the RSS 1.1 namespace).
    Rss11,
    /// Atom 1.0 or namespace-less `<feed>`.
    Atom,
    /// Atom 0.3.
    Atom03,
    /// A single Atom `<entry>` document.
    AtomEntry,
    /// Microsoft's Channel Definition Format.
    Cdf,
}

pub(crate) const ATOM03_NS: &str = "http://purl.org/atom/ns#";
const RSS11_NS: &str = "http://purl.org/net/rss1.1#";

/// Where a feed starts in text that does not begin with markup: at an XML
/// declaration or feed root element within the first few KiB, else the
/// text unchanged (and it will be rejected as plain text).
pub(crate) fn skip_leading_junk(text: &str) -> &str {
    const LOOK: usize = 4096;
    let head_end = (0..=LOOK.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let head = &text[..head_end];
    ["<?xml", "<rss", "<feed", "<rdf:RDF", "<RDF", "<CHANNEL"]
        .iter()
        .filter_map(|m| head.find(m))
        .min()
        .map_or(text, |at| {
            let rest = &text[at..];
            // The declaration itself was not stripped by decoding.
            if rest.starts_with("<?xml") {
                rest.find("?>").map_or(rest, |e| &rest[e + 2..])
            } else {
                rest
            }
        })
}

/// Classifies an XML document by its root element.
pub(crate) fn classify(text: &str) -> Result<Kind, FeedError> {
    let mut reader = Reader::from_str(text);
    let cfg = reader.config_mut();
    cfg.check_end_names = false;
    cfg.allow_unmatched_ends = true;
    cfg.check_comments = false;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                return Err(FeedError::xml(text, reader.error_position() as usize, &e));
            }
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let qname = e.name();
                let (local, prefix) = qname.decompose();
                let local = local.into_inner();
                let xmlns = prefix.map_or_else(
                    || "xmlns".to_owned(),
                    |p| format!("xmlns:{}", p.into_inner()),
                );
                let mut ns = None;
                let mut version = None;
                for attr in e.attributes().with_checks(false).flatten() {
                    let key = attr.key.into_inner();
                    if key == xmlns {
                        ns = Some(attr.value.trim().to_owned());
                    } else if key == "version" {
                        version = Some(attr.value.trim().to_owned());
                    }
                }
                return root_kind(local, ns.as_deref(), version.as_deref(), text);
            }
            Event::DocType(d)
                if d.trim_start()
                    .get(..4)
                    .is_some_and(|s| s.eq_ignore_ascii_case("html")) =>
            {
                return Err(FeedError::NotAFeed("HTML page".into()));
            }
            Event::Text(t) if !t.trim().is_empty() => return Err(not_markup(text)),
            Event::GeneralRef(_) => return Err(not_markup(text)),
            Event::Eof => {
                return Err(if text.trim().is_empty() {
                    FeedError::NotAFeed("empty document".into())
                } else {
                    FeedError::NotAFeed("no root element".into())
                });
            }
            _ => {}
        }
    }
}

fn not_markup(text: &str) -> FeedError {
    let head = &text.as_bytes()[..text.len().min(4096)];
    let html = [
        &b"<html"[..],
        b"<body",
        b"<HTML",
        b"<BODY",
        b"<!DOCTYPE html",
        b"<!doctype html",
    ]
    .iter()
    .any(|m| memchr::memmem::find(head, m).is_some());
    if html {
        FeedError::NotAFeed("HTML page".into())
    } else if text.trim_start().starts_with('<') {
        FeedError::NotAFeed("no root element".into())
    } else {
        FeedError::NotAFeed("plain text, not XML or JSON".into())
    }
}

fn root_kind(
    local: &str,
    ns: Option<&str>,
    version: Option<&str>,
    text: &str,
) -> Result<Kind, FeedError> {
    let not = |what: &str| Err(FeedError::NotAFeed(what.to_owned()));
    match local {
        "rss" => Ok(match version {
            Some("2.0" | "0.91" | "0.92") => Kind::Rss,
            _ => Kind::RssOther,
        }),
        // RDF is a general vocabulary: it is a feed only when it uses an RSS
        // namespace (RSS 1.0 or Netscape's 0.90).
        "RDF" | "rdf" => {
            if declares_namespace(text, "http://purl.org/rss/1.0/")
                || declares_namespace(text, "http://my.netscape.com/rdf/simple/0.9/")
                || declares_namespace(text, "http://channel.netscape.com/rdf/simple/0.9/")
            {
                Ok(Kind::Rdf)
            } else if local == "rdf" && ns.is_none() {
                // A bare `<rdf>` wrapper is a home-made feed, not RDF/XML.
                Ok(Kind::RssOther)
            } else {
                not("RDF document without an RSS 1.0 or 0.90 channel")
            }
        }
        "Channel" if ns == Some(RSS11_NS) => Ok(Kind::Rss11),
        "Channel" => not("<Channel> outside the RSS 1.1 namespace"),
        "CHANNEL" => Ok(Kind::Cdf),
        "feed"
            if ns.is_some_and(|n| n.trim_end_matches('/') == ATOM03_NS.trim_end_matches('/')) =>
        {
            Ok(Kind::Atom03)
        }
        "feed" if version == Some("0.3") && ns.is_none() => Ok(Kind::Atom03),
        "feed" => Ok(Kind::Atom),
        "entry" => Ok(Kind::AtomEntry),
        "html" | "HTML" | "xhtml" | "body" | "head" => not("HTML page"),
        "opml" => not("OPML subscription list (import it instead)"),
        "outlineDocument" => not("outline document (OPML)"),
        "kml" => not("KML geographic data"),
        "service" => not("AtomPub service document"),
        "categories" => not("AtomPub category document"),
        "OpenSearchDescription" => not("OpenSearch description"),
        "channel" => not("<channel> without an enclosing <rss>"),
        other => Err(FeedError::NotAFeed(format!(
            "XML document with root <{}>, not RSS, Atom or CDF",
            truncate(other, 64)
        ))),
    }
}

/// Whether `uri` (with or without its trailing slash) appears as a quoted
/// attribute value, i.e. is bound as a namespace somewhere. A module
/// namespace that merely starts with it does not count.
fn declares_namespace(text: &str, uri: &str) -> bool {
    let bare = uri.trim_end_matches('/');
    let bytes = text.as_bytes();
    text.match_indices(bare).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let mut end = at + bare.len();
        if bytes.get(end) == Some(&b'/') {
            end += 1;
        }
        let after = bytes.get(end).copied();
        matches!(before, Some(b'"' | b'\'')) && before == after
    })
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Whether the text uses entity references XML does not predefine (HTML's
/// `&nbsp;` and friends, undeclared). Such a document is not well-formed:
/// feed-rs would keep the references as literal text, so the lenient reader,
/// which decodes them, is the right tool.
pub(crate) fn has_undeclared_entities(text: &str) -> bool {
    let b = text.as_bytes();
    for amp in memchr::memchr_iter(b'&', b) {
        let start = amp + 1;
        let end = b[start..b.len().min(start + 33)]
            .iter()
            .position(|&c| !c.is_ascii_alphanumeric());
        if let Some(len) = end
            && len > 0
            && b[start + len] == b';'
            && !matches!(
                &text[start..start + len],
                "lt" | "gt" | "amp" | "quot" | "apos"
            )
        {
            return true;
        }
    }
    false
}

/// Counts `<item>`/`<entry>` start tags (any prefix, any case) without
/// parsing: an upper bound that tells us when a parser dropped items.
pub(crate) fn count_item_tags(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    for lt in memchr::memchr_iter(b'<', b) {
        let start = lt + 1;
        let mut j = start;
        while j < b.len()
            && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-' || b[j] == b'.')
        {
            j += 1;
        }
        let mut name = &b[start..j];
        if j < b.len() && b[j] == b':' {
            let k0 = j + 1;
            j = k0;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-') {
                j += 1;
            }
            name = &b[k0..j];
        }
        let delimited = j >= b.len() || matches!(b[j], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r');
        if delimited && (name.eq_ignore_ascii_case(b"item") || name.eq_ignore_ascii_case(b"entry"))
        {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_roots() {
        assert_eq!(classify("<rss version=\"2.0\"/>").unwrap(), Kind::Rss);
        assert_eq!(
            classify("<!-- c --><rss><channel/></rss>").unwrap(),
            Kind::RssOther
        );
        assert_eq!(
            classify("<feed xmlns=\"http://purl.org/atom/ns#\"/>").unwrap(),
            Kind::Atom03
        );
        assert_eq!(
            classify("<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\"/>").unwrap(),
            Kind::Atom
        );
        let html = classify("<!DOCTYPE html><html><body/></html>").unwrap_err();
        assert_eq!(html.to_string(), "not a feed: HTML page");
        let opml = classify("<opml version=\"2.0\"/>").unwrap_err().to_string();
        assert!(opml.contains("OPML"), "{opml}");
        let junk_html = classify("oops\n<html><body>x</body></html>").unwrap_err();
        assert_eq!(junk_html.to_string(), "not a feed: HTML page");
        let other = classify("<note/>").unwrap_err().to_string();
        assert!(other.contains("<note>"), "{other}");
    }

    #[test]
    fn rdf_needs_the_rss_namespace() {
        let ok = "<rdf:RDF xmlns='http://purl.org/rss/1.0/'><channel/></rdf:RDF>";
        assert_eq!(classify(ok).unwrap(), Kind::Rdf);
        let wrong =
            "<rdf:RDF xmlns:c='http://purl.org/rss/1.0/modules/content/'><channel/></rdf:RDF>";
        assert!(classify(wrong).is_err());
    }

    #[test]
    fn skips_junk_before_the_feed() {
        let t = "Warning: something in /var/www/x.php on line 3\n<?xml version=\"1.0\"?><rss version=\"2.0\"/>";
        assert_eq!(skip_leading_junk(t), "<rss version=\"2.0\"/>");
        assert_eq!(skip_leading_junk("just text"), "just text");
    }

    #[test]
    fn spots_undeclared_entities() {
        assert!(has_undeclared_entities("<t>caf&eacute;</t>"));
        assert!(!has_undeclared_entities(
            "<t>a &amp; b &#233; &#x20; AT&T & x</t>"
        ));
    }

    #[test]
    fn counts_item_tags() {
        let t =
            "<rss><channel><item>a</item><ITEM/><rss:item x='1'/><items/><itemx/></channel></rss>";
        assert_eq!(count_item_tags(t), 3);
    }
}
