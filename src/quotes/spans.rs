//! Pairing quotation marks into spans.
//!
//! Straight marks (`"`) look the same whether they open or close, so each
//! mark is classified by what surrounds it (space before and a letter after
//! opens; a letter or punctuation before and space after closes). A stack
//! then lets an opening mark inside an open quotation start a nested quote
//! (`"... beyond the "red lines" of ..."`) instead of ending the outer one.
//! Paragraphs are parsed one at a time so that a stray mark in scraped text
//! can only spoil its own paragraph.

/// A quotation found between marks, in char offsets of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Offset of the opening mark.
    pub open: usize,
    /// Offset of the closing mark (one past the text).
    pub close: usize,
    /// The text between the marks, whitespace-trimmed.
    pub start: usize,
    pub end: usize,
}

fn is_double(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{2033}'
    )
}

fn is_single(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2039}' | '\u{203a}'
    )
}

/// True for any character that may delimit a quotation.
pub fn is_quote_mark(c: char) -> bool {
    is_double(c) || is_single(c)
}

fn opens_context(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => {
            p.is_whitespace()
                || matches!(
                    p,
                    '(' | '[' | '{' | '\u{2014}' | '\u{2013}' | '/' | ':' | ',' | ';'
                )
                || is_quote_mark(p)
        }
    }
}

fn closes_context(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(n) => {
            n.is_whitespace()
                || matches!(
                    n,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '\u{2014}'
                        | '\u{2013}'
                        | '-'
                )
                || is_quote_mark(n)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

/// How a double mark reads from its glyph and surroundings.
fn double_role(chars: &[char], i: usize, para_start: usize, para_end: usize) -> Role {
    let c = chars[i];
    let prev = if i > para_start {
        Some(chars[i - 1])
    } else {
        None
    };
    let next = if i + 1 < para_end {
        Some(chars[i + 1])
    } else {
        None
    };
    let can_open = next.is_some_and(|n| !n.is_whitespace()) && opens_context(prev);
    let can_close = prev.is_some_and(|p| !p.is_whitespace()) && closes_context(next);
    match c {
        '\u{201e}' => Role::Open,
        // Guillemets point either way: «…» in French and Russian, »…« in
        // German. Where they touch the words, that decides; set off by
        // spaces (« … »), the French reading holds.
        '\u{ab}' | '\u{bb}' => match (
            can_open && next.is_some_and(char::is_alphanumeric),
            can_close && prev.is_some_and(|p| p.is_alphanumeric() || ".!?\u{2026}".contains(p)),
        ) {
            (true, false) => Role::Open,
            (false, true) => Role::Close,
            _ if c == '\u{ab}' => Role::Open,
            _ => Role::Close,
        },
        '\u{201d}' if !can_open || can_close => Role::Close,
        '\u{201c}' if can_close && !can_open => Role::Close,
        '\u{201c}' => Role::Open,
        _ => match (can_open, can_close) {
            (true, false) => Role::Open,
            (false, true) => Role::Close,
            _ => Role::Either,
        },
    }
}

/// Splits `chars` into paragraphs: runs separated by a blank line.
pub fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\n' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\n' && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == '\n' {
                out.push((start, i));
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

fn first_visible(chars: &[char], s: usize, e: usize) -> Option<usize> {
    (s..e).find(|&i| !chars[i].is_whitespace())
}

/// Finds all top-level quotations in the body.
pub fn find_spans(chars: &[char]) -> Vec<Span> {
    let paras = paragraphs(chars);
    let mut spans = Vec::new();
    let mut p = 0;
    while p < paras.len() {
        let (consumed, mut found) = parse_from(chars, &paras, p);
        spans.append(&mut found);
        p += consumed.max(1);
    }
    spans
}

/// Parses paragraph `p` (and following ones when a quotation runs on);
/// returns how many paragraphs were consumed and the spans found.
fn parse_from(chars: &[char], paras: &[(usize, usize)], p: usize) -> (usize, Vec<Span>) {
    let mut stack: Vec<usize> = Vec::new();
    let mut spans = Vec::new();
    let mut q = p;
    let mut skip_mark: Option<usize> = None;
    loop {
        let (ps, pe) = paras[q];
        let mut i = ps;
        while i < pe {
            let c = chars[i];
            if Some(i) == skip_mark {
                i += 1;
                continue;
            }
            if is_double(c) {
                let role = double_role(chars, i, ps, pe);
                let close = match role {
                    Role::Open => false,
                    Role::Close => true,
                    Role::Either => !stack.is_empty(),
                };
                if close {
                    if let Some(o) = stack.pop()
                        && stack.is_empty()
                    {
                        spans.push(make_span(chars, o, i));
                    }
                } else {
                    stack.push(i);
                }
            } else if is_single(c)
                && stack.is_empty()
                && let Some(j) = single_close(chars, i, ps, pe)
            {
                spans.push(make_span(chars, i, j));
                i = j;
            }
            i += 1;
        }
        if stack.is_empty() {
            return (q - p + 1, spans);
        }
        // A quotation that runs on: it opened its paragraph (or followed a
        // colon or comma) and the next paragraph reopens it.
        if stack.len() == 1 && q + 1 < paras.len() && runs_on(chars, stack[0], paras[q].0) {
            let (ns, ne) = paras[q + 1];
            if let Some(f) = first_visible(chars, ns, ne)
                && is_double(chars[f])
                && double_role(chars, f, ns, ne) != Role::Close
            {
                skip_mark = Some(f);
                q += 1;
                continue;
            }
        }
        // Unbalanced marks: fall back to flat pairing, paragraph by paragraph.
        let mut out = Vec::new();
        for &(s, e) in &paras[p..=q] {
            out.extend(flat_pairs(chars, s, e));
        }
        return (q - p + 1, out);
    }
}

/// An unclosed quotation may run into the next paragraph only when it
/// starts its own paragraph or follows `:`/`,` (`He said: "...`).
fn runs_on(chars: &[char], open: usize, para_start: usize) -> bool {
    if open < para_start {
        // Already running on from an earlier paragraph.
        return true;
    }
    let before = chars[para_start..open]
        .iter()
        .rev()
        .find(|c| !c.is_whitespace());
    matches!(before, None | Some(':' | ','))
}

/// Pairs marks left to right without nesting, skipping marks that cannot
/// open or close where they stand.
fn flat_pairs(chars: &[char], s: usize, e: usize) -> Vec<Span> {
    let marks: Vec<(usize, Role)> = (s..e)
        .filter(|&i| is_double(chars[i]))
        .map(|i| (i, double_role(chars, i, s, e)))
        .collect();
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, role) in marks {
        match (open, role) {
            (None, Role::Open | Role::Either) => open = Some(i),
            (Some(o), Role::Close | Role::Either) => {
                out.push(make_span(chars, o, i));
                open = None;
            }
            (Some(_), Role::Open) => open = Some(i),
            (None, Role::Close) => {}
        }
    }
    out
}

/// For a single mark that may open a quotation, the offset of its closing
/// mark in the same paragraph; apostrophes never qualify.
fn single_close(chars: &[char], i: usize, ps: usize, pe: usize) -> Option<usize> {
    let c = chars[i];
    if !matches!(c, '\'' | '\u{2018}' | '\u{201a}' | '\u{2039}') {
        return None;
    }
    let prev = if i > ps { Some(chars[i - 1]) } else { None };
    let next = chars.get(i + 1).copied().filter(|_| i + 1 < pe)?;
    // Two apostrophes in a row are markup (wiki italics, TeX's closing
    // quote), not a mark that opens a quotation.
    if c == '\'' && prev == Some('\'') {
        return None;
    }
    if !opens_context(prev) || !(next.is_alphabetic() || next == '[' || next == '.') {
        return None;
    }
    let mut j = i + 1;
    while j < pe {
        let d = chars[j];
        if is_double(d) {
            return None;
        }
        let want = match c {
            '\u{2039}' => d == '\u{203a}',
            // German ‚…‘ closes with a high turned comma, or a plain one
            // when no turned comma follows (the plain one may be a name's
            // apostrophe: ‚Das ist Klaus’ Sache‘).
            '\u{201a}' => {
                d == '\u{2018}' || d == '\u{2019}' && !chars[j + 1..pe].contains(&'\u{2018}')
            }
            _ => d == '\'' || d == '\u{2019}',
        };
        if want {
            let before = chars[j - 1];
            let after = if j + 1 < pe { Some(chars[j + 1]) } else { None };
            let word_internal = after.is_some_and(char::is_alphanumeric);
            // "players' union": a plural possessive, not a closing mark.
            let possessive = matches!(before, 's' | 'S')
                && after.is_some_and(|a| a == ' ')
                && chars.get(j + 2).is_some_and(|n| n.is_lowercase());
            if !before.is_whitespace() && !word_internal && !possessive && closes_context(after) {
                // Two words at least, so a lone quoted letter is not a span.
                let inner = crate::quotes::tokens::to_string(&chars[i + 1..j]);
                return inner.trim().contains(' ').then_some(j);
            }
        }
        j += 1;
    }
    None
}

fn make_span(chars: &[char], open: usize, close: usize) -> Span {
    let mut start = open + 1;
    let mut end = close;
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    Span {
        open,
        close,
        start,
        end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        find_spans(&chars)
            .into_iter()
            .map(|sp| crate::quotes::tokens::to_string(&chars[sp.start..sp.end]))
            .collect()
    }

    #[test]
    fn nested_straight_marks_stay_inside_the_outer_quote() {
        let t = r#""This goes beyond the "red lines" of Russia's interests," Peskov said."#;
        assert_eq!(
            texts(t),
            vec![r#"This goes beyond the "red lines" of Russia's interests,"#]
        );
    }

    #[test]
    fn curly_guillemet_and_low_marks() {
        assert_eq!(
            texts("He said “yes” and «non» and „ja“."),
            vec!["yes", "non", "ja"]
        );
    }

    #[test]
    fn multi_paragraph_quote_is_one_span() {
        let t = "\"First part.\n\n\"Second part,\" she said.";
        assert_eq!(texts(t), vec!["First part.\n\n\"Second part,"]);
    }

    #[test]
    fn unbalanced_mark_does_not_swallow_the_article() {
        let t = "He said \"one thing.\n\nThen \"another\" came.";
        assert_eq!(texts(t), vec!["another"]);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(
            texts("The players' union said it's Kyiv's 'big day' now.")
                .contains(&"big day".to_string())
        );
        assert!(texts("Rock 'n' roll isn't dead, the fans' voices say.").is_empty());
    }

    #[test]
    fn doubled_apostrophes_are_markup_not_quotes() {
        // Wiki italics left in a text: a party's name, a Latin phrase.
        assert!(texts("Die ''Partei der Mitte'' gewann, er handelte ''pro forma''.").is_empty());
        // A single-quoted quotation beside them still counts.
        assert_eq!(
            texts("Das ''Blatt'' schrieb, sie sei 'sehr zufrieden' gewesen."),
            ["sehr zufrieden"]
        );
    }

    #[test]
    fn german_single_low_marks_pair_at_top_level() {
        assert_eq!(
            texts("Sie sagte: ‚Die Schule bleibt offen.‘ Dann ging sie."),
            ["Die Schule bleibt offen."]
        );
        // A name's apostrophe inside is not the closing mark.
        assert_eq!(
            texts("Er rief: ‚Das ist jetzt Klaus’ Sache und nicht meine.‘ Dann ging er."),
            ["Das ist jetzt Klaus’ Sache und nicht meine."]
        );
    }

    #[test]
    fn single_quotes_nested_in_double_are_part_of_it() {
        let t = "\"Trump said, 'Let's talk about it tomorrow.'\" he wrote.";
        assert_eq!(
            texts(t),
            vec!["Trump said, 'Let's talk about it tomorrow.'"]
        );
    }
}
