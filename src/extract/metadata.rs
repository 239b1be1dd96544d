//! What the page states about itself: JSON-LD, OpenGraph and other meta
//! tags, microdata and plain markup, gathered in one pass and then resolved
//! by precedence (structured data first, markup last).

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use regex::Regex;
use serde_json::Value;
use url::Url;

use super::attrs::Attr;
use super::dom::{Dom, attr};
use super::hints;

/// Raw findings, before precedence is applied.
#[derive(Debug, Default)]
pub struct Meta {
    pub html_lang: Option<String>,
    pub content_language: Option<String>,
    pub title_tag: Option<String>,
    pub h1: Vec<String>,
    pub og_title: Option<String>,
    pub twitter_title: Option<String>,
    pub site_name: Option<String>,
    pub og_url: Option<String>,
    pub canonical: Option<String>,
    pub og_image: Option<String>,
    pub twitter_image: Option<String>,
    pub og_locale: Option<String>,
    pub published: Vec<String>,
    pub modified: Vec<String>,
    pub meta_authors: Vec<String>,
    pub rel_authors: Vec<String>,
    pub itemprop_authors: Vec<String>,
    pub bylines: Vec<String>,
    pub time_datetime: Option<String>,
    /// `article:tag`: one tag per meta element, commas included.
    pub article_tags: Vec<String>,
    pub parsely_tags: Vec<String>,
    pub keywords: Vec<String>,
    pub news_keywords: Vec<String>,
    pub rel_tags: Vec<(usize, String)>,
    pub ld: LdArticle,
}

/// The fields of the page's JSON-LD article object (the first article-like
/// object wins; `WebPage` fills only what is still missing).
#[derive(Debug, Default)]
pub struct LdArticle {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub keywords: Vec<String>,
    /// `about`: the things the article is about, by name.
    pub about: Vec<String>,
    pub body: Option<String>,
    pub image: Option<String>,
    pub publisher: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    found_article: bool,
}

pub fn collect(dom: &Dom) -> Meta {
    let mut m = Meta::default();
    let mut in_nav_until = 0usize;
    for (i, n) in dom.nodes.iter().enumerate() {
        let Some(el) = n.el else { continue };
        if i >= in_nav_until && (n.name == "nav" || attr(el, Attr::Role) == Some("navigation")) {
            in_nav_until = n.end as usize;
        }
        // Tested token by token, so no lower-cased copy per link.
        let rel = |want: &str| {
            attr(el, Attr::Rel)
                .is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case(want)))
        };
        match n.name {
            "html" if m.html_lang.is_none() => {
                m.html_lang = attr(el, Attr::Lang)
                    .or_else(|| attr(el, Attr::XmlLang))
                    .map(str::to_string);
            }
            "title" if m.title_tag.is_none() => m.title_tag = nonempty(dom.text_of(i)),
            "h1" if m.h1.len() < 3 => m.h1.extend(nonempty(dom.text_of(i))),
            "meta" => meta_tag(&mut m, el),
            "link" if m.canonical.is_none() && rel("canonical") => {
                m.canonical = attr(el, Attr::Href).map(|s| s.trim().to_string());
            }
            "script"
                if attr(el, Attr::Type)
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let raw: String = dom.nodes[i + 1..n.end as usize]
                    .iter()
                    .map(|c| c.text)
                    .collect();
                json_ld(&mut m.ld, &raw);
            }
            "a" => {
                if rel("author")
                    && let Some(t) = nonempty(dom.text_of(i))
                {
                    m.rel_authors.push(t);
                }
                if rel("tag")
                    && i >= in_nav_until
                    && let Some(t) = nonempty(dom.text_of(i))
                {
                    m.rel_tags.push((i, t));
                }
            }
            "time" if m.time_datetime.is_none() && i >= in_nav_until => {
                m.time_datetime = attr(el, Attr::Datetime).map(str::to_string);
            }
            _ => {}
        }
        if let Some(prop) = attr(el, Attr::Itemprop) {
            itemprop(&mut m, dom, i, prop);
        }
        if m.bylines.len() < 2 {
            byline(&mut m, dom, i);
        }
    }
    m
}

/// Microdata dates and authors.
fn itemprop(m: &mut Meta, dom: &Dom, i: usize, prop: &str) {
    let n = &dom.nodes[i];
    let Some(el) = n.el else { return };
    match prop {
        "datePublished" => {
            if let Some(v) = attr(el, Attr::Content).or_else(|| attr(el, Attr::Datetime)) {
                m.published.push(v.to_string());
            }
        }
        "dateModified" => {
            if let Some(v) = attr(el, Attr::Content).or_else(|| attr(el, Attr::Datetime)) {
                m.modified.push(v.to_string());
            }
        }
        // The name may sit in a nested itemprop=name.
        "author" | "creator" if n.name != "meta" && n.name != "link" => {
            if let Some(t) = nonempty(dom.text_of(i))
                && t.chars().count() < 80
            {
                m.itemprop_authors.push(t);
            }
        }
        _ => {}
    }
}

/// A box named "byline" or "author" outside comments and furniture.
fn byline(m: &mut Meta, dom: &Dom, i: usize) {
    let n = &dom.nodes[i];
    let Some(el) = n.el else { return };
    if n.class_flags & hints::META == 0
        || matches!(n.name, "meta" | "html" | "body" | "script" | "link")
    {
        return;
    }
    let Some(class) = attr(el, Attr::Class) else {
        return;
    };
    let c = class.to_ascii_lowercase();
    let named = c.split_whitespace().any(|t| {
        (t.contains("byline") || t.contains("author"))
            && ![
                "bio", "avatar", "image", "img", "photo", "desc", "about", "more", "list", "social",
            ]
            .iter()
            .any(|x| t.contains(x))
    });
    if named && hints::flags(&c) & hints::BOILER == 0 && !in_comments(dom, i) {
        let t = dom.text_of(i);
        if !t.is_empty() && t.chars().count() < 120 {
            m.bylines.push(t);
        }
    }
}

/// Precedence: which of the page's statements about itself wins.
/// Structured data first, then the meta tags, then plain markup.
impl Meta {
    pub fn site_name(&self) -> Option<String> {
        self.site_name.clone().or_else(|| self.ld.publisher.clone())
    }

    /// The headline without a " | Site" suffix. The page's `<title>` is
    /// the referee: the first of og:title, JSON-LD headline, twitter:title
    /// and the h1 that the `<title>` repeats wins (a site-wide og:title or
    /// a section heading in the h1 is not repeated there); when none is,
    /// the declared ones come first, then the `<title>`, then the h1.
    pub fn title(&self) -> Option<String> {
        let site_name = self.site_name();
        let declared = [
            self.og_title.as_ref(),
            self.ld.headline.as_ref(),
            self.twitter_title.as_ref(),
        ];
        let h1 = self.h1.first();
        let not_site = |t: &&String| {
            site_name
                .as_ref()
                .is_none_or(|s| !t.eq_ignore_ascii_case(s))
        };
        let agreed = self.title_tag.as_ref().and_then(|tag| {
            let tag = tag.to_lowercase();
            declared
                .into_iter()
                .chain([h1])
                .flatten()
                .filter(not_site)
                // An h1 wrapping a whole page of text is not the headline;
                // skipped before any copy, as it can be long.
                .filter(|c| c.len() <= 4 * tag.len())
                .find(|c| {
                    let c = crate::text::collapse_whitespace(c).to_lowercase();
                    c.chars().count() >= 4 && tag.contains(&c)
                })
        });
        agreed
            .or_else(|| declared.into_iter().flatten().find(not_site))
            .or(self.title_tag.as_ref())
            .or(h1)
            .map(|t| strip_site(t, site_name.as_deref()))
            .map(|t| self.h1_within(t))
            .filter(|t| !t.is_empty())
    }

    /// The h1 when the title is the h1 plus a label joined by a separator
    /// ("Nahost-Ticker: X" over an h1 "X", "Section: X | Site"): what the
    /// page shows as its headline lacks the label, so the label is the
    /// site's. A title the h1 repeats in full stays as it is.
    fn h1_within(&self, title: String) -> String {
        const SEPARATORS: &[char] = &[':', '|', '-', '–', '—', '·', '»', '/'];
        let lower = title.to_lowercase();
        for h1 in self.h1.iter().filter(|h| h.len() <= 4 * title.len()) {
            let h = crate::text::collapse_whitespace(h1);
            let hl = h.to_lowercase();
            if hl.len() >= lower.len() || h.split_whitespace().count() < 2 {
                continue;
            }
            let rest = if let Some(r) = lower.strip_suffix(&hl) {
                r.trim_end().strip_suffix(SEPARATORS)
            } else if let Some(r) = lower.strip_prefix(&hl) {
                r.trim_start().strip_prefix(SEPARATORS)
            } else {
                None
            };
            if rest.is_some_and(|r| !r.trim().is_empty() && r.split_whitespace().count() <= 4) {
                return h;
            }
        }
        title
    }

    /// Names from the first source that gives any, de-duplicated.
    pub fn authors(&self) -> Vec<String> {
        let sources: [&[String]; 5] = [
            &self.ld.authors,
            &self.meta_authors,
            &self.itemprop_authors,
            &self.rel_authors,
            &self.bylines,
        ];
        for src in sources {
            let mut names: Vec<String> = Vec::new();
            for raw in src {
                for n in author_names(raw) {
                    if !names.iter().any(|x| x.eq_ignore_ascii_case(&n)) {
                        names.push(n);
                    }
                }
            }
            if !names.is_empty() {
                return names;
            }
        }
        Vec::new()
    }

    /// The publication date; the page's address is the last resort.
    pub fn published(&self, url: Option<&Url>) -> Option<DateTime<FixedOffset>> {
        self.ld
            .published
            .as_deref()
            .and_then(parse_date)
            .or_else(|| self.published.iter().find_map(|d| parse_date(d)))
            .or_else(|| self.time_datetime.as_deref().and_then(parse_date))
            .or_else(|| url.and_then(|u| url_date(u.as_str())))
    }

    pub fn modified(&self) -> Option<DateTime<FixedOffset>> {
        self.ld
            .modified
            .as_deref()
            .and_then(parse_date)
            .or_else(|| self.modified.iter().find_map(|d| parse_date(d)))
    }

    pub fn language(&self) -> Option<String> {
        [
            self.html_lang.as_deref(),
            self.content_language.as_deref(),
            self.og_locale.as_deref(),
            self.ld.language.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find_map(bcp47)
    }

    pub fn canonical_url(&self, base: Option<&Url>) -> Option<String> {
        [
            self.canonical.as_deref(),
            self.og_url.as_deref(),
            self.ld.url.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find_map(|u| resolve(u, base))
    }

    pub fn image(&self, base: Option<&Url>) -> Option<String> {
        [
            self.og_image.as_deref(),
            self.twitter_image.as_deref(),
            self.ld.image.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find_map(|u| resolve(u, base))
    }

    /// Every keyword list the page declares, for recognising a tag line.
    pub fn known_tags(&self) -> Vec<String> {
        [
            &self.article_tags_split(),
            &self.ld.keywords,
            &self.ld.about,
            &self.news_keywords,
            &self.parsely_tags,
            &self.keywords,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }

    /// The page's tags in tiers of trust, the first tier that leaves any
    /// tag wins: the structured data (JSON-LD `keywords` and `about`,
    /// `article:tag`, `parsely-tags`) with the tag line under the body and
    /// the visible tag links; then `news_keywords`; then meta `keywords`,
    /// often a site-wide SEO list. The site's own name is not a topic.
    pub fn tags(&self, tail_tags: &[String], visible: &[String]) -> Vec<String> {
        let article_tags = self.article_tags_split();
        let declared = [
            &self.ld.keywords,
            &self.ld.about,
            &article_tags,
            &self.parsely_tags,
            tail_tags,
            visible,
        ];
        let tiers = [
            declared.concat(),
            self.news_keywords.clone(),
            self.keywords.clone(),
        ];
        let site = self.site_name().map(|s| s.to_lowercase());
        tiers
            .iter()
            .map(|tier| {
                let mut tags = crate::tags::merge(tier);
                tags.retain(|t| site.as_deref() != Some(t.to_lowercase().as_str()));
                tags
            })
            .find(|tags| !tags.is_empty())
            .unwrap_or_default()
    }

    /// Repeated `article:tag` elements hold one tag each, commas included
    /// ("Business, Finance & Economics"); a lone element holding commas is
    /// the whole list in one ("Oceans,New Zealand,Environment").
    fn article_tags_split(&self) -> Vec<String> {
        match self.article_tags.as_slice() {
            [one] => keyword_list(one),
            many => many.to_vec(),
        }
    }
}

/// Inside a comment section or page furniture, where author names are
/// commenters', not the article's.
fn in_comments(dom: &Dom, i: usize) -> bool {
    let mut p = dom.nodes[i].parent;
    while p != super::dom::NONE {
        let n = &dom.nodes[p as usize];
        if matches!(n.name, "nav" | "aside")
            || (n.is_element() && dom.class_id(p as usize).contains("comment"))
        {
            return true;
        }
        p = n.parent;
    }
    false
}

fn nonempty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

/// What a `<meta>` tag's key (`property`, `name`, `itemprop` or
/// `http-equiv`, in that order) is read as.
#[derive(Clone, Copy)]
pub(super) enum MetaKey {
    OgTitle,
    TwitterTitle,
    SiteName,
    OgUrl,
    OgImage,
    TwitterImage,
    OgLocale,
    Language,
    Published,
    Modified,
    Author,
    ArticleTag,
    ParselyTags,
    Keywords,
    NewsKeywords,
}

/// The meta keys the extractor reads, `key` already in lower case. The
/// prescan cuts every `<meta>` tag whose key is none of these.
pub(super) fn meta_key(key: &str) -> Option<MetaKey> {
    use MetaKey::*;
    Some(match key {
        "og:title" => OgTitle,
        "twitter:title" => TwitterTitle,
        "og:site_name" | "application-name" => SiteName,
        "og:url" => OgUrl,
        "og:image" | "og:image:url" | "og:image:secure_url" => OgImage,
        "twitter:image" | "twitter:image:src" => TwitterImage,
        "og:locale" => OgLocale,
        "content-language" | "language" | "dc.language" => Language,
        "article:published_time"
        | "og:article:published_time"
        | "datepublished"
        | "pubdate"
        | "publishdate"
        | "publish-date"
        | "publish_date"
        | "parsely-pub-date"
        | "sailthru.date"
        | "dc.date"
        | "dc.date.issued"
        | "dcterms.created"
        | "date"
        | "article.published"
        | "cxenseparse:recs:publishtime" => Published,
        "article:modified_time"
        | "og:updated_time"
        | "datemodified"
        | "dcterms.modified"
        | "last-modified"
        | "article.updated" => Modified,
        "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author"
        | "byl" | "dcterms.creator" => Author,
        "article:tag" | "og:article:tag" => ArticleTag,
        "parsely-tags" => ParselyTags,
        "keywords" => Keywords,
        "news_keywords" => NewsKeywords,
        _ => return None,
    })
}

fn meta_tag(m: &mut Meta, el: &scraper::node::Element) {
    let key = attr(el, Attr::Property)
        .or_else(|| attr(el, Attr::Name))
        .or_else(|| attr(el, Attr::Itemprop))
        .or_else(|| attr(el, Attr::HttpEquiv));
    let (Some(key), Some(content)) = (key, attr(el, Attr::Content)) else {
        return;
    };
    let content = content.trim();
    if content.is_empty() {
        return;
    }
    let Some(key) = meta_key(&key.trim().to_ascii_lowercase()) else {
        return;
    };
    let set = |slot: &mut Option<String>| {
        if slot.is_none() {
            *slot = Some(crate::text::collapse_whitespace(content));
        }
    };
    use MetaKey::*;
    match key {
        OgTitle => set(&mut m.og_title),
        TwitterTitle => set(&mut m.twitter_title),
        SiteName => set(&mut m.site_name),
        OgUrl => set(&mut m.og_url),
        OgImage => set(&mut m.og_image),
        TwitterImage => set(&mut m.twitter_image),
        OgLocale => set(&mut m.og_locale),
        Language => set(&mut m.content_language),
        Published => m.published.push(content.to_string()),
        Modified => m.modified.push(content.to_string()),
        Author if !content.starts_with("http") => m.meta_authors.push(content.to_string()),
        Author => {}
        // Repeated elements, one tag each: "Business, Finance & Economics"
        // is one tag.
        ArticleTag => m.article_tags.push(content.to_string()),
        ParselyTags => m.parsely_tags.extend(keyword_list(content)),
        Keywords => m.keywords.extend(keyword_list(content)),
        NewsKeywords => m.news_keywords.extend(keyword_list(content)),
    }
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "SocialMediaPosting",
    "SatiricalArticle",
    "AdvertiserContentArticle",
    "Review",
    "Recipe",
];

fn json_ld(ld: &mut LdArticle, raw: &str) {
    let raw = raw.trim();
    let raw = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
        .unwrap_or(raw)
        .trim();
    let Ok(v) = serde_json::from_str::<Value>(raw) else {
        return;
    };
    walk_ld(ld, &v, 0);
}

fn walk_ld(ld: &mut LdArticle, v: &Value, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|x| walk_ld(ld, x, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                walk_ld(ld, g, depth + 1);
            }
            let types: Vec<&str> = match o.get("@type") {
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let is_article = types.iter().any(|t| ARTICLE_TYPES.contains(t));
            let is_page = types.iter().any(|t| t.ends_with("WebPage"));
            if is_article && !ld.found_article {
                ld.found_article = true;
                // An earlier WebPage only filled gaps; the article overrides.
                *ld = LdArticle {
                    found_article: true,
                    ..LdArticle::default()
                };
                fill_ld(ld, o);
            } else if is_page && !ld.found_article {
                fill_ld(ld, o);
            }
            if let Some(main) = o.get("mainEntity") {
                walk_ld(ld, main, depth + 1);
            }
        }
        _ => {}
    }
}

fn fill_ld(ld: &mut LdArticle, o: &serde_json::Map<String, Value>) {
    let s = |k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    ld.headline = ld
        .headline
        .take()
        .or_else(|| s("headline"))
        .or_else(|| s("name"));
    ld.published = ld
        .published
        .take()
        .or_else(|| s("datePublished"))
        .or_else(|| s("dateCreated"));
    ld.modified = ld.modified.take().or_else(|| s("dateModified"));
    ld.body = ld
        .body
        .take()
        .or_else(|| s("articleBody"))
        .or_else(|| s("text"));
    ld.language = ld.language.take().or_else(|| s("inLanguage"));
    if ld.url.is_none() {
        ld.url = s("url").or_else(|| match o.get("mainEntityOfPage") {
            Some(Value::String(u)) => Some(u.clone()),
            Some(Value::Object(p)) => p
                .get("@id")
                .or_else(|| p.get("url"))
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        });
    }
    if ld.authors.is_empty() {
        for k in ["author", "creator"] {
            if let Some(a) = o.get(k) {
                names(a, &mut ld.authors);
            }
            if !ld.authors.is_empty() {
                break;
            }
        }
    }
    if ld.keywords.is_empty() {
        match o.get("keywords") {
            Some(Value::String(k)) => ld
                .keywords
                .extend(k.split(',').map(|s| s.trim().to_string())),
            Some(Value::Array(a)) => ld.keywords.extend(
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.trim().to_string()),
            ),
            _ => {}
        }
    }
    if ld.about.is_empty()
        && let Some(a) = o.get("about")
    {
        names(a, &mut ld.about);
    }
    if ld.image.is_none() {
        ld.image = image(o.get("image"));
    }
    if ld.publisher.is_none()
        && let Some(p) = o.get("publisher")
    {
        let mut v = Vec::new();
        names(p, &mut v);
        ld.publisher = v.into_iter().next();
    }
}

fn names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.starts_with("http") => out.push(s.trim().to_string()),
        Value::Array(a) => a.iter().for_each(|x| names(x, out)),
        Value::Object(o) => {
            if let Some(n) = o.get("name") {
                names(n, out);
            }
        }
        _ => {}
    }
}

fn image(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(|x| image(Some(x))),
        Value::Object(o) => o
            .get("url")
            .or_else(|| o.get("contentUrl"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// Parses the date forms pages use: RFC 3339 with or without seconds, zone
/// colon or zone; plain dates; RFC 2822. A missing zone is read as UTC.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    let utc = |n: NaiveDateTime| Some(Utc.from_utc_datetime(&n).fixed_offset());
    let trimmed = s.trim_end_matches('Z');
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(trimmed, f) {
            return utc(n);
        }
    }
    for f in [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y%m%d",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(trimmed, f) {
            return utc(d.and_hms_opt(0, 0, 0)?);
        }
    }
    // Leading date inside longer text ("2019-11-19T10:00:00.000+0000 GMT").
    if let Some(m) = ISO_PREFIX.find(s)
        && m.start() == 0
        && m.end() < s.len()
    {
        return parse_date(m.as_str());
    }
    None
}

// ASCII digits: what these find is parsed as a number, which only ASCII
// digits make (Unicode `\d` is also several times dearer to compile).
static ISO_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?")
        .expect("static regex")
});

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)[0-9]{2})[/-]([01]?[0-9])[/-]([0-3]?[0-9])(?:/|-|$)|/((?:19|20)[0-9]{2})([01][0-9])([0-3][0-9])/").expect("static regex")
});

/// A date written into the article's address (`/2019/11/19/`).
pub fn url_date(url: &str) -> Option<DateTime<FixedOffset>> {
    let c = URL_DATE.captures(url)?;
    let (y, m, d) = if c.get(1).is_some() {
        (1, 2, 3)
    } else {
        (4, 5, 6)
    };
    let y: i32 = c.get(y)?.as_str().parse().ok()?;
    let m: u32 = c.get(m)?.as_str().parse().ok()?;
    let d: u32 = c.get(d)?.as_str().parse().ok()?;
    let n = NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(0, 0, 0)?;
    Some(Utc.from_utc_datetime(&n).fixed_offset())
}

/// A keywords attribute split at commas and semicolons. Some CMSs escape
/// the value twice ("PG&amp;amp;E"): what the parser left as entity text
/// is read first, so "PG&E" is not split at the entity's semicolon.
fn keyword_list(content: &str) -> Vec<String> {
    let text = if content.contains('&') {
        content
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
    } else {
        content.to_string()
    };
    text.split([',', ';'])
        .map(|s| s.trim().to_string())
        .collect()
}

/// BCP 47 form of a language code: `en_us` → `en-US`, `EN` → `en`.
pub fn bcp47(raw: &str) -> Option<String> {
    let raw = raw
        .trim()
        .split([',', ';'])
        .next()?
        .trim()
        .replace('_', "-");
    let mut parts = raw.split('-');
    let lang = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = lang;
    for p in parts {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            break;
        }
        out.push('-');
        match p.len() {
            2 => out.push_str(&p.to_ascii_uppercase()),
            4 => {
                let mut cs = p.chars();
                out.extend(cs.next().map(|c| c.to_ascii_uppercase()));
                out.push_str(&cs.as_str().to_ascii_lowercase());
            }
            _ => out.push_str(&p.to_ascii_lowercase()),
        }
    }
    Some(out)
}

/// Strips a " | Site" or " - Site" suffix (or prefix) from a page title.
pub fn strip_site(title: &str, site: Option<&str>) -> String {
    let title = crate::text::collapse_whitespace(title);
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| {
                tail.eq_ignore_ascii_case(s) || s.to_lowercase().contains(&tail.to_lowercase())
            }) || (tail.split_whitespace().count() <= 4
                && head.split_whitespace().count() >= 3);
            if tail_is_site && !head.trim().is_empty() {
                return strip_site(head.trim(), site);
            }
            if let Some(s) = site
                && head.eq_ignore_ascii_case(s)
            {
                return tail.trim().to_string();
            }
            // A section label in front: "Opinion | Is Football Violence a Crime?"
            if sep == " | "
                && head.split_whitespace().count() <= 2
                && tail.split_whitespace().count() >= 4
            {
                return tail.trim().to_string();
            }
        }
    }
    title
}

pub use super::byline::author_names;

/// Resolves a possibly relative address against the page's.
pub fn resolve(raw: &str, base: Option<&Url>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Some(u.to_string()),
        Ok(_) => None,
        Err(_) => base.and_then(|b| b.join(raw).ok()).map(|u| u.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn twice_escaped_keywords_are_not_split_at_entities() {
        assert_eq!(
            super::keyword_list("PG&amp;E; water, &quot;Dune&quot;"),
            ["PG&E", "water", "\"Dune\""]
        );
    }

    use super::*;

    #[test]
    fn rel_tokens_are_read_whatever_their_case() {
        let doc = crate::extract::parse_page(
            r#"<html><head><link rel="Canonical" href=" https://x.com/a "></head><body>
               <a rel="nofollow AUTHOR" href="/p/j">Jane Roe</a>
               <a rel="tag" href="/t/rust">Rust</a><a rel="tags" href="/t/x">Not a tag</a>
               </body></html>"#,
            crate::extract::Attributes::Read,
        );
        let m = collect(&Dom::build(&doc));
        assert_eq!(m.canonical.as_deref(), Some("https://x.com/a"));
        assert_eq!(m.rel_authors, ["Jane Roe"]);
        assert_eq!(
            m.rel_tags
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>(),
            ["Rust"]
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2021-10-12T10:00:00+03:00")
                .unwrap()
                .to_rfc3339(),
            "2021-10-12T10:00:00+03:00"
        );
        assert_eq!(
            parse_date("2021-10-12T10:00:00+0300").unwrap().to_rfc3339(),
            "2021-10-12T10:00:00+03:00"
        );
        assert_eq!(
            parse_date("2021-10-12").unwrap().to_rfc3339(),
            "2021-10-12T00:00:00+00:00"
        );
        assert_eq!(
            parse_date("2019-11-19T10:00:00.000Z").unwrap().to_rfc3339(),
            "2019-11-19T10:00:00+00:00"
        );
        assert!(parse_date("yesterday").is_none());
        assert_eq!(
            url_date("https://x.com/2019/11/19/story.html")
                .unwrap()
                .to_rfc3339(),
            "2019-11-19T00:00:00+00:00"
        );
    }

    #[test]
    fn languages() {
        assert_eq!(bcp47("en_us").as_deref(), Some("en-US"));
        assert_eq!(bcp47("EN").as_deref(), Some("en"));
        assert_eq!(bcp47("zh-hant-tw").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(bcp47("english"), None);
    }

    #[test]
    fn titles() {
        assert_eq!(
            strip_site("Kremlin warns of steps | World News", Some("World News")),
            "Kremlin warns of steps"
        );
        assert_eq!(
            strip_site("Site - A long headline here", Some("Site")),
            "A long headline here"
        );
    }
}
