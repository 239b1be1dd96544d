//! Tying a quotation to its speech verb and the verb to its subject, by
//! word order; and reading the speaker phrase.

use foldhash::HashSet;

use super::super::names::Gender;
use super::super::tokens::Kind;
use super::people::{Run, cap_run, name_words, strip_titles};
use super::{Found, Speaker, Text};

impl Text<'_> {
    pub(super) fn attribute(&self, ti: usize, (ss, se): (usize, usize)) -> Found {
        // Each read at most once, and only when an earlier reading fails.
        let (verb, clause) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
        let before = || verb.get_or_init(|| self.verb_before(ti, ss)).clone();
        let clause_subject = || clause.get_or_init(|| self.clause_subject(ti, ss)).clone();
        let someone_subject =
            || matches!(clause_subject(), Some((Some(s), _)) if self.is_someone(&s));
        // Where nouns are capitalised, a speech verb with its subject named
        // outranks a source the sentence reports it by: "sagte die
        // Kanzlerin Teilnehmern zufolge".
        let named = || {
            before().filter(|(s, _)| {
                self.lang.nouns_capitalised
                    && matches!(s, Some(Speaker::Person(_) | Speaker::Role(_)))
                    && !self.source_in_own_clause(ti, ss)
            })
        };
        let as_person = || {
            let person_before = matches!(before(), Some((Some(Speaker::Person(_)), _)));
            self.as_person(ti, ss).filter(|_| !person_before)
        };
        let hit = self
            .bracketed(ti, ss)
            .or_else(|| self.source_adjacent(ti, ss))
            .or_else(|| self.verb_after(ti, se))
            .or_else(|| self.verb_late(ti, se))
            .or_else(as_person)
            .or_else(named)
            .or_else(|| self.colon_person(ti, ss).filter(|_| before().is_none()))
            .or_else(|| self.according(ti, ss, se))
            .or_else(|| self.opinion_of(ss, se))
            .or_else(|| self.as_clause(ti, ss))
            .or_else(before)
            .or_else(|| self.around_sentence(ti, ss, se))
            .or_else(|| self.colon_intro(ti, ss))
            .or_else(|| self.reported(ss, se))
            .or_else(|| self.relative_antecedent(ti, ss))
            .or_else(|| self.relay(ti, se).filter(|_| !someone_subject()))
            .or_else(clause_subject);
        let Some((speaker, cue)) = hit else {
            return Found {
                speaker: None,
                cue: None,
            };
        };
        // A pronoun with no antecedent: the clause's subject, or the
        // subject of a speech verb before, is still the likeliest speaker.
        let speaker = match speaker {
            None => self.unread_speaker(ti, (ss, se), || clause_subject().and_then(|(s, _)| s)),
            Some(s) => self.resolve(&s).or_else(|| {
                clause_subject()
                    .and_then(|(s, _)| self.resolve_someone(s?))
                    .or_else(|| before().and_then(|(s, _)| self.resolve_someone(s?)))
            }),
        };
        Found {
            speaker,
            cue: Some(cue),
        }
    }

    /// "Wie Finanzminister Peter Albers mitteilte, sieht der Senat in
    /// der Reform „…“": the person the as-clause names speaks for a
    /// body or role whose view the main clause gives (unless its speech
    /// verb has a person for subject).
    fn as_person(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        self.as_clause(ti, ss)
            .filter(|(s, _)| matches!(s, Some(Speaker::Person(_))))
    }

    /// A cue whose subject was not read ("mit den Worten"): the subject of
    /// the subordinate or relative clause the quotation stands in, else
    /// the `clause`'s subject, else whoever the reported speech goes on
    /// from.
    fn unread_speaker(
        &self,
        ti: usize,
        (ss, se): (usize, usize),
        clause: impl FnOnce() -> Option<Speaker>,
    ) -> Option<String> {
        self.subordinate_subject(ti, ss)
            .or_else(|| self.relative_antecedent(ti, ss).and_then(|(s, _)| s))
            .or_else(clause)
            .or_else(|| self.reported(ss, se).and_then(|(s, _)| s))
            .and_then(|s| self.resolve(&s))
    }

    /// In place of a pronoun that found no antecedent, only someone: a
    /// person, a role noun, or a name of several capitalised words ("Der
    /// Plan sei …, sagte sie" leaves the speaker open rather than naming
    /// the plan).
    fn resolve_someone(&self, s: Speaker) -> Option<String> {
        if self.is_someone(&s) {
            self.resolve(&s)
        } else {
            None
        }
    }

    /// A person, a role noun, or a name of several capitalised words.
    pub(super) fn is_someone(&self, s: &Speaker) -> bool {
        let role_head = |r: &str| {
            r.split_whitespace()
                .last()
                .is_some_and(|w| self.is_role_head(w))
        };
        is_named(s) || matches!(s, Speaker::Role(r) if role_head(r))
    }

    pub(super) fn resolve(&self, s: &Speaker) -> Option<String> {
        match s {
            Speaker::Person(p) => Some(self.people.name(*p)),
            Speaker::Pronoun(g, at) => self.people.antecedent(*at, *g).map(|p| self.people.name(p)),
            Speaker::Role(r) | Speaker::Guess(r) => Some(r.clone()),
        }
    }

    /// „…“, sagte Merkel / „…“, so der Minister.
    pub(super) fn verb_after(&self, ti: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        let mut j = ti + 1;
        while j < se && self.toks[j].kind == Kind::Punct && !self.toks[j].is_punct(".") {
            j += 1;
        }
        let t = self.toks.get(j).filter(|_| j < se)?;
        let (low, joined) = self.lang.split_pronoun(t.lower());
        if self.lang.auxiliaries.contains(low) {
            // „…“, hatte Kessler in einem Gespräch erklärt / « … », a
            // déclaré le ministre / « … », a-t-il ajouté.
            let Some(v) =
                (j + 1..se.min(j + 12)).find(|&i| self.lang.speech.contains(self.toks[i].lower()))
            else {
                return self.inverted_subject(j, se);
            };
            // The auxiliary nearest the participle heads its clause: "„…“
            // habe, hatte Jonas Brandt im Sommer gesagt".
            let a = (j..v)
                .rev()
                .find(|&i| self.word_in(i, &self.lang.auxiliaries))
                .unwrap_or(j);
            let subject = match joined {
                Some(g) => Some(Speaker::Pronoun(g, j)),
                None => self
                    .np_after_verb(a + 1, v)
                    .or_else(|| self.np_after_verb(v + 1, se))
                    .or_else(|| self.bare_role(v + 1, se)),
            };
            return Some((subject, self.toks[v].text.clone()));
        }
        if !(self.speech_verb(j, low) || self.lang.speaker_next.contains(low)) {
            return self.inverted_subject(j, se);
        }
        let quoted = self
            .lang
            .quoting
            .contains(low)
            .then(|| self.quoted_object(j + 1, se));
        let subject = match joined {
            Some(g) => Some(Speaker::Pronoun(g, j)),
            None => quoted
                .flatten()
                .or_else(|| self.np_after_verb(j + 1, se))
                .or_else(|| self.bare_role(j + 1, se))
                .or_else(|| self.quoted_name(j + 1, se))
                .or_else(|| self.impersonal_source(j, ti, se))
                .or_else(|| self.after_so_verb(j, low, se)),
        };
        // "„…“, so die amtliche Darstellung laut der Agentur Tasnim": a
        // thing after "so" gives way to the source named after it.
        let thing = self.lang.speaker_next.contains(low)
            && self.lang.nouns_capitalised
            && subject.as_ref().is_some_and(|s| !self.is_someone(s));
        if thing && let Some(found) = self.according(j, j, se) {
            return Some(found);
        }
        Some((subject, t.text.clone()))
    }

    /// „…“, so urteilte Romney: a verb between "so" and its subject.
    fn after_so_verb(&self, j: usize, low: &str, se: usize) -> Option<Speaker> {
        if !self.lang.speaker_next.contains(low) || j + 1 >= se || !self.can_be_verb(j + 1) {
            return None;
        }
        self.np_after_verb(j + 2, se)
    }

    /// A quotation inside a sentence that ends with its speech verb and
    /// subject: "…, habe ihm einen „Schub“ gegeben …, sagte Clara Neumann."
    pub(super) fn verb_late(&self, ti: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        let k = (ti + 2..se).rev().find(|&k| {
            self.toks[k - 1].is_punct(",")
                && self.toks[k].is_word()
                && !self.toks[k].is_cap()
                && self.lang.speech.contains(self.toks[k].lower())
        })?;
        // It closes the sentence: no quotation or further clause after it
        // ("…, entgegnete X, dass …" introduces what follows).
        let closes = self.toks[k..se]
            .iter()
            .all(|t| !matches!(t.kind, Kind::Quote(_)) && !t.is_punct(","));
        if !closes {
            return None;
        }
        let subject = self.np_after_verb(k + 1, se)?;
        Some((Some(subject), self.toks[k].text.clone()))
    }

    /// The subject after a verb, past a reflexive or an adverb or two
    /// ("äußerte sich jedoch der Minister"), and where nouns are
    /// capitalised past a prepositional phrase, which is never the subject
    /// ("sagte nach der Sitzung des Ausschusses der Vorsitzende").
    pub(super) fn np_after_verb(&self, p: usize, limit: usize) -> Option<Speaker> {
        self.np_at(self.subject_start_after_verb(p, limit), limit)
    }

    /// Where the subject after a verb would start: see [`Text::np_after_verb`].
    pub(super) fn subject_start_after_verb(&self, p: usize, limit: usize) -> usize {
        let mut i = p;
        for _ in 0..2 {
            if i >= limit {
                break;
            }
            if let Some(end) = self.prepositional_end(i, limit) {
                i = end;
            } else if self.is_loose_word(i) {
                i += 1;
            } else {
                break;
            }
        }
        i
    }

    /// Right after the verb that follows a quotation, an article starts its
    /// subject whatever the noun: „…“, sagte ein Augenzeuge.
    pub(super) fn bare_role(&self, i: usize, limit: usize) -> Option<Speaker> {
        let det = self.toks.get(i)?.lower();
        if !self.lang.determiners.contains(det) || self.lang.oblique_determiners.contains(det) {
            return None;
        }
        let mut k = i + 1;
        while k < limit.min(i + 4) && self.is_modifier(k) {
            k += 1;
        }
        // Adjectives stay in the role ("ein weiterer Augenzeuge"); an
        // attribute with its own noun does not.
        let head = self.past_extended_attribute(i + 1, k, limit);
        let from = if head == k { i + 1 } else { head };
        let run = cap_run(self.toks, head, self.lang).filter(|r| r.e <= limit)?;
        Some(Speaker::Role(self.role_phrase(from, run.e, limit).0))
    }

    pub(super) fn is_loose_word(&self, i: usize) -> bool {
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
    pub(super) fn according(
        &self,
        ti: usize,
        ss: usize,
        se: usize,
    ) -> Option<(Option<Speaker>, String)> {
        for i in ss..se {
            let t = &self.toks[i];
            if !t.is_word() {
                continue;
            }
            // After the quotation, or right before the colon that
            // introduces it (", so Elshorst weiter: „…“").
            let placed = i > ti || ti > 0 && self.toks[ti - 1].is_punct(":");
            if placed
                && i > 0
                && self.toks[i - 1].is_punct(",")
                && self.lang.speaker_next.contains(t.lower())
                && let Some(np) =
                    self.np_at(i + 1, if i > ti { se } else { ti - 1 })
                        .or_else(|| {
                            // ", so urteilte Romney": a verb may come between.
                            self.inverted_subject(i + 1, se).and_then(|(s, _)| s)
                        })
            {
                return Some((Some(np), t.text.clone()));
            }
            if let Some(n) = self.according_at(i).filter(|_| !self.relayed(ti, i)) {
                // Before the quotation, the source nearest it: "laut
                // Zeugen …, dass nach Aussagen eines Sachverständigen … „…“".
                let (i, n) = (i + 1..ti)
                    .rev()
                    .find_map(|j| Some((j, self.according_at(j)?)))
                    .unwrap_or((i, n));
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

    /// "Für die Historikerin Eva Roth sei der Schritt „überfällig“": a
    /// sentence opened by an opinion preposition and someone named gives
    /// their view. A thing after it is no source ("Für die Kinder ist …").
    pub(super) fn opinion_of(&self, ss: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        let p = self.clause_start(ss, se);
        if !self.word_in(p, &self.lang.opinion_before) {
            return None;
        }
        let end = self.phrase_end(p + 1, se)?;
        let named = self.phrase_speaker(p + 1, end).filter(is_named)?;
        Some((Some(named), self.toks[p].text.clone()))
    }

    /// Merkel sagte: „…“ / Am Montag sagte Merkel, „…“.
    pub(super) fn verb_before(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        let v = (ss..ti).rev().find(|&i| {
            let t = &self.toks[i];
            t.is_word() && self.speech_verb(i, t.lower()) && !self.closes_relative(i, ss)
        })?;
        let subject = match self.passive_agent(ss, v) {
            Some(agent) => agent,
            None => self
                .subject(ss, v)
                .or_else(|| self.impersonal_source(v, ss, ti)),
        };
        Some((subject, self.toks[v].text.clone()))
    }

    /// Where nouns are capitalised (and verbs close subordinate clauses),
    /// the verb at `v` ends a relative clause set off by commas: ", in dem
    /// es kaum Chancen gab,". It speaks for no quotation outside it.
    fn closes_relative(&self, v: usize, ss: usize) -> bool {
        let Some(c) = (ss..v).rev().find(|&i| self.toks[i].is_punct(",")) else {
            return false;
        };
        let opener = c + 1 + usize::from(self.word_in(c + 1, &self.lang.prepositions));
        self.lang.nouns_capitalised
            && opener < v
            && self.word_in(opener, &self.lang.determiners)
            && !self.toks[opener].is_cap()
            && self.toks.get(v + 1).is_some_and(|t| t.is_punct(","))
    }

    /// The subject of the verb at `v`: the phrase opening its clause, or,
    /// when something else opens it (verb second), the phrase after it.
    pub(super) fn subject(&self, ss: usize, v: usize) -> Option<Speaker> {
        let v = self.finite_auxiliary(ss, v);
        let quoting = (ss..=v)
            .rev()
            .find(|&i| self.lang.quoting.contains(self.toks[i].lower()));
        if let Some(q) = quoting
            && let Some(quoted) = self.quoted_one(ss, q, v)
        {
            return Some(quoted);
        }
        if v > ss && self.lang.coordinators.contains(self.toks[v - 1].lower()) {
            // "… befand Netanyahu … und nannte X „…“": the first verb's subject.
            return self
                .clause_subject(v, ss)
                .and_then(|(s, _)| s)
                .or_else(|| self.person_between(ss, v));
        }
        if let Some(found) = self.vorfeld_subject(ss, v) {
            return self.fronted_or_subject(found, ss, v);
        }
        if let Some(found) = self.comma_clause_subject(ss, v) {
            return Some(found);
        }
        let c = (ss..v)
            .rev()
            .find(|&i| self.toks[i].is_punct(",") || self.toks[i].is_punct(":"))
            .map_or(ss, |i| i + 1);
        if self.lang.subordinators.contains(self.toks[c].lower())
            && let Some(end) = self.subject_phrase_end(c + 1, v + 1)
        {
            // "zumal Verteidiger Dingfelder betont hatte": in a subordinate
            // clause the subject follows the conjunction.
            return self.phrase_speaker(c + 1, end);
        }
        let opener = c == v
            || self.lang.clause_openers.contains(self.toks[c].lower())
            || c + 1 == v && self.is_adverb(c)
            || self.weak_oblique(c);
        let before = || self.np_at(c, v);
        let after = || self.np_after_verb(v + 1, self.toks.len());
        let found = match (opener, before()) {
            (true, b) => after().or(b),
            (false, Some(Speaker::Guess(g))) => after()
                .filter(|a| !self.nouns_capitalised_bare(v + 1, a))
                .or(Some(Speaker::Guess(g))),
            (false, b) => b.or_else(after),
        };
        found
            .or_else(|| self.appositive_before(ss, v))
            .or_else(|| self.person_between(c, v))
    }

    /// "Moreau a expliqué", "die Zeitung hatte schon im Frühjahr
    /// kritisiert": the clause of the verb at `v` is read from its
    /// auxiliary, the finite verb, when only words lie between.
    fn finite_auxiliary(&self, ss: usize, v: usize) -> usize {
        (ss.max(v.saturating_sub(6))..v)
            .rev()
            .take_while(|&a| self.toks[a].is_word())
            .find(|&a| self.lang.auxiliaries.contains(self.toks[a].lower()))
            .unwrap_or(v)
    }

    /// The phrase `found` before the verb at `v` is its subject, unless a
    /// plural before a singular verb shows it is the fronted object, or it
    /// is a thing and a person follows the verb.
    fn fronted_or_subject(&self, found: Speaker, ss: usize, v: usize) -> Option<Speaker> {
        let p = self.clause_start(ss, v);
        if self.plural_before_singular(p, v)
            && let Some(after) = self.np_after_verb(v + 1, self.toks.len())
        {
            return Some(after);
        }
        self.person_over_thing(Some(found), p, v, self.toks.len())
    }

    /// "Albers wies den Vorwurf zurück, die Sprecherin der Fraktion,
    /// Ina Vogt (GRÜNE), erklärte: „…“": a main clause after a comma
    /// whose first phrase, appositions and all, runs up to the verb at
    /// `v` has that phrase as its subject.
    fn comma_clause_subject(&self, ss: usize, v: usize) -> Option<Speaker> {
        if !self.lang.nouns_capitalised {
            return None;
        }
        (ss..v)
            .rev()
            .filter(|&i| self.toks[i].is_punct(","))
            .take(3)
            .find_map(|c| {
                let t = self.toks.get(c + 1)?;
                let opens = t.is_cap() || self.lang.determiners.contains(t.lower());
                let whole = opens && self.subject_phrase_end(c + 1, v + 1)? == v;
                whole.then(|| self.phrase_speaker(c + 1, v)).flatten()
            })
            .filter(|s| !matches!(s, Speaker::Guess(_)))
    }

    /// Who a verb of quoting at `q` quotes: its object in the active
    /// voice ("Ein Sender zitierte den Minister mit den Worten"), its
    /// subject in the passive.
    fn quoted_one(&self, ss: usize, q: usize, v: usize) -> Option<Speaker> {
        self.np_after_verb(q + 1, self.toks.len())
            .or_else(|| self.any_phrase(q + 1, v.max(q + 1)))
            .or_else(|| self.passive_quoted(ss, q))
    }

    /// "Zur Lage wird Watzke auf der Internetseite wie folgt zitiert": in
    /// the passive, the one quoted is the subject, before the auxiliary
    /// or, when something else opens the clause, right after it.
    fn passive_quoted(&self, ss: usize, q: usize) -> Option<Speaker> {
        let aux = (ss..q).find(|&i| self.word_in(i, &self.lang.passive_auxiliaries))?;
        let p = self.clause_start(ss, aux);
        if p < aux && self.subject_phrase_end(p, aux + 1) == Some(aux) {
            return self.phrase_speaker(p, aux);
        }
        self.np_after_verb(aux + 1, q)
    }

    /// Where every noun is capitalised, a bare noun after the verb
    /// ("äußerten Bedenken") is its object, not a subject taking the place
    /// of the capitalised word before the verb ("Datenschützer äußerten").
    pub(super) fn nouns_capitalised_bare(&self, from: usize, found: &Speaker) -> bool {
        if !self.lang.nouns_capitalised || !matches!(found, Speaker::Role(_) | Speaker::Guess(_)) {
            return false;
        }
        let start = self.subject_start_after_verb(from, self.toks.len());
        // After a reflexive the noun is the subject: "hatte sich Pieper
        // hinreißen lassen", "zeigte sich Rajevac zufrieden".
        let reflexive = (from..start).any(|i| self.word_in(i, &self.lang.reflexives));
        !reflexive
            && self
                .toks
                .get(start)
                .is_some_and(|t| !self.lang.determiners.contains(t.lower()))
    }

    /// "Der Leiter des Projekts, Paul Engel, sagte": the name set off
    /// right before the verb.
    pub(super) fn appositive_before(&self, ss: usize, v: usize) -> Option<Speaker> {
        if v < 2 || v - 1 <= ss || !self.toks[v - 1].is_punct(",") {
            return None;
        }
        let s = self.np_start_before(v - 1, ss);
        self.np_at(s, v - 1)
    }

    /// The first person named between `s` and the verb at `v` ("In dem
    /// Bericht wird Renner wie folgt zitiert").
    pub(super) fn person_between(&self, s: usize, v: usize) -> Option<Speaker> {
        // Not one a preposition governs, nor the tail of a name begun
        // before: "ob wegen der durch Clemens VII. geförderten Ernennung
        // … das Gremium jemanden findet".
        let inside = |i: usize| {
            i > s && (self.toks[i - 1].is_cap() || self.word_in(i - 1, &self.lang.prepositions))
        };
        (s..v)
            .filter(|&i| !inside(i))
            .find_map(|i| match self.np_at(i, v) {
                Some(Speaker::Person(p)) => Some(Speaker::Person(p)),
                _ => None,
            })
    }

    /// A quotation that is its whole sentence: the verb is in the next
    /// sentence ("Das sagte Merkel am Montag.") or the previous one ended
    /// with a colon.
    pub(super) fn around_sentence(
        &self,
        ti: usize,
        ss: usize,
        se: usize,
    ) -> Option<(Option<Speaker>, String)> {
        if !self.alone(ti, (ss, se)) {
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

    /// The quotation at `ti` is all its sentence holds, bar punctuation.
    pub(super) fn alone(&self, ti: usize, (ss, se): (usize, usize)) -> bool {
        self.toks[ss..se]
            .iter()
            .enumerate()
            .all(|(k, t)| ss + k == ti || t.kind == Kind::Punct)
    }

    /// "Um Geld zu sparen, will Albers die Ämter zusammenlegen.
    /// „Nicht jede Stelle ist nötig.“": where nouns are capitalised, a
    /// quotation alone in its sentence, with no speaker of its own, is the
    /// words of the known person the sentence before is about, as its
    /// subject or its source.
    pub(super) fn previous_subject(&self, ti: usize, sent: (usize, usize)) -> Option<String> {
        if !self.lang.nouns_capitalised || !self.alone(ti, sent) {
            return None;
        }
        let k = self.sents.iter().position(|&(s, _)| s == sent.0)?;
        let (ps, pe) = self.sents.get(k.checked_sub(1)?).copied()?;
        let subject = self.clause_subject(pe - 1, ps).and_then(|(s, _)| s);
        let source = || self.according(pe, ps, pe).and_then(|(s, _)| s);
        [subject, source()]
            .into_iter()
            .flatten()
            .find(|s| matches!(s, Speaker::Person(_)))
            .and_then(|s| self.resolve(&s))
    }

    /// "Eine Ärztin nach der Operation: „…“": a phrase and a colon,
    /// no verb.
    pub(super) fn colon_intro(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        // An object opening the clause is not who speaks ("Den Ärger
        // brachte die Sprecherin zum Ausdruck: „…“").
        if ti <= ss + 1
            || !self.toks[ti - 1].is_punct(":")
            || self.lang.object_determiners.contains(self.toks[ss].lower())
        {
            return None;
        }
        // "Jonas Berg, Präsident des Verbandes: „…“": a name set
        // off by the role after it, whether or not the name is known.
        // Failing that, the one person the lead-in names ("Sängerin Lea
        // Voss zu ihrer Tournee:", "Das Urteil von Karla Stenz …:"). A
        // guessed name as the subject of reported speech is a place or a
        // thing: "Tasmanien sei den Nachbarn zu Dank verpflichtet: „…“".
        let reported = (ss..ti).any(|i| self.reported_verb(i));
        let np = self
            .np_at(ss, ti - 1)
            .filter(|s| !(reported && matches!(s, Speaker::Guess(_))))
            .or_else(|| self.name_before_apposition(ss, ti - 1))
            .or_else(|| self.people.only_mention_in(ss, ti - 1).map(Speaker::Person))?;
        Some((Some(np), ":".to_string()))
    }

    /// A sentence in the mood of reported speech ("Er werde „…“"): its
    /// subject when that is a person, else whoever a speech verb in the
    /// sentences just before introduced.
    pub(super) fn reported(&self, ss: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        let r = (ss..se).find(|&i| self.reported_verb(i))?;
        let cue = self.toks[r].text.clone();
        if let Some(np @ (Speaker::Person(_) | Speaker::Pronoun(..))) = self.np_at(ss, r) {
            return Some((Some(np), cue));
        }
        // "Auch die Sprecherin der SPD, Anna Lorenz, will „…“, ob …
        // solle": someone who is the subject of the main clause.
        if let Some((Some(subject), _)) = self.clause_subject(r, ss)
            && self.is_someone(&subject)
        {
            return Some((Some(subject), cue));
        }
        let k = self.sents.iter().position(|&(s, _)| s == ss)?;
        for &(ps, pe) in self.sents[..k].iter().rev().take(3) {
            if let Some(v) = (ps..pe)
                .rev()
                .find(|&i| self.lang.speech.contains(self.toks[i].lower()))
            {
                let subject = self
                    .subject(ps, v)
                    .or_else(|| self.impersonal_source(v, ps, pe));
                return Some((subject, cue));
            }
            // "Nach Aussagen der Anwältin handelte es sich um „…“. Er sei
            // „…“": the source of the sentence before goes on, also one
            // set off anywhere in it ("Verantwortlich seien, so der Ökonom
            // Daniel Mwangi, …").
            if self.lang.nouns_capitalised
                && let Some((Some(source), _)) = self.according(ps, ps, pe)
            {
                return Some((Some(source), cue));
            }
        }
        None
    }

    /// Where the phrase ending right before `i` starts.
    pub(super) fn np_start_before(&self, i: usize, ss: usize) -> usize {
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
    pub(super) fn source_at(&self, p: usize, limit: usize) -> Option<Speaker> {
        let oblique = self
            .toks
            .get(p)
            .is_some_and(|t| self.lang.oblique_determiners.contains(t.lower()));
        let found = if oblique {
            self.np_at(p + 1, limit)
        } else {
            self.np_at(p, limit)
        };
        // A source need not be a person: "laut der HIS-Studie", "laut
        // „Reuters“".
        found
            .or_else(|| self.any_phrase(p, limit))
            .or_else(|| self.quoted_name(p, limit))
    }

    pub(super) fn np_at(&self, p: usize, limit: usize) -> Option<Speaker> {
        let t = self
            .toks
            .get(p)
            .filter(|_| p < limit && self.toks[p].is_word())?;
        let low = t.lower();
        if self.lang.is_pronoun(low) {
            return self.pronoun(low, p);
        }
        if let Some(d) = self.demonstrative(p, limit) {
            return Some(d);
        }
        let det = self.lang.determiners.contains(low);
        if self.lang.oblique_determiners.contains(low) {
            return None;
        }
        let mut i = p + usize::from(det);
        while det && i < limit && i < p + 4 && self.is_modifier(i) {
            i += 1;
        }
        let i = self.past_extended_attribute(p + 1, i, limit);
        if let Some(name) = self.quoted_name(i, limit).filter(|_| det) {
            return Some(name);
        }
        if det && !self.lang.nouns_capitalised && !self.toks[i.min(limit - 1)].is_cap() {
            return self.lower_role(p + 1, limit);
        }
        let run = cap_run(self.toks, i, self.lang).filter(|r| r.e <= limit)?;
        if let Some(name) = self.named_after(run, limit) {
            return Some(name);
        }
        self.np_in_run(p + usize::from(det), run, det, limit)
    }

    /// "die Tageszeitung „Nordkurier“": a noun that names what
    /// follows it, then a short name in quotation marks, is that name.
    pub(super) fn named_after(&self, run: Run, limit: usize) -> Option<Speaker> {
        let head = self.toks[run.e - 1].lower();
        if !self.lang.is_naming(head) {
            return None;
        }
        self.quoted_name(run.e, limit)
    }

    /// The speaker a capitalised `run` (after an article when `det`)
    /// names: a name in it, a role with its name set off after it, or the
    /// role itself. `from` is where the phrase's words start.
    fn np_in_run(&self, from: usize, run: Run, det: bool, limit: usize) -> Option<Speaker> {
        let (named, titled) = self.name_in_run(run, det);
        if let Some(role) = self.genitive_role(named, titled, limit) {
            return Some(role);
        }
        if titled && let Some(found) = self.body_or_apposition(from, run, named, limit) {
            return Some(found);
        }
        // "die Antwort Kesslers", "der Anwalt Kesslers": a known
        // person's genitive after a noun is whose it is, not who.
        let genitive = titled
            && named.e == named.s + 1
            && self.lang.nouns_capitalised
            && self.people.genitive_of(&self.toks[named.s].text);
        if genitive {
            return self.role_at(from, run, limit);
        }
        // "vom Vorsitzenden des norwegischen Fischereiverbandes Lars Dahl":
        // a noun with a genitive whose run ends in a name.
        let genitive_next = self.lang.nouns_capitalised
            && named.e == named.s + 1
            && self.word_in(named.e, &self.lang.genitive);
        if genitive_next && let Some(name) = self.name_after_role(run.e, limit) {
            return Some(name);
        }
        if named.s < named.e
            && let Some(found) = self.name_at(named, det, titled)
        {
            return Some(found);
        }
        if titled
            && named.s == named.e
            && let Some(name) = self.name_after_role(run.e, limit)
        {
            return Some(name);
        }
        self.role_at(from, run, limit)
    }

    /// A role whose run goes on past its noun, read as the role with its
    /// body or the name set off after it:
    /// - "Der Energieexperte von Attac, Jan Seidel,": a
    ///   particle after the role opens its body when a name is set off
    ///   after it, and where nouns are capitalised whenever no one of that
    ///   name is known ("der Sportchef von Bayer", but "Ministerin von der
    ///   Leyen" once Ursula von der Leyen was named);
    /// - "der oberste Richter Norwegens, Lars Dahl": one word
    ///   after the role is its genitive when a name is set off after it.
    fn body_or_apposition(
        &self,
        from: usize,
        run: Run,
        named: Run,
        limit: usize,
    ) -> Option<Speaker> {
        if named.s >= named.e {
            return None;
        }
        let particle_first = !self.toks[named.s].is_cap();
        let unknown = self
            .people
            .person_named(&self.words(named.s, named.e))
            .is_none();
        // Known or not: the role itself may have made it a "person".
        let one_word = named.e == named.s + 1;
        if !(particle_first || one_word && self.lang.nouns_capitalised) {
            return None;
        }
        if let Some(name) = self.appositive_name(run.e, limit) {
            return Some(name);
        }
        if !(particle_first && unknown && self.lang.nouns_capitalised) {
            return None;
        }
        let (role, end) = self.role_phrase(from, named.s, limit);
        Some(
            self.appositive_name(end, limit)
                .unwrap_or(Speaker::Role(role)),
        )
    }

    /// "die in Lissabon geborene Sängerin", "der für Schulen zuständige
    /// Senator": where nouns are capitalised, a preposition among the
    /// words after an article (`from..i`) opens an attribute of its own.
    /// Its noun at `i` is not the head; the head follows the participle
    /// that closes the attribute.
    pub(super) fn past_extended_attribute(&self, from: usize, i: usize, limit: usize) -> usize {
        let opens = (from..i).any(|k| self.word_in(k, &self.lang.prepositions));
        if !self.lang.nouns_capitalised || !opens {
            return i;
        }
        let Some(run) = cap_run(self.toks, i, self.lang).filter(|r| r.e < limit) else {
            return i;
        };
        let mut k = run.e;
        while k < limit.min(run.e + 3) && self.is_modifier(k) {
            k += 1;
        }
        let head = k > run.e && k < limit && cap_run(self.toks, k, self.lang).is_some();
        if head { k } else { i }
    }

    /// The name inside a capitalised run, past the role nouns that open
    /// it, and whether there were any. Where nouns are capitalised, after
    /// an article the first capitalised word is a noun and the rest a
    /// name: "der zuständige Bezirksleiter Jonas Berg".
    fn name_in_run(&self, run: Run, det: bool) -> (Run, bool) {
        let named = strip_titles(self.toks, run, self.lang);
        let titled = named.s > run.s;
        if det && self.lang.nouns_capitalised && !titled && run.e - run.s >= 2 {
            let rest = Run {
                s: run.s + 1,
                e: run.e,
            };
            let named = strip_titles(self.toks, rest, self.lang);
            return (named, named.s < named.e);
        }
        (named, titled)
    }

    /// A role phrase from `from` over `run`: the name set off after it
    /// when there is one, else the role itself where a role stands.
    fn role_at(&self, from: usize, run: Run, limit: usize) -> Option<Speaker> {
        let (role, end) = self.role_phrase(from, run.e, limit);
        if let Some(name) = self.appositive_name(end, limit) {
            return Some(name);
        }
        // Right before its verb, any noun phrase is the subject ("Die
        // Passagiere berichteten").
        (run.e == limit || self.is_role_head(&self.toks[run.e - 1].text))
            .then_some(Speaker::Role(role))
    }

    /// A name right after a role and the words that complete it, with no
    /// comma between, where genitives take no article: "Глава района Игорь
    /// Волков". Only a known person or a name opening with a given name
    /// counts, since the words after a role may be any noun phrase.
    fn name_after_role(&self, from: usize, limit: usize) -> Option<Speaker> {
        let k = (from..limit.min(from + 3)).find(|&i| !self.is_modifier(i))?;
        let run = cap_run(self.toks, k, self.lang).filter(|r| r.e <= limit)?;
        let named = strip_titles(self.toks, run, self.lang);
        let words = self.words(named.s, named.e);
        if let Some(pid) = self.people.person_named(&words) {
            return Some(Speaker::Person(pid));
        }
        (words.len() >= 2 && self.lang.given_name(&words[0]).is_some())
            .then(|| Speaker::Role(words.join(" ")))
    }

    /// Where nouns are capitalised, one unknown agent noun with a genitive
    /// after it is a role, not a name: "Vertreter der deutschen
    /// Bauwirtschaftsverbände".
    fn genitive_role(&self, named: Run, titled: bool, limit: usize) -> Option<Speaker> {
        if !self.lang.nouns_capitalised
            || titled
            || named.e != named.s + 1
            || !self.is_role_head(&self.toks[named.s].text)
        {
            return None;
        }
        if self
            .people
            .person_named(&self.words(named.s, named.e))
            .is_some()
        {
            return None;
        }
        let (role, end) = self.role_phrase(named.s, named.e, limit);
        if end == named.e {
            return None;
        }
        // "dem Präsidenten des Gerichts, Carlos Vidal Mora,": the
        // name set off after the role.
        Some(
            self.appositive_name(end, limit)
                .unwrap_or(Speaker::Role(role)),
        )
    }

    /// A role in lower case after an article ("le ministre de l'Économie,
    /// Paul Lefèvre", "une habitante"): the name set off after it when
    /// there is one, else the role from its noun on.
    pub(super) fn lower_role(&self, from: usize, limit: usize) -> Option<Speaker> {
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
    pub(super) fn name_at(&self, named: Run, det: bool, titled: bool) -> Option<Speaker> {
        let words = self.words(named.s, named.e);
        if let Some(pid) = self.people.person_named(&words) {
            return Some(Speaker::Person(pid));
        }
        let sentence_initial = self.sents.iter().any(|&(s, _)| s == named.s);
        let organisation = words
            .iter()
            .any(|w| self.lang.is_organisation(&w.to_lowercase()));
        // Where every noun is capitalised, a sentence's first words may be
        // any noun phrase ("Jede Schuld an dem Unfall weist er zurück").
        let initial_ok = words.len() >= 2 && !self.lang.nouns_capitalised;
        let name_like = titled
            || !det && !organisation && (!sentence_initial || initial_ok)
            || words.len() >= 2 && self.lang.given_name(&words[0]).is_some();
        if name_like {
            return Some(Speaker::Role(words.join(" ")));
        }
        let before_verb = self.toks.get(named.e).is_some_and(|t| {
            self.lang.is_speech(t.lower()) || self.lang.auxiliaries.contains(t.lower())
        });
        (!det && !organisation && before_verb).then(|| Speaker::Guess(words.join(" ")))
    }

    /// "der Leiter des Projekts, Paul Engel": the name after the role.
    pub(super) fn appositive_name(&self, end: usize, limit: usize) -> Option<Speaker> {
        // Past a short phrase first: "der General der Streitkräfte im Irak, …",
        // and an acronym in brackets: "der Welthandelsorganisation (WTO), …".
        let end = self.past_brackets(end, limit);
        let end = (end..limit.min(end + 4))
            .take_while(|&i| self.toks[i].is_word() || self.toks[i].is_punct(","))
            .find(|&i| self.toks[i].is_punct(","))?;
        // With an article, a role opens the name: "Das Staatsoberhaupt
        // Kanadas, der britische König Charles III., …".
        let det = self.word_in(end + 1, &self.lang.determiners);
        let k = if det {
            self.noun_start(end + 1, limit)
        } else {
            end + 1
        };
        let run = cap_run(self.toks, k, self.lang).filter(|r| r.e <= limit)?;
        let named = strip_titles(self.toks, run, self.lang);
        if det && named.s == run.s {
            return None;
        }
        let words = self.words(named.s, named.e);
        if let Some(pid) = self.people.person_named(&words) {
            return Some(Speaker::Person(pid));
        }
        // Set off by commas on both sides, two capitalised words after a
        // role are a name even when the given name is not a known one.
        let closed = self
            .toks
            .get(run.e)
            .is_none_or(|t| t.is_punct(",") || t.is_punct(".") || t.is_punct("("));
        let organisation = words
            .iter()
            .any(|w| self.lang.is_organisation(&w.to_lowercase()));
        let name = words.len() >= 2
            && (self.lang.given_name(&words[0]).is_some() || closed && !organisation);
        name.then(|| Speaker::Role(words.join(" ")))
    }

    /// A noun that can be someone who speaks: a role, an organisation, or
    /// an agent noun by its ending ("Wissenschaftler", "Demonstranten").
    pub(super) fn is_role_head(&self, w: &str) -> bool {
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

    /// "sagte dieser", "so letztere": a demonstrative with no noun after
    /// it stands for the person of its gender last named.
    fn demonstrative(&self, p: usize, limit: usize) -> Option<Speaker> {
        let lang = self.lang;
        let gender = gender_in(
            self.toks[p].lower(),
            &lang.demonstratives_male,
            &lang.demonstratives_female,
        )?;
        let noun_follows = p + 1 < limit && self.toks[p + 1].is_word();
        (!noun_follows).then_some(Speaker::Pronoun(gender, p))
    }

    pub(super) fn pronoun(&self, low: &str, p: usize) -> Option<Speaker> {
        let lang = self.lang;
        let gender = gender_in(low, &lang.pronouns_male, &lang.pronouns_female)?;
        Some(Speaker::Pronoun(gender, p))
    }

    /// A lower-case word inside a noun phrase (an adjective).
    pub(super) fn is_modifier(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word() && !t.is_cap() && !self.lang.is_speech(t.lower())
    }

    /// A role from `from` to `e`, with a genitive that names whose role it
    /// is ("Sprecher des Ministeriums").
    pub(super) fn role_phrase(&self, from: usize, e: usize, limit: usize) -> (String, usize) {
        let mut end = e;
        // A genitive, then a second one only when its article can be
        // nothing else ("des Bundesministeriums des Innern"; "der" may be a
        // dative: "Sprecher des Ministeriums der Presse-Agentur"), then a
        // preposition with its body.
        for step in 0..3 {
            let Some(t) = self.toks.get(end).filter(|_| end + 1 < limit) else {
                break;
            };
            let (w, lang) = (t.lower(), self.lang);
            let linked = match step {
                0 => lang.genitive.contains(w),
                1 => lang.genitive.contains(w) && lang.oblique_determiners.contains(w),
                _ => lang.role_prepositions.contains(w),
            };
            if !linked {
                continue;
            }
            let prepositional = step == 2;
            // "der deutschen Bauwirtschaftsverbände": adjectives first. A
            // preposition and an article begin a circumstance, not a body
            // ("Lynch in einem Bericht").
            let mut k = end + 1;
            if prepositional && self.lang.determiners.contains(self.toks[k].lower()) {
                break;
            }
            while k < limit.min(end + 4) && self.is_modifier(k) {
                k += 1;
            }
            let Some(run) = cap_run(self.toks, k, self.lang) else {
                continue;
            };
            // "im Laufe der Anhörung": a noun with a genitive of its
            // own after a preposition is a circumstance, unless it is a
            // body ("im Ministerium des Innern").
            let circumstance = prepositional
                && self.word_in(run.e, &self.lang.genitive)
                && !self.is_role_head(&self.toks[run.e - 1].text);
            if circumstance {
                break;
            }
            end = run.e.min(limit);
        }
        (self.words(from, end).join(" "), end)
    }

    /// The length in words of the longest "according to" phrase starting
    /// at `i` ("nach Angaben von", "laut").
    pub(super) fn according_at(&self, i: usize) -> Option<usize> {
        self.lang.according_phrases.iter().find_map(|phrase| {
            let ws = self.toks.get(i..i + phrase.len())?;
            let hit = ws.iter().zip(phrase).all(|(t, w)| t.lower() == w);
            hit.then_some(phrase.len())
        })
    }

    pub(super) fn words(&self, s: usize, e: usize) -> Vec<String> {
        name_words(&self.toks[s..e])
    }
}

/// The gender of `low` by the table's male and female lists, if either
/// holds it.
fn gender_in(low: &str, male: &HashSet<String>, female: &HashSet<String>) -> Option<Gender> {
    if male.contains(low) {
        Some(Gender::Male)
    } else if female.contains(low) {
        Some(Gender::Female)
    } else {
        None
    }
}

/// A known person, or a name of several capitalised words; not a role
/// alone ("Kinder", "Sprecher der Stadt").
fn is_named(s: &Speaker) -> bool {
    match s {
        Speaker::Person(_) => true,
        Speaker::Role(r) => {
            r.split_whitespace().count() >= 2
                && r.split_whitespace()
                    .all(|w| w.starts_with(char::is_uppercase))
        }
        Speaker::Pronoun(..) | Speaker::Guess(_) => false,
    }
}
