//! Class/id keyword hints, matched with one automaton per string.
//!
//! Pages name their boxes; the names are the cheapest evidence there is for
//! what a box holds. All keyword families are folded into one Aho-Corasick
//! automaton so classifying an element is a single scan of its class/id.

use std::sync::LazyLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

/// Unlikely to hold the article (removed before scoring on the first try).
pub const UNLIKELY: u8 = 1;
/// Rescues an UNLIKELY match ("article-header" style names).
pub const MAYBE: u8 = 2;
pub const POSITIVE: u8 = 4;
pub const NEGATIVE: u8 = 8;
/// Furniture that is removed from inside the chosen container.
pub const BOILER: u8 = 16;
/// Byline/dateline/metadata boxes.
pub const META: u8 = 32;
/// Holds a substring that may be a tag-list or advertising token; the exact
/// token tests run only then.
pub const TAGISH: u8 = 64;
pub const ADISH: u8 = 128;

const KEYWORDS: &[(&str, u8)] = &[
    ("-ad-", UNLIKELY | NEGATIVE | BOILER),
    ("ai2html", UNLIKELY),
    ("banner", UNLIKELY | NEGATIVE),
    ("breadcrumb", UNLIKELY | BOILER),
    ("combx", UNLIKELY | NEGATIVE),
    ("comment", UNLIKELY | NEGATIVE | BOILER),
    ("community", UNLIKELY),
    ("cover-wrap", UNLIKELY),
    ("disqus", UNLIKELY | BOILER),
    ("extra", UNLIKELY),
    ("footer", UNLIKELY | NEGATIVE),
    ("gdpr", UNLIKELY | NEGATIVE | BOILER),
    ("cookie", UNLIKELY | NEGATIVE | BOILER),
    ("consent", UNLIKELY | BOILER),
    ("header", UNLIKELY),
    ("legends", UNLIKELY),
    ("menu", UNLIKELY | BOILER),
    ("related", UNLIKELY | NEGATIVE | BOILER),
    ("remark", UNLIKELY),
    ("replies", UNLIKELY),
    ("rss", UNLIKELY),
    ("shoutbox", UNLIKELY | NEGATIVE),
    ("sidebar", UNLIKELY | NEGATIVE),
    ("skyscraper", UNLIKELY | NEGATIVE),
    ("social", UNLIKELY | BOILER),
    ("sponsor", UNLIKELY | NEGATIVE | BOILER),
    ("supplemental", UNLIKELY),
    ("ad-break", UNLIKELY | BOILER),
    ("agegate", UNLIKELY),
    ("pagination", UNLIKELY | POSITIVE),
    ("pager", UNLIKELY),
    ("popup", UNLIKELY | BOILER),
    ("yom-remote", UNLIKELY),
    ("and", MAYBE),
    ("article", MAYBE | POSITIVE),
    ("body", MAYBE | POSITIVE),
    ("column", MAYBE),
    ("content", MAYBE | POSITIVE),
    ("main", MAYBE | POSITIVE),
    ("shadow", MAYBE),
    ("entry", POSITIVE),
    ("hentry", POSITIVE),
    ("h-entry", POSITIVE),
    ("page", POSITIVE),
    ("post", POSITIVE),
    ("text", POSITIVE),
    ("blog", POSITIVE),
    ("story", POSITIVE),
    ("hidden", NEGATIVE),
    ("com-", NEGATIVE),
    ("contact", NEGATIVE),
    ("foot", NEGATIVE),
    ("footnote", NEGATIVE),
    ("masthead", NEGATIVE),
    ("media", NEGATIVE),
    ("meta", NEGATIVE | META),
    ("outbrain", NEGATIVE | BOILER),
    ("taboola", NEGATIVE | BOILER),
    ("promo", NEGATIVE | BOILER),
    ("scroll", NEGATIVE),
    ("share", NEGATIVE | BOILER),
    ("sharing", NEGATIVE | BOILER),
    ("shopping", NEGATIVE),
    ("tags", NEGATIVE | BOILER),
    ("tag-list", BOILER),
    ("taglist", BOILER),
    ("keywords", BOILER),
    ("tool", NEGATIVE),
    ("widget", NEGATIVE | BOILER),
    ("newsletter", NEGATIVE | BOILER),
    ("subscribe", BOILER),
    ("signup", BOILER),
    ("sign-up", BOILER),
    ("read-more", BOILER),
    ("readmore", BOILER),
    ("read-also", BOILER),
    ("readalso", BOILER),
    ("also-read", BOILER),
    ("see-also", BOILER),
    ("recommend", NEGATIVE | BOILER),
    ("more-stories", BOILER),
    ("most-popular", BOILER),
    ("mostpopular", BOILER),
    ("trending", BOILER),
    // Author biographies under the story ("author-bio", "post-body-bio").
    ("-bio", BOILER),
    ("_bio", BOILER),
    ("byline", META),
    ("author", META),
    ("dateline", META),
    ("timestamp", META),
    ("published", META),
    ("posted-on", META),
    ("caption", BOILER),
    ("credit", BOILER),
    ("print", BOILER),
    ("toolbar", BOILER),
    ("advert", NEGATIVE | BOILER),
    ("adslot", BOILER),
    ("ad-slot", BOILER),
    ("ad-container", BOILER),
    ("ad-wrapper", BOILER),
    ("dfp", BOILER),
    ("inline-ad", BOILER),
    ("nav", BOILER),
    ("follow", BOILER),
    ("donate", BOILER),
    ("paywall", BOILER),
    ("subscription", BOILER),
    ("tag", TAGISH),
    ("keywords", TAGISH),
    ("topic", TAGISH),
    ("ad", ADISH),
    ("sponsored", ADISH),
];

static AUTOMATON: LazyLock<DFA> = LazyLock::new(|| {
    DFA::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .build(KEYWORDS.iter().map(|(k, _)| k))
        .expect("static keyword automaton")
});

/// Every keyword family matched in a class/id string. The automaton is
/// stepped a byte at a time and every match state's keywords are taken,
/// which is what an overlapping search reports, without its iterator's
/// bookkeeping per match (class values hold many short keywords).
pub fn flags(s: &str) -> u8 {
    let dfa = &*AUTOMATON;
    let Ok(mut sid) = dfa.start_state(Anchored::No) else {
        return 0;
    };
    let mut f = 0;
    for &b in s.as_bytes() {
        sid = dfa.next_state(Anchored::No, sid, b);
        if dfa.is_match(sid) {
            for k in 0..dfa.match_len(sid) {
                f |= KEYWORDS[dfa.match_pattern(sid, k).as_usize()].1;
            }
        }
    }
    f
}

/// Readability's class weight: -25 per negative hint, +25 per positive one,
/// class and id judged apart.
pub fn class_weight(class_flags: u8, id_flags: u8) -> f32 {
    let mut w = 0.0;
    for f in [class_flags, id_flags] {
        if f & NEGATIVE != 0 {
            w -= 25.0;
        }
        if f & POSITIVE != 0 {
            w += 25.0;
        }
    }
    w
}

/// Whole-token class names for advertising boxes, which substring tests
/// cannot catch without hitting "header" or "shadow".
pub fn is_ad_token(s: &str) -> bool {
    s.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .any(|t| {
            [
                "ad",
                "ads",
                "adv",
                "advert",
                "advertisement",
                "adsbygoogle",
                "sponsored",
            ]
            .iter()
            .any(|k| t.eq_ignore_ascii_case(k))
        })
}

/// Class names of tag lists (`post-tags`, `tags-links`, `tag-list`,
/// `keywords`). WordPress marks every post with `tag-<name>` classes, and
/// "tagline" or "stage" are not tags either, so a bare "tag" part counts
/// only next to a list-like word.
pub fn is_tag_box(s: &str) -> bool {
    s.split_whitespace().any(|class| {
        let parts: Vec<&str> = class.split(['-', '_']).collect();
        parts.iter().any(|p| {
            ["tags", "keywords", "topics", "taglist"]
                .iter()
                .any(|k| p.eq_ignore_ascii_case(k))
        }) || (parts.iter().any(|p| p.eq_ignore_ascii_case("tag"))
            && (parts.len() == 1
                || parts.iter().any(|p| {
                    ["list", "links", "box", "container", "wrapper", "group"]
                        .iter()
                        .any(|k| p.eq_ignore_ascii_case(k))
                })))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combines_families() {
        let f = flags("article-comments");
        assert!(f & UNLIKELY != 0 && f & MAYBE != 0 && f & BOILER != 0);
        assert_eq!(flags(""), 0);
        assert!(class_weight(flags("post-body"), 0) > 0.0);
        assert!(class_weight(flags("share-tools"), flags("sidebar")) < 0.0);
        assert!(flags("post-body-bio") & BOILER != 0);
        assert!(flags("author_bio") & BOILER != 0);
        assert!(flags("biotech-story") & BOILER == 0);
    }

    #[test]
    fn token_tests_do_not_catch_substrings() {
        assert!(is_ad_token("box ad-slot"));
        assert!(!is_ad_token("header shadow"));
        assert!(is_tag_box("post-tags"));
        assert!(!is_tag_box("tagline stage"));
        assert!(!is_tag_box("post type-post tag-rust tag-rss"));
        assert!(is_tag_box("tags-links"));
        assert!(is_tag_box("tag-list"));
    }
}
