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

use super::lang::Lang;
use super::names::{Gender, fold, given_name_gender, is_given_name};
use super::spans::{Span, find_spans};
use super::tokens::{Kind, Tok, sentences, tokenize};
use super::{Quote, QuoteKind};

/// A quotation of at most this many words needs a speech verb in its
/// sentence to count: shorter ones are mostly names and terms in quotes.
const SHORT_WORDS: usize = 4;

/// Finds and attributes the quotations of `body` with `lang`'s table.
pub fn extract(body: &str, lang: &Lang) -> Vec<Quote> {
    let chars: Vec<char> = body.chars().collect();
    let spans = find_spans(&chars);
    if spans.is_empty() {
        return Vec::new();
    }
    let toks = tokenize(&chars, &spans);
    let sents = join_false_stops(sentences(&toks), &toks, lang);
    let people = People::build(&toks, lang);
    let text = Text {
        toks: &toks,
        sents: &sents,
        lang,
        people: &people,
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
    if next < 2 || !toks[next - 1].is_punct(".") || toks[next].kind != Kind::Word {
        return false;
    }
    let w = &toks[next - 2];
    w.is_word()
        && w.end == toks[next - 1].start
        && ((lang.ordinal_dot && w.text.chars().all(|c| c.is_ascii_digit()) && w.text.len() <= 2)
            || lang.abbreviations.contains(w.lower()))
}

/// A person named in the article: the words of the fullest form seen.
#[derive(Debug, Clone)]
struct Person {
    words: Vec<String>,
    gender: Gender,
}

/// The people of one article and where each is mentioned, for surnames
/// and pronouns.
#[derive(Debug, Default)]
pub struct People {
    persons: Vec<Person>,
    /// (token index, person) for every mention, in text order.
    mentions: Vec<(usize, usize)>,
}

/// A capitalised run of words: `toks[s..e]`.
#[derive(Debug, Clone, Copy)]
struct Run {
    s: usize,
    e: usize,
}

impl People {
    fn build(toks: &[Tok], lang: &Lang) -> People {
        let mut people = People::default();
        let mut i = 0;
        while i < toks.len() {
            let Some(run) = cap_run(toks, i, lang) else {
                i += 1;
                continue;
            };
            people.consider(toks, run, lang);
            i = run.e.max(i + 1);
        }
        people.link_surnames(toks, lang);
        people
    }

    /// Records `run` as a person when something says it is one: a given
    /// name first, a role noun before it, or a speech verb beside it.
    fn consider(&mut self, toks: &[Tok], run: Run, lang: &Lang) {
        let titled = strip_titles(toks, run, lang);
        let words: Vec<String> = toks[titled.s..titled.e]
            .iter()
            .map(|t| t.text.clone())
            .collect();
        // A lower-case role noun right before counts too ("le député
        // Thomas Garnier").
        let has_title = titled.s > run.s
            || run.s > 0 && toks[run.s - 1].is_word() && lang.is_title(toks[run.s - 1].lower())
            || after_role_comma(toks, run, lang);
        let too_short = words.len() < 2 && !(has_title && words.len() == 1);
        if too_short
            || words
                .iter()
                .any(|w| lang.is_organisation(&w.to_lowercase()))
        {
            return;
        }
        let first = given_name_gender(&words[0]);
        let beside_verb = toks.get(run.e).is_some_and(|t| lang.is_speech(t.lower()))
            || run.s > 0 && lang.is_speech(toks[run.s - 1].lower());
        let given = words.len() > 1 && (first != Gender::Unknown || is_known_given(&words[0]));
        if !(given || has_title || beside_verb) {
            return;
        }
        let gender = match first {
            Gender::Unknown => title_gender(toks, run, titled, lang),
            g => g,
        };
        let p = self.add(words, gender);
        self.mentions.push((titled.s, p));
    }

    fn add(&mut self, words: Vec<String>, gender: Gender) -> usize {
        let key: Vec<String> = words.iter().map(|w| fold(w)).collect();
        if let Some(p) = self.persons.iter().position(|p| {
            let have: Vec<String> = p.words.iter().map(|w| fold(w)).collect();
            have.ends_with(&key) || key.ends_with(&have)
        }) {
            let person = &mut self.persons[p];
            if words.len() > person.words.len() {
                person.words = words;
            }
            if person.gender == Gender::Unknown {
                person.gender = gender;
            }
            return p;
        }
        self.persons.push(Person { words, gender });
        self.persons.len() - 1
    }

    /// Every later capitalised word that is a known person's surname is a
    /// mention of that person.
    fn link_surnames(&mut self, toks: &[Tok], lang: &Lang) {
        for (i, t) in toks.iter().enumerate() {
            if !t.is_cap() || lang.is_title(t.lower()) {
                continue;
            }
            if let Some(p) = self.by_surname(&t.text)
                && !self
                    .mentions
                    .iter()
                    .any(|&(m, q)| q == p && m <= i && i < m + 4)
            {
                self.mentions.push((i, p));
            }
        }
        self.mentions.sort_unstable();
    }

    fn by_surname(&self, word: &str) -> Option<usize> {
        let w = fold(word.trim_end_matches(['s', '\'']));
        let w_full = fold(word);
        self.persons.iter().position(|p| {
            p.words
                .last()
                .is_some_and(|l| fold(l) == w_full || fold(l) == w)
        })
    }

    /// The fullest name of the person `words` names, if any.
    fn person_named(&self, words: &[String]) -> Option<usize> {
        let key: Vec<String> = words.iter().map(|w| fold(w)).collect();
        self.persons
            .iter()
            .position(|p| {
                let have: Vec<String> = p.words.iter().map(|w| fold(w)).collect();
                have.ends_with(&key)
            })
            .or_else(|| match words {
                [one] => self.by_surname(one),
                _ => None,
            })
    }

    fn name(&self, p: usize) -> String {
        self.persons[p].words.join(" ")
    }

    /// The person last mentioned before `at` whose gender fits.
    fn antecedent(&self, at: usize, gender: Gender) -> Option<usize> {
        self.mentions
            .iter()
            .rev()
            .filter(|&&(m, _)| m < at)
            .map(|&(_, p)| p)
            .find(|&p| {
                let g = self.persons[p].gender;
                gender == Gender::Unknown || g == gender || g == Gender::Unknown
            })
    }
}

/// "A prefeita de Curitiba, Mariana Alves,": a name set off by a comma
/// right after a role.
fn after_role_comma(toks: &[Tok], run: Run, lang: &Lang) -> bool {
    run.s >= 2
        && toks[run.s - 1].is_punct(",")
        && toks[run.s.saturating_sub(6)..run.s - 1]
            .iter()
            .any(|t| t.is_word() && lang.is_title(t.lower()))
}

/// In a bundled list of given names, whatever its gender ("Jean").
fn is_known_given(w: &str) -> bool {
    is_given_name(w)
}

/// Female when the role noun before the name is a feminine form
/// ("Ministerin"), male when its masculine form is.
fn title_gender(toks: &[Tok], run: Run, titled: Run, lang: &Lang) -> Gender {
    let Some(t) = toks[run.s..titled.s].last() else {
        return Gender::Unknown;
    };
    let w = t.lower();
    match w.strip_suffix("in") {
        Some(stem) if lang.is_title(stem) => Gender::Female,
        _ if lang.is_title(w) => Gender::Male,
        _ => Gender::Unknown,
    }
}

/// The capitalised run starting at `i`: capitalised words, with particles
/// and initials inside; a leading determiner or clause opener is not part
/// of it.
fn cap_run(toks: &[Tok], i: usize, lang: &Lang) -> Option<Run> {
    let t = &toks[i];
    if !t.is_cap()
        || lang.determiners.contains(t.lower())
        || lang.clause_openers.contains(t.lower())
        || lang.according_before.contains(t.lower())
    {
        return None;
    }
    let mut e = i + 1;
    while e < toks.len() {
        let n = &toks[e];
        if n.is_cap() && !lang.is_speech(n.lower()) {
            e += 1;
        } else if initial_dot(toks, e, lang) {
            e += 2;
        } else if let Some(k) = particles_before_cap(toks, e, lang) {
            e += k + 1;
        } else {
            break;
        }
    }
    Some(Run { s: i, e })
}

/// How many name particles start at `e` and lead to a capitalised word
/// ("von der Leyen"); where nouns are capitalised, a particle that is also
/// an article cannot start them, so "Minister der Justiz" stays two
/// phrases (while Dutch "Pieter de Vries" is one name).
fn particles_before_cap(toks: &[Tok], e: usize, lang: &Lang) -> Option<usize> {
    let is_particle = |t: &Tok| t.is_word() && lang.particles.contains(t.lower());
    let first = toks.get(e).filter(|t| is_particle(t))?;
    if lang.nouns_capitalised && lang.determiners.contains(first.lower()) {
        return None;
    }
    let k = 1 + usize::from(toks.get(e + 1).is_some_and(is_particle));
    // One word after the particle ends the name: "von Heydebreck", but
    // "von Human Rights Watch" is an affiliation.
    let last_word = toks.get(e + k + 1).is_none_or(|t| !t.is_cap());
    toks.get(e + k)
        .filter(|t| t.is_cap() && last_word)
        .map(|_| k)
}

/// An initial with its full stop inside a name: "George W. Bush".
/// So is an abbreviated title: "Prof. Dr. Matthias W. Beckmann".
fn initial_dot(toks: &[Tok], e: usize, lang: &Lang) -> bool {
    let before = &toks[e - 1];
    let short = before.text.chars().count() == 1 || lang.abbreviations.contains(before.lower());
    short && before.is_cap() && toks[e].is_punct(".") && toks.get(e + 1).is_some_and(Tok::is_cap)
}

/// `run` without the role nouns that open it ("Bundeskanzlerin Angela
/// Merkel" → "Angela Merkel").
fn strip_titles(toks: &[Tok], run: Run, lang: &Lang) -> Run {
    let mut s = run.s;
    while s < run.e && lang.is_title(toks[s].lower()) {
        s += 1;
    }
    let described = s < run.e && !is_known_given(&toks[s].text);
    if let Some(g) = (s + 1..run.e.saturating_sub(1))
        .filter(|_| described)
        .find(|&i| is_known_given(&toks[i].text))
    {
        // "Grünen-Politikerin Sabine Krause", "minister van Financiën
        // Pieter de Vries": words before a given name describe the person.
        s = g;
    }
    Run { s, e: run.e }
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
    people: &'a People,
}

/// The attribution of one quotation.
struct Found {
    speaker: Option<String>,
    cue: Option<String>,
}

impl Text<'_> {
    fn quotes(&self, spans: &[Span], chars: &[char]) -> Vec<Quote> {
        let mut out = Vec::new();
        let mut last: Option<(usize, Option<String>)> = None;
        for (ti, tok) in self.toks.iter().enumerate() {
            let Kind::Quote(qi) = tok.kind else { continue };
            let sp = spans[qi];
            let sent = self.sentence_of(ti);
            if !self.is_speech(ti, sent, &tok.text, chars) {
                continue;
            }
            let mut found = self.attribute(ti, sent);
            if let Some((prev, speaker)) = &last
                && found.speaker.is_none()
                && (found.cue.is_none() && self.continues(*prev, ti)
                    || *prev >= sent.0
                    || self.lang.pro_drop && found.cue.is_some() && self.near(*prev, ti))
            {
                // No verb of its own, or the second half of an interrupted
                // quotation: « A », a assuré X, « B ».
                found.speaker = speaker.clone();
            }
            last = Some((ti, found.speaker.clone()));
            self.share_back(&mut out, sent, &found);
            out.push(Quote {
                text: tok.text.clone(),
                kind: self.kind(ti, sent, &tok.text),
                speaker: found.speaker,
                cue: found.cue,
                source: None,
                start: sp.start,
                end: sp.end,
            });
        }
        out
    }

    /// Within three sentences of each other.
    fn near(&self, prev: usize, ti: usize) -> bool {
        let k = |t: usize| self.sents.iter().position(|&(s, e)| s <= t && t < e);
        matches!((k(prev), k(ti)), (Some(a), Some(b)) if b - a <= 3)
    }

    /// Quotations earlier in the sentence with no verb of their own take
    /// this one's: Die „…“ hätten „…“, so Murtha.
    fn share_back(&self, out: &mut [Quote], (ss, _): (usize, usize), found: &Found) {
        if found.cue.is_none() {
            return;
        }
        let start = self.toks[ss].start;
        for q in out.iter_mut().rev().take_while(|q| q.start >= start) {
            if q.cue.is_none() {
                q.speaker.clone_from(&found.speaker);
                q.cue.clone_from(&found.cue);
            }
        }
    }

    fn sentence_of(&self, ti: usize) -> (usize, usize) {
        self.sents
            .iter()
            .copied()
            .find(|&(s, e)| s <= ti && ti < e)
            .unwrap_or((ti, ti + 1))
    }

    /// Whether the quotation at `ti` is someone's words rather than a name,
    /// a title or a term.
    fn is_speech(&self, ti: usize, (ss, se): (usize, usize), text: &str, chars: &[char]) -> bool {
        if !text.chars().any(char::is_alphanumeric) || self.named_by_context(ti, chars) {
            return false;
        }
        let punctuated = text.ends_with(['.', '!', '?', ',', ':']);
        if punctuated || self.characterised(ti, ss) {
            return true;
        }
        if self.looks_like_a_name(ti, text) {
            return false;
        }
        let long = text.split_whitespace().count() > SHORT_WORDS;
        let lower = text.chars().next().is_some_and(char::is_lowercase);
        let opens = ti == ss || self.toks[ti - 1].is_punct(":");
        long && (opens || lower) || (ss..se).any(|i| self.cue_word(i) || self.reported_verb(i))
    }

    /// A word before the quotation that makes it a name ("die Zeitung
    /// „…“"), or a compound joined to it by a hyphen („Thalys“-Züge).
    fn named_by_context(&self, ti: usize, chars: &[char]) -> bool {
        let end = self.toks[ti].end;
        if chars.get(end) == Some(&'-') {
            return true;
        }
        self.toks[..ti]
            .iter()
            .rev()
            .take(2)
            .take_while(|t| t.is_word())
            .any(|t| self.lang.is_naming(t.lower()))
    }

    /// A fragment that a characterising verb governs: "nannte den Plan
    /// „…“", "sprach von einer „…“".
    fn characterised(&self, ti: usize, ss: usize) -> bool {
        let from = ti.saturating_sub(8).max(ss);
        self.toks[from..ti]
            .iter()
            .any(|t| t.is_word() && self.lang.characterise.contains(t.lower()))
            || self.toks[from..ti]
                .iter()
                .rev()
                .take(3)
                .any(|t| t.lower() == "als")
    }

    /// A quotation in title case where a name stands: after an article or
    /// a preposition, or right after a noun ("die Mondlandefähre „Eagle“"):
    /// a newspaper, a party, a ship.
    fn looks_like_a_name(&self, ti: usize, text: &str) -> bool {
        let mut words = text.split_whitespace();
        let first_cap = words
            .next()
            .is_some_and(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()));
        let title_case = first_cap
            && words.all(|w| {
                w.chars().next().is_some_and(|c| !c.is_lowercase())
                    || self.is_function_word(&w.to_lowercase())
            });
        let Some(prev) = ti.checked_sub(1).map(|p| &self.toks[p]) else {
            return false;
        };
        let p = prev.lower();
        let in_name_slot = self.lang.determiners.contains(p)
            || self.lang.clause_openers.contains(p)
            || prev.is_cap() && !self.lang.is_speech(p)
            || matches!(prev.kind, Kind::Quote(_))
            || prev.is_punct(",") && ti >= 2 && matches!(self.toks[ti - 2].kind, Kind::Quote(_));
        title_case && in_name_slot
    }

    fn is_function_word(&self, w: &str) -> bool {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().count() <= 4
            || self.lang.determiners.contains(w)
            || self.lang.particles.contains(w)
            || self.lang.clause_openers.contains(w)
    }

    fn cue_word(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word()
            && (self.lang.is_speech(t.lower())
                || self.lang.speaker_next.contains(t.lower()) && self.after_quote_comma(i)
                || self.phrase_at(i, &self.lang.according_before).is_some()
                || self.lang.according_after.contains(t.lower()))
    }

    /// A verb in the mood of reported speech ("sei", "habe", "müsse").
    fn reported_verb(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word() && self.lang.reported_mood.contains(t.lower())
    }

    /// `i` follows a quotation and a comma: „…“, so Merkel.
    fn after_quote_comma(&self, i: usize) -> bool {
        i >= 2 && self.toks[i - 1].is_punct(",") && matches!(self.toks[i - 2].kind, Kind::Quote(_))
    }

    fn kind(&self, ti: usize, (ss, _): (usize, usize), text: &str) -> QuoteKind {
        let opens = ti == ss || ti > 0 && self.toks[ti - 1].is_punct(":");
        let capital = text.chars().next().is_some_and(char::is_uppercase);
        if capital && (opens || text.split_whitespace().count() > 8) {
            QuoteKind::Direct
        } else {
            QuoteKind::Partial
        }
    }

    /// A quotation with no verb of its own continues the quotation before
    /// it when nothing but the reporter's punctuation, or a paragraph
    /// break, lies between them.
    fn continues(&self, prev: usize, ti: usize) -> bool {
        let between = &self.toks[prev + 1..ti];
        let words = between.iter().filter(|t| t.is_word()).count();
        match between.iter().filter(|t| t.kind == Kind::Para).count() {
            0 => true,
            1 => words <= 3,
            _ => false,
        }
    }
}

impl Text<'_> {
    fn attribute(&self, ti: usize, (ss, se): (usize, usize)) -> Found {
        let hit = self
            .verb_after(ti, se)
            .or_else(|| self.according(ti, ss, se))
            .or_else(|| self.verb_before(ti, ss))
            .or_else(|| self.around_sentence(ti, ss, se))
            .or_else(|| self.colon_intro(ti, ss))
            .or_else(|| self.reported(ss, se));
        match hit {
            Some((speaker, cue)) => Found {
                speaker: speaker.and_then(|s| self.resolve(&s)),
                cue: Some(cue),
            },
            None => Found {
                speaker: None,
                cue: None,
            },
        }
    }

    fn resolve(&self, s: &Speaker) -> Option<String> {
        match s {
            Speaker::Person(p) => Some(self.people.name(*p)),
            Speaker::Pronoun(g, at) => self.people.antecedent(*at, *g).map(|p| self.people.name(p)),
            Speaker::Role(r) | Speaker::Guess(r) => Some(r.clone()),
        }
    }

    /// „…“, sagte Merkel / „…“, so der Minister.
    fn verb_after(&self, ti: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        let mut j = ti + 1;
        while j < se && self.toks[j].kind == Kind::Punct && !self.toks[j].is_punct(".") {
            j += 1;
        }
        let t = self.toks.get(j).filter(|_| j < se)?;
        let (low, joined) = self.lang.split_pronoun(t.lower());
        if self.lang.auxiliaries.contains(low) {
            // „…“, hatte Winterkorn in einem Interview erklärt / « … », a
            // déclaré le ministre / « … », a-t-il ajouté.
            let v = (j + 1..se.min(j + 12))
                .find(|&i| self.lang.speech.contains(self.toks[i].lower()))?;
            let subject = match joined {
                Some(g) => Some(Speaker::Pronoun(g, j)),
                None => self
                    .np_after_verb(j + 1, v)
                    .or_else(|| self.np_after_verb(v + 1, se))
                    .or_else(|| self.bare_role(v + 1, se)),
            };
            return Some((subject, self.toks[v].text.clone()));
        }
        if !(self.lang.is_speech(low) || self.lang.speaker_next.contains(low)) {
            return None;
        }
        let subject = match joined {
            Some(g) => Some(Speaker::Pronoun(g, j)),
            None => self
                .np_after_verb(j + 1, se)
                .or_else(|| self.bare_role(j + 1, se)),
        };
        Some((subject, t.text.clone()))
    }

    /// The subject after a verb, past a reflexive or an adverb or two
    /// ("äußerte sich jedoch der Minister").
    fn np_after_verb(&self, p: usize, limit: usize) -> Option<Speaker> {
        let mut i = p;
        while i < limit.min(p + 2) && self.is_loose_word(i) {
            i += 1;
        }
        self.np_at(i, limit)
    }

    /// Right after the verb that follows a quotation, an article starts its
    /// subject whatever the noun: „…“, sagte ein Augenzeuge.
    fn bare_role(&self, i: usize, limit: usize) -> Option<Speaker> {
        let det = self.toks.get(i)?.lower();
        if !self.lang.determiners.contains(det) || self.lang.oblique_determiners.contains(det) {
            return None;
        }
        let mut k = i + 1;
        while k < limit.min(i + 4) && self.is_modifier(k) {
            k += 1;
        }
        let run = cap_run(self.toks, k, self.lang).filter(|r| r.e <= limit)?;
        Some(Speaker::Role(self.role_phrase(i + 1, run.e, limit).0))
    }

    fn is_loose_word(&self, i: usize) -> bool {
        let t = &self.toks[i];
        let l = t.lower();
        t.is_word()
            && !t.is_cap()
            && !self.lang.determiners.contains(l)
            && !self.lang.is_pronoun(l)
            && !self.lang.is_speech(l)
    }

    /// "laut Merkel" / "Merkel zufolge" anywhere in the sentence, or ", so
    /// die FIFA" closing it after the quotation.
    fn according(&self, ti: usize, ss: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        for i in ss..se {
            let t = &self.toks[i];
            if !t.is_word() {
                continue;
            }
            if i > ti
                && self.toks[i - 1].is_punct(",")
                && self.lang.speaker_next.contains(t.lower())
                && let Some(np) = self.np_at(i + 1, se)
            {
                return Some((Some(np), t.text.clone()));
            }
            if let Some(n) = self.phrase_at(i, &self.lang.according_before) {
                let cue = self.words(i, i + n).join(" ");
                return Some((self.source_at(i + n, se), cue));
            }
            if self.lang.according_after.contains(t.lower()) {
                let start = self.np_start_before(i, ss);
                return Some((self.source_at(start, i), t.text.clone()));
            }
        }
        None
    }

    /// Merkel sagte: „…“ / Am Montag sagte Merkel, „…“.
    fn verb_before(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        let v = (ss..ti).rev().find(|&i| {
            let t = &self.toks[i];
            t.is_word() && self.lang.is_speech(t.lower())
        })?;
        Some((self.subject(ss, v), self.toks[v].text.clone()))
    }

    /// The subject of the verb at `v`: the phrase opening its clause, or,
    /// when something else opens it (verb second), the phrase after it.
    fn subject(&self, ss: usize, v: usize) -> Option<Speaker> {
        // "Moreau a expliqué": the clause is read from the auxiliary.
        let v = match v.checked_sub(1) {
            Some(a) if a >= ss && self.lang.auxiliaries.contains(self.toks[a].lower()) => a,
            _ => v,
        };
        let quoting = (ss..=v)
            .rev()
            .find(|&i| self.lang.quoting.contains(self.toks[i].lower()));
        if let Some(q) = quoting
            && let Some(object) = self.np_after_verb(q + 1, self.toks.len())
        {
            // "Ein Sender zitierte Papandreou mit den Worten": the one quoted
            // is the object (in the active voice; "wird Musk zitiert" is not).
            return Some(object);
        }
        if v > ss && self.lang.coordinators.contains(self.toks[v - 1].lower()) {
            // "… befand Netanyahu … und nannte X „…“": the first verb's subject.
            return self.person_between(ss, v);
        }
        let c = (ss..v)
            .rev()
            .find(|&i| self.toks[i].is_punct(",") || self.toks[i].is_punct(":"))
            .map_or(ss, |i| i + 1);
        let opener = c == v || self.lang.clause_openers.contains(self.toks[c].lower());
        let before = || self.np_at(c, v);
        let after = || self.np_after_verb(v + 1, self.toks.len());
        let found = match (opener, before()) {
            (true, b) => after().or(b),
            (false, Some(Speaker::Guess(g))) => after().or(Some(Speaker::Guess(g))),
            (false, b) => b.or_else(after),
        };
        found
            .or_else(|| self.appositive_before(ss, v))
            .or_else(|| self.person_between(c, v))
    }

    /// "Der Leiter des Programms, Klaus Stöhr, sagte": the name set off
    /// right before the verb.
    fn appositive_before(&self, ss: usize, v: usize) -> Option<Speaker> {
        if v < 2 || v - 1 <= ss || !self.toks[v - 1].is_punct(",") {
            return None;
        }
        let s = self.np_start_before(v - 1, ss);
        self.np_at(s, v - 1)
    }

    /// The first person named between `s` and the verb at `v` ("In der
    /// Meldung wird Musk wie folgt zitiert").
    fn person_between(&self, s: usize, v: usize) -> Option<Speaker> {
        (s..v).find_map(|i| match self.np_at(i, v) {
            Some(Speaker::Person(p)) => Some(Speaker::Person(p)),
            _ => None,
        })
    }

    /// A quotation that is its whole sentence: the verb is in the next
    /// sentence ("Das sagte Merkel am Montag.") or the previous one ended
    /// with a colon.
    fn around_sentence(
        &self,
        ti: usize,
        ss: usize,
        se: usize,
    ) -> Option<(Option<Speaker>, String)> {
        let alone = self.toks[ss..se]
            .iter()
            .enumerate()
            .all(|(k, t)| ss + k == ti || t.kind == Kind::Punct);
        if !alone {
            return None;
        }
        let k = self.sents.iter().position(|&(s, _)| s == ss)?;
        let next = self.sents.get(k + 1).copied();
        if let Some((ns, ne)) = next {
            let v = (ns..ne.min(ns + 3)).find(|&i| self.lang.speech.contains(self.toks[i].lower()));
            if let Some(v) = v.filter(|&v| v > ns) {
                return Some((self.np_at(v + 1, ne), self.toks[v].text.clone()));
            }
        }
        let (ps, pe) = self.sents.get(k.checked_sub(1)?).copied()?;
        if self.toks[pe - 1].is_punct(":") {
            return self.verb_before(pe - 1, ps);
        }
        None
    }

    /// "Ein Hauptkommissar nach der Festnahme: „…“": a phrase and a colon,
    /// no verb.
    fn colon_intro(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        if ti <= ss + 1 || !self.toks[ti - 1].is_punct(":") {
            return None;
        }
        let np = self.np_at(ss, ti - 1)?;
        Some((Some(np), ":".to_string()))
    }

    /// A sentence in the mood of reported speech ("Er werde „…“"): its
    /// subject when that is a person, else whoever a speech verb in the
    /// sentences just before introduced.
    fn reported(&self, ss: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        let r = (ss..se).find(|&i| self.reported_verb(i))?;
        let cue = self.toks[r].text.clone();
        if let Some(np @ (Speaker::Person(_) | Speaker::Pronoun(..))) = self.np_at(ss, r) {
            return Some((Some(np), cue));
        }
        let k = self.sents.iter().position(|&(s, _)| s == ss)?;
        for &(ps, pe) in self.sents[..k].iter().rev().take(3) {
            if let Some(v) = (ps..pe)
                .rev()
                .find(|&i| self.lang.speech.contains(self.toks[i].lower()))
            {
                return Some((self.subject(ps, v), cue));
            }
        }
        None
    }

    /// Where the phrase ending right before `i` starts.
    fn np_start_before(&self, i: usize, ss: usize) -> usize {
        let mut s = i;
        while s > ss {
            let t = &self.toks[s - 1];
            let part = t.is_cap() || t.is_word() && self.lang.particles.contains(t.lower());
            if !part {
                break;
            }
            s -= 1;
        }
        if s > ss && self.lang.determiners.contains(self.toks[s - 1].lower()) {
            s -= 1;
        }
        s
    }

    /// The speaker phrase at `p` (before `limit`): a pronoun, a name, or a
    /// role ("der mexikanische Präsident", "ein Sprecher des Ministeriums").
    /// The phrase after "laut" or before "zufolge": any case will do
    /// ("nach Angaben des Ministeriums", "dem Bericht zufolge").
    fn source_at(&self, p: usize, limit: usize) -> Option<Speaker> {
        let oblique = self
            .toks
            .get(p)
            .is_some_and(|t| self.lang.oblique_determiners.contains(t.lower()));
        if oblique {
            return self.np_at(p + 1, limit);
        }
        self.np_at(p, limit)
    }

    fn np_at(&self, p: usize, limit: usize) -> Option<Speaker> {
        let t = self
            .toks
            .get(p)
            .filter(|_| p < limit && self.toks[p].is_word())?;
        let low = t.lower();
        if self.lang.is_pronoun(low) {
            return self.pronoun(low, p);
        }
        let det = self.lang.determiners.contains(low);
        if self.lang.oblique_determiners.contains(low) {
            return None;
        }
        let mut i = p + usize::from(det);
        while det && i < limit && i < p + 4 && self.is_modifier(i) {
            i += 1;
        }
        if det && !self.lang.nouns_capitalised && !self.toks[i.min(limit - 1)].is_cap() {
            return self.lower_role(p + 1, limit);
        }
        let run = cap_run(self.toks, i, self.lang).filter(|r| r.e <= limit)?;
        let mut named = strip_titles(self.toks, run, self.lang);
        let mut titled = named.s > run.s;
        if det && self.lang.nouns_capitalised && !titled && run.e - run.s >= 2 {
            // "der zuständige Gewerkschaftsvorstand Uwe Foullong": after an
            // article the first capitalised word is a noun, the rest a name.
            named = strip_titles(
                self.toks,
                Run {
                    s: run.s + 1,
                    e: run.e,
                },
                self.lang,
            );
            titled = named.s < named.e;
        }
        if named.s < named.e
            && let Some(found) = self.name_at(named, det, titled)
        {
            return Some(found);
        }
        let (role, end) = self.role_phrase(p + usize::from(det), run.e, limit);
        if let Some(name) = self.appositive_name(end, limit) {
            return Some(name);
        }
        // Right before its verb, any noun phrase is the subject ("Die
        // Passagiere berichteten").
        (run.e == limit || self.is_role_head(&self.toks[run.e - 1].text))
            .then_some(Speaker::Role(role))
    }

    /// A role in lower case after an article ("le ministre de l'Économie,
    /// Paul Lefèvre", "une habitante"): the name set off after it when
    /// there is one, else the role from its noun on.
    fn lower_role(&self, from: usize, limit: usize) -> Option<Speaker> {
        let head = (from..limit.min(from + 3))
            .take_while(|&k| self.toks[k].is_word() && !self.toks[k].is_cap())
            .find(|&k| self.is_role_head(&self.toks[k].text))?;
        let mut end = head + 1;
        while end < limit.min(head + 6) && self.toks[end].is_word() {
            end += 1;
        }
        if let Some(name) = self.appositive_name(end, limit) {
            return Some(name);
        }
        if let Some(run) = cap_run(self.toks, head + 1, self.lang).filter(|r| r.e <= limit) {
            // "le député Thomas Garnier"
            return self.name_at(run, false, true);
        }
        Some(Speaker::Role(self.words(head, head + 1).join(" ")))
    }

    /// The words of `named` as a speaker: a known person, or a name by its
    /// place (after a role noun, or capitalised away from a sentence start
    /// with no article, or opening with a given name).
    fn name_at(&self, named: Run, det: bool, titled: bool) -> Option<Speaker> {
        let words = self.words(named.s, named.e);
        if let Some(pid) = self.people.person_named(&words) {
            return Some(Speaker::Person(pid));
        }
        let sentence_initial = self.sents.iter().any(|&(s, _)| s == named.s);
        let organisation = words
            .iter()
            .any(|w| self.lang.is_organisation(&w.to_lowercase()));
        // Where every noun is capitalised, a sentence's first words may be
        // any noun phrase ("Jegliche Mitverantwortung weist er von sich").
        let initial_ok = words.len() >= 2 && !self.lang.nouns_capitalised;
        let name_like = titled
            || !det && !organisation && (!sentence_initial || initial_ok)
            || words.len() >= 2 && is_known_given(&words[0]);
        if name_like {
            return Some(Speaker::Role(words.join(" ")));
        }
        let before_verb = self.toks.get(named.e).is_some_and(|t| {
            self.lang.is_speech(t.lower()) || self.lang.auxiliaries.contains(t.lower())
        });
        (!det && !organisation && before_verb).then(|| Speaker::Guess(words.join(" ")))
    }

    /// "der Leiter des Programms, Klaus Stöhr": the name after the role.
    fn appositive_name(&self, end: usize, limit: usize) -> Option<Speaker> {
        // Past a short phrase first: "der General der Streitkräfte im Irak, …".
        let end = (end..limit.min(end + 4))
            .take_while(|&i| self.toks[i].is_word() || self.toks[i].is_punct(","))
            .find(|&i| self.toks[i].is_punct(","))?;
        let run = cap_run(self.toks, end + 1, self.lang).filter(|r| r.e <= limit)?;
        let named = strip_titles(self.toks, run, self.lang);
        let words = self.words(named.s, named.e);
        if let Some(pid) = self.people.person_named(&words) {
            return Some(Speaker::Person(pid));
        }
        // Set off by commas on both sides, two capitalised words after a
        // role are a name even when the given name is not a known one.
        let closed = self
            .toks
            .get(run.e)
            .is_none_or(|t| t.is_punct(",") || t.is_punct("."));
        let organisation = words
            .iter()
            .any(|w| self.lang.is_organisation(&w.to_lowercase()));
        let name = words.len() >= 2 && (is_known_given(&words[0]) || closed && !organisation);
        name.then(|| Speaker::Role(words.join(" ")))
    }

    /// A noun that can be someone who speaks: a role, an organisation, or
    /// an agent noun by its ending ("Wissenschaftler", "Demonstranten").
    fn is_role_head(&self, w: &str) -> bool {
        let acronym =
            w.chars().count() >= 2 && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
        acronym
            || self.lang.is_title(&w.to_lowercase())
            || self.lang.is_organisation(&w.to_lowercase())
            || self
                .lang
                .agent_suffixes
                .iter()
                .any(|suf| w.len() > suf.len() + 3 && w.ends_with(suf.as_str()))
    }

    fn pronoun(&self, low: &str, p: usize) -> Option<Speaker> {
        let gender = if self.lang.pronouns_male.contains(low) {
            Gender::Male
        } else if self.lang.pronouns_female.contains(low) {
            Gender::Female
        } else {
            return None;
        };
        Some(Speaker::Pronoun(gender, p))
    }

    /// A lower-case word inside a noun phrase (an adjective).
    fn is_modifier(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word() && !t.is_cap() && !self.lang.is_speech(t.lower())
    }

    /// A role from `from` to `e`, with a genitive that names whose role it
    /// is ("Sprecher des Ministeriums").
    fn role_phrase(&self, from: usize, e: usize, limit: usize) -> (String, usize) {
        let mut end = e;
        for links in [&self.lang.genitive, &self.lang.role_prepositions] {
            let Some(t) = self.toks.get(end).filter(|_| end + 1 < limit) else {
                break;
            };
            if !links.contains(t.lower()) {
                continue;
            }
            // "der deutschen Bauwirtschaftsverbände": adjectives first.
            let mut k = end + 1;
            while k < limit.min(end + 4) && self.is_modifier(k) {
                k += 1;
            }
            if let Some(run) = cap_run(self.toks, k, self.lang) {
                end = run.e.min(limit);
            }
        }
        (self.words(from, end).join(" "), end)
    }

    /// The length in words of the longest phrase of `set` starting at `i`.
    fn phrase_at(&self, i: usize, set: &std::collections::HashSet<String>) -> Option<usize> {
        set.iter()
            .filter_map(|phrase| {
                let n = phrase.split(' ').count();
                let ws = self.toks.get(i..i + n)?;
                let hit = ws
                    .iter()
                    .zip(phrase.split(' '))
                    .all(|(t, w)| t.lower() == w);
                hit.then_some(n)
            })
            .max()
    }

    fn words(&self, s: usize, e: usize) -> Vec<String> {
        self.toks[s..e]
            .iter()
            .filter(|t| t.is_word())
            .map(|t| t.text.clone())
            .collect()
    }
}
