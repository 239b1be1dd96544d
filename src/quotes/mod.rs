//! Quotation and speaker extraction from an article body (plain text).
//!
//! The work runs in stages, each in its own module:
//! [`spans`] pairs quotation marks (nesting, multi-paragraph quotes,
//! apostrophes, stray marks); [`tokens`] folds each quotation into one token
//! and splits the reporter's text into sentences; [`names`] builds an
//! article-wide table of people and organisations; [`attrib`] finds speech
//! cues, their subjects and outlets. This module decides what is a
//! quotation at all: titles, names, scare quotes and words-as-words are
//! dropped rather than attributed.
//!
//! Those stages read English. A language with a table in [`lang`] is read
//! by [`clauses`] instead, from the same marks and tokens.

mod attrib;
mod clauses;
mod dashes;
mod lang;
mod lexicon;
mod names;
mod spans;
mod tokens;

use serde::Serialize;

use attrib::{Ctx, Found, Prior};
use lexicon::{ADJACENT_NAMING_SET, NAMING_CUES_SET, SIGN_WORDS_SET};
use names::Entities;
use spans::Span;
use tokens::{Kind, Tok};

/// A full quoted statement, or a fragment woven into reported speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Partial,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The quoted words without the enclosing marks.
    pub text: String,
    /// Fullest name the article gives for the speaker.
    pub speaker: Option<String>,
    /// Attribution verb as written ("said", "told", "according to").
    pub cue: Option<String>,
    pub kind: QuoteKind,
    /// Outlet that relayed the quote ("as quoted by Interfax").
    pub source: Option<String>,
    /// Offsets of `text` in the body, in Unicode scalar values (code points).
    pub start: usize,
    pub end: usize,
}

/// Finds the quotations in `body` (paragraphs separated by blank lines).
pub fn extract_quotes(body: &str) -> Vec<Quote> {
    extract_english(body, &[])
}

/// As [`extract_quotes`], with the block paragraphs (char ranges) that a
/// lead-in ending in a colon introduces read as quotations of their own.
fn extract_english(body: &str, blocks: &[(usize, usize)]) -> Vec<Quote> {
    let chars: Vec<char> = body.chars().collect();
    let spans = english_spans(&chars, blocks);
    if spans.is_empty() {
        return Vec::new();
    }
    let toks = tokens::tokenize(&chars, &spans);
    let sents = tokens::sentences(&toks);
    let ent = Entities::build(&toks, &sents);
    let ctx = Ctx {
        toks: &toks,
        sents: &sents,
        ent: &ent,
    };
    let mut out = Vec::new();
    let mut prior: Vec<Prior> = Vec::new();
    let mut last_dropped_name: Option<usize> = None;
    for (ti, tok) in toks.iter().enumerate() {
        let Kind::Quote(qi) = tok.kind else { continue };
        let sp = spans[qi];
        let text = tokens::to_string(&chars[sp.start..sp.end]);
        if !text.chars().any(char::is_alphanumeric) {
            continue;
        }
        let found = ctx.attribute(ti, &prior);
        if names_something(&toks, ti, &text, &found, last_dropped_name) {
            last_dropped_name = Some(ti);
            continue;
        }
        let kind = if found.direct {
            QuoteKind::Direct
        } else {
            QuoteKind::Partial
        };
        let Some((speaker, cue)) = said_by(&ctx, ti, &text, kind, &found) else {
            continue;
        };
        prior.push(Prior {
            tok: ti,
            speaker: speaker.clone(),
            cue: cue.clone(),
        });
        out.push(Quote {
            text,
            speaker,
            cue,
            kind,
            source: ctx.source(ti),
            start: sp.start,
            end: sp.end,
        });
    }
    out
}

/// The quotation marks' spans, with the introduced block paragraphs.
fn english_spans(chars: &[char], blocks: &[(usize, usize)]) -> Vec<Span> {
    let mut spans = spans::find_spans(chars);
    let introduced = introduced_blocks(chars, blocks, &spans);
    if !introduced.is_empty() {
        spans.extend(introduced);
        spans.sort_by_key(|s| s.open);
    }
    spans
}

/// The quotation at `ti` is a name or a title: after a naming word, in a
/// list of such, or in title case away from its cue.
fn names_something(
    toks: &[Tok],
    ti: usize,
    text: &str,
    found: &Found,
    last_dropped_name: Option<usize>,
) -> bool {
    // A list of titles: `songs such as "A", "B", and "C"`.
    let in_list = last_dropped_name.is_some_and(|d| {
        toks[d + 1..ti]
            .iter()
            .all(|t| t.is_punct(",") || matches!(t.lower(), "and" | "or"))
    });
    let cue_adjacent = found.cued && found.adjacent && found.direct;
    naming_context(toks, ti)
        || passive_naming(toks, ti)
        || in_list
        || (is_title_case(text) && !cue_adjacent)
}

/// The speaker and cue of the quotation at `ti`, or `None` for a short
/// fragment that is a term or a scare quote rather than someone's words.
fn said_by(
    ctx: &Ctx,
    ti: usize,
    text: &str,
    kind: QuoteKind,
    found: &Found,
) -> Option<(Option<String>, Option<String>)> {
    let kept = Some((found.speaker.clone(), found.cue.clone()));
    if kind != QuoteKind::Partial || edited(text) {
        return kept;
    }
    let n_words = text.split_whitespace().count();
    if n_words > 5 {
        return kept;
    }
    // A short fragment with no speech cue at all is a term in quotes
    // ("one country, two systems" policy).
    let user = ctx.relative_user(ti);
    if !found.cued && user.is_none() {
        return None;
    }
    if n_words > 3 {
        return kept;
    }
    // A very short fragment is a quotation only when someone is named as
    // having said it; otherwise it is a scare quote or a term.
    if let Some((user, verb)) = user {
        return Some((Some(user), Some(verb)));
    }
    if found.speaker.is_none() || !found.cued || so_called(ctx.toks, ti) {
        return None;
    }
    kept
}

/// The reporter's square brackets inside a quotation ("a racist and […]
/// targeted motive", "Probleme[n]") or an omission mark: someone's
/// words, cut or fitted to the sentence; no name is edited so.
pub(super) fn edited(text: &str) -> bool {
    text.contains(['[', ']']) || ["(...)", "(…)"].iter().any(|m| text.contains(m))
}

/// Function words allowed in lowercase inside a title.
const TITLE_SMALL: &[&str] = &[
    "of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "by", "with", "from", "or",
    "nor", "but", "&", "de", "la", "du", "vs", "vs.", "is",
];

/// Every content word capitalised and short: a name or a title of a work.
fn is_title_case(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    let trimmed = text.trim_end_matches(['.', ',', '!', '?', ' ']);
    if trimmed.contains(". ") || trimmed.contains('!') || trimmed.contains('?') {
        return false;
    }
    let mut caps = 0;
    for w in &words {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = w.chars().next() else {
            continue;
        };
        if first.is_uppercase() || first.is_numeric() {
            caps += 1;
        } else if !TITLE_SMALL.contains(&w) {
            return false;
        }
    }
    // "I" alone or "OK" is speech, not a name.
    caps > 0
        && !(words.len() == 1
            && matches!(
                words[0].trim_matches(|c: char| !c.is_alphanumeric()),
                "I" | "OK" | "No" | "Yes"
            ))
}

/// `known as "X"`, `nicknamed "X"`, `the film "X"`, `the word "X"`.
fn naming_context(toks: &[Tok], ti: usize) -> bool {
    let mut seen = 0;
    let mut k = ti;
    while k > 0 && seen < 5 {
        k -= 1;
        let t = &toks[k];
        if !t.is_word() {
            if t.is_punct(",")
                || t.is_punct(":")
                || t.is_punct(".")
                || matches!(t.kind, Kind::Quote(_) | Kind::Para)
            {
                break;
            }
            continue;
        }
        let l = t.lower();
        if matches!(
            l,
            "the" | "a" | "an" | "as" | "its" | "his" | "her" | "their" | "it" | "them" | "him"
        ) {
            if l == "as" && k > 0 && matches!(toks[k - 1].lower(), "known" | "such" | "referred") {
                return true;
            }
            continue;
        }
        let base = t.base().to_lowercase();
        // Placards and shirts "say" things too, but nobody is quoted.
        if SIGN_WORDS_SET.contains(base.as_str()) {
            return true;
        }
        if seen < 2 && NAMING_CUES_SET.contains(l) {
            return true;
        }
        // `the report "Climate and Land"`: only right against the mark, and
        // only a capitalised title (`the study "shows a link"` is speech).
        let capitalised = toks[ti].text.chars().next().is_some_and(char::is_uppercase);
        if seen == 0 && capitalised && ADJACENT_NAMING_SET.contains(l) {
            return true;
        }
        seen += 1;
    }
    false
}

/// `was called "swine flu"`, `commonly called "X"`, `a pattern called a
/// "glider"`: a passive or reduced relative "called" right before the
/// quotation names a thing. An active one with a subject of its own
/// ("Trump called it "a hoax"", "she called "for calm"") reports speech.
fn passive_naming(toks: &[Tok], ti: usize) -> bool {
    let mut k = ti;
    while k > 0 && matches!(toks[k - 1].lower(), "a" | "an" | "the") {
        k -= 1;
    }
    if k < 2
        || !matches!(
            toks[k - 1].lower(),
            "called" | "named" | "termed" | "titled"
        )
    {
        return false;
    }
    // Adverbs say nothing either way: "was commonly called".
    let mut b = k - 2;
    while b > 0 && toks[b].is_word() && toks[b].lower().ends_with("ly") {
        b -= 1;
    }
    let before = &toks[b];
    before.is_word()
        && !names::is_namey(before)
        && !matches!(
            before.lower(),
            "he" | "she"
                | "they"
                | "it"
                | "we"
                | "i"
                | "you"
                | "who"
                | "which"
                | "that"
                | "and"
                | "or"
                | "but"
                | "has"
                | "have"
                | "had"
                | "also"
                | "then"
                | "once"
        )
}

fn so_called(toks: &[Tok], ti: usize) -> bool {
    ti > 0 && matches!(toks[ti - 1].lower(), "so-called" | "dubbed" | "self-styled")
}

/// The quotes of `body` plus its block quotations: paragraphs that stood in
/// `<blockquote>` elements (`blocks`, code-point ranges of `body`) and carry
/// no quotation marks of their own. Their speaker is the signature line's
/// name ("— Jane Doe, mayor"), when there is one.
///
/// `language` (a BCP 47 tag) picks the attribution rules: a language with a
/// bundled table ([`lang`]) uses it; any other, or none, uses the English
/// rules.
pub fn extract_quotes_with_blocks(
    body: &str,
    blocks: &[(usize, usize)],
    language: Option<&str>,
) -> Vec<Quote> {
    let mut quotes = match language.and_then(lang::for_tag) {
        Some(table) => clauses::extract(body, table),
        None => extract_english(body, blocks),
    };
    if !blocks.is_empty() {
        add_block_quotes(body, blocks, &mut quotes);
        quotes.sort_by_key(|q| q.start);
    }
    for q in quotes.iter_mut().filter(|q| q.speaker.is_none()) {
        q.speaker = handle_prefix(&q.text);
    }
    quotes
}

/// Adds the `<blockquote>` paragraphs that no quotation covers yet. A
/// paragraph that only signs ("— Rep. Jane Doe (@jdoe) May 3, 2019", as an
/// embedded post ends) is no quotation: it names the speaker of the
/// paragraphs right above it, with nothing but white space between.
fn add_block_quotes(body: &str, blocks: &[(usize, usize)], quotes: &mut Vec<Quote>) {
    let chars: Vec<char> = body.chars().collect();
    let mut unsigned: Vec<usize> = Vec::new();
    let mut prev_end: Option<usize> = None;
    for &(start, end) in blocks {
        if start >= end || end > chars.len() {
            continue;
        }
        let joined = prev_end
            .is_some_and(|p| p <= start && chars[p..start].iter().all(|c| c.is_whitespace()));
        if !joined {
            unsigned.clear();
        }
        prev_end = Some(end);
        let block = tokens::to_string(&chars[start..end]);
        if let Some(name) = signature_line(&block) {
            sign(quotes, &mut unsigned, &name);
            continue;
        }
        let covering: Vec<usize> = (0..quotes.len())
            .filter(|&q| quotes[q].start < end && start < quotes[q].end)
            .collect();
        if covering.is_empty()
            && let Some(q) = block_quote(&block, start, quotes)
        {
            quotes.push(q);
            unsigned.push(quotes.len() - 1);
        }
        unsigned.extend(
            covering
                .into_iter()
                .filter(|&q| quotes[q].speaker.is_none()),
        );
        // A review round-up credits each excerpt on the line below it.
        if let Some(name) = credit_after(&chars, end) {
            sign(quotes, &mut unsigned, &name);
        }
    }
}

/// Gives the quotations waiting for a signature the signed name.
fn sign(quotes: &mut [Quote], unsigned: &mut Vec<usize>, name: &str) {
    for q in unsigned.drain(..) {
        quotes[q].speaker.get_or_insert_with(|| name.to_string());
    }
}

/// The source a paragraph right after a block quote credits it to:
/// "[Engadget]", "(The Verge)", one to five capitalised words in brackets.
fn credit_after(chars: &[char], end: usize) -> Option<String> {
    let s = end
        + chars
            .get(end..)?
            .iter()
            .take_while(|c| c.is_whitespace())
            .count();
    let len = chars[s..].iter().take_while(|&&c| c != '\n').count();
    let line = tokens::to_string(&chars[s..s + len]);
    let inner = line
        .trim()
        .strip_prefix(['[', '('])
        .and_then(|l| l.strip_suffix([']', ')']))?
        .trim();
    let words: Vec<&str> = inner.split_whitespace().collect();
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    ((1..=5).contains(&words.len())
        && capitalised(&words[0])
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '\'' | '\u{2019}' | '&'))
        }))
    .then(|| inner.to_string())
}

/// A post copied as text opens with its author's handle: "@timkeller:
/// Unfair to ...".
fn handle_prefix(text: &str) -> Option<String> {
    let (handle, _) = text.strip_prefix('@')?.split_once(':')?;
    let valid = !handle.is_empty()
        && handle.len() <= 30
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| handle.to_string())
}

/// "Samantha points this out:" and then a block paragraph: the block is
/// a quotation the lead-in attributes, unless quotation marks already cover
/// it or it is too short to be a statement.
fn introduced_blocks(chars: &[char], blocks: &[(usize, usize)], spans: &[Span]) -> Vec<Span> {
    blocks
        .iter()
        .filter(|&&(start, end)| {
            start < end
                && end <= chars.len()
                && !spans.iter().any(|s| s.open < end && start <= s.close)
                && chars[..start].iter().rev().find(|c| !c.is_whitespace()) == Some(&':')
                && {
                    let block = tokens::to_string(&chars[start..end]);
                    // A signed block is left to its signature.
                    block.split_whitespace().count() >= 4 && split_signature(&block).1.is_none()
                }
        })
        .map(|&(start, end)| Span {
            open: start,
            close: end - 1,
            start,
            end,
        })
        .collect()
}

/// A block paragraph as a quotation, unless it is a pull-quote repeating
/// the body or too short to be a statement.
fn block_quote(block: &str, start: usize, quotes: &[Quote]) -> Option<Quote> {
    let (words, speaker) = split_signature(block);
    // A pull-quote repeats words the body quotes anyway.
    let key = fold(words);
    if quotes.iter().any(|q| {
        let other = fold(&q.text);
        !other.is_empty() && (other.contains(&key) || key.contains(&other))
    }) {
        return None;
    }
    // A pull-quote of a word or two is a heading, not a statement.
    if words.split_whitespace().count() < 4 {
        return None;
    }
    Some(Quote {
        end: start + words.chars().count(),
        text: words.to_string(),
        speaker,
        cue: None,
        kind: QuoteKind::Direct,
        source: None,
        start,
    })
}

/// Lower-case letters and digits only, for comparing quotations.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| crate::text::is_alphanumeric(c)) {
        crate::text::each_lower(c, |l| out.push(l));
    }
    out
}

const SIGNATURE_DASHES: [&str; 5] = ["\u{2014}", "\u{2013}", "\u{2015}", " - ", "--"];

/// Splits "Words. — Jane Doe, mayor (@jdoe) March 3" into the words and
/// the signed name; a dash not followed by a capitalised name of two to four
/// words is part of the text.
fn split_signature(block: &str) -> (&str, Option<String>) {
    for dash in SIGNATURE_DASHES {
        let Some(pos) = block.rfind(dash) else {
            continue;
        };
        if let Some(name) = signed_name(&block[pos + dash.len()..]) {
            return (block[..pos].trim_end(), Some(name));
        }
    }
    (block, None)
}

/// The name a whole paragraph signs with: "— Dele (@dele_official) November
/// 19, 2019", "— Rep. Jane Doe (@jdoe)", "— Jane Doe, mayor".
fn signature_line(block: &str) -> Option<String> {
    let t = block.trim();
    let rest = SIGNATURE_DASHES
        .iter()
        .chain(&["-"])
        .find_map(|d| t.strip_prefix(d.trim_start()))?
        .trim_start();
    // Before a handle stands the display name, whatever its shape.
    if let Some(i) = rest.find("(@") {
        let name = rest[..i].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
        let n = name.split_whitespace().count();
        return (1..=6).contains(&n).then(|| without_titles(name));
    }
    signed_name(rest)
}

/// Two to four capitalised words opening `s`, titles dropped.
fn signed_name(s: &str) -> Option<String> {
    let name: Vec<&str> = s
        .split_whitespace()
        .take_while(|w| {
            let w = w.trim_end_matches(',');
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
        })
        .take(5)
        .collect();
    (2..=4)
        .contains(&name.len())
        .then(|| without_titles(name.join(" ").trim_end_matches(',')))
}

/// "Rep. Ilhan Omar" signs as Ilhan Omar.
fn without_titles(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words
        .iter()
        .position(|w| !names::is_title(w))
        .unwrap_or(0)
        .min(words.len() - 1);
    words[first..].join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn block_quotes_without_marks_are_quotes() {
        let body = "The minister spoke at length.\n\nWe will rebuild every bridge before winter comes. \u{2014} Maria Lopez, transport minister\n\nShort pull\n\nShe said \"it is done\" yesterday.";
        let start = body.find("We will").unwrap();
        let end = start + body[start..].find("\n\n").unwrap();
        let pull = body.find("Short pull").unwrap();
        let to_chars = |b: usize| body[..b].chars().count();
        let blocks = [
            (to_chars(start), to_chars(end)),
            (to_chars(pull), to_chars(pull + 10)),
        ];
        let quotes = super::extract_quotes_with_blocks(body, &blocks, None);
        let q = quotes
            .iter()
            .find(|q| q.text.starts_with("We will"))
            .expect("block quote");
        assert_eq!(q.text, "We will rebuild every bridge before winter comes.");
        assert_eq!(q.speaker.as_deref(), Some("Maria Lopez"));
        let got: String = body.chars().skip(q.start).take(q.end - q.start).collect();
        assert_eq!(got, q.text);
        assert!(!quotes.iter().any(|q| q.text.contains("Short pull")));
        assert_eq!(super::split_signature("A - b c d"), ("A - b c d", None));
        // A pull-quote repeating a quote of the body is not a second quote.
        let body =
            "\"We will rebuild every bridge,\" said Maria Lopez.\n\nWe will rebuild every bridge";
        let n = body.chars().count();
        let quotes = super::extract_quotes_with_blocks(body, &[(n - 28, n)], None);
        assert_eq!(quotes.len(), 1, "{quotes:?}");
    }

    /// Char ranges of the given paragraphs of `body`.
    fn paragraphs(body: &str, starts: &[&str]) -> Vec<(usize, usize)> {
        let chars = |b: usize| body[..b].chars().count();
        starts
            .iter()
            .map(|p| {
                let s = body.find(p).unwrap();
                let e = body[s..].find("\n\n").map_or(body.len(), |k| s + k);
                (chars(s), chars(e))
            })
            .collect()
    }

    /// The speakers of the quotations in `body` when the paragraphs opening
    /// with `blocks` are block quotes.
    fn block_speakers(body: &str, blocks: &[&str]) -> Vec<Option<String>> {
        super::extract_quotes_with_blocks(body, &paragraphs(body, blocks), None)
            .into_iter()
            .map(|q| q.speaker)
            .collect()
    }

    #[test]
    fn a_lead_in_ending_in_a_colon_attributes_the_block_below() {
        let body = "Dana Ellery, a writer, published a long critique of the app on Monday. \
                    The replies came fast.\n\nEllery points this out:\n\nThe app is free, \
                    that is what sparked the article to begin with.\n\nThen the thread went quiet.";
        let got = block_speakers(body, &["The app is free"]);
        assert_eq!(got, [Some("Dana Ellery".to_string())]);
        // No subject named: the name the lead-in introduces.
        let body = "Another bright spot are these comments from Ian Marlowe, who has \
                    written for longer:\n\nAny writer who never made an error has never \
                    written anything worth reading.";
        let got = block_speakers(body, &["Any writer"]);
        assert_eq!(got, [Some("Ian Marlowe".to_string())]);
    }

    #[test]
    fn a_post_copied_as_text_is_its_handles() {
        let body = "The replies kept coming.\n\n@timkeller: Unfair to begrudge a person for \
                    leveraging past success.\n\nNobody answered.";
        assert_eq!(
            block_speakers(body, &["@timkeller"]),
            [Some("timkeller".to_string())]
        );
        assert_eq!(super::handle_prefix("@a b: c"), None);
    }

    #[test]
    fn a_bracketed_credit_below_a_block_names_its_source() {
        let body = "Here is what the early reviews say.\n\nThe service works, but only on a \
                    fast line at home.\n\n[The Verge]\n\nThe controller is comfortable to hold \
                    for hours.\n\n[PC World]";
        let got = block_speakers(body, &["The service", "The controller"]);
        let want = ["The Verge", "PC World"].map(|s| Some(s.to_string()));
        assert_eq!(got, want);
    }

    #[test]
    fn an_embedded_post_is_signed_by_its_last_paragraph() {
        let body = "She shared the letter on Tuesday.\n\nWe must apply a system of compassion to justice.\n\nWho are we as a nation if we answer threats with threats?\n\n\u{2014} Rep. Jane Doe (@janedoe) November 19, 2019\n\nThe club thanked him.\n\nI can't thank this man enough for everything.\n\n\u{2014} Dele (@dele_official) November 19, 2019";
        let paragraphs: Vec<(usize, usize)> = {
            let mut out = Vec::new();
            let mut at = 0;
            for p in body.split("\n\n") {
                let n = p.chars().count();
                out.push((at, at + n));
                at += n + 2;
            }
            out
        };
        // Everything but the reporter's sentences stood in <blockquote>s.
        let blocks: Vec<(usize, usize)> = paragraphs
            .iter()
            .enumerate()
            .filter(|(i, _)| ![0, 4].contains(i))
            .map(|(_, b)| *b)
            .collect();
        let quotes = super::extract_quotes_with_blocks(body, &blocks, None);
        let speakers: Vec<(&str, Option<&str>)> = quotes
            .iter()
            .map(|q| (&q.text[..10], q.speaker.as_deref()))
            .collect();
        assert_eq!(
            speakers,
            [
                ("We must ap", Some("Jane Doe")),
                ("Who are we", Some("Jane Doe")),
                ("I can't th", Some("Dele")),
            ]
        );
    }

    use super::*;

    fn one(body: &str) -> Quote {
        let qs = extract_quotes(body);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        qs.into_iter().next().unwrap()
    }

    #[test]
    fn title_case_spans_are_names_or_titles() {
        assert!(is_title_case("Rivers of the North"));
        assert!(is_title_case("Uncle John's Band"));
        assert!(!is_title_case("We will win this, I promise."));
        assert!(!is_title_case("I"));
    }

    #[test]
    fn cue_and_source_are_reported_as_written() {
        let q = one("\"Prices will rise,\" Economy Minister Ana Ruiz told the BBC.");
        assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"));
        assert_eq!(q.cue.as_deref(), Some("told"));
        assert_eq!(q.source.as_deref(), Some("BBC"));
        let q = one("\"Prices will rise,\" Ana Ruiz said, as quoted by Interfax.");
        assert_eq!(q.source.as_deref(), Some("Interfax"));
        let q = one("According to Ana Ruiz, the plan is \"dead on arrival in its current form.\"");
        assert_eq!(q.cue.as_deref(), Some("According to"));
        assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"));
    }

    #[test]
    fn scare_quotes_titles_and_mentions_are_dropped() {
        assert!(
            extract_quotes("The storm was upgraded to a \"major\" hurricane overnight.").is_empty()
        );
        assert!(extract_quotes("He starred in the film \"Dark Waters\" in 2019.").is_empty());
        assert!(extract_quotes("She never used the word \"surrender\" in the speech.").is_empty());
        assert!(
            extract_quotes("Crowds waved banners reading \"bring them home now\" outside.")
                .is_empty()
        );
    }

    #[test]
    fn partial_needs_a_named_speaker_when_short() {
        let q = one("Mayor Lena Fox called the plan \"reckless\" on Monday.");
        assert_eq!(q.kind, QuoteKind::Partial);
        assert_eq!(q.speaker.as_deref(), Some("Lena Fox"));
        assert!(extract_quotes("Residents called the plan \"reckless\" on Monday.").is_empty());
    }

    #[test]
    fn offsets_count_chars_not_bytes() {
        let body = "Łódź mayor Hanna Zdanowska said: \"Żółć is bitter, ünd so.\"";
        let q = one(body);
        let span: String = body.chars().skip(q.start).take(q.end - q.start).collect();
        assert_eq!(span, q.text);
        assert_eq!(q.speaker.as_deref(), Some("Hanna Zdanowska"));
    }
}
