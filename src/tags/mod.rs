//! Tag normalisation and merging across the sources a page and feed offer.

mod labels;

use labels::{
    ENTITY_TYPES, HOST_ENDINGS, INTERNAL_LABELS, MACHINE_PREFIXES, SECTION_LABELS,
    TAXONOMY_PREFIXES, WIRE_CODES,
};

/// Normalises tags from every source into one list: trims, folds white
/// space, drops "Tags:" labels and trailing counts, removes case-insensitive
/// duplicates keeping the first spelling seen, keeps order.
pub fn merge<I, S>(sources: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for raw in sources {
        let Some(tag) = normalise(raw.as_ref()) else {
            continue;
        };
        if seen.insert(tag.to_lowercase()) {
            out.push(tag);
        }
    }
    out
}

/// One tag as it should be shown, or `None` when nothing a reader would
/// keep is left: CMS identifiers, machine labels, section headings and
/// taxonomy prefixes are the site's bookkeeping, not the article's topics.
pub fn normalise(raw: &str) -> Option<String> {
    // Some CMSs escape tags twice: "Privacy &amp;amp; Technology".
    let mut t = if raw.contains("&amp;") {
        crate::text::collapse_whitespace(&raw.replace("&amp;", "&"))
    } else {
        crate::text::collapse_whitespace(raw)
    };
    let lower = t.to_lowercase();
    if MACHINE_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return None;
    }
    t = strip_taxonomy_prefixes(t);
    // "Politics (12)" and "Politics 12" style counts from tag clouds.
    if let Some(open) = t.rfind(" (")
        && t.ends_with(')')
        && t[open + 2..t.len() - 1].chars().all(|c| c.is_ascii_digit())
    {
        t.truncate(open);
    }
    let t = strip_entity_types(&t)?;
    let t = t.trim_matches(|c: char| c == ',' || c == ';' || c == '#' || c.is_whitespace());
    let readable = !t.is_empty()
        && t.chars().count() <= 100
        && t.split_whitespace().count() <= 10
        && !is_identifier(t)
        && !is_single_latin_letter(t)
        && !is_label(t);
    readable.then(|| t.to_string())
}

/// Section headings, placement labels and wire codes: the site's filing,
/// not the article's topics.
fn is_label(t: &str) -> bool {
    let lower = t.to_lowercase();
    SECTION_LABELS.contains(&lower.as_str())
        || INTERNAL_LABELS.contains(&lower.as_str())
        || WIRE_CODES.contains(&t)
}

/// Drops tags that only repeat the headline: a tag is a topic, the title
/// is not one.
pub fn without_headline(tags: Vec<String>, title: Option<&str>) -> Vec<String> {
    let Some(title) = title.map(words).filter(|w| !w.is_empty()) else {
        return tags;
    };
    tags.into_iter()
        .filter(|tag| {
            let w = words(tag);
            // Most of the headline's words: the headline, perhaps cut or
            // with a site name; a few of them ("L.A. Auto Show") are a topic.
            let headline = w.len() >= 4
                && w.iter().all(|x| title.contains(x))
                && w.len() * 5 >= title.len() * 4;
            !(w == title || headline)
        })
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// "Category: Economy" and "Tags: Topic: Economy" become "Economy".
fn strip_taxonomy_prefixes(mut t: String) -> String {
    while let Some((head, rest)) = t.split_once(':') {
        let head = head.trim().to_lowercase();
        if !TAXONOMY_PREFIXES.contains(&head.as_str()) || rest.trim().is_empty() {
            break;
        }
        t = rest.trim().to_string();
    }
    t
}

/// "Mark Esper GOVERNMENT_FIGURE PERSON" is "Mark Esper"; a tag that was
/// nothing but type words is `None`.
fn strip_entity_types(t: &str) -> Option<String> {
    let is_type = |w: &&str| {
        w.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            && (w.contains('_') || ENTITY_TYPES.contains(w))
    };
    if !t.split_whitespace().any(|w| is_type(&w)) {
        return Some(t.to_string());
    }
    let kept: Vec<&str> = t.split_whitespace().filter(|w| !is_type(w)).collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

/// Ids, paths, addresses and snake_case flags: written for the CMS.
fn is_identifier(t: &str) -> bool {
    let lower = t.to_lowercase();
    let one_word = !t.contains(' ');
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let hex_id = one_word
        && t.len() >= 12
        && digits > 0
        && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    let number = t
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
        && !(t.len() == 4 && (t.starts_with("19") || t.starts_with("20")));
    let host = one_word && t.contains('.') && HOST_ENDINGS.iter().any(|e| lower.ends_with(e));
    // "AdNode:culture/wide_angle", "@post-id:1913719", "&quot" left by a split.
    let markup = t.contains('@')
        || t.starts_with('/')
        || t.contains("://")
        || t.starts_with('&')
        || lower.ends_with("&amp")
        || lower.ends_with("&quot")
        || t.split_once(':').is_some_and(|(_, r)| !r.starts_with(' '));
    // "stream-23490979": a CMS object named by its number.
    let numbered = one_word && t.contains('-') && longest_digit_run(t) >= 5;
    // "null" and "undefined": an empty CMS field printed as text.
    let empty_field = matches!(lower.as_str(), "null" | "undefined" | "none" | "nan");
    hex_id || number || numbered || host || markup || empty_field || (one_word && t.contains('_'))
}

fn longest_digit_run(t: &str) -> usize {
    t.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// "T" and "E" left when "PG&E" was split; CJK single characters are words.
fn is_single_latin_letter(t: &str) -> bool {
    let mut c = t.chars();
    c.next().is_some_and(|c| c.is_ascii_alphabetic()) && c.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_case_insensitively_in_order() {
        let got = merge(["Kremlin", " NATO ", "nato", "Tags: Putin", "Peskov (3)", ""]);
        assert_eq!(got, ["Kremlin", "NATO", "Putin", "Peskov"]);
    }

    #[test]
    fn non_ascii_near_label_length() {
        assert_eq!(normalise("or MaT – x").as_deref(), Some("or MaT – x"));
    }

    #[test]
    fn taxonomy_prefixes_are_stripped_and_machine_labels_dropped() {
        assert_eq!(normalise("Category: Economy").as_deref(), Some("Economy"));
        assert_eq!(
            normalise("topic: Politics & Policy").as_deref(),
            Some("Politics & Policy")
        );
        assert_eq!(
            normalise("Kategorie: Wirtschaft").as_deref(),
            Some("Wirtschaft")
        );
        assert_eq!(normalise("NLP Category: Politics"), None);
        assert_eq!(normalise("NLP Entity Tokens: Fairmont Jasper park"), None);
        // A colon inside a real tag stays.
        assert_eq!(
            normalise("Star Wars: The Rise of Skywalker").as_deref(),
            Some("Star Wars: The Rise of Skywalker")
        );
    }

    #[test]
    fn cms_identifiers_are_dropped() {
        for id in [
            "26157981-b4f7-4a5e-9c3a-1f2e3d4c5b6a",
            "1913719",
            "ottawacitizen.com",
            "@post-id:1913719",
            "@hp-top-stories",
            "AdNode:culture/wide_angle",
            "channel_other",
            "_no-apple-news",
            "/article",
            "&quot",
            "PG&amp",
            "T",
            "paul.doe@example.com twitter.com/pauldoe",
            "null",
            "stream-23490979",
        ] {
            assert_eq!(normalise(id), None, "{id}");
        }
        assert_eq!(normalise("2020").as_deref(), Some("2020"));
        assert_eq!(normalise("COVID-19").as_deref(), Some("COVID-19"));
        assert_eq!(
            normalise("Privacy &amp; Technology").as_deref(),
            Some("Privacy & Technology")
        );
        assert_eq!(normalise("新").as_deref(), Some("新"));
    }

    #[test]
    fn entity_type_words_are_removed() {
        assert_eq!(
            normalise("Mark Esper GOVERNMENT_FIGURE PERSON").as_deref(),
            Some("Mark Esper")
        );
        assert_eq!(normalise("PERSON POLITICIAN"), None);
        assert_eq!(normalise("NATO").as_deref(), Some("NATO"));
    }

    #[test]
    fn section_headings_are_not_tags() {
        for label in [
            "News",
            "Uncategorized",
            "THEMEN",
            "Front Page",
            "新聞",
            "Nachrichten",
            "Show more",
            "Tags",
            "features",
        ] {
            assert_eq!(normalise(label), None, "{label}");
        }
        assert_eq!(normalise("World news").as_deref(), Some("World news"));
    }

    #[test]
    fn placement_labels_and_wire_codes_are_dropped() {
        for label in [
            "Region National",
            "Primary Region National",
            "MEAST",
            "ASXPAC",
        ] {
            assert_eq!(normalise(label), None, "{label}");
        }
        for topic in ["Region Hannover", "Asia", "NATO"] {
            assert_eq!(normalise(topic).as_deref(), Some(topic));
        }
    }

    #[test]
    fn the_headline_is_not_a_tag() {
        let tags = vec![
            "Michigan".to_string(),
            "Michigan Officials: 6th Fatality Linked To EEE".to_string(),
        ];
        let got = without_headline(tags, Some("Michigan Officials: 6th Fatality Linked To EEE"));
        assert_eq!(got, ["Michigan"]);
        let got = without_headline(
            vec!["2018 Boys State Swim Results".into()],
            Some("2018 Boys State Swim Results"),
        );
        assert!(got.is_empty());
        let got = without_headline(
            vec!["L.A. Auto Show".into()],
            Some("New SUVs and electric vehicles highlight L.A. Auto Show"),
        );
        assert_eq!(got, ["L.A. Auto Show"]);
    }

    #[test]
    fn drops_punctuation_only_tags() {
        assert_eq!(normalise(" , "), None);
        assert_eq!(normalise("#rust"), Some("rust".into()));
    }
}
