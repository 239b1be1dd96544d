//! A quotation inside a subordinate, relative or passive clause: that
//! clause's own subject, antecedent or agent speaks, not the main clause's
//! subject ("…, weil die Bundesregierung das Abkommen als „…“ bezeichnet
//! hatte", "vom Verkehrsclub, der die Pläne als „…“ bezeichnet", "Es wurde
//! von der Tochter die Vermutung geäußert, …").

use super::subject::participle_shaped;
use super::{Speaker, Text};

impl Text<'_> {
    /// "…, weil die Bundesregierung das Abkommen als „…“ bezeichnet hatte": a
    /// quotation in a subordinate clause whose verb's subject was not read
    /// is the words of that clause's subject, not the main clause's, when
    /// that is someone.
    pub(super) fn subordinate_subject(&self, ti: usize, ss: usize) -> Option<Speaker> {
        let c = (ss..ti).rev().find(|&i| self.toks[i].is_punct(","))?;
        if !self.word_in(c + 1, &self.lang.subordinators) {
            return None;
        }
        let end = self.subject_phrase_end(c + 2, ti)?;
        self.phrase_speaker(c + 2, end)
            .filter(|s| self.is_someone(s))
    }

    /// "Widerspruch kommt vom Verkehrsclub Deutschland, der die Pläne als „…“
    /// bezeichnet": a quotation in a relative clause whose pronoun is its
    /// subject (no pronoun or name follows to be one) is the words of the
    /// phrase the clause hangs on.
    pub(super) fn relative_antecedent(
        &self,
        ti: usize,
        ss: usize,
    ) -> Option<(Option<Speaker>, String)> {
        let c = (ss..ti).rev().find(|&i| self.toks[i].is_punct(","))?;
        let r = c + 1;
        let subject_follows = self
            .toks
            .get(r + 1)
            .is_some_and(|t| t.is_cap() || self.lang.is_pronoun(t.lower()) || !t.is_word());
        if !self.word_in(r, &self.lang.relatives) || subject_follows || c == ss {
            return None;
        }
        // Not the preposition it hangs on: "vom Verkehrsclub Deutschland".
        let mut s = self.np_start_before(c, ss);
        while s < c && self.word_in(s, &self.lang.prepositions) {
            s += 1;
        }
        let antecedent = self
            .phrase_speaker(s, c)
            .filter(|a| !matches!(a, Speaker::Guess(_)))?;
        Some((Some(antecedent), self.toks[r].text.clone()))
    }

    /// "Es wurde von der Tochter die Vermutung geäußert": a speech
    /// verb's participle after a passive auxiliary has its agent, if any,
    /// for a speaker, never its subject. A verb of quoting is left to
    /// [`Text::subject`], whose passive subject is the one quoted.
    pub(super) fn passive_agent(&self, ss: usize, v: usize) -> Option<Option<Speaker>> {
        let w = self.toks[v].lower();
        if !participle_shaped(w) || self.lang.quoting.contains(w) {
            return None;
        }
        let p = self.clause_start(ss, v);
        // In the verb's own clause: "Damit wird das Ziel verfehlt, das der
        // Kanzler … erklärt hatte" is no passive of "erklärt".
        let aux = (p..v).find(|&i| self.word_in(i, &self.lang.passive_auxiliaries))?;
        if (aux..v).any(|i| self.toks[i].is_punct(",")) {
            return None;
        }
        Some(self.passive_source(p, aux, v).and_then(|(s, _)| s))
    }
}
