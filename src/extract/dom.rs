//! A flat, pre-order view of the parsed page.
//!
//! Every pass of the extractor (scoring, pruning, rendering, metadata) walks
//! this array instead of the pointer tree: a subtree is the index range
//! `i..end`, a parent is one index away, and per-node statistics live in
//! plain vectors indexed the same way. That keeps every pass linear.

use foldhash::HashMap;
use scraper::node::Element;
use scraper::{Html, Node};
use web_atoms::LocalName;

use super::attrs::Attr;

/// Marks "no parent" (the document node).
pub const NONE: u32 = u32::MAX;

pub struct DomNode<'a> {
    pub parent: u32,
    /// Exclusive end of this node's subtree in pre-order.
    pub end: u32,
    /// Lower-case local name for elements, `""` for text and the document.
    pub name: &'a str,
    pub el: Option<&'a Element>,
    pub text: &'a str,
    pub node_id: ego_tree::NodeId,
    /// Keyword families ([`super::hints`]) matched in `class` and in `id`.
    pub class_flags: u8,
    pub id_flags: u8,
    /// Whole-token advertising / tag-list names in `class` or `id`.
    pub ad: bool,
    pub tag_box: bool,
    /// Hidden (attribute, ARIA, inline style) or given a furniture role.
    pub hidden: bool,
    /// For text nodes: non-white-space characters and commas.
    pub chars: u32,
    pub commas: u32,
}

impl<'a> DomNode<'a> {
    pub fn is_element(&self) -> bool {
        self.el.is_some()
    }

    pub fn attr(&self, a: Attr) -> Option<&'a str> {
        self.el.and_then(|e| attr(e, a))
    }

    /// A link to a legal page (terms, privacy...). The one question asked
    /// of a link's address: the prescan drops every other one.
    pub fn links_legal_page(&self) -> bool {
        self.name == "a"
            && self
                .el
                .and_then(|e| find_attr(e, Attr::Href.parsed_atom()))
                .is_some_and(super::labels::is_legal_page)
    }

    /// Keyword families matched in `class` or `id`.
    pub fn flags(&self) -> u8 {
        self.class_flags | self.id_flags
    }
}

pub struct Dom<'a> {
    pub nodes: Vec<DomNode<'a>>,
}

impl<'a> Dom<'a> {
    pub fn build(doc: &'a Html) -> Dom<'a> {
        let mut nodes: Vec<DomNode<'a>> = Vec::with_capacity(4096);
        let mut stack = vec![(doc.tree.root(), NONE)];
        let mut hints_of = HintCache::default();
        while let Some((node, parent)) = stack.pop() {
            let (name, el, text) = match node.value() {
                Node::Element(e) => (e.name(), Some(e), ""),
                Node::Text(t) => ("", None, &**t),
                Node::Document | Node::Fragment => ("", None, ""),
                // Comments, doctypes and processing instructions carry no content.
                _ => continue,
            };
            let idx = nodes.len() as u32;
            let h = el.map_or_else(Hints::default, |e| hints_of.element(e));
            let (chars, commas) = if text.is_empty() {
                (0, 0)
            } else {
                count_text(text)
            };
            nodes.push(DomNode {
                parent,
                end: idx + 1,
                name,
                el,
                text,
                node_id: node.id(),
                class_flags: h.class_flags,
                id_flags: h.id_flags,
                ad: h.ad,
                tag_box: h.tag_box,
                hidden: h.hidden,
                chars,
                commas,
            });
            let mut child = node.last_child();
            while let Some(c) = child {
                stack.push((c, idx));
                child = c.prev_sibling();
            }
        }
        for i in (1..nodes.len()).rev() {
            let p = nodes[i].parent;
            if p != NONE {
                let end = nodes[i].end;
                if end > nodes[p as usize].end {
                    nodes[p as usize].end = end;
                }
            }
        }
        Dom { nodes }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn children(&self, i: usize) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: i + 1,
            end: self.nodes[i].end as usize,
        }
    }

    /// True when `anc` is `i` or one of its ancestors.
    pub fn contains(&self, anc: usize, i: usize) -> bool {
        anc <= i && i < self.nodes[anc].end as usize
    }

    pub fn parent(&self, i: usize) -> Option<usize> {
        let p = self.nodes[i].parent;
        (p != NONE).then_some(p as usize)
    }

    /// First element with this local name, in document order.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// Concatenated text of a subtree, white space collapsed, with a space
    /// where a block element starts or ends: "<p>Jane</p><p>Doe</p>" reads
    /// "Jane Doe", whether or not white space stood between the tags
    /// (minified pages have none, and the prescan drops it there).
    pub fn text_of(&self, i: usize) -> String {
        let mut raw = String::new();
        // Where the open block elements end.
        let mut block_ends: Vec<usize> = Vec::new();
        for (k, n) in self.nodes[..self.nodes[i].end as usize]
            .iter()
            .enumerate()
            .skip(i)
        {
            while block_ends.last() == Some(&k) {
                block_ends.pop();
                raw.push(' ');
            }
            match n.el {
                None => raw.push_str(n.text),
                Some(_) if is_block(n.name) => {
                    raw.push(' ');
                    block_ends.push(n.end as usize);
                }
                Some(_) => {}
            }
        }
        crate::text::collapse_whitespace(&raw)
    }

    /// Lower-cased `class` and `id` joined, for keyword tests.
    pub fn class_id(&self, i: usize) -> String {
        let n = &self.nodes[i];
        let mut s = String::new();
        if let Some(c) = n.attr(Attr::Class) {
            s.push_str(c);
        }
        if let Some(id) = n.attr(Attr::Id) {
            s.push(' ');
            s.push_str(id);
        }
        s.make_ascii_lowercase();
        s
    }
}

pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: usize,
    end: usize,
}

impl Iterator for Children<'_, '_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next = self.dom.nodes[i].end as usize;
        Some(i)
    }
}

/// The value of `el`'s read attribute `a` (no namespace, as the HTML
/// parser names them), found under its parsed name. scraper's
/// `Element::attr` interns the name on every call (a hash and a table
/// lookup) and binary-searches by atom order, which compares strings: 5%
/// of `newsflow extract`'s instructions. An element has a handful of
/// attributes, so a linear scan comparing atoms built once
/// ([`Attr::parsed_atom`]) is several times cheaper.
pub fn attr(el: &Element, a: Attr) -> Option<&str> {
    debug_assert!(
        a != Attr::Href || &*el.name.local != "a",
        "a link's href reaches the parser only when it is a legal page: use DomNode::links_legal_page"
    );
    find_attr(el, a.parsed_atom())
}

fn find_attr<'a>(el: &'a Element, name: &LocalName) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|(q, _)| q.local == *name && q.ns == web_atoms::ns!())
        .map(|(_, v)| &**v)
}

/// What [`super::hints`] finds in a class or id value: its keyword
/// families, and whether it names an advertising box or a tag list. Read
/// once per page for each value: half the class and id values of a page
/// repeat one before them ("menu-item"), and the keyword scan was two fifths
/// of building the view.
#[derive(Default)]
struct HintCache<'a>(HashMap<&'a str, (u8, bool, bool)>);

/// What an element's attributes say to the scorer ([`DomNode`]'s fields).
#[derive(Default)]
struct Hints {
    class_flags: u8,
    id_flags: u8,
    ad: bool,
    tag_box: bool,
    hidden: bool,
}

impl<'a> HintCache<'a> {
    fn element(&mut self, e: &'a Element) -> Hints {
        let (class, id, hidden) = read_attrs(e);
        let mut h = Hints {
            hidden,
            ..Hints::default()
        };
        for (v, f) in [(class, &mut h.class_flags), (id, &mut h.id_flags)] {
            if let Some(v) = v {
                let (flags, ad, tag_box) = self.read(v);
                *f = flags;
                h.ad |= ad;
                h.tag_box |= tag_box;
            }
        }
        h
    }

    fn read(&mut self, v: &'a str) -> (u8, bool, bool) {
        use super::hints::{ADISH, TAGISH, flags, is_ad_token, is_tag_box};
        *self.0.entry(v).or_insert_with(|| {
            let f = flags(v);
            (
                f,
                f & ADISH != 0 && is_ad_token(v),
                f & TAGISH != 0 && is_tag_box(v),
            )
        })
    }
}

/// An element's `class` and `id`, and whether it is hidden, from one pass
/// over its attributes, each named once ([`Attr::from_parsed_atom`]: class
/// and id are tried first), instead of a pass per question: the element walk
/// in [`Dom::build`] is the extractor's hottest loop after the parser.
fn read_attrs(el: &Element) -> (Option<&str>, Option<&str>, bool) {
    let (mut class, mut id, mut hidden) = (None, None, false);
    for (q, v) in &el.attrs {
        let v: &str = v;
        let a = Attr::from_parsed_atom(&q.local);
        if q.ns == web_atoms::ns!() {
            match a {
                Some(Attr::Class) => class = class.or(Some(v)),
                Some(Attr::Id) => id = id.or(Some(v)),
                _ => {}
            }
        }
        hidden = hidden || a.is_some_and(|a| hides(a, v));
    }
    (class, id, hidden)
}

/// Hidden by the attribute, ARIA or inline style, or given a furniture
/// role (whatever the attribute's namespace).
fn hides(a: Attr, value: &str) -> bool {
    match a {
        Attr::Hidden => true,
        Attr::AriaHidden => value == "true",
        Attr::Style => {
            let s = value.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        }
        Attr::Role => matches!(
            value,
            "navigation"
                | "complementary"
                | "contentinfo"
                | "banner"
                | "menu"
                | "menubar"
                | "alert"
                | "alertdialog"
                | "dialog"
        ),
        _ => false,
    }
}

impl Dom<'_> {
    /// A `<footer>` right inside a `<blockquote>` is its attribution
    /// ("said <cite>Jane Doe</cite>"), the way HTML cites a quotation: part
    /// of the quote, not page furniture.
    pub fn cites_blockquote(&self, i: usize) -> bool {
        let node = &self.nodes[i];
        node.name == "footer"
            && self
                .nodes
                .get(node.parent as usize)
                .is_some_and(|p| p.name == "blockquote")
    }
}

/// Elements that start a new paragraph when rendering text.
pub fn is_block(name: &str) -> bool {
    is_block_name(name.as_bytes())
}

/// [`is_block`] of a lower-case name's bytes: the prescan reads names as
/// bytes, and a UTF-8 check on every tag cost it 0.7% of extraction.
pub(super) fn is_block_name(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"section"
            | b"article"
            | b"main"
            | b"header"
            | b"footer"
            | b"aside"
            | b"nav"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"ul"
            | b"ol"
            | b"li"
            | b"dl"
            | b"dt"
            | b"dd"
            | b"blockquote"
            | b"pre"
            | b"table"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"tr"
            | b"td"
            | b"th"
            | b"caption"
            | b"figure"
            | b"figcaption"
            | b"form"
            | b"fieldset"
            | b"address"
            | b"hr"
            | b"br"
            | b"center"
            | b"details"
            | b"summary"
            | b"body"
            | b"html"
            | b"option"
            | b"picture"
            | b"video"
            | b"audio"
    )
}

/// Non-white-space characters and commas (Latin, CJK and Arabic) of a
/// text: lengths are judged in characters so CJK and Thai text is not
/// taken for empty.
pub fn count_text(s: &str) -> (u32, u32) {
    let mut n = 0;
    let mut commas = 0;
    if s.is_ascii() {
        // Without branches, so the loop runs many bytes a step.
        for &b in s.as_bytes() {
            n += u32::from(!b.is_ascii_whitespace());
            commas += u32::from(b == b',');
        }
        return (n, commas);
    }
    for c in s.chars() {
        if !c.is_whitespace() {
            n += 1;
            if matches!(c, ',' | '，' | '、' | '،') {
                commas += 1;
            }
        }
    }
    (n, commas)
}

pub fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

#[cfg(test)]
mod tests {
    use super::super::prescan::Attributes;
    use super::*;

    #[test]
    fn text_of_keeps_words_apart_at_block_boundaries() {
        for html in [
            "<div id=a><p>Jane</p><p>Doe</p>x<br>y <b>z</b>w</div>",
            "<div id=a>\n  <p>Jane</p>\n  <p>Doe</p>\n x<br>\ny <b>z</b>w</div>",
        ] {
            let doc = super::super::parse_page(html, Attributes::Read);
            let dom = Dom::build(&doc);
            assert_eq!(dom.text_of(dom.find("div").unwrap()), "Jane Doe x y zw");
        }
    }

    #[test]
    fn attr_reads_what_scraper_reads() {
        let doc = Html::parse_document(
            r#"<html xml:lang="de"><body><p id="x" class="a b" data-k="v">t</p>
               <svg><a xlink:href="/n" href="/h">l</a></svg></body></html>"#,
        );
        for node in doc.tree.nodes() {
            let Node::Element(e) = node.value() else {
                continue;
            };
            for name in [
                "id",
                "class",
                "data-k",
                "xml:lang",
                "href",
                "xlink:href",
                "missing",
            ] {
                let atom = LocalName::from(name);
                assert_eq!(find_attr(e, &atom), e.attr(name), "<{}> {name}", e.name());
            }
        }
        let dom = Dom::build(&doc);
        // A namespaced attribute is not its bare local name.
        let a = dom.find("a").unwrap();
        let href = LocalName::from("href");
        assert_eq!(find_attr(dom.nodes[a].el.unwrap(), &href), Some("/h"));
    }

    #[test]
    fn read_attributes_are_found_under_their_parsed_names_with_or_without_a_site_rule() {
        let html = r#"<p ID="x" Class="a b" data-k="v" c="page's own">t</p>"#;
        for attributes in [Attributes::Read, Attributes::All] {
            let doc = super::super::parse_page(html, attributes);
            let dom = Dom::build(&doc);
            let p = &dom.nodes[dom.find("p").unwrap()];
            assert_eq!(p.attr(Attr::Class), Some("a b"), "{attributes:?}");
            assert_eq!(p.attr(Attr::Id), Some("x"), "{attributes:?}");
            let kept = |name| find_attr(p.el.unwrap(), &LocalName::from(name)).is_some();
            assert_eq!(kept("data-k"), attributes == Attributes::All);
            assert_eq!(kept("class"), attributes == Attributes::All);
        }
    }

    #[test]
    fn class_id_and_hiding_in_one_pass() {
        let doc = super::super::parse_page(
            r#"<body><p class="lead" id="p1">a</p><p hidden class="x">b</p>
               <p aria-hidden="true">c</p><p aria-hidden="false" id="v">d</p>
               <p style="Display: None" class="s">e</p><p style="color:red">f</p>
               <p role="dialog">g</p><p role="main">h</p></body>"#,
            Attributes::Read,
        );
        let got: Vec<_> = doc
            .tree
            .nodes()
            .filter_map(|n| match n.value() {
                Node::Element(e) if e.name() == "p" => Some(read_attrs(e)),
                _ => None,
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("lead"), Some("p1"), false),
                (Some("x"), None, true),
                (None, None, true),
                (None, Some("v"), false),
                (Some("s"), None, true),
                (None, None, false),
                (None, None, true),
                (None, None, false),
            ]
        );
    }
}
