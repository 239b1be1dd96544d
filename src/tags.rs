//! Tag normalisation and merging across the sources a page and feed offer.

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

/// One tag as it should be shown, or `None` when nothing is left.
pub fn normalise(raw: &str) -> Option<String> {
    let mut t = crate::text::collapse_whitespace(raw);
    for label in ["tags:", "tag:", "topics:", "keywords:"] {
        if t.get(..label.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(label))
        {
            t = t[label.len()..].trim().to_string();
        }
    }
    // "Politics (12)" and "Politics 12" style counts from tag clouds.
    if let Some(open) = t.rfind(" (")
        && t.ends_with(')')
        && t[open + 2..t.len() - 1].chars().all(|c| c.is_ascii_digit())
    {
        t.truncate(open);
    }
    let t = t.trim_matches(|c: char| c == ',' || c == ';' || c == '#' || c.is_whitespace());
    (!t.is_empty() && t.chars().count() <= 100).then(|| t.to_string())
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
    fn drops_punctuation_only_tags() {
        assert_eq!(normalise(" , "), None);
        assert_eq!(normalise("#rust"), Some("rust".into()));
    }
}
