//! Which quotations are someone's words, and the speaker a quotation with
//! no verb of its own continues.

use super::super::names::is_acronym;
use super::super::spans::Span;
use super::super::tokens::{Kind, Tok};
use super::super::{Quote, QuoteKind, edited};
use super::{Found, SHORT_WORDS, Text};

impl Text<'_> {
    pub(super) fn quotes(&self, spans: &[Span], chars: &[char]) -> Vec<Quote> {
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
            if found.speaker.is_none() && found.cue.is_none() {
                found.speaker = self.previous_subject(ti, sent);
            }
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
    pub(super) fn near(&self, prev: usize, ti: usize) -> bool {
        let k = |t: usize| self.sents.iter().position(|&(s, e)| s <= t && t < e);
        matches!((k(prev), k(ti)), (Some(a), Some(b)) if b - a <= 3)
    }

    /// Quotations earlier in the sentence with no verb of their own take
    /// this one's: Die „…“ hätten „…“, so Murtha.
    pub(super) fn share_back(&self, out: &mut [Quote], (ss, _): (usize, usize), found: &Found) {
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

    pub(super) fn sentence_of(&self, ti: usize) -> (usize, usize) {
        super::super::tokens::sentence_of(self.sents, ti)
    }

    /// Whether the quotation at `ti` is someone's words rather than a name,
    /// a title or a term.
    pub(super) fn is_speech(
        &self,
        ti: usize,
        (ss, se): (usize, usize),
        text: &str,
        chars: &[char],
    ) -> bool {
        // Where nouns are capitalised, a name opens with a capital: "die
        // Partei „für ihre Nähe zu …“ bekannt" is a fragment, not a name.
        let lower_phrase = self.lang.nouns_capitalised
            && text.chars().next().is_some_and(char::is_lowercase)
            && text.split_whitespace().count() >= 3;
        if !text.chars().any(char::is_alphanumeric)
            || !lower_phrase && self.named_by_context(ti, chars)
            || self.gloss(ti, text)
            || self.acronym_after(ti)
        {
            return false;
        }
        let punctuated = text.ends_with(['.', '!', '?', ',', ':']);
        if punctuated || edited(text) || self.characterised(ti, (ss, se)) {
            return true;
        }
        if self.looks_like_a_name(ti, text)
            || self.names_a_body(text)
            || self.names_a_source(ti, text)
            || self.speaks_itself(ti)
            || is_address(text)
        {
            return false;
        }
        let words = text.split_whitespace().count();
        let lower = text.chars().next().is_some_and(char::is_lowercase);
        let after_colon = ti > ss && self.toks[ti - 1].is_punct(":");
        // A short sentence a person announces with a colon is said,
        // whatever the verb ("Волков был краток: «Мы заслужили победу»");
        // with no person, it is a motto or a title ("Motto: „…“").
        let announced = after_colon && words >= 2 && !lower && self.people.mentioned_in(ss, ti);
        let opens = ti == ss || after_colon;
        // Where nouns are capitalised, a fragment of several words opening
        // in lower case is an adjective or a verb phrase, never a name:
        // with a person in the sentence, it is that person's wording
        // („auf lange Sicht“ für „teuer und riskant“).
        let wording =
            self.lang.nouns_capitalised && lower && words >= 2 && self.people.mentioned_in(ss, se);
        announced || words > SHORT_WORDS && (opens || lower) || wording || self.cued((ss, se))
    }

    /// A quotation followed by its acronym in brackets is a name: „Bündnis
    /// für faire Mieten“ (BFM).
    pub(super) fn acronym_after(&self, ti: usize) -> bool {
        matches!(
            self.toks.get(ti + 1..ti + 4),
            Some([open, short, close])
                if open.is_punct("(") && short.is_word() && is_acronym(&short.text) && close.is_punct(")")
        )
    }

    /// A few words alone in brackets gloss what stands before them: a
    /// translation („Blue Harbour“ („blauer Hafen“)) or an example.
    pub(super) fn gloss(&self, ti: usize, text: &str) -> bool {
        let bracketed = ti > 0
            && self.toks[ti - 1].is_punct("(")
            && self.toks.get(ti + 1).is_some_and(|t| t.is_punct(")"));
        bracketed && text.split_whitespace().count() <= SHORT_WORDS
    }

    /// A word before the quotation that makes it a name ("die Zeitung
    /// „…“"), or a compound joined to it by a hyphen („Thalys“-Züge).
    pub(super) fn named_by_context(&self, ti: usize, chars: &[char]) -> bool {
        let end = self.toks[ti].end;
        if chars.get(end) == Some(&'-') {
            return true;
        }
        // An article or "als" between the word and the quotation starts
        // a phrase of its own: "bietet das Buch eine „…“", "die Aktion
        // als „…“".
        let starts_phrase = |t: &Tok| {
            self.lang.determiners.contains(t.lower())
                || self.lang.characterise_as.contains(t.lower())
        };
        self.toks[..ti]
            .iter()
            .rev()
            .take(2)
            .take_while(|t| t.is_word())
            .take_while(|t| !starts_phrase(t))
            .any(|t| self.lang.is_naming(t.lower()))
    }

    /// A fragment that a characterising verb governs: "nannte den Plan
    /// „…“", "sprach von einer „…“", or that "als" introduces.
    pub(super) fn characterised(&self, ti: usize, (ss, se): (usize, usize)) -> bool {
        let from = ti.saturating_sub(8).max(ss);
        let as_word = || {
            self.toks[from..ti]
                .iter()
                .rev()
                .take(3)
                .any(|t| t.is_word() && self.lang.characterise_as.contains(t.lower()))
        };
        // "als „…“" is someone's words when someone says it: a speech
        // verb, or a person or a body named before it ("bezeichnete
        // X als „…“", "Die Landesregierung hatte … als „…“ zurückgewiesen");
        // otherwise it is a label ("galt als „Störfall“", "als „Stadt der
        // Musik“ ausgezeichnet").
        let said = || {
            self.people.mentioned_in(ss, ti)
                || (ss..ti).any(|i| {
                    self.toks[i].is_cap() && self.lang.is_organisation(self.toks[i].lower())
                })
                || self.cued((ss, se))
        };
        self.toks[from..ti]
            .iter()
            .any(|t| t.is_word() && self.lang.characterise.contains(t.lower()))
            || as_word() && said()
    }

    /// A quotation in title case where a name stands: after an article or
    /// a preposition, or right after a noun ("die Mondlandefähre „Eagle“"):
    /// a newspaper, a party, a ship.
    pub(super) fn looks_like_a_name(&self, ti: usize, text: &str) -> bool {
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
        // Where nouns are capitalised, one word after an indefinite
        // article is a common noun, scare-quoted ("nur ein „Papiertiger“"),
        // not a name.
        let common_noun = self.lang.nouns_capitalised && self.lang.indefinite_articles.contains(p);
        let in_name_slot = !common_noun && self.lang.determiners.contains(p)
            || self.lang.clause_openers.contains(p)
            || prev.is_cap() && !self.lang.is_speech(p)
            || matches!(prev.kind, Kind::Quote(_))
            || prev.is_punct(",") && ti >= 2 && matches!(self.toks[ti - 2].kind, Kind::Quote(_));
        // Where nouns are capitalised, words said always include a lower
        // case one (a verb, an adjective): several capitalised words alone
        // are a name wherever they stand ("die regierende „National Unity
        // Party“").
        let all_capitals = self.lang.nouns_capitalised
            && text.split_whitespace().count() >= 2
            && text.split_whitespace().all(|w| {
                w.chars()
                    .find(|c| c.is_alphanumeric())
                    .is_some_and(|c| !c.is_lowercase())
            });
        // Where nouns are capitalised, a capitalised quotation right after
        // a noun is that noun's name, in whatever case its words are: the
        // encyclical „Deus caritas est“, the app „Smart Parking …“.
        let after_noun = self.lang.nouns_capitalised
            && first_cap
            && text.split_whitespace().count() <= SHORT_WORDS
            && prev.is_cap()
            && !self.lang.is_speech(p)
            && !self.sents.iter().any(|&(s, _)| s == ti - 1);
        title_case && in_name_slot || all_capitals || after_noun
    }

    /// A capitalised phrase of several words with an organisation word
    /// among its first three (a head noun, perhaps after an adjective or
    /// two) and nothing of a sentence's punctuation is the organisation's
    /// name wherever it stands: „Rat für digitale Sicherheit“, „Oberster
    /// Rat zur Wahrung der Verfassung“. A sentence that only
    /// mentions one further on („… stellt die Lübecker Rundschau …“) is
    /// not.
    pub(super) fn names_a_body(&self, text: &str) -> bool {
        let first_cap = text.chars().next().is_some_and(char::is_uppercase);
        first_cap
            && text.split_whitespace().nth(1).is_some()
            && !text.contains([',', ';', '!', '?'])
            && !text.contains(". ")
            && text.split_whitespace().take(3).any(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                self.lang.is_organisation(&w.to_lowercase())
            })
    }

    /// A quotation with an article or "wie" before it and a speech verb
    /// right after it is the verb's subject, a name: "von der „Aktion
    /// Deutschland hilft“ sagte", "Wie „heise online“ berichtet".
    pub(super) fn speaks_itself(&self, ti: usize) -> bool {
        let definite = |t: &Tok| {
            t.is_word()
                && (self.lang.determiners.contains(t.lower())
                    && !self.lang.indefinite_articles.contains(t.lower())
                    || self.lang.as_clause.contains(t.lower()))
        };
        ti > 0
            && definite(&self.toks[ti - 1])
            && self
                .toks
                .get(ti + 1)
                .is_some_and(|t| t.is_word() && self.lang.is_speech(t.lower()))
    }

    /// A short capitalised quotation right after "laut" is the name of the
    /// source itself: laut „Reuters“ (while "pour « un sursaut »" is words).
    pub(super) fn names_a_source(&self, ti: usize, text: &str) -> bool {
        let name_like = text.split_whitespace().count() <= 3
            && text.chars().next().is_some_and(char::is_uppercase);
        name_like && ti > 0 && self.word_in(ti - 1, &self.lang.according_before)
    }

    pub(super) fn is_function_word(&self, w: &str) -> bool {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().count() <= 4
            || self.lang.determiners.contains(w)
            || self.lang.particles.contains(w)
            || self.lang.clause_openers.contains(w)
    }

    pub(super) fn cue_word(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word()
            && (self.reports_speech(i)
                || self.lang.speaker_next.contains(t.lower()) && self.after_quote_comma(i)
                || self.according_at(i).is_some()
                || self.lang.according_after.contains(t.lower()))
    }

    /// The word at `i` is a speech verb with the particle it has, if any:
    /// "gab … bekannt", but "es gab", "stellte … vor".
    pub(super) fn reports_speech(&self, i: usize) -> bool {
        self.lang
            .speech_with(self.toks[i].lower(), || self.verb_particle(i))
    }

    /// The verb finder's test for the word at `i`, read as `w` (a joined
    /// pronoun split off): a listed speech verb stays one whatever its
    /// particle ("gab … eine Stellungnahme"), and a particle makes a speech
    /// verb of some more ("merkte … an").
    pub(super) fn speech_verb(&self, i: usize, w: &str) -> bool {
        self.lang.is_speech(w) || self.reports_speech(i)
    }

    /// The particle of the verb at `i`: the last word of its clause, as in
    /// "gab … bekannt.", or the word before it, as in "…, als er bekannt
    /// gab".
    fn verb_particle(&self, i: usize) -> Option<&str> {
        let is_particle = |t: &Tok| t.is_word() && self.lang.verb_particles.contains(t.lower());
        if let Some(before) = i.checked_sub(1).map(|b| &self.toks[b])
            && is_particle(before)
        {
            return Some(before.lower());
        }
        // A subordinate clause starts after the particle where no comma
        // marks it (Dutch "gaf aan dat …").
        let clause_end = |t: &Tok| {
            t.kind == Kind::Para
                || t.kind == Kind::Punct && !t.is_punct("-") && !t.is_punct("–")
                || t.is_word() && self.lang.subordinators.contains(t.lower())
        };
        let last = self.toks[i + 1..]
            .iter()
            .take_while(|t| !clause_end(t))
            .filter(|t| t.is_word())
            .last()?;
        is_particle(last).then(|| last.lower())
    }

    /// The sentence has a speech cue or a verb of reported speech.
    pub(super) fn cued(&self, (ss, se): (usize, usize)) -> bool {
        (ss..se).any(|i| self.cue_word(i) || self.reported_verb(i))
    }

    /// A verb in the mood of reported speech ("sei", "habe", "müsse").
    pub(super) fn reported_verb(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word() && self.lang.reported_mood.contains(t.lower())
    }

    /// `i` follows a quotation and a comma: „…“, so Merkel.
    pub(super) fn after_quote_comma(&self, i: usize) -> bool {
        i >= 2 && self.toks[i - 1].is_punct(",") && matches!(self.toks[i - 2].kind, Kind::Quote(_))
    }

    pub(super) fn kind(&self, ti: usize, (ss, _): (usize, usize), text: &str) -> QuoteKind {
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
    pub(super) fn continues(&self, prev: usize, ti: usize) -> bool {
        let between = &self.toks[prev + 1..ti];
        let words = between.iter().filter(|t| t.is_word()).count();
        match between.iter().filter(|t| t.kind == Kind::Para).count() {
            0 => true,
            1 => words <= 3,
            _ => false,
        }
    }
}

/// A web address or a domain ("tagesschau.de"): one word with a dot
/// inside it.
fn is_address(text: &str) -> bool {
    let t = text.trim();
    !t.contains(char::is_whitespace)
        && t.split('.').count() >= 2
        && t.split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && t.rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().all(char::is_alphabetic))
}
