//! Cuts scripts, styles, inline SVG, navigation blocks, frames, text areas,
//! form controls (`<select>`, `<button>`) and comments out of the page text
//! before it reaches the HTML parser, and the attributes the extractor never
//! reads (and the `<link>` and `<meta>` tags it reads nothing of, and the
//! addresses of links but legal pages') out of the tags that are left, with
//! the white space before them, and indentation down to one space (or none,
//! next to a block element's tags).
//!
//! On news pages these hold more than half of the bytes and none of the
//! article, yet the tokenizer must walk every byte of them and the tree
//! builder must store them. A byte scan (memchr) is far cheaper. `<nav>`
//! menus are a fifth of what is left and are never article text (the scorer
//! drops them anyway). JSON-LD scripts are kept: they are metadata.
//!
//! Of what is left, two thirds of the bytes are attributes, and half of those
//! are `data-*`, `srcset`, `src`, event handlers and the like: the tokenizer
//! walks them a character at a time and the tree builder interns and stores
//! each one. [`Attr`] names the attributes the extractor reads; the others
//! are dropped unless a site rule may select by them, and the read ones reach
//! the parser under one-letter names (see [`super::attrs`]).

use std::borrow::Cow;

use memchr::{memchr, memmem};

use super::attrs::{Attr, is_letter};

/// Which attributes reach the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attributes {
    /// Every attribute: a site rule's selector may name any of them. Each
    /// read one gets a copy under its parsed name.
    All,
    /// Only those the extractor reads ([`Attr`]), under their parsed names.
    Read,
}

/// What the scan does with an element, by its tag name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Cut with its content: scripts (but JSON-LD), styles, and the raw-text
    /// elements the scorer counts as junk (frames, text areas). The
    /// tokenizer reads each as text up to its end tag or the end of input.
    /// `<noscript>` stays: the scorer reads how much text comes before a
    /// heading, and its fallback markup is counted.
    RawText,
    /// Cut with its content where its end tag follows: inline SVG,
    /// navigation, and the form controls whose text the scorer never takes
    /// (`<select>` with its options, `<button>`). One left open is left to
    /// the parser, which may close it well before the end of input.
    Cut,
    /// Content the tokenizer reads as text, not tags: a tag-like string
    /// inside is left as it is.
    TextOnly,
    /// A `<link>`: the extractor reads only the canonical one and microdata.
    Link,
    /// A `<meta>`: the extractor reads microdata and a list of keys.
    Meta,
    /// An `<a>`: of its address the extractor asks only whether it is a
    /// legal page.
    Anchor,
    Other,
}

/// What to do with an element, by its tag name in lower case.
fn kind(low: &[u8]) -> Kind {
    match low {
        b"script" | b"style" | b"iframe" | b"noembed" | b"noframes" | b"textarea" | b"xmp" => {
            Kind::RawText
        }
        b"svg" | b"nav" | b"select" | b"button" => Kind::Cut,
        // `<plaintext>` is never closed: all that follows it is text.
        b"title" | b"noscript" | b"plaintext" => Kind::TextOnly,
        b"link" => Kind::Link,
        b"meta" => Kind::Meta,
        b"a" => Kind::Anchor,
        _ => Kind::Other,
    }
}

/// The page as the parser should see it: comments, scripts (but JSON-LD),
/// styles, inline SVG, navigation, frames and text areas cut, and only
/// `attributes` left in the other tags (with [`Attributes::Read`], unread
/// `<link>` tags go too). Borrowed when nothing is cut.
pub fn strip_raw_text(html: &str, attributes: Attributes) -> Cow<'_, str> {
    let mut scan = Scan {
        html,
        b: html.as_bytes(),
        out: None,
        last: 0,
        edits: Vec::new(),
        after_block: false,
    };
    let mut pos = 0;
    while let Some(off) = memchr(b'<', &scan.b[pos..]) {
        if attributes == Attributes::Read {
            scan.collapse_spaces(pos, pos + off);
        }
        pos = scan.at_lt(pos + off, attributes);
    }
    if attributes == Attributes::Read {
        scan.collapse_spaces(pos.min(scan.b.len()), scan.b.len());
    }
    match scan.out {
        None => Cow::Borrowed(html),
        Some(mut s) => {
            s.push_str(&html[scan.last..]);
            Cow::Owned(s)
        }
    }
}

struct Scan<'h> {
    html: &'h str,
    b: &'h [u8],
    /// The text kept so far, up to `last`; `None` while nothing is cut.
    out: Option<String>,
    last: usize,
    /// What changes in the attributes of the tag being read.
    edits: Vec<Edit<'h>>,
    /// The last tag read opens or closes a block element.
    after_block: bool,
}

/// The bytes `from..to` of a tag give way to `with`.
#[derive(Clone, Copy)]
struct Edit<'h> {
    from: usize,
    to: usize,
    with: [&'h str; 3],
}

impl Edit<'_> {
    fn drop(from: usize, to: usize) -> Self {
        Edit {
            from,
            to,
            with: [""; 3],
        }
    }
}

impl Scan<'_> {
    /// Handles the markup that starts with the `<` at `i`; returns where to
    /// look for the next one.
    fn at_lt(&mut self, i: usize, attributes: Attributes) -> usize {
        let b = self.b;
        let rest = &b[i + 1..];
        if rest.starts_with(b"!--") {
            let end = memmem::find(&b[i + 4..], b"-->").map_or(b.len(), |e| i + 4 + e + 3);
            self.cut(i, end);
            return end;
        }
        if let Some((name, true)) = tag_name(rest) {
            self.after_block = names_block(name);
            return memchr(b'>', rest).map_or(b.len(), |e| i + 2 + e);
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            return i + 1;
        }
        // The tag name ends at a space, '/' or '>'; one the input ends in
        // names nothing.
        let Some(n) = rest.iter().position(|&c| ends_name(c)) else {
            return b.len();
        };
        let name = &rest[..n];
        // Lower-cased once for both questions; a longer name is neither.
        let low = lower::<10>(name);
        let low = low.as_ref().map_or(&[][..], |l| &l[..n]);
        let kind = kind(low);
        self.after_block = super::dom::is_block_name(low);
        if matches!(kind, Kind::RawText | Kind::Cut)
            && let Some(end) = self.cut_element(i, name, kind)
        {
            return end;
        }
        // A tag the input ends inside is left whole (the tokenizer drops it).
        let Some(end) = self.plan_attributes(i + 1 + n, kind, attributes) else {
            return b.len();
        };
        if attributes == Attributes::Read
            && (kind == Kind::Link && !read_link(&b[i..end])
                || kind == Kind::Meta && !read_meta(&b[i..end]))
        {
            self.cut(i, end);
            return end;
        }
        for k in 0..self.edits.len() {
            let Edit { from, to, with } = self.edits[k];
            self.replace(from, to, &with);
        }
        match kind {
            Kind::TextOnly => find_close(b, end, name),
            _ => end,
        }
    }

    /// Cuts the `name` element that opens at `i` (JSON-LD scripts stay, and
    /// nothing inside them is touched); returns where the scan goes on, or
    /// `None` where a [`Kind::Cut`] element is never closed.
    fn cut_element(&mut self, i: usize, name: &[u8], kind: Kind) -> Option<usize> {
        let b = self.b;
        let after = i + 1 + name.len();
        let tag_end = memchr(b'>', &b[after..]).map_or(b.len(), |e| after + e + 1);
        let open = &b[i..tag_end];
        if name.eq_ignore_ascii_case(b"script")
            && memmem::find(&open.to_ascii_lowercase(), b"ld+json").is_some()
        {
            return Some(find_close(b, tag_end, name));
        }
        let end = if name.eq_ignore_ascii_case(b"svg") && open.ends_with(b"/>") {
            tag_end
        } else {
            find_close(b, tag_end, name)
        };
        if end == b.len() && kind == Kind::Cut {
            return None;
        }
        self.cut(i, end);
        Some(end)
    }

    /// Reads the start tag whose name ends at `name_end` as the HTML
    /// tokenizer does, noting in `edits` what the parser is to see of each
    /// attribute ([`super::attrs`]): with [`Attributes::Read`], a read one
    /// under its parsed name and no other; with [`Attributes::All`], every
    /// one but those named like a parsed letter, and beside each read one a
    /// copy under its letter. Returns the end of the tag, or `None` when the
    /// input ends inside it.
    fn plan_attributes(
        &mut self,
        name_end: usize,
        kind: Kind,
        attributes: Attributes,
    ) -> Option<usize> {
        let (b, html) = (self.b, self.html);
        let mut j = name_end;
        self.edits.clear();
        loop {
            // The tokenizer reads a tag a character at a time, so the white
            // space a dropped attribute leaves goes too (58,000 characters
            // on extraction-dev's pages).
            let gap = j;
            j = skip(b, j, |c| is_space(c) || c == b'/');
            if *b.get(j)? == b'>' {
                if attributes == Attributes::Read
                    && gap < j
                    && b[gap..j].iter().all(|&c| is_space(c))
                {
                    self.edits.push(Edit::drop(gap, j));
                }
                return Some(j + 1);
            }
            let (name, end) = attribute(b, j);
            if end >= b.len() {
                return None;
            }
            let read = Attr::of(&b[j..name]).filter(|&a| {
                a != Attr::Href || kind != Kind::Anchor || legal_href(value(b, name, end))
            });
            let edit = match (attributes, read) {
                // The gap before it goes too where one still follows it.
                (Attributes::Read, None) if ends_name(b[end]) => Edit::drop(gap, end),
                (Attributes::Read, None) => Edit::drop(j, end),
                (Attributes::Read, Some(a)) if a.renamed() => Edit {
                    from: j,
                    to: name,
                    with: [a.parsed(), "", ""],
                },
                (Attributes::All, Some(a)) if a.renamed() => Edit {
                    from: end,
                    to: end,
                    with: [" ", a.parsed(), &html[name..end]],
                },
                (Attributes::All, None) if is_letter(&b[j..name]) => Edit::drop(j, end),
                _ => {
                    j = end;
                    continue;
                }
            };
            self.edits.push(edit);
            j = end;
        }
    }

    /// Cuts the runs of white space that open and close the text between
    /// two tags (`from..to`) down to one space, and a text of white space
    /// alone next to a block element's tag (start or end) whole: the
    /// renderer breaks the text there anyway. Every reader of the tree
    /// collapses white space (`text::collapse_whitespace`), `<pre>` too
    /// (whose leading line break the tree builder drops, and a leading space
    /// not), so only the parser sees the difference: indentation between
    /// tags is an eighth of the bytes that reach it, and each such text is
    /// a token and a tree node. Runs inside a text are rarer and left
    /// alone, so that the scan reads only the white space it cuts.
    fn collapse_spaces(&mut self, from: usize, to: usize) {
        let b = &self.b[..to];
        let lead = skip(b, from, is_space);
        if lead == to && from < to && (self.after_block || self.block_tag_at(to)) {
            self.cut(from, to);
            return;
        }
        self.one_space(from, lead);
        if lead == to {
            return;
        }
        // Text stands between the last tag and what follows.
        self.after_block = false;
        let mut trail = to;
        while is_space(b[trail - 1]) {
            trail -= 1;
        }
        self.one_space(trail, to);
    }

    /// Whether the `<` at `i` opens a start or end tag of a block element.
    fn block_tag_at(&self, i: usize) -> bool {
        self.b
            .get(i + 1..)
            .and_then(tag_name)
            .is_some_and(|(name, _)| names_block(name))
    }

    /// Leaves one character of the white space between `from` and `to`:
    /// a space where the run opens with another one. The tokenizer reads a
    /// text that opens with a line break (or a carriage return) a character
    /// at a time, and one that opens with a space in one SIMD sweep.
    fn one_space(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        if self.b[from] != b' ' {
            self.replace(from, to, &[" "]);
        } else if to - from >= 2 {
            self.cut(from + 1, to);
        }
    }

    /// Keeps the text from `last` up to `from` and skips to `to`.
    fn cut(&mut self, from: usize, to: usize) {
        self.replace(from, to, &[]);
    }

    /// Keeps the text from `last` up to `from`, writes `with` and skips to
    /// `to`.
    fn replace(&mut self, from: usize, to: usize, with: &[&str]) {
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.html.len() / 2));
        out.push_str(&self.html[self.last..from]);
        for w in with {
            out.push_str(w);
        }
        self.last = to;
    }
}

/// The attribute starting at `j`: the end of its name and the end of the
/// whole attribute (its value included). Past the input when the input
/// ends inside it.
fn attribute(b: &[u8], j: usize) -> (usize, usize) {
    // A leading '=' belongs to the name, as in the tokenizer.
    let name = skip(b, j + 1, |c| !ends_attribute_name(c));
    let k = skip(b, name, is_space);
    if b.get(k) != Some(&b'=') {
        return (name, name);
    }
    let k = skip(b, k + 1, is_space);
    let end = match b.get(k) {
        None => b.len(),
        Some(&q @ (b'"' | b'\'')) => memchr(q, &b[k + 1..]).map_or(b.len(), |e| k + 1 + e + 1),
        Some(b'>') => k,
        Some(_) => skip(b, k, |c| c != b'>' && !is_space(c)),
    };
    (name, end)
}

/// Whether the extractor reads anything of this `<link>` tag: the canonical
/// address (`metadata`) or microdata. The rest (stylesheets, preloads,
/// icons, feeds: 4,400 tags on the 181 pages of extraction-dev) are cut
/// whole. A plain byte search: a tag that mentions either word anywhere
/// is kept.
fn read_link(tag: &[u8]) -> bool {
    let has = |word: &[u8]| {
        tag.windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    has(b"canonical") || has(b"itemprop")
}

/// Whether a link's address reaches the parser: only a legal page's
/// (`labels::is_legal_page`, which `render` counts), or one whose path holds
/// a character reference, left for the tokenizer to decode. Addresses are a
/// sixth of the bytes left after the cuts above, and the tree builder
/// copies each one.
fn legal_href(v: &[u8]) -> bool {
    let path = v.split(|&c| c == b'?' || c == b'#').next().unwrap_or(v);
    path.contains(&b'&') || super::labels::is_legal_page(v)
}

/// Whether the extractor reads anything of this `<meta>` tag: microdata
/// (any `itemprop`), or a key `metadata::meta_key` knows. Viewport, robots,
/// descriptions, app ids and verification codes (two thirds of the meta
/// tags on the 181 pages of extraction-dev) are cut whole. The key is the
/// first of `property`, `name` and `http-equiv`, as `metadata` takes it; one
/// with a character reference is kept rather than decoded.
fn read_meta(tag: &[u8]) -> bool {
    let mut j = b"<meta".len();
    let mut key: Option<(u8, &[u8])> = None;
    loop {
        j = skip(tag, j, |c| is_space(c) || c == b'/');
        if tag.get(j).is_none_or(|&c| c == b'>') {
            break;
        }
        let (name, end) = attribute(tag, j);
        let rank = match lower::<10>(&tag[j..name]).as_ref().map(|l| &l[..name - j]) {
            Some(b"itemprop") => return true,
            Some(b"property") => 0,
            Some(b"name") => 1,
            Some(b"http-equiv") => 2,
            _ => 3,
        };
        if key.is_none_or(|(r, _)| rank < r) {
            key = Some((rank, value(tag, name, end)));
        }
        j = end;
    }
    match key {
        Some((rank, v)) if rank < 3 => match std::str::from_utf8(v) {
            Ok(k) if !k.contains('&') => {
                super::metadata::meta_key(&k.trim().to_ascii_lowercase()).is_some()
            }
            _ => true,
        },
        _ => false,
    }
}

/// The value of the attribute whose name ends at `name` and which ends at
/// `end`, without its quotes.
fn value(b: &[u8], name: usize, end: usize) -> &[u8] {
    let k = skip(b, name, is_space);
    if b.get(k) != Some(&b'=') {
        return &[];
    }
    let v = &b[skip(b, k + 1, is_space)..end];
    match v.first() {
        Some(&q @ (b'"' | b'\'')) => v[1..].strip_suffix(&[q]).unwrap_or(&v[1..]),
        _ => v,
    }
}

/// A short name in lower case, in a buffer on the stack (a byte loop: a
/// copy of a few bytes through `memcpy` costs more than the lookup).
pub(super) fn lower<const N: usize>(name: &[u8]) -> Option<[u8; N]> {
    if name.len() > N {
        return None;
    }
    let mut low = [0u8; N];
    for (l, c) in low.iter_mut().zip(name) {
        *l = c.to_ascii_lowercase();
    }
    Some(low)
}

/// The name of the tag that `rest` (what follows a `<`) opens, and whether
/// it is an end tag; `None` where no tag opens.
fn tag_name(rest: &[u8]) -> Option<(&[u8], bool)> {
    let (name, end) = match rest.strip_prefix(b"/") {
        Some(name) => (name, true),
        None => (rest, false),
    };
    if !name.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let n = name
        .iter()
        .position(|&c| ends_name(c))
        .unwrap_or(name.len());
    Some((&name[..n], end))
}

/// A tag name (in any case) of an element the renderer breaks the text at
/// ([`super::is_block`]).
fn names_block(name: &[u8]) -> bool {
    lower::<10>(name).is_some_and(|low| super::dom::is_block_name(&low[..name.len()]))
}

/// The first index from `k` whose byte does not satisfy `keep`.
fn skip(b: &[u8], k: usize, keep: impl Fn(u8) -> bool) -> usize {
    k + b[k..].iter().take_while(|&&c| keep(c)).count()
}

/// A byte that ends a tag name: white space, '/' or '>'.
fn ends_name(c: u8) -> bool {
    CLASSES[c as usize] & (SPACE | SLASH | GT) != 0
}

/// A byte that ends an attribute's name: one that ends a tag name, or '='.
fn ends_attribute_name(c: u8) -> bool {
    CLASSES[c as usize] != 0
}

fn is_space(c: u8) -> bool {
    CLASSES[c as usize] & SPACE != 0
}

/// What each byte is to the tag syntax, from a table: the scan asks it of
/// every byte of every tag, and one load costs less than the comparisons.
const CLASSES: [u8; 256] = {
    use crate::text::byte_table;
    let t = byte_table([0; 256], b" \t\n\r\x0c", SPACE);
    let t = byte_table(t, b"/", SLASH);
    let t = byte_table(t, b">", GT);
    byte_table(t, b"=", EQ)
};
const SPACE: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQ: u8 = 8;

/// End (exclusive) of the `</name ...>` closing tag at or after `from`, or
/// the end of input, as the HTML tokenizer would have it.
fn find_close(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut pos = from;
    while let Some(off) = memmem::find(&b[pos..], b"</") {
        let i = pos + off + 2;
        if b.len() >= i + name.len() && b[i..i + name.len()].eq_ignore_ascii_case(name) {
            let after = i + name.len();
            if after == b.len() || ends_name(b[after]) {
                return memchr(b'>', &b[after..]).map_or(b.len(), |e| after + e + 1);
            }
        }
        pos = i;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_raw_text_keeps_json_ld() {
        let html = "<nav><a>Home</a></nav><p>a</p><SCRIPT>if (a<b) x='</div>';</script ><style>p{}</style><!-- c --><svg><path/></svg>\
                    <iframe src=v><p>f</p></iframe><TEXTAREA>a <b></textarea>\
                    <script type=\"application/ld+json\">{\"a\":\"<!-- <p data-x=1> -->\"}</script><scripts>t</scripts><p>b</p>";
        let kept = "<p>a</p><script type=\"application/ld+json\">{\"a\":\"<!-- <p data-x=1> -->\"}</script><scripts>t</scripts><p>b</p>";
        for attributes in [Attributes::All, Attributes::Read] {
            assert_eq!(strip_raw_text(html, attributes), kept);
            assert!(matches!(
                strip_raw_text("<p>plain</p>", attributes),
                Cow::Borrowed(_)
            ));
            assert_eq!(
                strip_raw_text("<p>x</p><script>never closed", attributes),
                "<p>x</p>"
            );
        }
    }

    #[test]
    fn form_controls_and_menus_go_only_where_they_are_closed() {
        let html = "<p>a<button class=share>Share <b>this</b></BUTTON> b</p>\
                    <select name=s><option>One<option>Two</select><p>c</p>";
        let kept = "<p>a b</p><p>c</p>";
        for attributes in [Attributes::All, Attributes::Read] {
            assert_eq!(strip_raw_text(html, attributes), kept);
            // Never closed: the parser closes it where its parent ends, and
            // the article after it stays.
            let open = "<div><button>Share</div><p>article</p>";
            assert_eq!(strip_raw_text(open, attributes), open);
            assert_eq!(
                strip_raw_text("<nav>menu<p>article</p>", attributes),
                "<nav>menu<p>article</p>"
            );
        }
    }

    #[test]
    fn drops_the_attributes_nobody_reads() {
        let read = |h| strip_raw_text(h, Attributes::Read).into_owned();
        assert_eq!(
            read(r#"<p data-x="1 > 2" CLASS=lead onclick='a("b")' hidden>t</p>"#),
            r#"<p c=lead h>t</p>"#
        );
        // No space between a quoted value and the next name (so the space
        // before it stays, or the names would run together); a value with
        // no quotes; a name with no value; a self-closing slash; white space
        // before the end.
        assert_eq!(
            read(r#"<img src="a.jpg"alt=x data-y id = "i" loading/><a href=/terms srcset=b >"#),
            r#"<img  i = "i"/><a f=/terms>"#
        );
        assert_eq!(read("<p\n  data-x=1\n  id=i\n>"), "<p\n  i=i>");
        // All attributes stay for a site rule to select by, and each read
        // one gets a copy under its parsed name; the page's own attribute
        // of that name goes.
        let all = |h| strip_raw_text(h, Attributes::All).into_owned();
        assert_eq!(all(r#"<p data-x="1">t</p>"#), r#"<p data-x="1">t</p>"#);
        assert_eq!(
            all(r#"<p data-x="1" CLASS = 'a b'c=own id=i type=t>t</p>"#),
            r#"<p data-x="1" CLASS = 'a b' c = 'a b' id=i i=i type=t>t</p>"#
        );
    }

    #[test]
    fn text_only_elements_and_broken_tags_stay_whole() {
        let read = |h| strip_raw_text(h, Attributes::Read).into_owned();
        assert_eq!(
            read(r#"<title data-t=1>a <b data-x=1> c</title><p data-x=1>"#),
            r#"<title>a <b data-x=1> c</title><p>"#
        );
        // The input ends inside a tag: the tokenizer drops it, so it is left.
        assert_eq!(
            read(r#"<p>a</p><img data-x="1"#),
            r#"<p>a</p><img data-x="1"#
        );
        assert_eq!(read("<p>a</p><img data-x=1"), "<p>a</p><img data-x=1");
        assert_eq!(
            read("<plaintext data-x=1><p data-x=1>"),
            "<plaintext><p data-x=1>"
        );
        // A <link> the extractor reads nothing of goes whole.
        assert_eq!(
            read(
                r#"<link rel="stylesheet" href="/a.css"><LINK rel=Canonical href="/c" data-x=1><link itemprop="url" href="/u"><p>t"#
            ),
            r#"<LINK r=Canonical f="/c"><link p="url" f="/u"><p>t"#
        );
        assert_eq!(
            read(r#"<p>t</p><link rel="icon"#),
            r#"<p>t</p><link rel="icon"#
        );
        // End tags and text are never touched.
        assert_eq!(read("</p data-x=1>1 < 2"), "</p data-x=1>1 < 2");
    }

    #[test]
    fn white_space_between_tags_is_cut_to_one_space() {
        let read = |h| strip_raw_text(h, Attributes::Read).into_owned();
        assert_eq!(
            read("<span>\n    <b>\n\t a  b \n c\t\t\n</b>\n  </span>  "),
            "<span> <b> a  b \n c </b> </span> "
        );
        assert_eq!(
            read("<i>x</i>\r\n<i>y</i>\n<!-- c --> <!-- d -->z"),
            "<i>x</i> <i>y</i>  z"
        );
        // Next to a block element's tag it goes whole: the renderer breaks
        // the text there. Text in between makes the tags no neighbours.
        assert_eq!(
            read("<div>\n  <P>\n a </p>\r\n<span>b</span> </DIV>\n<br>\n<i>c</i>\t<hr/>\n"),
            "<div><P> a </p><span>b</span></DIV><br><i>c</i><hr/>"
        );
        assert_eq!(
            read("<p>When <!-- -->President<!-- --> <!-- -->Trump</p>"),
            "<p>When President Trump</p>"
        );
        // Text-only elements and JSON-LD keep theirs; a site rule's page
        // is left as it is.
        let kept = "<title>\n  T\n</title><noscript>\n\n  x</noscript>\
                    <script type=application/ld+json>{\n  \"a\": 1}</script>";
        assert_eq!(read(kept), kept);
        let all = "<div>\n    <p>t</p>\n  </div>";
        assert_eq!(strip_raw_text(all, Attributes::All), all);
    }

    #[test]
    fn a_link_keeps_its_address_only_for_a_legal_page() {
        let read = |h| strip_raw_text(h, Attributes::Read).into_owned();
        assert_eq!(
            read(concat!(
                r#"<a class=x href="/story/1?a=1&amp;b=2">s</a><A HREF='/de/Impressum'>i</a>"#,
                r#"<a href=/x&amp;y/z>e</a><link rel=canonical href="/c"><area href="/m">"#
            )),
            concat!(
                r#"<a c=x>s</a><A f='/de/Impressum'>i</a>"#,
                r#"<a f=/x&amp;y/z>e</a><link r=canonical f="/c"><area f="/m">"#
            )
        );
    }

    #[test]
    fn meta_tags_stay_only_when_their_key_is_read() {
        let read = |h| strip_raw_text(h, Attributes::Read).into_owned();
        assert_eq!(
            read(concat!(
                r#"<meta name="viewport" content="width=device-width">"#,
                r#"<META PROPERTY='OG:Title' content="T"><meta name=robots content=all>"#,
                r#"<meta content="2024-01-02" itemprop="datePublished">"#,
                r#"<meta property="og:description" name="author" content="X">"#,
                r#"<meta name=" Author " content="A"><meta charset="utf-8">"#,
                r#"<meta name="og&#58;title" content="T"><p>t"#
            )),
            concat!(
                r#"<META o='OG:Title' content="T">"#,
                r#"<meta content="2024-01-02" p="datePublished">"#,
                r#"<meta n=" Author " content="A">"#,
                r#"<meta n="og&#58;title" content="T"><p>t"#
            )
        );
    }

    #[test]
    fn the_parser_sees_the_same_tree_but_for_dropped_attributes_and_spaces() {
        let html = r#"<div data-a=1 CLASS="c" id=x c=own><p data-b="2"title=t>Hi <a href="/h" target=_blank>l</a> <a href=/privacy>p</a></p>
            <noscript data-t=1><p data-x=1></noscript><img src=x.png alt=a/><input type=hidden></div>"#;
        // Each element's read attributes, by their parsed names, and its text.
        let shape = |h: &str, read: &dyn Fn(&str, &str, bool) -> Option<Attr>| {
            scraper::Html::parse_document(h)
                .tree
                .nodes()
                .map(|n| match n.value() {
                    scraper::Node::Element(e) => {
                        let link = e.name() == "a";
                        let mut kept: Vec<_> = e
                            .attrs()
                            .filter_map(|(k, v)| read(k, v, link).map(|a| (a.parsed(), v)))
                            .collect();
                        kept.sort();
                        format!("<{} {kept:?}>", e.name())
                    }
                    scraper::Node::Text(t) if t.trim_ascii().is_empty() => " ".to_string(),
                    scraper::Node::Text(t) => t.split_ascii_whitespace().collect(),
                    _ => String::new(),
                })
                .collect::<Vec<_>>()
        };
        // White space next to a block element's tags goes; between inline
        // elements one space stays.
        let visible = |shape: Vec<String>| -> Vec<String> {
            let space_between_links = shape.windows(2).any(|w| w[0] == "l" && w[1] == " ");
            assert!(space_between_links, "{shape:?}");
            shape.into_iter().filter(|n| n != " ").collect()
        };
        let source = |k: &str, v: &str, link: bool| {
            Attr::of(k.as_bytes())
                .filter(|&a| !(link && a == Attr::Href && !legal_href(v.as_bytes())))
        };
        let parsed = |k: &str, _: &str, _: bool| Attr::from_parsed(k);
        let want = visible(shape(html, &source));
        assert!(want.iter().any(|e| e.contains(r#"("c", "c"), ("i", "x")"#)));
        for attributes in [Attributes::Read, Attributes::All] {
            let got = shape(&strip_raw_text(html, attributes), &parsed);
            assert_eq!(visible(got), want);
        }
    }
}
