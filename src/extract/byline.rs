//! A byline or author field split into names: "Von Elena Oberholzer (obe)
//! und Max Muster, Frankfurt" is `["Elena Oberholzer", "Max Muster"]`.
//!
//! The words that differ per language (the "By" in front, the word joining
//! two names, job titles) are data tables below; adding a language is adding
//! rows, not code.
//!
//! Agency credits are kept as authors, one consistent way: a credited news
//! agency (`dpa`, `AFP`, `Reuters`, `AP`...) is an author like a person, in
//! the order the page credits it, spelt as the page spells it, also when
//! it is lower-case or sits in brackets ("(AFP)") or in a slash list
//! ("dpa/AFP"). Only the page's own byline or author field counts: a
//! dateline "CAIRO (Reuters) -" in the body is not read here.

use std::sync::LazyLock;

use regex::Regex;

/// What comes before the names: "By", "Written by", "Von", "Par", "Por",
/// "Door", "Автор:". Up to two words may precede "by" ("Analysis by"), not
/// the others, which start names too ("Alejandro de la Garza").
static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(((\p{L}+\s+){0,2}by|von|por|par|door)\s+|(authors?|autor(in|es)?|auteurs?|автор|авторы|text|texte)\s*:\s*)")
        .expect("static regex")
});

/// Words joining the last two names, per language (en, de, fr, es, pt/it,
/// nl, ru, sv/da/no).
const JOINERS: &[&str] = &[
    " and ", " und ", " et ", " y ", " e ", " en ", " и ", " och ", " og ",
];

/// Words naming a colleague in brackets ("(avec Damien Leloup)"), per
/// language; lower-case, with their space.
const WITH: &[&str] = &["with ", "avec ", "mit ", "con ", "com "];

/// Job titles and desks: a byline item holding one of these is a role, not
/// a person, unless it stands in front of a name ("Redakteur Jonas Weber").
const ROLE_WORDS: &[&str] = &[
    // en
    "editor",
    "correspondent",
    "reporter",
    "writer",
    "contributor",
    "columnist",
    "staff",
    "analyst",
    "photographer",
    "producer",
    "at-large",
    "media",
    "news",
    "press",
    "agency",
    "published",
    "updated",
    "associated",
    "team",
    "desk",
    "bureau",
    // de
    "redakteur",
    "redakteurin",
    "redaktion",
    "korrespondent",
    "korrespondentin",
    "autor",
    "autorin",
    // fr
    "rédacteur",
    "rédactrice",
    "rédaction",
    "journaliste",
    "envoyé",
    "envoyée",
    // es, pt, it
    "redactor",
    "redactora",
    "redacción",
    "periodista",
    "corresponsal",
    "redação",
    "redazione",
    "giornalista",
    // ru
    "корреспондент",
    "редакция",
    "обозреватель",
];

/// News agencies, compared case-insensitively with a whole byline item.
const AGENCIES: &[&str] = &[
    "afp",
    "ap",
    "associated press",
    "the associated press",
    "reuters",
    "dpa",
    "apa",
    "sda",
    "kna",
    "epd",
    "ddp",
    "ansa",
    "efe",
    "europa press",
    "lusa",
    "anp",
    "belga",
    "tass",
    "ria novosti",
    "интерфакс",
    "xinhua",
    "kyodo",
    "yonhap",
    "aap",
    "pa",
    "pa media",
    "the canadian press",
    "bloomberg",
    "cnn wire",
];

/// Bracketed editor's initials ("(obe)", "[jbo]") and bracketed agencies.
/// At most [`BRACKET_CHARS`] inside, which [`bracketed`] checks: a counted
/// repeat of a Unicode class compiles to sixty copies of it.
static BRACKETED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[(\[]([^()\[\]]+)[)\]]").expect("static regex"));

/// The longest bracketed text read as a credit or a sign.
const BRACKET_CHARS: usize = 60;

// A byline's date may be written in the digits of the page's script.
static DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&crate::text::news_digits(r"(?i)\s*(\||,|-|–|—|on|updated|published|posted|aktualisiert|mis à jour)?\s*((jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\.?\s+(jan|feb|mär|mar|apr|may|mai|jun|jul|aug|sep|oct|okt|nov|dec|dez)|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|(mon|tues?|wed|thu|fri|sat|sun)[a-z]*day).*$")).expect("static regex")
});

/// Whether [`DATE_TAIL`] can match: every date or time it reads has a digit
/// or a weekday's "day". Most bylines have neither, and the unanchored
/// search costs tens of thousands of instructions on each.
fn may_hold_date(s: &str) -> bool {
    s.chars().any(char::is_numeric)
        || s.as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"day"))
}

/// Splits a byline into names: no "By " prefix, no roles, no trailing
/// date, no dateline city, no bracketed initials.
pub fn author_names(raw: &str) -> Vec<String> {
    let s = crate::text::collapse_whitespace(raw);
    let s = BY_PREFIX.replace(&s, "");
    let s = if may_hold_date(&s) {
        DATE_TAIL.replace(&s, "")
    } else {
        s
    };
    // The regex costs more to build than most pages spend on bylines.
    let s = if s.contains(['(', '[']) {
        BRACKETED.replace_all(&s, bracketed)
    } else {
        s
    };
    let mut out: Vec<String> = Vec::new();
    let mut one_word = Vec::new();
    for part in s
        .split([',', '&', '|', ';', '/', '\n'])
        .flat_map(split_joined)
    {
        let Some(name) = clean_item(part) else {
            continue;
        };
        if !name.contains(' ') && !is_agency(&name) {
            one_word.push(out.len());
        }
        out.push(name);
    }
    // A lone word beside full names is a dateline ("…, Frankfurt"): people
    // are credited with at least two names when their colleagues are.
    if one_word.len() < out.len() {
        for i in one_word.into_iter().rev() {
            out.remove(i);
        }
    }
    out
}

/// "(AFP)" is a credit and "(avec Damien Leloup)" names a colleague: both
/// become items of the list; "(obe)" is the editor's sign and goes; other
/// brackets are part of the name ("Bruno (Henrique Zecchin) Rodrigues").
fn bracketed(c: &regex::Captures) -> String {
    if c[1].chars().count() > BRACKET_CHARS {
        return c[0].to_string();
    }
    let inner = c[1].trim();
    let with = WITH.iter().find_map(|w| {
        inner
            .get(..w.len())
            .filter(|head| head.eq_ignore_ascii_case(w))
            .map(|_| &inner[w.len()..])
    });
    if is_agency(inner) {
        format!(", {inner}")
    } else if let Some(rest) = with {
        format!(", {rest}")
    } else if inner.chars().count() <= 4 && inner.chars().all(|c| c.is_lowercase()) {
        String::new()
    } else {
        c[0].to_string()
    }
}

fn split_joined(part: &str) -> Vec<&str> {
    let mut parts = vec![part];
    for j in JOINERS {
        parts = parts.into_iter().flat_map(|p| p.split(j)).collect();
    }
    parts
}

/// One byline item as a name, or `None` for roles, glue, addresses.
fn clean_item(part: &str) -> Option<String> {
    let p = BY_PREFIX.replace(part.trim(), "");
    let p = p
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')');
    if is_agency(p) {
        return Some(p.to_string());
    }
    let p = without_leading_role(p);
    let words = p.split_whitespace().count();
    if p.is_empty()
        || words > 5
        || p.contains('@')
        || p.contains("http")
        || p.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let lower = p.to_lowercase();
    let glue = matches!(
        lower.as_str(),
        "by" | "and" | "the" | "von" | "por" | "par" | "und" | "et"
    );
    if glue
        || lower
            .split(|c: char| c.is_whitespace() || c == '-')
            .any(|w| ROLE_WORDS.contains(&w))
        || lower.contains(" for ")
        || lower.contains("-at-")
    {
        return None;
    }
    // Lower-case starts are roles and glue words, not names.
    p.chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then(|| p.to_string())
}

/// "Redakteur Jonas Weber" is Jonas Weber; "Staff Writer" stays a role.
fn without_leading_role(p: &str) -> &str {
    let Some((first, rest)) = p.split_once(' ') else {
        return p;
    };
    let is_role = ROLE_WORDS.contains(&first.to_lowercase().as_str());
    let rest_is_name = rest.split_whitespace().count() >= 2
        && rest
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if is_role && rest_is_name { rest } else { p }
}

fn is_agency(s: &str) -> bool {
    AGENCIES.contains(&s.trim().to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::{author_names, may_hold_date};

    #[test]
    fn english_bylines() {
        assert_eq!(
            author_names("By Jane Doe and John Smith, Reuters"),
            ["Jane Doe", "John Smith", "Reuters"]
        );
        assert_eq!(
            author_names("Analysis by Chris Cillizza, CNN Editor-at-large"),
            ["Chris Cillizza"]
        );
        assert_eq!(
            author_names("By Amy Kuperinsky | NJ Advance Media for NJ.com"),
            ["Amy Kuperinsky"]
        );
        assert_eq!(author_names("Abby Smith"), ["Abby Smith"]);
        assert_eq!(
            author_names("By Anna Lee | Nov. 19, 2019 10:00 am"),
            ["Anna Lee"]
        );
        assert_eq!(
            author_names("Priya Natarajan, Reporter"),
            ["Priya Natarajan"]
        );
    }

    #[test]
    fn trailing_dates_go_whatever_their_form() {
        for (raw, want) in [
            ("Sam Ortiz, Tuesday", "Sam Ortiz"),
            ("Sam Ortiz - updated 9:41", "Sam Ortiz"),
            ("Sam Ortiz 12.03.2024", "Sam Ortiz"),
            // A digit in another script is a digit too.
            ("Sam Ortiz, ١٢/٠٣/٢٠٢٤", "Sam Ortiz"),
        ] {
            assert!(may_hold_date(raw), "{raw}");
            assert_eq!(author_names(raw), [want], "{raw}");
        }
        assert!(!may_hold_date("Sam Ortiz, Reuters"));
    }

    #[test]
    fn joined_names_in_other_languages() {
        assert_eq!(
            author_names("Von Elena Oberholzer (obe) und Max Muster, Frankfurt"),
            ["Elena Oberholzer", "Max Muster"]
        );
        assert_eq!(
            author_names("Par Claire Dubois et Hugo Martin (AFP)"),
            ["Claire Dubois", "Hugo Martin", "AFP"]
        );
        assert_eq!(
            author_names("Martin Untersinger (avec Damien Leloup et Morgane Tual)"),
            ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]
        );
        assert_eq!(
            author_names("Bruno (Henrique Zecchin) Rodrigues"),
            ["Bruno (Henrique Zecchin) Rodrigues"]
        );
        assert_eq!(
            author_names("Lucía Gómez y Pedro Sánchez"),
            ["Lucía Gómez", "Pedro Sánchez"]
        );
        assert_eq!(
            author_names("Анна Петрова и Иван Смирнов, 12.03.2024 10:15"),
            ["Анна Петрова", "Иван Смирнов"]
        );
    }

    #[test]
    fn agencies_are_kept_as_credited() {
        assert_eq!(
            author_names("Von Redakteur Jonas Weber, dpa/AFP"),
            ["Jonas Weber", "dpa", "AFP"]
        );
        assert_eq!(author_names("dpa"), ["dpa"]);
        assert_eq!(
            author_names("The Associated Press"),
            ["The Associated Press"]
        );
    }
}
