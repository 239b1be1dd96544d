//! Words, punctuation and sentences of the reporter's text, with each
//! quotation folded into a single token so that attribution rules see the
//! frame ("X," she said, "Y.") rather than the quoted words.

use super::spans::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct,
    /// A whole quotation (index into the span list).
    Quote(usize),
    /// A paragraph break.
    Para,
}

#[derive(Debug, Clone)]
pub struct Tok {
    pub kind: Kind,
    pub text: String,
    /// Lowercase form, computed once, and kept only where it differs from
    /// `text` (most words are lower case already: one allocation fewer a
    /// token).
    low: String,
    /// Char offsets of the token in the body.
    pub start: usize,
    pub end: usize,
}

impl Tok {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    /// The lowercase form of a word or a punctuation mark; empty for a
    /// quotation or a paragraph break.
    pub fn lower(&self) -> &str {
        match self.kind {
            Kind::Quote(_) | Kind::Para => "",
            Kind::Word | Kind::Punct if self.low.is_empty() => &self.text,
            Kind::Word | Kind::Punct => &self.low,
        }
    }
    pub fn is_cap(&self) -> bool {
        self.is_word() && self.text.chars().next().is_some_and(char::is_uppercase)
    }
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
    /// The word without a trailing possessive `'s`.
    pub fn base(&self) -> &str {
        self.text
            .strip_suffix("'s")
            .or_else(|| self.text.strip_suffix("\u{2019}s"))
            .or_else(|| self.text.strip_suffix('\''))
            .or_else(|| self.text.strip_suffix('\u{2019}'))
            .unwrap_or(&self.text)
    }
    pub fn is_possessive(&self) -> bool {
        self.is_word() && self.base().len() != self.text.len()
    }
}

// Inlined: called on every character of every article body.
#[inline]
fn word_char(c: char) -> bool {
    crate::text::is_alphanumeric(c) || c == '\u{200d}'
}

/// A full stop between a word and a capitalised word with no space
/// ("Papst.Der"): a sentence end whose space was lost, unlike the stops of
/// "U.S." or "ver.di".
fn missing_space(chars: &[char], dot: usize) -> bool {
    let before = chars[dot - 1];
    let after = chars.get(dot + 1..dot + 3);
    before.is_lowercase() && after.is_some_and(|a| a[0].is_uppercase() && a[1].is_lowercase())
}

/// Two to four lower-case letters ending a word after a full stop: a
/// domain's ending or a name written with a stop ("tagesschau.de",
/// "ver.di"), which stay one word.
fn short_suffix(chars: &[char], from: usize) -> bool {
    let n = chars[from..]
        .iter()
        .take_while(|c| c.is_lowercase())
        .count();
    (2..=4).contains(&n) && chars.get(from + n).is_none_or(|c| !word_char(*c))
}

/// Tokenises the body, folding each span into one token and marking
/// paragraph breaks.
pub fn tokenize(chars: &[char], spans: &[Span]) -> Vec<Tok> {
    // About one token per four characters in running text: sized once
    // rather than grown (and copied) a dozen times.
    let mut toks = Vec::with_capacity(chars.len() / 4);
    let mut i = 0;
    let mut next_span = 0;
    while i < chars.len() {
        if next_span < spans.len() && spans[next_span].open == i {
            let sp = spans[next_span];
            toks.push(Tok {
                kind: Kind::Quote(next_span),
                low: String::new(),
                text: to_string(&chars[sp.start..sp.end]),
                start: sp.open,
                end: sp.close + 1,
            });
            i = sp.close + 1;
            next_span += 1;
            continue;
        }
        let c = chars[i];
        if c == '\n' {
            let mut j = i + 1;
            let mut nl = 1;
            while j < chars.len() && chars[j].is_whitespace() {
                nl += usize::from(chars[j] == '\n');
                j += 1;
            }
            if nl >= 2 {
                toks.push(Tok {
                    kind: Kind::Para,
                    low: String::new(),
                    text: String::new(),
                    start: i,
                    end: j,
                });
            }
            i = j;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if word_char(c) {
            let s = i;
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j];
                let joiner = matches!(d, '-' | '\'' | '\u{2019}' | '.' | '&')
                    && chars.get(j + 1).copied().is_some_and(word_char)
                    && !(d == '.'
                        && (chars.get(j + 1).is_some_and(|n| n.is_lowercase())
                            && j - s > 1
                            && !short_suffix(chars, j + 1)
                            || missing_space(chars, j)));
                // A trailing possessive apostrophe ("players'") stays on the word.
                let trailing_apos = matches!(d, '\'' | '\u{2019}')
                    && matches!(chars[j - 1], 's' | 'S')
                    && chars.get(j + 1).is_none_or(|n| n.is_whitespace());
                if word_char(d) || joiner || trailing_apos {
                    j += 1;
                } else {
                    break;
                }
            }
            let text = to_string(&chars[s..j]);
            toks.push(Tok {
                kind: Kind::Word,
                low: lower_case_if_other(&text),
                text,
                start: s,
                end: j,
            });
            i = j;
            continue;
        }
        toks.push(Tok {
            kind: Kind::Punct,
            low: String::new(),
            text: c.to_string(),
            start: i,
            end: i + 1,
        });
        i += 1;
    }
    toks
}

/// The characters as a string, allocated once at their count: collecting
/// them grows an empty string instead, a reallocation on every word.
pub(super) fn to_string(chars: &[char]) -> String {
    let mut s = String::with_capacity(chars.len());
    s.extend(chars);
    s
}

/// `str::to_lowercase`, with the common all-ASCII word done byte by byte;
/// empty where the word is lower case already.
fn lower_case_if_other(word: &str) -> String {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            word.to_ascii_lowercase()
        } else {
            String::new()
        }
    } else {
        let low = crate::text::lowercase(word);
        if low == word { String::new() } else { low }
    }
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "sgt",
    "capt", "prof", "inc", "ltd", "co", "corp", "no", "vs", "etc", "u.s", "u.k", "a.m", "p.m",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "rev",
    "ft", "mt", "e.g", "i.e", "approx", "dept", "univ", "messrs",
];

fn starts_sentence(t: &Tok) -> bool {
    match t.kind {
        Kind::Quote(_) | Kind::Para => true,
        Kind::Word => t
            .text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric()),
        Kind::Punct => matches!(t.text.as_str(), "(" | "[" | "\u{2014}"),
    }
}

/// The sentence of `sents` holding token `tok` (the token alone if none
/// does).
pub fn sentence_of(sents: &[(usize, usize)], tok: usize) -> (usize, usize) {
    sents
        .iter()
        .copied()
        .find(|&(s, e)| s <= tok && tok < e)
        .unwrap_or((tok, tok + 1))
}

/// Sentence ranges as token index ranges `[s, e)`. Full stops inside
/// quotations do not split; a quotation ending in `.`/`?`/`!` followed by a
/// new sentence does.
pub fn sentences(toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let mut cut = None;
        match t.kind {
            Kind::Para => {
                if s < i {
                    out.push((s, i));
                }
                s = i + 1;
                i += 1;
                continue;
            }
            Kind::Punct if matches!(t.text.as_str(), "." | "!" | "?" | ";") => {
                let abbrev = t.text == "."
                    && i > 0
                    && toks[i - 1].is_word()
                    && toks[i - 1].end == t.start
                    && {
                        let w = toks[i - 1].lower();
                        ABBREVIATIONS.contains(&w)
                            || (w.chars().count() == 1 && toks[i - 1].is_cap())
                    };
                let next = toks.get(i + 1);
                if !abbrev && next.is_none_or(|n| starts_sentence(n) || t.text == ";") {
                    cut = Some(i + 1);
                }
            }
            Kind::Quote(_) => {
                let last = t.text.trim_end().chars().last();
                if matches!(last, Some('.' | '!' | '?'))
                    && toks.get(i + 1).is_none_or(|n| {
                        n.kind == Kind::Para || matches!(n.kind, Kind::Quote(_)) || n.is_cap()
                    })
                {
                    cut = Some(i + 1);
                }
            }
            _ => {}
        }
        if let Some(c) = cut {
            out.push((s, c));
            s = c;
        }
        i += 1;
    }
    if s < toks.len() {
        out.push((s, toks.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::spans::find_spans;
    use super::*;

    #[test]
    fn lower_is_str_to_lowercase() {
        for w in [
            "McDONALD's",
            "abc",
            "",
            "ΟΔΥΣΣΕΥΣ",
            "İstanbul",
            "Straße",
            "U.S.",
        ] {
            let stored = lower_case_if_other(w);
            let low = if stored.is_empty() { w } else { &stored };
            assert_eq!(low, w.to_lowercase(), "{w}");
        }
        // A word's lower() is its lower-case form, stored or not; a
        // quotation's is empty.
        let chars: Vec<char> = "Ms Ávila said \"Hello\" twice.".chars().collect();
        let toks = tokenize(&chars, &find_spans(&chars));
        let lows: Vec<&str> = toks.iter().map(Tok::lower).collect();
        assert_eq!(lows, ["ms", "ávila", "said", "", "twice", "."]);
    }

    fn sents(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let spans = find_spans(&chars);
        let toks = tokenize(&chars, &spans);
        sentences(&toks)
            .into_iter()
            .map(|(a, b)| {
                toks[a..b]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn abbreviations_and_quoted_full_stops_do_not_split() {
        let s = sents(
            "Dr. Weiss met Mr. Hale in the U.S. on Monday. \"It went well. Very well,\" he said. Then they left.",
        );
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[1].ends_with("he said ."));
    }

    #[test]
    fn a_full_stop_that_lost_its_space_still_ends_the_sentence() {
        let s = sents("Sie reiste nach Paris.Dort sprach sie. Die U.S. Army und ver.di blieben.");
        // "U.S. Army" and "ver.di" keep their stops inside the sentence.
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0], "Sie reiste nach Paris .");
        assert_eq!(s[1], "Dort sprach sie .");
    }

    #[test]
    fn a_quote_ending_a_sentence_splits_before_a_capital() {
        let s = sents("She explained it. \"We are done.\" The talks ended.");
        assert_eq!(s.len(), 3, "{s:?}");
    }

    #[test]
    fn domains_and_names_with_a_stop_are_one_word() {
        let chars: Vec<char> = "zitiert tagesschau.de die Gewerkschaft ver.di heute"
            .chars()
            .collect();
        let toks = tokenize(&chars, &[]);
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            vec![
                "zitiert",
                "tagesschau.de",
                "die",
                "Gewerkschaft",
                "ver.di",
                "heute"
            ]
        );
    }

    #[test]
    fn possessives_and_hyphens_stay_in_words() {
        let chars: Vec<char> = "Kyiv's players' high-level talks".chars().collect();
        let toks = tokenize(&chars, &[]);
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, vec!["Kyiv's", "players'", "high-level", "talks"]);
        assert!(toks[0].is_possessive() && toks[1].is_possessive());
        assert_eq!(toks[0].base(), "Kyiv");
    }
}
