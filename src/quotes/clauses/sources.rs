//! Sources a sentence names around a quotation other than a speech verb's
//! subject: a known name right before its bracket or colon, a "laut"
//! phrase that ends where it starts or stands in its own clause, and a
//! source in brackets after it, which only relays it.

use super::{Speaker, Text};

impl Text<'_> {
    /// "Margaret Lindqvist („…“)": a quotation in brackets right after a
    /// known person's name is theirs.
    pub(super) fn bracketed(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        self.person_before(ti, ss, "(")
    }

    /// "…, und die dänische Regierungschefin Mette Lund: „…“":
    /// a known person named right before the colon that introduces the
    /// quotation, however the sentence opened.
    pub(super) fn colon_person(&self, ti: usize, ss: usize) -> Option<(Option<Speaker>, String)> {
        self.person_before(ti, ss, ":")
    }

    /// A known person named right before the `mark` at `ti - 1`.
    fn person_before(&self, ti: usize, ss: usize, mark: &str) -> Option<(Option<Speaker>, String)> {
        if ti < ss + 2 || !self.toks[ti - 1].is_punct(mark) {
            return None;
        }
        let s = self.np_start_before(ti - 1, ss);
        match self.np_at(s, ti - 1)? {
            p @ Speaker::Person(_) => Some((Some(p), mark.to_string())),
            _ => None,
        }
    }

    /// "… und es laut Klinikdirektor Dr. Jonas Weber
    /// „…“, suchen die Forscher …": a source phrase that ends where the
    /// quotation starts is its speaker, whatever verb comes after.
    pub(super) fn source_adjacent(
        &self,
        ti: usize,
        ss: usize,
    ) -> Option<(Option<Speaker>, String)> {
        let (i, n) = (ss.max(ti.saturating_sub(12))..ti)
            .rev()
            .find_map(|i| Some((i, self.according_at(i)?)))?;
        let p = i + n;
        let oblique = self.word_in(p, &self.lang.oblique_determiners);
        if self.phrase_end(p + usize::from(oblique), ti) != Some(ti) {
            return None;
        }
        let cue = self.words(i, p).join(" ");
        Some((self.source_at(p, ti), cue))
    }

    /// "betonte die Kammer, dass nach Aussagen eines Sachverständigen
    /// die Spuren „eindeutig zuzuordnen“ seien": a source in the
    /// quotation's own subordinate clause outranks the main clause's verb.
    pub(super) fn source_in_own_clause(&self, ti: usize, ss: usize) -> bool {
        let Some(d) = (ss..ti)
            .rev()
            .find(|&i| self.word_in(i, &self.lang.subordinators))
        else {
            return false;
        };
        let verb_first = (ss..d).any(|i| self.lang.is_speech(self.toks[i].lower()));
        verb_first
            && !(d..ti).any(|i| self.lang.is_speech(self.toks[i].lower()))
            && (d..ti).any(|i| self.according_at(i).is_some())
    }

    /// "… „erheblichen Umbau“ alter Schulen (Angaben laut Rundschau)": a
    /// source in brackets after the quotation at `ti` says where the
    /// reporter read it, which speaks only when no one else does (the
    /// clause's subject is no one: "Die Schule bleibt „…“ (laut
    /// Feuerwehr)").
    pub(super) fn relayed(&self, ti: usize, i: usize) -> bool {
        i > ti && (ti..i).any(|k| self.toks[k].is_punct("("))
    }

    /// The source a bracket after the quotation gives: see [`Text::relayed`].
    pub(super) fn relay(&self, ti: usize, se: usize) -> Option<(Option<Speaker>, String)> {
        let (i, n) = (ti..se).find_map(|i| Some((i, self.according_at(i)?)))?;
        self.relayed(ti, i)
            .then(|| (self.source_at(i + n, se), self.words(i, i + n).join(" ")))
    }
}
