//! Article extraction: pure functions from an HTML page to an [`Article`].
//!
//! No network here: the caller hands in the page text (already decoded) and
//! the page's address, and gets the main body with boilerplate removed plus
//! the metadata the page states about itself.
//!
//! Scripts, styles, SVG, `<nav>` and comments are cut out by a byte scan
//! (`prescan`); the rest is parsed once (html5ever via scraper) and
//! flattened into a pre-order array (`dom`). The content scorer
//! (`score`), the renderer and paragraph filter (`render`), the metadata
//! reader ([`metadata`]) and the tag reader (`pagetags`) are linear passes
//! over that array. Site rules ([`rules`]) override the scorer per host, and
//! a JSON-LD `articleBody` that the scorer's pick plainly misses overrules it.

mod attrs;
mod byline;
mod dom;
mod hints;
mod labels;
pub mod metadata;
mod pagetags;
mod prescan;
mod render;
pub mod rules;
mod score;

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use scraper::Html;
use url::Url;

use dom::Dom;
use render::Para;
use score::{ATTEMPTS, Scorer};

pub use dom::is_block;
pub use prescan::{Attributes, strip_raw_text};
pub use rules::SiteRules;

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
    /// Paragraphs that stood in `<blockquote>` elements, as code-point
    /// ranges of `body`: quotations even without quotation marks.
    pub block_quotes: Vec<(usize, usize)>,
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
pub struct Extractor {
    rules: std::sync::Arc<SiteRules>,
}

/// Below this many characters of body, an extraction attempt is thought to
/// have missed the article and the next, more permissive one runs.
const ENOUGH_TEXT: usize = 500;
/// A first attempt shorter than this is taken to have missed entirely.
const SHORT_TEXT: usize = 200;

impl Extractor {
    pub fn new() -> Self {
        Self::default()
    }

    /// An extractor that applies the per-host rules found in `dir` (TOML rule
    /// files and ftr-site-config `.txt` files) before the heuristics.
    pub fn with_site_rules(dir: &Path) -> anyhow::Result<Extractor> {
        Ok(Extractor {
            rules: std::sync::Arc::new(SiteRules::load_dir(dir)?),
        })
    }

    /// An extractor sharing rules loaded once (by the configuration).
    pub fn with_rules(rules: std::sync::Arc<SiteRules>) -> Extractor {
        Extractor { rules }
    }

    pub fn site_rules(&self) -> &SiteRules {
        &self.rules
    }

    /// Extracts the article from one page. `url` is the page's address, used
    /// to resolve relative links and pick site rules.
    pub fn extract(&self, html: &str, url: Option<&Url>) -> Article {
        let rule = url
            .and_then(|u| u.host_str())
            .and_then(|h| self.rules.for_host(h));
        let attributes = match rule {
            Some(_) => Attributes::All,
            None => Attributes::Read,
        };
        let doc = parse_page(html, attributes);
        let dom = Dom::build(&doc);
        let meta = metadata::collect(&dom);
        let matched = rule.map(|r| r.apply(&doc, &dom)).unwrap_or_default();
        // What a site rule names beats what the page says about itself.
        let title = matched.title.clone().or_else(|| meta.title());
        let (paras, tail_tags) = main_text(&dom, &meta, title.as_deref(), &matched);
        let (body, block_quotes) = join(&paras);
        let authors = if matched.authors.is_empty() {
            meta.authors()
        } else {
            matched.authors
        };
        let published = matched
            .date
            .as_deref()
            .and_then(metadata::parse_date)
            .or_else(|| meta.published(url));
        let visible = pagetags::visible_tags(&dom, &meta.rel_tags);
        let tags = crate::tags::without_headline(meta.tags(&tail_tags, &visible), title.as_deref());
        Article {
            title,
            body,
            canonical_url: meta.canonical_url(url),
            published,
            modified: meta.modified(),
            authors,
            language: meta.language(),
            tags,
            image: meta.image(url),
            site_name: meta.site_name(),
            block_quotes,
        }
    }
}

/// The body paragraphs and a trailing tag line. The publisher's own copy of
/// the text (JSON-LD articleBody) overrules the scorer when the two plainly
/// disagree.
fn main_text(
    dom: &Dom,
    meta: &metadata::Meta,
    title: Option<&str>,
    matched: &rules::Matched,
) -> (Vec<Para>, Vec<String>) {
    let known_tags = meta.known_tags();
    let page = Page {
        dom,
        title,
        h1: &meta.h1,
        known_tags: &known_tags,
        forced_dead: &matched.strip,
    };
    let found = body(&page, &matched.body);
    if matched.body.is_empty()
        && let Some(ld_body) = meta.ld.body.as_deref()
        && let Some(root) = articlebody_container(dom, ld_body, &found.0)
    {
        return body(&page, &[root]);
    }
    found
}

/// Paragraphs joined by blank lines, and the code-point ranges of the
/// block quotations among them.
fn join(paras: &[Para]) -> (String, Vec<(usize, usize)>) {
    let body = paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut block_quotes = Vec::new();
    let mut at = 0;
    for p in paras {
        let len = p.text.chars().count();
        if p.quote {
            block_quotes.push((at, at + len));
        }
        at += len + 2;
    }
    (body, block_quotes)
}

/// What every extraction attempt on one page shares.
struct Page<'p, 'a> {
    dom: &'p Dom<'a>,
    title: Option<&'p str>,
    h1: &'p [String],
    known_tags: &'p [String],
    forced_dead: &'p [usize],
}

/// Runs the scorer with ever fewer heuristics until one attempt finds
/// enough text, keeping the longest result. Site-rule roots skip scoring.
fn body(page: &Page, rule_roots: &[usize]) -> (Vec<Para>, Vec<String>) {
    let dom = page.dom;
    let body_idx = dom.find("body").unwrap_or(0);
    let mut best: Option<(Vec<Para>, Vec<String>, usize)> = None;
    for flags in ATTEMPTS {
        let mut sc = Scorer::new(dom, flags, page.forced_dead);
        // A container named by a rule or by articleBody is wanted whatever
        // its class says.
        for &r in rule_roots {
            sc.dead[r] = false;
        }
        let roots = if rule_roots.is_empty() {
            sc.select().unwrap_or_else(|| vec![body_idx])
        } else {
            rule_roots.to_vec()
        };
        sc.clean(&roots);
        let paras = render::paragraphs(dom, &sc.dead, &roots);
        let paras = drop_headline(paras, page.title, page.h1);
        let (paras, tags) = render::filter(paras, page.title, page.known_tags);
        let len: usize = paras.iter().map(|p| p.text.len()).sum();
        let done = len >= ENOUGH_TEXT || !rule_roots.is_empty();
        // A later, looser attempt wins only when the first found next to
        // nothing or the new one is much longer: short articles exist, and
        // looser attempts tend to add teasers and boxes.
        if best
            .as_ref()
            .is_none_or(|b| len > b.2 && (b.2 < SHORT_TEXT || len > 3 * b.2))
        {
            best = Some((paras, tags, len));
        }
        if done {
            break;
        }
    }
    best.map(|(p, t, _)| (p, t)).unwrap_or_default()
}

fn word_bag(s: &str) -> Bag {
    let mut bag = Bag::default();
    for w in s
        .split(|c: char| !crate::text::is_alphanumeric(c))
        .filter(|w| !w.is_empty())
    {
        *bag.entry(crate::text::lowercase(w)).or_insert(0) += 1;
    }
    bag
}

type Bag = foldhash::HashMap<String, u32>;

/// F1 of the word overlap, and the share of `target` that `a` covers.
fn bag_match(a: &Bag, target: &Bag) -> (f32, f32) {
    let (na, nt): (u32, u32) = (a.values().sum(), target.values().sum());
    if na == 0 || nt == 0 {
        return (0.0, 0.0);
    }
    let common: u32 = a
        .iter()
        .map(|(w, &c)| c.min(target.get(w).copied().unwrap_or(0)))
        .sum();
    (
        2.0 * common as f32 / (na + nt) as f32,
        common as f32 / nt as f32,
    )
}

/// When the extracted body holds less than half of the words of the page's
/// JSON-LD `articleBody` (which may be a truncated copy, hence coverage and
/// not equality), the element whose text matches `articleBody` best, if it
/// covers clearly more of it.
fn articlebody_container(dom: &Dom, ld_body: &str, paras: &[Para]) -> Option<usize> {
    let target = word_bag(ld_body);
    if target.values().sum::<u32>() < 50 {
        return None;
    }
    let current: String = paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let (_, current_cover) = bag_match(&word_bag(&current), &target);
    if current_cover >= 0.5 {
        return None;
    }
    let want = dom::count_text(ld_body).0 as usize;
    let mut chars = vec![0usize; dom.len()];
    for i in (0..dom.len()).rev() {
        chars[i] += dom.nodes[i].chars as usize;
        if let Some(p) = dom.parent(i) {
            chars[p] += chars[i];
        }
    }
    let candidate = |i: usize| {
        let n = &dom.nodes[i];
        n.is_element()
            && !matches!(n.name, "script" | "head" | "html")
            && chars[i] * 10 >= want * 6
            && chars[i] <= want * 3
    };
    let mut best: Option<(usize, f32, f32)> = None;
    for i in 0..dom.len() {
        // A wrapper's only text is its child's: the same words, and the
        // wrapper, met first, keeps the tie. Wrapper chains are long.
        let same_as_parent = dom
            .parent(i)
            .is_some_and(|p| chars[p] == chars[i] && candidate(p));
        if !candidate(i) || same_as_parent {
            continue;
        }
        let (f1, cover) = bag_match(&word_bag(&dom.text_of(i)), &target);
        if best.is_none_or(|(_, b, _)| f1 > b) {
            best = Some((i, f1, cover));
        }
    }
    let (root, f1, cover) = best?;
    (f1 >= 0.6 && cover > current_cover + 0.3).then_some(root)
}

/// The headline repeated at the top of the container belongs in `title`.
fn drop_headline(mut paras: Vec<Para>, title: Option<&str>, h1: &[String]) -> Vec<Para> {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let n = paras.len().min(3);
    if let Some(pos) = paras[..n].iter().position(|p| {
        title.is_some_and(|t| same(&p.text, t)) || h1.iter().any(|h| same(&p.text, h))
    }) {
        paras.remove(pos);
    }
    paras
}

/// The page as the extractor sees it: prescanned, then parsed.
fn parse_page(html: &str, attributes: Attributes) -> Html {
    parse(&prescan::strip_raw_text(html, attributes))
}

/// Parses a page as `Html::parse_document` does, into a tree whose node
/// vector is sized up front. Grown from empty it doubles a dozen times on
/// a news page, copying every node each time: that copying was 1.2% of the
/// extractor's instructions. Each `<` opens at most one element, and the
/// text nodes between them come to fewer than half as many again: on the
/// 283 dev pages, nodes per `<` have a median of 0.78 and a maximum of
/// 1.24 after the prescan (which drops white space next to block tags);
/// where a site rule keeps the page's white space, 1.28 and 1.64. A page
/// that needs more grows as before. The price is memory: peak resident
/// size over the 181 pages of extraction-dev went from 22 to 24 MB when
/// this came in.
fn parse(html: &str) -> Html {
    use html5ever::tendril::TendrilSink;
    let tags = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let mut doc = Html::new_document();
    doc.tree = ego_tree::Tree::with_capacity(scraper::Node::Document, tags * 3 / 2 + 16);
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(doc), Default::default()).one(html)
}
