//! Quote attribution for languages with a table in [`super::lang`]: the
//! quotation marks are paired as for English ([`super::spans`]), then each
//! quotation is tied to a speech verb in its clause and the verb to its
//! subject, by word order alone:
//!
//! - after the quotation, the verb comes first and its subject next:
//!   „…“, sagte Merkel / „…“, so der Minister;
//! - before it, the subject opens the clause, or follows the verb when
//!   something else opens it (verb second): Merkel sagte: „…“ / Am Montag
//!   sagte Merkel: „…“;
//! - "laut X" / "X zufolge" name a source anywhere in the sentence;
//! - a quotation with no verb of its own continues the previous speaker.
//!
//! Speakers are names grouped article-wide ([`People`]), so a surname or a
//! pronoun gives the fullest name; an unnamed speaker is given as its role
//! ("Sprecher des Ministeriums").

mod attribute;
mod embedded;
mod people;
mod select;
mod sources;
mod subject;

use foldhash::HashSet;

use super::Quote;
use super::dashes::with_dash_speech;
use super::lang::Lang;
use super::names::Gender;
use super::spans::find_spans;
use super::tokens::{Kind, Tok, sentences, tokenize};
use people::People;

/// A quotation of at most this many words needs a speech verb in its
/// sentence to count: shorter ones are mostly names and terms in quotes.
const SHORT_WORDS: usize = 4;

/// Finds and attributes the quotations of `body` with `lang`'s table.
pub fn extract(body: &str, lang: &Lang) -> Vec<Quote> {
    let chars: Vec<char> = body.chars().collect();
    let mut spans = find_spans(&chars);
    if lang.dash_speech {
        spans = with_dash_speech(&chars, spans, |w| lang.is_speech(w));
    }
    if spans.is_empty() {
        return Vec::new();
    }
    let toks = tokenize(&chars, &spans);
    let sents = join_false_stops(sentences(&toks), &toks, lang);
    let people = People::build(&toks, lang);
    let lower_words = lower_case_words(&toks, lang);
    let text = Text {
        toks: &toks,
        sents: &sents,
        lang,
        people: &people,
        lower_words: &lower_words,
    };
    text.quotes(&spans, &chars)
}

/// Rejoins sentences cut after an ordinal ("am 1. Dezember") or one of the
/// language's abbreviations.
fn join_false_stops(sents: Vec<(usize, usize)>, toks: &[Tok], lang: &Lang) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(sents.len());
    for (s, e) in sents {
        if let Some(last) = out.last_mut()
            && last.1 == s
            && false_stop(toks, s, lang)
        {
            last.1 = e;
            continue;
        }
        out.push((s, e));
    }
    out
}

fn false_stop(toks: &[Tok], next: usize, lang: &Lang) -> bool {
    if next < 2 || !toks[next - 1].is_punct(".") {
        return false;
    }
    // No sentence opens in lower case: "Ludwig XIV. erbauten",
    // "Ludwig XIV. „war und blieb …“".
    let lower = |t: &str| {
        t.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase)
    };
    match toks[next].kind {
        Kind::Word | Kind::Quote(_) if lower(&toks[next].text) => return true,
        Kind::Word => {}
        _ => return false,
    }
    let w = &toks[next - 2];
    // No article or pronoun follows an ordinal: "des Modells 3. Ein
    // Sprecher" ends a sentence, "am 3. Oktober" does not.
    let n = toks[next].lower();
    let ordinal = lang.ordinal_dot
        && w.text.chars().all(|c| c.is_ascii_digit())
        && w.text.len() <= 2
        && !(toks[next].is_cap() && (lang.determiners.contains(n) || lang.is_pronoun(n)));
    w.is_word()
        && w.end == toks[next - 1].start
        && (ordinal || lang.abbreviations.contains(w.lower()))
}

/// Who a speech verb's subject is.
#[derive(Debug, Clone, PartialEq)]
enum Speaker {
    Person(usize),
    /// A capitalised word opening the sentence, taken as a name for want
    /// of a better subject ("Celebi sagte"): any other reading wins.
    Guess(String),
    Pronoun(Gender, usize),
    Role(String),
}

struct Text<'a> {
    toks: &'a [Tok],
    sents: &'a [(usize, usize)],
    lang: &'a Lang,
    people: &'a People<'a>,
    /// Words the article writes in lower case somewhere: where nouns are
    /// capitalised, such a word capitalised at a sentence start is no
    /// noun and no name ("Offenbar", "Besonders").
    lower_words: &'a HashSet<&'a str>,
}

fn lower_case_words<'t>(toks: &'t [Tok], lang: &Lang) -> HashSet<&'t str> {
    if !lang.nouns_capitalised {
        return HashSet::default();
    }
    toks.iter()
        .filter(|t| t.is_word() && !t.is_cap())
        .map(|t| t.lower())
        .collect()
}

/// The attribution of one quotation.
struct Found {
    speaker: Option<String>,
    cue: Option<String>,
}
