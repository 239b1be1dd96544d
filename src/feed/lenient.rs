//! A forgiving reader for every XML feed dialect, used where feed-rs rejects
//! a document or drops its items: version-less RSS and RSS 0.93/0.94,
//! RSS 1.1, CDF, Atom 0.3, undeclared entities, mismatched or unclosed tags,
//! truncated documents. Like feedparser's loose parser it matches local
//! names case-insensitively and ignores namespaces, and an item is an
//! `item`/`entry` whose parent is a channel, feed or document root.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

use super::{Feed, FeedError, Item, markup};

/// Deeper nesting than this is not feed structure; we stop tracking names
/// (keeping a counter) so a hostile document cannot make us allocate.
const MAX_TRACKED_DEPTH: usize = 256;
/// Give up on a document that keeps producing syntax errors.
const MAX_ERRORS: usize = 1000;

/// Reader output: the feed and the first XML error, if any was met.
pub(crate) struct Lenient {
    pub feed: Feed,
    pub error: Option<FeedError>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Guid,
    Summary,
    Content,
    Published,
    Updated,
    Author,
    Category,
    FeedTitle,
    Ttl,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoded {
    Plain,
    /// Atom 0.3 `mode="base64"`.
    Base64,
    /// An RSS `<guid>` that is also the item's address.
    Permalink,
}

impl Field {
    /// Fields holding a short text, never markup.
    fn is_short(self) -> bool {
        !matches!(self, Field::Summary | Field::Content)
    }
}

struct Capture {
    field: Field,
    /// Depth of the element whose content we capture.
    depth: usize,
    /// The content in escaped (markup) form.
    buf: String,
    markup: bool,
    base: Url,
    /// How to read the captured text.
    mode: Encoded,
    /// The text is escaped HTML (Atom `type="html"`, 0.3 `mode="escaped"`).
    html: bool,
    /// The element being closed was written self-closed.
    silent_close: bool,
}

#[derive(Default)]
struct ItemBuilder {
    depth: usize,
    guid: Option<String>,
    guid_is_permalink: bool,
    alternate: Option<(u8, Url)>,
    text_link: Option<Url>,
    about: Option<Url>,
    /// `rdf:about` as written, the RSS 1.0 item's identifier.
    about_raw: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
}

impl ItemBuilder {
    fn is_empty(&self) -> bool {
        self.guid.is_none()
            && self.alternate.is_none()
            && self.text_link.is_none()
            && self.about.is_none()
            && self.title.is_none()
            && self.summary.is_none()
            && self.content.is_none()
    }

    fn finish(self) -> Item {
        let permalink = self
            .guid
            .as_deref()
            .filter(|_| self.guid_is_permalink)
            .and_then(|g| Url::parse(g).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let link = self
            .alternate
            .map(|(_, u)| u)
            .or(self.text_link)
            .or(permalink)
            .or_else(|| self.about.clone());
        Item {
            // RSS 1.0 names an item by its `rdf:about`.
            guid: self.guid.or(self.about_raw),
            link,
            title: self.title,
            summary: self.summary,
            content: self.content,
            published: self
                .published
                .as_deref()
                .and_then(markup::parse_date)
                .or_else(|| self.updated.as_deref().and_then(markup::parse_date)),
            updated: self.updated.as_deref().and_then(markup::parse_date),
            authors: self.authors,
            categories: self.categories,
        }
    }
}

struct State {
    /// Lower-cased local names of the open elements (up to the cap).
    names: Vec<String>,
    depth: usize,
    /// xml:base in effect, by the depth that set it.
    bases: Vec<(usize, Url)>,
    item: Option<ItemBuilder>,
    capture: Option<Capture>,
    feed: Feed,
    error: Option<FeedError>,
}

pub(crate) fn parse(text: &str, base: &Url) -> Lenient {
    let mut reader = Reader::from_str(text);
    let cfg = reader.config_mut();
    cfg.check_end_names = false;
    cfg.allow_unmatched_ends = true;
    cfg.check_comments = false;
    cfg.allow_dangling_amp = true;

    let mut st = State {
        names: Vec::new(),
        depth: 0,
        bases: vec![(0, base.clone())],
        item: None,
        capture: None,
        feed: Feed::default(),
        error: None,
    };
    let mut errors = 0;
    loop {
        let before = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(e)) => st.start(&e, false),
            Ok(Event::Empty(e)) => st.start(&e, true),
            Ok(Event::End(e)) => {
                let local = e.local_name().into_inner().to_ascii_lowercase();
                st.end(&local, e.name().into_inner());
            }
            Ok(Event::Text(t)) => st.push_raw(&t),
            Ok(Event::CData(c)) => st.push_cdata(&c),
            Ok(Event::GeneralRef(r)) => st.push_ref(&r),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                if st.error.is_none() {
                    st.error = Some(FeedError::xml(text, reader.error_position() as usize, &e));
                }
                errors += 1;
                if errors > MAX_ERRORS || reader.buffer_position() <= before {
                    break;
                }
            }
        }
    }
    // A truncated document: keep the item that was being read.
    if let Some(cap) = st.capture.take() {
        st.store(cap);
    }
    if let Some(item) = st.item.take()
        && !item.is_empty()
    {
        st.feed.items.push(item.finish());
    }
    Lenient {
        feed: st.feed,
        error: st.error,
    }
}

impl State {
    fn parent(&self) -> Option<&str> {
        if self.depth == 0 || self.depth > self.names.len() {
            return None;
        }
        self.names.get(self.depth - 1).map(String::as_str)
    }

    fn base(&self) -> &Url {
        &self
            .bases
            .last()
            .expect("the feed URL is always at the bottom")
            .1
    }

    /// An element opens; `empty` for `<x/>`, which also closes it.
    fn start(&mut self, e: &BytesStart, empty: bool) {
        self.open(e, empty);
        if empty {
            let local = e.local_name().into_inner().to_ascii_lowercase();
            self.end(&local, e.name().into_inner());
        }
    }

    fn open(&mut self, e: &BytesStart, empty: bool) {
        let local = e.local_name().into_inner().to_ascii_lowercase();
        let qname = e.name().into_inner();

        // Atom's `<author>` has `<name>`/`<uri>`/`<email>` children: stop
        // capturing the whole element and let the `<name>` rule take it.
        if self
            .capture
            .as_ref()
            .is_some_and(|c| c.field == Field::Author && c.depth == self.depth)
        {
            self.capture = None;
        }
        if self.capture.is_some() {
            self.write_markup(e, local, qname, empty);
            return;
        }

        let attrs = Attrs::read(e);
        let parent = self.parent().map(str::to_owned);
        self.push_name(local.clone());
        // CDF spells xml:base as a BASE attribute on its CHANNEL.
        let base_attr = attrs
            .get("xml:base")
            .or_else(|| attrs.get("base").filter(|_| local == "channel"));
        if let Some(xb) = base_attr {
            let resolved = self.base().join(xb.trim()).ok();
            if let Some(u) = resolved {
                self.bases.push((self.depth, u));
            }
        }
        let depth = self.depth;

        match self.item.as_ref().map(|i| i.depth) {
            None => self.open_outside_item(&local, parent.as_deref(), &attrs),
            Some(item_depth) if depth == item_depth + 1 => self.item_child(&local, qname, &attrs),
            Some(item_depth) if depth == item_depth + 2 => {
                // Atom `<author><name>`.
                if local == "name" && parent.as_deref() == Some("author") {
                    self.begin(Field::Author, Encoded::Plain);
                }
            }
            Some(_) => {}
        }
    }

    /// Markup inside a captured field (XHTML content, unescaped HTML),
    /// written out as HTML: without namespace prefixes, `<br/>` kept whole
    /// (its end is then not written, see `close_one`).
    fn write_markup(&mut self, e: &BytesStart, local: String, qname: &str, empty: bool) {
        let Some(cap) = self.capture.as_mut() else {
            return;
        };
        cap.markup = true;
        cap.buf.push('<');
        let raw: &str = e.as_ref();
        cap.buf.push_str(
            raw.get(qname.len() - e.local_name().into_inner().len()..)
                .unwrap_or(raw),
        );
        cap.buf.push_str(if empty { "/>" } else { ">" });
        cap.silent_close = empty;
        self.push_name(local);
    }

    /// An element outside any item: an item starts, or a feed-level field.
    fn open_outside_item(&mut self, local: &str, parent: Option<&str>, attrs: &Attrs) {
        let depth = self.depth;
        let is_item = matches!(local, "item" | "entry")
            && (depth == 1 || matches!(parent, Some("channel" | "rss" | "rdf" | "feed" | "items")));
        if is_item {
            self.item = Some(self.new_item(depth, attrs));
            return;
        }
        let feed_level =
            matches!(parent, Some("channel" | "feed")) || (depth == 2 && parent.is_some());
        if feed_level {
            match local {
                "title" if self.feed.title.is_none() => {
                    self.begin(Field::FeedTitle, Encoded::Plain)
                }
                "ttl" => self.begin(Field::Ttl, Encoded::Plain),
                _ => {}
            }
        }
    }

    fn new_item(&self, depth: usize, attrs: &Attrs) -> ItemBuilder {
        let mut item = ItemBuilder {
            depth,
            ..Default::default()
        };
        // CDF puts the link on ITEM; RSS 1.0 names the item by it.
        if let Some(href) = attrs.get("href") {
            item.text_link = self.resolve(href);
        }
        if let Some(about) = attrs.get("rdf:about").or_else(|| attrs.get("about")) {
            item.about = self
                .resolve(about)
                .filter(|u| matches!(u.scheme(), "http" | "https"));
            item.about_raw = Some(markup::unescape(about.trim())).filter(|a| !a.is_empty());
        }
        if let Some(lastmod) = attrs.get("lastmod") {
            item.updated = Some(lastmod.to_owned());
        }
        item
    }

    fn item_child(&mut self, local: &str, qname: &str, attrs: &Attrs) {
        let prefix = qname.split_once(':').map(|(p, _)| p);
        match local {
            "title" => {
                let mode = attrs.get("mode").map(str::trim);
                let html = mode == Some("escaped")
                    || attrs.get("type").is_some_and(|t| t.contains("html"));
                let encoding = if mode == Some("base64") {
                    Encoded::Base64
                } else {
                    Encoded::Plain
                };
                self.begin(Field::Title, encoding);
                if let Some(cap) = self.capture.as_mut() {
                    cap.html = html;
                }
            }
            "link" => {
                if let Some(href) = attrs.get("href") {
                    let alternate = attrs.get("rel").is_none_or(super::is_alternate);
                    let html = attrs.get("type").is_none_or(|t| t.contains("html"));
                    let rank = match (alternate, html) {
                        (true, true) => 3,
                        (true, false) => 2,
                        _ => 0,
                    };
                    if rank > 0
                        && let Some(url) = self.resolve(href)
                        && let Some(item) = self.item.as_mut()
                        && item.alternate.as_ref().is_none_or(|(r, _)| *r < rank)
                    {
                        item.alternate = Some((rank, url));
                    }
                } else if attrs.get("rel").is_none_or(super::is_alternate) {
                    // RSS `<link>`, or Atom 0.3 written with the address as text.
                    self.begin(Field::Link, Encoded::Plain);
                }
            }
            "guid" | "id" => {
                let permalink = attrs
                    .get("ispermalink")
                    .is_none_or(|v| !v.trim().eq_ignore_ascii_case("false"));
                self.begin(
                    Field::Guid,
                    if local == "guid" && permalink {
                        Encoded::Permalink
                    } else {
                        Encoded::Plain
                    },
                );
            }
            "description" | "summary" | "abstract" | "tagline" | "subtitle" => {
                self.begin(Field::Summary, Encoded::Plain);
            }
            "encoded" | "content" | "body" | "fullitem" => {
                // Out-of-line content is not ours to fetch.
                if attrs.get("src").is_some() {
                    return;
                }
                let base64 = attrs.get("mode").is_some_and(|m| m.trim() == "base64");
                self.begin(
                    Field::Content,
                    if base64 {
                        Encoded::Base64
                    } else {
                        Encoded::Plain
                    },
                );
            }
            "pubdate" | "published" | "issued" | "created" => {
                self.begin(Field::Published, Encoded::Plain)
            }
            "date" if prefix.is_some() => self.begin(Field::Published, Encoded::Plain),
            "updated" | "modified" | "lastbuilddate" => self.begin(Field::Updated, Encoded::Plain),
            "author" | "creator" => self.begin(Field::Author, Encoded::Plain),
            "category" | "subject" => {
                if let Some(label) = attrs.get("label").or_else(|| attrs.get("term")) {
                    let label = markup::unescape(label.trim());
                    if let Some(item) = self.item.as_mut() {
                        push_unique(&mut item.categories, label);
                    }
                } else {
                    self.begin(Field::Category, Encoded::Plain);
                }
            }
            _ => {}
        }
    }

    fn begin(&mut self, field: Field, mode: Encoded) {
        self.capture = Some(Capture {
            field,
            depth: self.depth,
            buf: String::new(),
            markup: false,
            base: self.base().clone(),
            mode,
            html: false,
            silent_close: false,
        });
    }

    fn push_name(&mut self, local: String) {
        self.depth += 1;
        if self.names.len() < MAX_TRACKED_DEPTH && self.names.len() == self.depth - 1 {
            self.names.push(local);
        }
    }

    fn end(&mut self, local: &str, qname: &str) {
        // Close back to the matching open element, so an unclosed `<br>`
        // inside a description does not swallow the rest of the feed.
        let tracked = self.depth.min(self.names.len());
        let target = if self.depth > self.names.len() {
            self.depth
        } else {
            match self.names[..tracked].iter().rposition(|n| n == local) {
                Some(i) => i + 1,
                // A misspelt end tag directly inside a one-line text field
                // (`<title>a</titel>`) ends that field; anywhere else a
                // stray end tag closes nothing.
                None if self
                    .capture
                    .as_ref()
                    .is_some_and(|c| c.depth == self.depth && c.field.is_short()) =>
                {
                    self.depth
                }
                None => return,
            }
        };
        while self.depth >= target && self.depth > 0 {
            // Implicitly closed elements (an HTML `<br>`) get no end tag.
            let explicit = self.depth == target;
            self.close_one(qname, explicit);
        }
    }

    fn close_one(&mut self, qname: &str, explicit: bool) {
        let depth = self.depth;
        if let Some(cap) = self.capture.as_mut() {
            if cap.depth == depth {
                let cap = self.capture.take().expect("checked above");
                self.store(cap);
            } else if explicit && !std::mem::take(&mut cap.silent_close) {
                cap.buf.push_str("</");
                cap.buf.push_str(qname.rsplit(':').next().unwrap_or(qname));
                cap.buf.push('>');
            }
        }
        if self.item.as_ref().is_some_and(|i| i.depth == depth) {
            let item = self.item.take().expect("checked above");
            self.feed.items.push(item.finish());
        }
        while self.bases.len() > 1 && self.bases.last().is_some_and(|(d, _)| *d >= depth) {
            self.bases.pop();
        }
        if self.names.len() == depth {
            self.names.pop();
        }
        self.depth -= 1;
    }

    fn push_raw(&mut self, t: &str) {
        if let Some(cap) = self.capture.as_mut() {
            cap.buf.push_str(t);
        }
    }

    fn push_cdata(&mut self, c: &str) {
        if let Some(cap) = self.capture.as_mut() {
            markup::escape_into(&mut cap.buf, c);
        }
    }

    fn push_ref(&mut self, r: &str) {
        if let Some(cap) = self.capture.as_mut() {
            cap.buf.push('&');
            cap.buf.push_str(r);
            cap.buf.push(';');
        }
    }

    fn resolve(&self, href: &str) -> Option<Url> {
        let href = markup::unescape(href.trim());
        self.base().join(&href).ok()
    }

    fn store(&mut self, cap: Capture) {
        let mut value = if cap.markup {
            match cap.field {
                Field::Summary | Field::Content => cap.buf.trim().to_owned(),
                _ => markup::html_to_text(&cap.buf),
            }
        } else {
            markup::unescape(cap.buf.trim())
        };
        if cap.mode == Encoded::Base64 {
            value = markup::base64_text(&value).unwrap_or(value);
        }
        if cap.field == Field::Title && !cap.markup && (cap.html || cap.mode == Encoded::Base64) {
            // A headline is text: the words, not the markup.
            value = markup::html_to_text(&value);
        }
        if value.is_empty() {
            return;
        }
        match cap.field {
            Field::FeedTitle => self.feed.title = Some(value),
            Field::Ttl => self.feed.ttl_minutes = value.parse().ok(),
            _ => {
                let Some(item) = self.item.as_mut() else {
                    return;
                };
                match cap.field {
                    Field::Title => set_once(&mut item.title, value),
                    Field::Link => {
                        if item.text_link.is_none() {
                            item.text_link = cap.base.join(&value).ok();
                        }
                    }
                    Field::Guid => {
                        if item.guid.is_none() {
                            item.guid = Some(value);
                            item.guid_is_permalink = cap.mode == Encoded::Permalink;
                        }
                    }
                    Field::Summary => set_once(&mut item.summary, value),
                    Field::Content => set_once(&mut item.content, value),
                    Field::Published => set_once(&mut item.published, value),
                    Field::Updated => set_once(&mut item.updated, value),
                    Field::Author => push_unique(&mut item.authors, author_name(value)),
                    Field::Category => push_unique(&mut item.categories, value),
                    Field::FeedTitle | Field::Ttl => {}
                }
            }
        }
    }
}

/// RSS `<author>` is "email (Name)" by the spec; keep the name.
fn author_name(value: String) -> String {
    if let Some((email, rest)) = value.split_once(" (")
        && email.contains('@')
        && !email.contains(' ')
        && let Some(name) = rest.strip_suffix(')')
        && !name.trim().is_empty()
    {
        return name.trim().to_owned();
    }
    value
}

fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

fn push_unique(list: &mut Vec<String>, value: String) {
    // Bounded, so a hostile item with 100k categories stays linear.
    if list.len() < super::MAX_LIST && !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Attributes by qualified name, lower-cased, values still escaped.
struct Attrs<'a>(Vec<(String, std::borrow::Cow<'a, str>)>);

impl<'a> Attrs<'a> {
    fn read(e: &'a BytesStart) -> Self {
        Attrs(
            e.html_attributes()
                .with_checks(false)
                .flatten()
                .map(|a| (a.key.into_inner().to_ascii_lowercase(), a.value))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(doc: &str) -> Vec<Item> {
        parse(doc, &Url::parse("http://example.com/dir/feed.xml").unwrap())
            .feed
            .items
    }

    #[test]
    fn reads_versionless_rss_with_undeclared_entities() {
        let got = items(
            "<rss><channel><title>T</title><item><title>A&nbsp;b &amp; c</title>\
             <link>/a</link><guid isPermaLink='false'>x1</guid></item>\
             <item><guid>http://example.com/b</guid><description>d<br>e</description></item></channel></rss>",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].title.as_deref(), Some("A\u{a0}b & c"));
        assert_eq!(
            got[0].link.as_ref().unwrap().as_str(),
            "http://example.com/a"
        );
        assert_eq!(got[0].guid.as_deref(), Some("x1"));
        assert_eq!(
            got[1].link.as_ref().unwrap().as_str(),
            "http://example.com/b"
        );
        assert_eq!(got[1].summary.as_deref(), Some("d<br>e"));
    }

    #[test]
    fn atom03_with_xml_base_and_nested_source_entry() {
        let got = items(
            "<feed version='0.3' xmlns='http://purl.org/atom/ns#' xml:base='http://b.example/x/'>\
             <entry><title mode='escaped'>&lt;b&gt;Hi&lt;/b&gt;</title>\
             <link rel='alternate' type='text/html' href='p/1'/><id>tag:1</id>\
             <issued>2004-01-02T03:04:05Z</issued><author><name>Ann</name></author></entry></feed>",
        );
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].link.as_ref().unwrap().as_str(),
            "http://b.example/x/p/1"
        );
        assert_eq!(got[0].authors, vec!["Ann".to_string()]);
        assert!(got[0].published.is_some());
    }

    #[test]
    fn xhtml_content_becomes_plain_html() {
        let got = items(
            "<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='xhtml'>\
             <x:div xmlns:x='http://www.w3.org/1999/xhtml'>a<x:br/>b <x:p>c</x:p></x:div></content></entry></feed>",
        );
        assert_eq!(
            got[0].content.as_deref(),
            Some("<div xmlns:x='http://www.w3.org/1999/xhtml'>a<br/>b <p>c</p></div>")
        );
    }

    #[test]
    fn misspelt_end_tag_ends_a_title_but_not_a_description() {
        let got = items(
            "<rss><channel><item><title>a</titel><link>http://x/1</link>\
             <description>d</p> e</description></item></channel></rss>",
        );
        assert_eq!(got[0].title.as_deref(), Some("a"));
        assert_eq!(got[0].link.as_ref().unwrap().as_str(), "http://x/1");
        assert_eq!(got[0].summary.as_deref(), Some("d e"));
    }

    #[test]
    fn truncated_document_keeps_open_item() {
        let got = items("<rss><channel><item><title>one</title></item><item><title>tw");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn deep_nesting_does_not_blow_up() {
        let mut doc = String::from("<rss><channel><item><title>x</title><description>");
        for _ in 0..5000 {
            doc.push_str("<div>");
        }
        doc.push_str("</description></item></channel></rss>");
        assert_eq!(items(&doc).len(), 1);
    }
}
