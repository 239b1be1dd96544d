//! Turns the chosen container into paragraphs, and drops the paragraph-level
//! furniture that has no telling class name: labels ("Comments",
//! "Advertisement"), "Read also" boxes, bylines and datelines, a trailing
//! tag line.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use aho_corasick::AhoCorasick;

use super::dom::{Dom, is_block, is_heading};
use super::labels;

#[derive(Debug, Clone)]
pub struct Para {
    pub text: String,
    /// Share of the characters that sit inside links.
    pub link_ratio: f32,
    pub heading: bool,
    pub list_item: bool,
    /// Inside a `<blockquote>`: a quotation even without quotation marks.
    pub quote: bool,
    /// Links to the site's privacy, terms or house-rules pages.
    pub legal_links: u8,
}

struct Builder {
    raw: String,
    link_chars: usize,
    heading: bool,
    list_item: bool,
    quote: bool,
    legal_links: u8,
    /// Append the next paragraph to the previous one (a quote's attribution).
    attach: bool,
    out: Vec<Para>,
}

impl Builder {
    fn flush(&mut self) {
        if self.raw.trim().is_empty() {
            self.raw.clear();
            self.link_chars = 0;
            self.legal_links = 0;
            return;
        }
        let text = crate::text::collapse_whitespace(&self.raw);
        if std::mem::take(&mut self.attach)
            && let Some(last) = self.out.last_mut()
        {
            last.text.push(' ');
            last.text.push_str(&text);
            self.reset();
            return;
        }
        // Its only white space is the single spaces `collapse_whitespace`
        // leaves: counted as bytes, not by testing every character.
        let spaces = text.bytes().filter(|&b| b == b' ').count();
        let n = (text.chars().count() - spaces).max(1);
        self.out.push(Para {
            link_ratio: (self.link_chars as f32 / n as f32).min(1.0),
            text,
            heading: self.heading,
            list_item: self.list_item,
            quote: self.quote,
            legal_links: self.legal_links,
        });
        self.reset();
    }

    fn reset(&mut self) {
        self.raw.clear();
        self.link_chars = 0;
        self.heading = false;
        self.list_item = false;
        self.quote = false;
        self.legal_links = 0;
    }
}

/// Renders the live part of the given subtrees as paragraphs.
pub fn paragraphs(dom: &Dom, dead: &[bool], roots: &[usize]) -> Vec<Para> {
    let mut b = Builder {
        raw: String::new(),
        link_chars: 0,
        heading: false,
        list_item: false,
        quote: false,
        legal_links: 0,
        attach: false,
        out: Vec::new(),
    };
    // Ends (exclusive) of the open block elements and links.
    let mut blocks: Vec<u32> = Vec::new();
    let mut link_end = 0u32;
    let mut quote_end = 0u32;
    for &root in roots {
        let end = dom.nodes[root].end as usize;
        let mut i = root;
        while i < end {
            while blocks.last().is_some_and(|&e| e as usize <= i) {
                blocks.pop();
                b.flush();
            }
            let node = &dom.nodes[i];
            if dead[i] {
                i = node.end as usize;
                continue;
            }
            if let Some(_el) = node.el {
                match node.name {
                    "br" | "hr" => b.flush(),
                    "td" | "th" => b.raw.push(' '),
                    "a" => {
                        link_end = link_end.max(node.end);
                        if node.links_legal_page() {
                            b.legal_links = b.legal_links.saturating_add(1);
                        }
                    }
                    // The attribution stays in the quote's paragraph, where
                    // the quote reader looks for its speaker.
                    "footer" if dom.cites_blockquote(i) => {
                        b.flush();
                        b.attach = true;
                    }
                    "blockquote" => {
                        b.flush();
                        quote_end = quote_end.max(node.end);
                        blocks.push(node.end);
                    }
                    "img" => {}
                    name if is_block(name) => {
                        b.flush();
                        if is_heading(name) {
                            b.heading = true;
                        }
                        if name == "li" || name == "dd" || name == "dt" {
                            b.list_item = true;
                        }
                        blocks.push(node.end);
                    }
                    _ => {}
                }
            } else if !node.text.is_empty() {
                b.raw.push_str(node.text);
                if (i as u32) < quote_end && !node.text.trim().is_empty() {
                    b.quote = true;
                }
                if (i as u32) < link_end {
                    b.link_chars += node.text.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            i += 1;
        }
        blocks.clear();
        b.flush();
    }
    b.flush();
    b.out
}

static LABELS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| labels::all(labels::LABELS).collect());

static READ_ALSO: LazyLock<Regex> = LazyLock::new(|| {
    let lead_ins: Vec<String> = labels::all(labels::LEAD_INS).map(regex::escape).collect();
    Regex::new(&format!(r"(?i)^({})\s*[:：\-–—|»>]", lead_ins.join("|"))).expect("lead-in regex")
});

static NOTICES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(labels::all(labels::NOTICES))
        .expect("notice automaton")
});

// Digits beside English words are ASCII `[0-9]`: Unicode `\d` (every
// script's digits) makes a pattern several times dearer to compile, a
// cost every process pays. A dateline may be all digits, in the script
// of the page (`news_digits`).

/// "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05 ..." lines.
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(published|updated|posted|last updated|first published|modified)\b\s*(on|at)?\s*:?\s*\S*[0-9]").expect("static regex")
});

static N_COMMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?[0-9]+\)?\s+comments?$|^comments?\s*\([0-9]+\)$").expect("static regex")
});

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(by|written by|posted by|von|por|par)\s+\p{Lu}").expect("static regex")
});

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&crate::text::news_digits(
        r"(?i)^((published|updated|posted|last updated|first published)( on| at)?:?\s*)?((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})([\s,|at]*\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?)?(\s*[a-z]{2,4})?$",
    ))
    .expect("static regex")
});

/// An unrendered CMS shortcode ("[button link=...]Send[/button]"): it opens
/// with `[name…]` and ends with `[/name]`, with no line break between.
/// Read by hand: as a regex, its Unicode word classes cost more to build
/// than most pages spend on it.
fn is_shortcode(t: &str) -> bool {
    let word = |c: char| crate::text::is_alphanumeric(c) || c == '_';
    let Some(rest) = t.strip_prefix('[').filter(|r| r.starts_with(word)) else {
        return false;
    };
    let Some(open_end) = rest.find(']') else {
        return false;
    };
    let Some(body) = rest[open_end + 1..].strip_suffix(']') else {
        return false;
    };
    let Some(close) = body.rfind("[/") else {
        return false;
    };
    let name = &body[close + 2..];
    !body[..close].contains('\n') && !name.is_empty() && name.chars().all(word)
}

fn label_key(t: &str) -> String {
    label_core(t).to_lowercase()
}

fn label_core(t: &str) -> &str {
    t.trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
}

/// `label_key(t) == key`, without lower-casing every paragraph of the page:
/// lower-casing never shortens a text in characters, so a core longer than
/// `key` cannot match.
fn has_label_key(t: &str, key: &str) -> bool {
    let core = label_core(t);
    core.chars().count() <= key.chars().count() && core.to_lowercase() == key
}

pub fn is_label(t: &str) -> bool {
    t.chars().count() <= 60
        && (LABELS.contains(label_key(t).as_str()) || N_COMMENTS.is_match(t.trim()))
}

/// Drops furniture paragraphs; returns the trailing tag line when there is
/// one (its items are the page's tags).
pub fn filter(
    paras: Vec<Para>,
    title: Option<&str>,
    known_tags: &[String],
) -> (Vec<Para>, Vec<String>) {
    let title_key = title.map(label_key);
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    // After a "Don't miss" / "Related" label, the linked lines are its list.
    let mut after_label = false;
    for (idx, p) in paras.into_iter().enumerate() {
        let t = p.text.as_str();
        if is_label(t) {
            after_label = true;
            continue;
        }
        if after_label && p.link_ratio > 0.6 {
            continue;
        }
        after_label = false;
        if p.link_ratio >= 0.9 && shouting(t) {
            continue;
        }
        if is_shortcode(t) || (t.chars().count() < 120 && STAMP.is_match(t)) {
            continue;
        }
        // "Read our privacy policy and house rules": a notice, in any language.
        if t.len() < 600 && (p.legal_links >= 2 || NOTICES.is_match(t)) {
            continue;
        }
        if title_key
            .as_deref()
            .is_some_and(|k| !k.is_empty() && has_label_key(t, k))
        {
            continue;
        }
        let chars = t.chars().count();
        if READ_ALSO.is_match(t) && (chars < 200 || p.link_ratio > 0.5) {
            continue;
        }
        if out.len() < 3 && idx < 8 && chars < 100 && (BYLINE.is_match(t) || DATELINE.is_match(t)) {
            continue;
        }
        if chars < 60 && DATELINE.is_match(t) {
            continue;
        }
        if out.is_empty() && idx < 3 && looks_like_dateline(t) {
            continue;
        }
        out.push(p);
    }
    // Trailing furniture: headings with nothing under them, link-only lines.
    let mut tags = Vec::new();
    while let Some(last) = out.last() {
        if last.heading
            || is_label(&last.text)
            || (last.link_ratio > 0.9 && last.text.chars().count() < 80 && out.len() > 1)
        {
            if let Some(t) = tag_line(&last.text)
                && tags.is_empty()
                && last.link_ratio > 0.9
            {
                tags = t;
            }
            out.pop();
            continue;
        }
        if tags.is_empty()
            && let Some(t) = tag_line(&last.text).or_else(|| known_tag_line(&last.text, known_tags))
        {
            tags = t;
            out.pop();
            continue;
        }
        break;
    }
    // A paragraph cut in two by an inline box that is now gone: the first
    // half stops mid-sentence and the second starts in lower case.
    let mut joined: Vec<Para> = Vec::with_capacity(out.len());
    for p in out {
        if let Some(prev) = joined.last_mut()
            && !prev.heading
            && !p.heading
            && !prev.list_item
            && !p.list_item
            && !prev
                .text
                .ends_with(['.', '!', '?', ':', ';', '"', '”', '’', ')', '…'])
            && p.text.chars().next().is_some_and(char::is_lowercase)
        {
            prev.text.push(' ');
            prev.text.push_str(&p.text);
            continue;
        }
        joined.push(p);
    }
    let out = joined;
    (out, tags)
}

/// Mostly capital letters: the house style of inline promo links.
fn shouting(t: &str) -> bool {
    let (mut upper, mut letters) = (0, 0);
    for c in t.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    letters >= 10 && upper * 10 >= letters * 8
}

/// A short line naming a year and little else, in any language
/// ("segunda-feira, 22 de janeiro de 2018 às 0:13").
fn looks_like_dateline(t: &str) -> bool {
    let words = t.split_whitespace().count();
    words <= 8
        && t.chars().count() < 70
        && !t.ends_with(['.', '!', '?'])
        && t.split(|c: char| !c.is_ascii_digit())
            .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))
}

/// A comma list whose items are mostly the page's declared keywords.
fn known_tag_line(t: &str, known: &[String]) -> Option<Vec<String>> {
    if known.is_empty() || t.len() > 600 {
        return None;
    }
    let items: Vec<&str> = t
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if items.len() < 2 {
        return None;
    }
    let hits = items
        .iter()
        .filter(|it| known.iter().any(|k| k.trim().eq_ignore_ascii_case(it)))
        .count();
    (hits * 5 >= items.len() * 4).then(|| items.into_iter().map(str::to_string).collect())
}

/// "Kremlin, Peskov, NATO, Putin": three or more short capitalised items,
/// comma separated, no sentence punctuation.
pub fn tag_line(t: &str) -> Option<Vec<String>> {
    let t = t.trim();
    let t = t
        .strip_prefix("Tags:")
        .or_else(|| t.strip_prefix("Tags"))
        .or_else(|| t.strip_prefix("Topics:"))
        .unwrap_or(t)
        .trim();
    if t.len() > 300 || t.ends_with('.') || t.contains(['!', '?', '"', '“', '”']) {
        return None;
    }
    let items: Vec<&str> = t.split([',', ';', '|', '·']).map(str::trim).collect();
    if items.len() < 3 {
        return None;
    }
    let ok = items.iter().all(|it| {
        let words = it.split_whitespace().count();
        (1..=4).contains(&words)
            && it
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric() || c == '#')
            && !it.contains(". ")
    });
    ok.then(|| items.into_iter().map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_found_as_the_pattern_had_them() {
        for t in [
            "[button link=\"/x\"]Send[/button]",
            "[a][/a]",
            "[caption id=1\nalign=left]A photo[/caption]",
            "[gallery_1 ids=2]x ] y[/gallery_1]",
        ] {
            assert!(is_shortcode(t), "{t}");
        }
        for t in [
            "[/a]",
            "[ a][/a]",
            "[b]bold",
            "[b]one\ntwo[/b]",
            "[b]x[/]",
            "[b]x[/b] after",
            "[b]x[/b c]",
            "text [b]x[/b]",
        ] {
            assert!(!is_shortcode(t), "{t}");
        }
    }

    #[test]
    fn label_key_test_agrees_with_lower_casing() {
        let texts = [
            "Breaking News:",
            "  ΟΔΗΓΟΣ ΤΟΥ ΚΟΣΜΟΣ ",
            "İstanbul",
            "\u{212a}elvin",
            "Kelvin",
            "A much longer paragraph that is not the headline at all.",
            "",
        ];
        for t in texts {
            for k in texts.map(label_key) {
                assert_eq!(has_label_key(t, &k), label_key(t) == k, "{t:?} / {k:?}");
            }
        }
        assert!(has_label_key("– Kelvin! ", "kelvin"));
    }

    fn para(t: &str) -> Para {
        Para {
            text: t.into(),
            link_ratio: 0.0,
            heading: false,
            list_item: false,
            quote: false,
            legal_links: 0,
        }
    }

    #[test]
    fn tag_line_needs_short_capitalised_items() {
        assert_eq!(
            tag_line("Kremlin, Peskov, NATO, Putin").unwrap(),
            ["Kremlin", "Peskov", "NATO", "Putin"]
        );
        assert!(tag_line("He said, however, that it was fine.").is_none());
        assert!(tag_line("Paris, France").is_none());
    }

    #[test]
    fn drops_labels_bylines_and_trailing_tags() {
        let paras = vec![
            para("By Jane Doe"),
            para("First real paragraph of the story, long enough."),
            para("Read also: Something else entirely"),
            para("Second paragraph."),
            para("Kremlin, Peskov, NATO, Putin"),
            para("Comments"),
        ];
        let (out, tags) = filter(paras, None, &[]);
        let texts: Vec<_> = out.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "First real paragraph of the story, long enough.",
                "Second paragraph."
            ]
        );
        assert_eq!(tags, ["Kremlin", "Peskov", "NATO", "Putin"]);
    }

    #[test]
    fn keyword_lines_and_foreign_datelines() {
        let known = vec!["stock car".to_string(), "interlagos".to_string()];
        let paras = vec![
            para("segunda-feira, 22 de janeiro de 2018 às 0:13"),
            para("Body text here."),
            para("stock car, Interlagos"),
        ];
        let (out, tags) = filter(paras, None, &known);
        assert_eq!(out.len(), 1);
        assert_eq!(tags, ["stock car", "Interlagos"]);
    }

    #[test]
    fn labels_lead_ins_and_notices_in_other_languages() {
        let mut linked = para("ลืออุ้ม อ.สุรชัย ผู้ลี้ภัยหายจากที่พัก 12 วันแล้ว");
        linked.link_ratio = 1.0;
        let paras = vec![
            para("Der Gemeinderat hat am Montag beschlossen, die alte Brücke zu erhalten."),
            para("Kommentare"),
            para("Lesen Sie auch: Neue Radwege für die Innenstadt"),
            para("Нашли ошибку? Выделите текст и нажмите Ctrl+Enter."),
            para("［有料会員限定］ この記事は会員限定です。"),
            para("เรื่องที่เกี่ยวข้อง"),
            linked,
            para("Die Arbeiten beginnen im Frühjahr."),
        ];
        let (out, _) = filter(paras, None, &[]);
        let texts: Vec<_> = out.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Der Gemeinderat hat am Montag beschlossen, die alte Brücke zu erhalten.",
                "Die Arbeiten beginnen im Frühjahr."
            ]
        );
    }

    #[test]
    fn a_paragraph_pointing_at_privacy_and_terms_pages_is_a_notice() {
        let mut notice = para("نرحب بالنقاش. ننصحك بمراجعة إرشادات الاستخدام وسياسة الخصوصية.");
        notice.legal_links = 2;
        let mut story = para("The council met on Monday and read its privacy report.");
        story.legal_links = 1;
        let (out, _) = filter(vec![story, notice], None, &[]);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn datelines() {
        assert!(DATELINE.is_match("Published: 12 October 2021, 10:32"));
        assert!(DATELINE.is_match("Nov. 19, 2019"));
        assert!(!DATELINE.is_match("On Nov. 19, 2019 the council met."));
    }
}
