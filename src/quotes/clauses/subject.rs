//! The subject of a quotation's clause, whatever its verb: when no speech
//! verb ties a quotation to a speaker, whoever the clause is about said it
//! ("Der Stadtrat hatte das Gutachten als „unhaltbar“ verworfen", "Ihre
//! Zweifel brachte die Sprecherin deutlich zum Ausdruck: „…“").
//!
//! The same phrase reading finds the other ways a sentence names its
//! source without a subject that speaks: a place after an impersonal verb
//! ("heißt es in der Erklärung"), a clause opened by "wie" ("Wie der
//! Richter ausführte, …"), the agent of a passive ("von Kritikern als „…“
//! bezeichnet"), the object of a verb of quoting, a publication named in
//! quotation marks, and the subject after any verb that follows a
//! quotation („…“, erinnerte sich Hollweg).
//!
//! Where every noun is capitalised the phrases of a clause can be found
//! without a dictionary of verbs: a phrase is an article, adjectives and a
//! capitalised run with what hangs on it, and the first lower-case word
//! after a phrase that is no article, preposition or adjective is the
//! finite verb. A main clause has its finite verb second: the phrase
//! before it is the subject unless its article marks another case or a
//! preposition opens it, and then the subject comes right after the verb.

use super::super::tokens::Kind;
use super::{Speaker, Text};

/// How far an apposition set off by commas may run ("Jana Kretschmer, die
/// Vorsitzende des Verbandes, würdigte").
const APPOSITION_WORDS: usize = 14;

impl Text<'_> {
    /// The subject of the main clause the quotation at `ti` stands in, and
    /// the word that cues it (its verb, or the preposition of a passive's
    /// agent). Any index may stand for `ti`: the clause is read up to it.
    pub(super) fn clause_subject(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        if !self.lang.nouns_capitalised {
            return None;
        }
        // A colon ends a clause ("Steuern: Die SPD will …"), unless it
        // introduces the quotation itself.
        let ss = (ss..ti.saturating_sub(1))
            .rev()
            .find(|&i| self.toks[i].is_punct(":"))
            .map_or(ss, |i| i + 1);
        let p = self.clause_start(ss, ti);
        let se = self.sentence_of(ti).1;
        if let Some(v) = self.passive_verb(p, ti, se) {
            return self.passive_source(p, v, ti);
        }
        if let Some(end) = self.subject_phrase_end(p, ti)
            && self.finite_verb_at(end, ti)
        {
            let speaker = self.person_over_thing(self.phrase_speaker(p, end), p, end, ti);
            return Some((speaker, self.toks[end].text.clone()));
        }
        // The first verb, or one right after a comma when a subordinate
        // clause comes first ("Als ein Kellner dazwischenging, schlug der
        // Gast …").
        (p..ti)
            .filter(|&i| self.finite_verb_at(i, ti))
            .enumerate()
            .filter(|&(n, v)| n == 0 || self.toks[v - 1].is_punct(","))
            .find_map(|(_, v)| {
                let subject = self
                    .np_after_verb(v + 1, ti)
                    .filter(|s| !self.nouns_capitalised_bare(v + 1, s))?;
                Some((Some(subject), self.toks[v].text.clone()))
            })
    }

    /// The phrase before the verb at `v` when it is the whole of what
    /// precedes it and can be a subject: "Auch die Sozialministerin
    /// Petra Albers (SPD) äußerte", "Lukas Brandt, der
    /// Innenminister, sagte". A capitalised word alone is left to
    /// the caller, who weighs it against the phrase after the verb.
    pub(super) fn vorfeld_subject(&self, ss: usize, v: usize) -> Option<Speaker> {
        if !self.lang.nouns_capitalised {
            return None;
        }
        let p = self.clause_start(ss, v);
        // The verb is in view (limit past it) so that an apposition
        // closing right before it is seen to end there.
        if self.subject_phrase_end(p, v + 1)? != v {
            return None;
        }
        self.phrase_speaker(p, v)
            .filter(|s| !matches!(s, Speaker::Guess(_)))
    }

    /// "Die neuen Regeln beschrieb der Sprecher des Verbandes als
    /// „…“": a plural phrase at `p` before a verb at `v` in the singular
    /// is the verb's fronted object, and its subject comes after it.
    pub(super) fn plural_before_singular(&self, p: usize, v: usize) -> bool {
        let ending = self.lang.weak_oblique_ending.as_str();
        let plural = !ending.is_empty()
            && self.word_in(p, &self.lang.plural_articles)
            && self
                .toks
                .get(p + 1)
                .is_some_and(|t| t.is_word() && !t.is_cap() && t.lower().ends_with(ending));
        let verb_ending = self.lang.plural_verb_ending.as_str();
        plural && !verb_ending.is_empty() && !self.toks[v].lower().ends_with(verb_ending)
    }

    /// A thing before the verb at `v` and a person named after it: the
    /// thing is the fronted object ("Die Reform der Rente stellte
    /// der CDU-Vorsitzende Otto Renner in Frage"). A person, a role
    /// or a body before the verb stays the subject ("Die Regierung sagte
    /// Merkel Hilfe zu").
    pub(super) fn person_over_thing(
        &self,
        found: Option<Speaker>,
        p: usize,
        v: usize,
        limit: usize,
    ) -> Option<Speaker> {
        // The phrase's noun decides, not an apposition after it ("Die
        // Botschaft von Tom Harlow, dem Präsidenten, lautete").
        let head =
            (p..v).find(|&i| self.toks[i].is_cap() && !self.word_in(i, &self.lang.determiners));
        let thing = matches!(found, Some(Speaker::Role(_) | Speaker::Guess(_)))
            && !head.is_some_and(|i| self.is_role_head(&self.toks[i].text));
        if !thing {
            return found;
        }
        self.np_after_verb(v + 1, limit)
            .filter(|s| matches!(s, Speaker::Person(_)))
            .or_else(|| self.owner_of(p, v))
            .or(found)
    }

    /// Whose a thing is when it stands for what someone said: "Das Fazit
    /// von Ina Vogt fiel knapp aus: „…“", "Die Botschaft von
    /// Tom Harlow lautete: „…“". A known person named inside the phrase
    /// `p..v`, right after a preposition or a genitive article that ties
    /// it to the noun, is the speaker; one in a clause set off by a comma
    /// is not ("Bauer, der nach dem Foul vom Platz musste, nannte").
    fn owner_of(&self, p: usize, v: usize) -> Option<Speaker> {
        let (m, person) = self.people.mention_in(p, v)?;
        let tied = m > p
            && (self.word_in(m - 1, &self.lang.role_prepositions)
                || self.word_in(m - 1, &self.lang.genitive));
        let set_off = (p..m).any(|i| self.toks[i].is_punct(","));
        (tied && !set_off).then_some(Speaker::Person(person))
    }

    /// The first word of the clause at `ss`, past a dash or bracket and
    /// focus particles.
    pub(super) fn clause_start(&self, ss: usize, limit: usize) -> usize {
        let mut p = ss;
        while p < limit && (!self.toks[p].is_word() || self.is_focus(p)) {
            p += 1;
        }
        p
    }

    /// A word before the subject that leaves it the first phrase: "Auch
    /// der Minister", "Und die Firma".
    fn is_focus(&self, i: usize) -> bool {
        let l = self.toks[i].lower();
        self.lang.coordinators.contains(l) || self.lang.focus_particles.contains(l)
    }

    /// An article whose adjective's ending marks another case than the
    /// subject's: "der" with "-en" is dative or genitive ("Der
    /// englischsprachigen Zeitung sagte Karma"), never "der neue Minister".
    pub(super) fn weak_oblique(&self, p: usize) -> bool {
        let ending = self.lang.weak_oblique_ending.as_str();
        !ending.is_empty()
            && self.word_in(p, &self.lang.weak_oblique_articles)
            && self
                .toks
                .get(p + 1)
                .is_some_and(|t| t.is_word() && !t.is_cap() && t.lower().ends_with(ending))
    }

    /// The end of a phrase at `p` that can be a subject: no preposition or
    /// object article opens it.
    pub(super) fn subject_phrase_end(&self, p: usize, limit: usize) -> Option<usize> {
        let t = self.toks.get(p).filter(|t| p < limit && t.is_word())?;
        let l = t.lower();
        if self.is_adverb(p)
            || self.lang.oblique_determiners.contains(l)
            || self.lang.object_determiners.contains(l)
            || self.opens_adverbial(l)
            || self.weak_oblique(p)
        {
            return None;
        }
        self.phrase_end(p, limit)
    }

    /// Where the phrase at `p` ends: article, adjectives, a capitalised
    /// run, genitives and affiliations, a party in brackets, appositions
    /// set off by commas.
    pub(super) fn phrase_end(&self, p: usize, limit: usize) -> Option<usize> {
        if p >= limit.min(self.toks.len()) {
            return None;
        }
        let det = self.lang.determiners.contains(self.toks[p].lower());
        let mut i = p + usize::from(det);
        // After an article every lower-case word up to the noun belongs
        // to the phrase ("einer gestern verbreiteten Erklärung"); without
        // one, a preposition ends it.
        while i < limit.min(p + 5)
            && self.is_modifier(i)
            && (det || !self.opens_adverbial(self.toks[i].lower()))
        {
            i += 1;
        }
        if i >= limit {
            return None;
        }
        let run = super::people::cap_run(self.toks, i, self.lang).filter(|r| r.e <= limit)?;
        if self.named_after(run, limit).is_some() {
            return Some(run.e + 1);
        }
        let (_, end) = self.role_phrase(i, run.e, limit);
        let mut end = self.past_brackets(self.past_attachments(end, limit), limit);
        for _ in 0..3 {
            match self.past_apposition(end, limit) {
                Some(next) => end = next,
                None => break,
            }
        }
        Some(end)
    }

    /// Past more genitives and affiliations than a role phrase reads when
    /// they lead to an apposition or a verb: "die Sprecherin der Fraktion
    /// der Grünen im Stadtrat von Kiel, Anna Lorenz, will".
    fn past_attachments(&self, end: usize, limit: usize) -> usize {
        let mut at = end;
        for _ in 0..3 {
            // A second role joined by "und" counts too: "Die frühere
            // Landrätin und Schulsenatorin, Helga Wendt, warnte".
            let joined = self.word_in(at, &self.lang.coordinators)
                && self.toks.get(at + 1).is_some_and(|t| t.is_cap());
            let linked = joined
                || self.word_in(at, &self.lang.genitive)
                || self.word_in(at, &self.lang.role_prepositions);
            let k = self.noun_start(at + 1, limit);
            let Some(run) = (linked && k < limit)
                .then(|| super::people::cap_run(self.toks, k, self.lang))
                .flatten()
                .filter(|r| r.e < limit)
            else {
                break;
            };
            at = run.e;
            let t = &self.toks[at];
            if t.is_punct(",") || t.is_punct("(") || self.finite_verb_at(at, limit) {
                return at;
            }
        }
        end
    }

    /// Past "(SPD)" right after a name.
    pub(super) fn past_brackets(&self, end: usize, limit: usize) -> usize {
        if !self.toks.get(end).is_some_and(|t| t.is_punct("(")) {
            return end;
        }
        (end + 1..limit.min(end + 6))
            .find(|&k| self.toks[k].is_punct(")"))
            .map_or(end, |k| k + 1)
    }

    /// Past ", apposition,": to the verb when a finite verb follows the
    /// closing comma, or to that comma when another apposition or a
    /// relative clause follows ("Lukas Brandt, der Minister, der den
    /// Vorsitz hat, sagte").
    fn past_apposition(&self, end: usize, limit: usize) -> Option<usize> {
        if !self.toks.get(end).is_some_and(|t| t.is_punct(",")) {
            return None;
        }
        let window = end + 1..limit.min(end + 1 + APPOSITION_WORDS);
        let close = window.clone().find(|&k| {
            self.toks[k].is_punct(",") || matches!(self.toks[k].kind, Kind::Quote(_) | Kind::Para)
        });
        let Some(close) = close.filter(|&c| self.toks[c].is_punct(",")) else {
            return self.unclosed_apposition(end, close.unwrap_or(window.end), limit);
        };
        let after = close + 1;
        if self.finite_verb_at(after, limit) {
            return Some(after);
        }
        let another = self
            .toks
            .get(after)
            .is_some_and(|t| t.is_cap() || self.lang.determiners.contains(t.lower()));
        another.then_some(close)
    }

    /// "Karim Haddad, der Generalsekretär der Gewerkschaft (GTU) sagte": a role
    /// set off after a name whose closing comma was left out ends at the
    /// first speech verb. Only a name (two capitalised words) before the
    /// comma and a role noun opening the apposition: "Merkel, die
    /// Steinmeier lobte" is a relative clause.
    fn unclosed_apposition(&self, comma: usize, stop: usize, limit: usize) -> Option<usize> {
        let named = comma >= 2 && self.toks[comma - 1].is_cap() && self.toks[comma - 2].is_cap();
        let k = self.noun_start(comma + 1, stop);
        let role = self
            .toks
            .get(k)
            .is_some_and(|t| t.is_cap() && self.is_role_head(&t.text));
        if !named || !role {
            return None;
        }
        (k + 1..stop)
            .find(|&v| self.finite_verb_at(v, limit) && self.lang.is_speech(self.toks[v].lower()))
    }

    /// Whether the word at `i` can be a finite verb right after a phrase:
    /// lower case, and no article, preposition, pronoun or conjunction.
    fn finite_verb_at(&self, i: usize, limit: usize) -> bool {
        let after_phrase = i > 0 && {
            let prev = &self.toks[i - 1];
            prev.is_cap() || prev.is_punct(",") || prev.is_punct(")")
        };
        i < limit && after_phrase && self.can_be_verb(i)
    }

    /// A lower-case word that is no article, preposition, pronoun or
    /// conjunction.
    pub(super) fn can_be_verb(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        let l = t.lower();
        // A word with a stop inside is an abbreviation or an address.
        t.is_word()
            && !t.is_cap()
            && !l.contains('.')
            && !self.lang.determiners.contains(l)
            && !self.opens_adverbial(l)
            && !self.lang.is_pronoun(l)
            && !self.lang.coordinators.contains(l)
            && !self.lang.subordinators.contains(l)
            && !self.lang.focus_particles.contains(l)
    }

    /// „…“, erinnerte sich Trotnow / „…?“ fragen sich Experten: where
    /// nouns are capitalised, the word right after a quotation that can be
    /// a verb is its verb, whatever it means, and the subject follows.
    pub(super) fn inverted_subject(
        &self,
        j: usize,
        se: usize,
    ) -> Option<(Option<Speaker>, String)> {
        if !self.lang.nouns_capitalised || !self.can_be_verb(j) || self.reported_verb(j) {
            return None;
        }
        let subject = self.np_after_verb(j + 1, se).filter(|s| {
            !matches!(s, Speaker::Guess(_)) && !self.nouns_capitalised_bare(j + 1, s)
        })?;
        Some((Some(subject), self.toks[j].text.clone()))
    }

    /// A preposition or an adverb that opens a clause ("am", "dazu");
    /// "das" and "die" open phrases as articles.
    pub(super) fn opens_adverbial(&self, l: &str) -> bool {
        !self.lang.determiners.contains(l)
            && (self.lang.prepositions.contains(l)
                || self.lang.role_prepositions.contains(l)
                || self.lang.clause_openers.contains(l))
    }

    /// The end of a prepositional phrase at `i`: the preposition, an
    /// article and adjectives, its noun, and a genitive in an oblique
    /// article ("zum Abschluss des Treffens"); no further, so that a
    /// subject after it is not taken in.
    pub(super) fn prepositional_end(&self, i: usize, limit: usize) -> Option<usize> {
        if !self.lang.nouns_capitalised || !self.word_in(i, &self.lang.prepositions) {
            return None;
        }
        let noun_end = |from: usize| -> Option<usize> {
            let k = self.noun_start(from, limit);
            if k >= limit {
                return None;
            }
            let run = super::people::cap_run(self.toks, k, self.lang).filter(|r| r.e <= limit)?;
            Some(run.e)
        };
        let end = noun_end(i + 1)?;
        if self.word_in(end, &self.lang.oblique_determiners) {
            return Some(noun_end(end).unwrap_or(end));
        }
        Some(end)
    }

    /// Where the noun of a phrase at `from` starts: past an article and
    /// the adjectives after it.
    pub(super) fn noun_start(&self, from: usize, limit: usize) -> usize {
        let mut k = from + usize::from(self.word_in(from, &self.lang.determiners));
        while k < limit.min(from + 4) && self.is_modifier(k) {
            k += 1;
        }
        k
    }

    /// Whether the word at `i` is in `set` (a table's lower-case list).
    pub(super) fn word_in(&self, i: usize, set: &foldhash::HashSet<String>) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.is_word() && set.contains(t.lower()))
    }

    /// The phrase `p..end` as a speaker: a name or role where
    /// [`Text::np_at`] reads one, else the whole phrase without its
    /// article ("Statistische Amt des Landes").
    pub(super) fn phrase_speaker(&self, p: usize, end: usize) -> Option<Speaker> {
        if let Some(named) = self.name_before_apposition(p, end) {
            return Some(named);
        }
        let stop = (p..end)
            .find(|&k| self.toks[k].is_punct(",") || self.toks[k].is_punct("("))
            .unwrap_or(end);
        // "des langjährigen Bürgermeisters der Stadt, Paul Engel,", "die
        // Sprecherin der Fraktion der Grünen im Stadtrat, Anna Lorenz,":
        // the name set off after the role, however long the role.
        if let Some(name) = self.appositive_name(stop, end) {
            return Some(name);
        }
        if let Some(found) = self.np_at(p, end) {
            return Some(found);
        }
        // An impersonal pronoun is no speaker: "Es wurde … geäußert".
        if stop == p + 1 && self.lang.is_pronoun(self.toks[p].lower()) {
            return None;
        }
        let det = usize::from(self.lang.determiners.contains(self.toks[p].lower()));
        let words = self.words(p + det, stop);
        (!words.is_empty()).then(|| Speaker::Role(words.join(" ")))
    }

    /// Any phrase at `p` as a speaker where nouns are capitalised: a
    /// document or a body as the source ("laut der HIS-Studie").
    pub(super) fn any_phrase(&self, p: usize, limit: usize) -> Option<Speaker> {
        if !self.lang.nouns_capitalised
            || !self.toks.get(p).is_some_and(|t| p < limit && t.is_word())
        {
            return None;
        }
        let end = self.phrase_end(p, limit)?;
        self.phrase_speaker(p, end)
    }

    /// "Es heißt in der Mitteilung" / "In dem Schreiben heißt es": a speech
    /// verb whose subject is impersonal beside it takes its source from a
    /// place phrase in the clause `from..to`, after the pronoun or opening
    /// the clause.
    pub(super) fn impersonal_source(&self, v: usize, from: usize, to: usize) -> Option<Speaker> {
        let es = [Some(v + 1), v.checked_sub(1)]
            .into_iter()
            .flatten()
            .find(|&i| self.word_in(i, &self.lang.impersonal))?;
        let after = (es + 1..to.min(es + 4)).find(|&i| self.is_source_preposition(i));
        let opening = self.is_source_preposition(from).then_some(from);
        let prep = after.or(opening)?;
        let end = self.phrase_end(prep + 1, to)?;
        self.phrase_speaker(prep + 1, end)
    }

    fn is_source_preposition(&self, i: usize) -> bool {
        self.word_in(i, &self.lang.source_prepositions)
    }

    /// "Wie der Richter ausführte, …": a clause opened by the language's
    /// "as" and closed by a comma after its verb names the source of the
    /// sentence, whatever the verb.
    pub(super) fn as_clause(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        // Opening the sentence, or right after the quotation: „…“, wie X
        // sagte. Elsewhere "wie" asks or compares.
        let opens = self.clause_start(ss, ti);
        let k = [opens, ti + 2].into_iter().find(|&i| {
            self.toks
                .get(i)
                .is_some_and(|t| self.lang.as_clause.contains(t.lower()))
                && (i == opens || self.toks[i - 1].is_punct(","))
        })?;
        // The clause ends at the first comma after a verb: "Wie Norman
        // Paech, der dort war, dazu feststellt, …".
        let se = self.sentence_of(k).1;
        let comma = (k + 2..se).find(|&i| {
            let closes = self.toks[i].is_punct(",") || self.toks[i].is_punct(".") && k > ti;
            closes && self.toks[i - 1].is_word() && !self.toks[i - 1].is_cap()
        })?;
        let verb = &self.toks[comma - 1];
        let end = self.phrase_end(k + 1, comma)?;
        Some((self.phrase_speaker(k + 1, end), verb.text.clone()))
    }

    /// "Mark Olsen, von Beruf Direktor, …": a run of
    /// capitalised words with no article, set off by a comma or a bracket,
    /// is the name the apposition describes.
    pub(super) fn name_before_apposition(&self, p: usize, end: usize) -> Option<Speaker> {
        let run = super::people::cap_run(self.toks, p, self.lang).filter(|r| r.e < end)?;
        let set_off = self.toks[run.e].is_punct(",") || self.toks[run.e].is_punct("(");
        if !set_off {
            return None;
        }
        let named = super::people::strip_titles(self.toks, run, self.lang);
        let words = self.words(named.s, named.e);
        if let Some(pid) = self.people.person_named(&words) {
            return Some(Speaker::Person(pid));
        }
        (words.len() >= 2).then(|| Speaker::Role(words.join(" ")))
    }

    /// A publication named in quotation marks as a speaker: "schreibt die
    /// „Computerwoche“", "laut „Reuters“".
    pub(super) fn quoted_name(&self, i: usize, limit: usize) -> Option<Speaker> {
        if !self.lang.nouns_capitalised {
            return None;
        }
        let t = self.toks.get(i).filter(|_| i < limit)?;
        if !matches!(t.kind, Kind::Quote(_)) {
            return None;
        }
        let name = t.text.trim_matches(|c: char| !c.is_alphanumeric());
        let short = name.split_whitespace().count() <= 4;
        let capital = name.chars().next().is_some_and(char::is_uppercase);
        (short && capital).then(|| Speaker::Role(name.to_string()))
    }

    /// „…“, zitiert die Zeitung den Minister: after a verb of quoting the
    /// one quoted is the object, past the subject (a pronoun, a word, a
    /// phrase or a publication's name).
    pub(super) fn quoted_object(&self, p: usize, limit: usize) -> Option<Speaker> {
        let t = self.toks.get(p).filter(|_| p < limit)?;
        let det = self.lang.determiners.contains(t.lower());
        let next = if self.lang.is_pronoun(t.lower()) || matches!(t.kind, Kind::Quote(_)) {
            p + 1
        } else if det
            && self
                .toks
                .get(p + 1)
                .is_some_and(|n| matches!(n.kind, Kind::Quote(_)))
        {
            p + 2
        } else if det || t.is_cap() {
            self.phrase_end(p, limit)?
        } else if t.is_word() {
            p + 1
        } else {
            return None;
        };
        match self
            .np_at(next, limit)
            .or_else(|| self.any_phrase(next, limit))?
        {
            found @ (Speaker::Person(_) | Speaker::Role(_)) => Some(found),
            _ => None,
        }
    }

    /// A passive clause ("wurde … bezeichnet", "war … bezeichnet
    /// worden"): its subject is what was said about, never who said it.
    /// Returns the clause's finite verb, or the quotation when only
    /// "worden" after it tells.
    fn passive_verb(&self, p: usize, ti: usize, se: usize) -> Option<usize> {
        let aux = |i: usize| self.word_in(i, &self.lang.passive_auxiliaries);
        let end = (ti + 1..se)
            .find(|&i| self.toks[i].is_punct(","))
            .unwrap_or(se);
        // "wird … verteidigen" is a future: a passive ends in a
        // participle (or "worden").
        let participle = (ti + 1..end)
            .rev()
            .find(|&i| self.toks[i].is_word())
            .is_some_and(|i| aux(i) || participle_shaped(self.toks[i].lower()));
        // The first verb, or one joined to it: "Die Stadtwerke stehen
        // in der Kritik und wurden im „Tagblatt“ als „…“ bezeichnet".
        let finite = (p..ti).find(|&i| self.finite_verb_at(i, ti));
        let joined = finite.and_then(|f| {
            (f + 1..ti).find(|&i| aux(i) && self.word_in(i - 1, &self.lang.coordinators))
        });
        match joined.or(finite) {
            Some(v) if aux(v) && participle => Some(v),
            _ => (ti + 1..end).any(aux).then_some(ti),
        }
    }

    /// Who said it in a passive clause: the agent after its verb ("werden
    /// von Musikkennern als „…“ bezeichnet"), else the place it was said
    /// ("In den Medien war … bezeichnet worden").
    pub(super) fn passive_source(
        &self,
        p: usize,
        v: usize,
        ti: usize,
    ) -> Option<(Option<Speaker>, String)> {
        let agent = (v.min(ti)..ti).find(|&i| self.word_in(i, &self.lang.agent_prepositions));
        let prep = match agent {
            Some(a) => a,
            None if self.is_source_preposition(p) => p,
            None => {
                // "wurden im „Tagblatt“ als „…“ bezeichnet": a publication.
                let (prep, name) = (v.min(ti)..ti)
                    .filter(|&i| self.is_source_preposition(i))
                    .find_map(|i| Some((i, self.quoted_name(i + 1, ti)?)))?;
                return Some((Some(name), self.toks[prep].text.clone()));
            }
        };
        let end = self.phrase_end(prep + 1, ti)?;
        Some((
            self.phrase_speaker(prep + 1, end),
            self.toks[prep].text.clone(),
        ))
    }

    /// A capitalised word that is an adverb or adjective, not a noun: it
    /// has an adverb's ending or the article writes it in lower case
    /// elsewhere ("Letztlich", "Besonders").
    pub(super) fn is_adverb(&self, i: usize) -> bool {
        let t = &self.toks[i];
        let l = t.lower();
        self.lang.nouns_capitalised
            && t.is_cap()
            && !self.lang.determiners.contains(l)
            && !self.lang.is_pronoun(l)
            && self.people.by_surname(&t.text).is_none()
            && (self.lower_words.contains(l)
                || self
                    .lang
                    .adverb_endings
                    .iter()
                    .any(|e| l.len() > e.len() + 2 && l.ends_with(e.as_str())))
    }
}

/// A word shaped like a German past participle: "-t", or "ge-" before the
/// infinitive's "-en" ("gesagt", "erklärt", "geschrieben"; not "sagen").
pub(super) fn participle_shaped(w: &str) -> bool {
    w.ends_with('t') || w.starts_with("ge")
}
