//! Who said it: speech cues, their subjects, pronoun and surname
//! resolution, relaying outlets, and whether a quotation is direct.

use super::lexicon::{
    CAP_STOP_SET, CUE_VERBS_SET, GENERIC_TITLES_SET, NOUN_LIKE_SET, TITLES_SET, WEAK_CUES_SET,
};
use super::names::{
    self, Denot, Entities, Gender, denote, fold, is_namey, is_platform, is_preposition, oblique_at,
    runs,
};
use super::tokens::{Kind, Tok};

/// What the words in subject (or inverted) position refer to.
#[derive(Debug, Clone, PartialEq)]
pub enum Ref {
    Name(String),
    Org(String),
    Pronoun(Gender, usize),
    /// "it" or "they": an organisation named just before.
    Collective(usize),
    Role(String),
    /// "the actor", "the 56-year-old": a definite description at a token,
    /// standing for someone named before.
    Described(String, usize),
    None,
}

/// A speech cue found in a sentence.
#[derive(Debug, Clone)]
pub struct Cue {
    /// Token index of the verb (first word of a multi-word cue).
    pub v: usize,
    /// One past the last token of the cue.
    pub after: usize,
    pub text: String,
}

pub struct Ctx<'a> {
    pub toks: &'a [Tok],
    pub sents: &'a [(usize, usize)],
    pub ent: &'a Entities,
}

const DETERMINERS: &[&str] = &[
    "a", "an", "the", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
    "those", "no", "any", "every",
];

const ADVERBS: &[&str] = &[
    "also",
    "later",
    "then",
    "further",
    "previously",
    "reportedly",
    "recently",
    "once",
    "again",
    "simply",
    "publicly",
    "earlier",
    "repeatedly",
    "has",
    "had",
    "have",
    "was",
    "is",
    "were",
    "are",
    "had",
    "will",
    "would",
    "once",
    "separately",
    "subsequently",
    "told",
    "firmly",
    "bluntly",
    "flatly",
    "quickly",
    "immediately",
    "still",
    "even",
    "just",
];

const PRONOUNS: &[(&str, Gender)] = &[
    ("he", Gender::Male),
    ("she", Gender::Female),
    ("him", Gender::Male),
    ("her", Gender::Female),
];

/// "he" or "she", with the gender it gives.
fn he_or_she(t: &Tok) -> Option<Gender> {
    match t.lower() {
        "he" => Some(Gender::Male),
        "she" => Some(Gender::Female),
        _ => None,
    }
}

fn is_weak(t: &Tok) -> bool {
    WEAK_CUES_SET.contains(t.text.as_str())
}

impl Ctx<'_> {
    fn word(&self, i: usize) -> Option<String> {
        self.toks
            .get(i)
            .filter(|t| t.is_word())
            .map(|t| t.lower().to_string())
    }

    /// A cue at token `i`, if any: a speech verb used as a verb, or
    /// "according to".
    pub fn cue_at(&self, i: usize) -> Option<Cue> {
        let t = &self.toks[i];
        if !t.is_word() {
            return None;
        }
        let l = t.lower();
        if l == "according" && self.word(i + 1).as_deref() == Some("to") {
            return Some(Cue {
                v: i,
                after: i + 2,
                text: format!("{} to", t.text),
            });
        }
        if !names::speech_verb(t) {
            return None;
        }
        // "his comments", "a post", "the statement": nouns, not verbs.
        if i > 0 && DETERMINERS.contains(&self.toks[i - 1].lower()) {
            return None;
        }
        if NOUN_LIKE_SET.contains(l)
            && !(i > 0
                && (is_namey(&self.toks[i - 1])
                    || matches!(self.toks[i - 1].kind, Kind::Quote(_))
                    || (self.toks[i - 1].is_punct(",")
                        && i > 1
                        && matches!(self.toks[i - 2].kind, Kind::Quote(_)))
                    || matches!(self.toks[i - 1].lower(), "he" | "she" | "it" | "they")))
        {
            return None;
        }
        // "calls for", "went to": not speech.
        let next = self.word(i + 1);
        if matches!(l, "call" | "calls" | "called" | "calling")
            && matches!(next.as_deref(), Some("for" | "on" | "off" | "up" | "in"))
        {
            return None;
        }
        if matches!(l, "went" | "go" | "goes") {
            // "went on to say": the cue is the inner verb.
            if next.as_deref() == Some("on")
                && self.word(i + 2).as_deref() == Some("to")
                && self.toks.get(i + 3).is_some_and(names::speech_verb)
            {
                return Some(Cue {
                    v: i,
                    after: i + 4,
                    text: self.toks[i + 3].text.clone(),
                });
            }
            return None;
        }
        if matches!(l, "point" | "pointed") {
            return (next.as_deref() == Some("out")).then(|| Cue {
                v: i,
                after: i + 2,
                text: format!("{} out", t.text),
            });
        }
        if matches!(l, "speak" | "speaks" | "spoke" | "speaking")
            && !matches!(
                next.as_deref(),
                Some("to" | "on" | "with" | "of" | "about" | "at" | "in" | "via")
            )
        {
            return None;
        }
        Some(Cue {
            v: i,
            after: i + 1,
            text: t.text.clone(),
        })
    }

    /// The last cue in `[s, e)`; weak cues only close to `e`. A verb of
    /// judging inside what someone said ("Pompeo said that ... Washington
    /// had concluded ... was "..."") leaves the words to the one who said.
    fn last_cue(&self, s: usize, e: usize) -> Option<Cue> {
        let inner = (s..e).rev().find_map(|i| {
            let c = self.cue_at(i)?;
            let ok = (!is_weak(&self.toks[i]) || e - i <= 6) && !self.in_object_relative(s, i);
            ok.then_some(c)
        })?;
        if !JUDGING_CUES.contains(&self.toks[inner.v].lower()) {
            return Some(inner);
        }
        let outer = (s..inner.v).find_map(|i| {
            self.cue_at(i).filter(|c| {
                SAYING_CUES.contains(&self.toks[c.v].lower())
                    && (c.after..inner.v).any(|k| self.toks[k].lower() == "that")
            })
        });
        Some(outer.unwrap_or(inner))
    }

    /// `— which the BBC noted —`: a cue inside an object relative clause
    /// belongs to that clause, not to the quotation.
    fn in_object_relative(&self, s: usize, i: usize) -> bool {
        let toks = self.toks;
        let b = (s..i)
            .rev()
            .find(|&k| {
                matches!(toks[k].kind, Kind::Quote(_))
                    || (toks[k].kind == Kind::Punct
                        && matches!(
                            toks[k].text.as_str(),
                            "," | "\u{2014}" | "\u{2013}" | "(" | ";"
                        ))
            })
            .map_or(s, |k| k + 1);
        let Some(rel) = (b..i).find(|&k| toks[k].is_word()) else {
            return false;
        };
        matches!(toks[rel].lower(), "which" | "whom" | "that")
            && (rel + 1..i).any(|k| toks[k].is_word() && !ADVERBS.contains(&toks[k].lower()))
    }

    /// The first cue in `[s, e)` within reach of the start.
    fn first_cue(&self, s: usize, e: usize, reach: usize) -> Option<Cue> {
        (s..e.min(s + reach)).find_map(|i| {
            if self.toks[i].kind == Kind::Punct && self.toks[i].text == "." {
                return None;
            }
            let c = self.cue_at(i)?;
            (!is_weak(&self.toks[i]) || i - s <= 5).then_some(c)
        })
    }

    /// `", NASA's Steve Clarke, deputy associate administrator for
    /// exploration in the science directorate, said`: a name and a long
    /// description set off by commas before the cue.
    fn cue_past_apposition(&self, s: usize, e: usize) -> Option<Cue> {
        let toks = self.toks;
        let mut i = s;
        while i < e && toks[i].is_punct(",") {
            i += 1;
        }
        // "the agency's Marta Vilela", "senior scientist Jo Ames".
        // "study lead author Lucas Paganini": lowercase role words too.
        let lead = |k: usize| {
            toks[k].is_word()
                && (DETERMINERS.contains(&toks[k].lower())
                    || toks[k].is_possessive()
                    || names::is_title(&toks[k].text)
                    || (!toks[k].is_cap() && k < i + 5 && self.cue_at(k).is_none()))
        };
        let mut end = i;
        for r in runs(toks, i, e) {
            if r.s != end && !(end == i && (i..r.s).all(lead)) {
                break;
            }
            end = r.e;
        }
        if end == i || !toks.get(end).is_some_and(|t| t.is_punct(",")) {
            return None;
        }
        // The description may hold commas of its own ("in Munich, Germany,
        // and co-author of the study, said") or lose its closing one ("a
        // research analyst at the ... think tank told"): the first speech
        // verb before the next quotation ends it.
        (end + 1..e.min(end + 40))
            .take_while(|&k| !matches!(toks[k].kind, Kind::Quote(_)))
            .find_map(|k| self.cue_at(k).filter(|_| !is_weak(&toks[k])))
    }

    fn sentence_of(&self, tok: usize) -> (usize, usize) {
        super::tokens::sentence_of(self.sents, tok)
    }

    /// What a noun phrase in `[s, e)` refers to, preferring people.
    fn np_ref(&self, s: usize, e: usize, allow_oblique: bool) -> Ref {
        self.np_scored(s, e, allow_oblique).1
    }

    /// Like [`Ctx::np_ref`], with a confidence: pronoun 6, known person 5,
    /// unknown multi-word name 3, bare word 2, organisation 2, role 1.
    fn np_scored(&self, s: usize, e: usize, allow_oblique: bool) -> (i32, Ref) {
        let toks = self.toks;
        for i in (s..e).rev() {
            if let Some(g) = he_or_she(&toks[i]) {
                return (6, Ref::Pronoun(g, i));
            }
        }
        let rs = names::heads(toks, runs(toks, s, e));
        let mut best: Option<(i32, Ref)> = None;
        for r in rs.iter().filter(|r| !modifies_plural(toks, r.e)) {
            let d = demonym_body(toks, r, e).unwrap_or_else(|| self.denote(r));
            // The agent of a passive ("signed by the Pope") and the author of
            // a document ("the opinion of the Court") are no obliques.
            let obl = oblique_at(toks, r.s) && !agent_at(toks, r.s) && !author_at(toks, r.s);
            if object_at(toks, r.s, r.e) && !allow_oblique {
                continue;
            }
            let (score, rf) = match d {
                Denot::Role(o) => {
                    if !obl && best.is_none() && is_role_noun(&o) {
                        best = Some((2, Ref::Role(o)));
                    }
                    continue;
                }
                Denot::Person { name, strong, .. } => {
                    let shortened = name.split(' ').count() < r.words.len();
                    if obl && !shortened && !allow_oblique {
                        continue;
                    }
                    (if strong { 5 } else { 3 }, Ref::Name(name))
                }
                Denot::Other(o) => {
                    if (obl && !allow_oblique)
                        || is_platform(&o)
                        || self.ent.mere_capital(r, self.toks)
                    {
                        continue;
                    }
                    let known = self
                        .ent
                        .find_person(&o)
                        .is_some_and(|p| self.ent.persons[p].strong);
                    (if known { 5 } else { 2 }, Ref::Name(o))
                }
                Denot::Org(o) => {
                    if (obl && !allow_oblique) || is_platform(&o) {
                        continue;
                    }
                    (2, Ref::Org(o))
                }
            };
            // "The WHO's website said", "Stardom's official statement read":
            // the owner of a document speaks through it.
            let owns_document = r.possessive
                && toks[r.e..e]
                    .iter()
                    .take(4)
                    .take_while(|t| t.is_word() && !is_namey(t))
                    .any(|t| DOC_NOUNS.contains(&t.lower()));
            // Below any name the phrase gives in apposition ("Merkel's
            // spokesperson, Steffen Seibert").
            let score = match (r.possessive, owns_document) {
                (false, _) => score,
                (true, true) => 1,
                (true, false) => 0,
            };
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, rf));
            }
        }
        if let Some((score, rf)) = best
            && score > 0
        {
            return (score, rf);
        }
        if let Some(i) = (s..e).find(|&i| matches!(toks[i].lower(), "it" | "they")) {
            return (1, Ref::Collective(i));
        }
        // A role: "the governor", "The commissioner", "the judge's statement".
        for (i, t) in toks.iter().enumerate().take(e).skip(s) {
            if t.is_word() && !is_namey(t) {
                let b = fold(t.base());
                let definite = self.after_definite_article(s, i);
                if definite && (is_role_noun(&b) || describes_person(&b)) {
                    return (1, Ref::Described(b, i));
                }
                if is_role_noun(&b) {
                    return (1, Ref::Role(b));
                }
                // "the statement read", "the company said": the body the
                // sentences before have as subject.
                if definite
                    && !oblique_at(toks, i)
                    && (names::is_org_word(&b) || DOC_NOUNS.contains(&b.as_str()))
                {
                    return (1, Ref::Collective(i));
                }
            }
        }
        (0, Ref::None)
    }

    /// What a run names; a title alone that is the surname of someone
    /// named in full ("says Doctor" after "analyst Ken Doctor") names them.
    fn denote(&self, r: &names::Run) -> Denot {
        match denote(r) {
            Denot::Role(_)
                if r.words.len() == 1
                    && self
                        .ent
                        .find_person(&r.words[0])
                        .is_some_and(|p| self.ent.is_surname_of(p, &r.words[0])) =>
            {
                Denot::Other(r.words[0].clone())
            }
            d => d,
        }
    }

    /// "the actor", "the former "Dawson's Creek" star", "The Portuguese
    /// boss": "the" opens the phrase ending at `i`, a few modifiers apart.
    fn after_definite_article(&self, s: usize, i: usize) -> bool {
        (s..i)
            .rev()
            .take(4)
            .take_while(|&k| !self.toks[k].is_punct(","))
            .any(|k| self.toks[k].lower() == "the")
    }

    /// Someone a definite description stands for: the holder of that
    /// title, or else, unless the article introduced an unnamed one ("a
    /// doctor", "one legal expert"), whoever a pronoun there would mean.
    fn described(&self, noun: &str, tok: usize, at: usize) -> Option<String> {
        if let Some(n) = self.ent.resolve_role(noun, at) {
            return Some(n);
        }
        // "Acme Corp denied ... '...,' the company said": a body's word
        // stands for the body the sentence before has as subject (only
        // that one: two sentences back "The army said" may meet another
        // body, "Fath Airport is owned by ...").
        if names::is_org_word(noun) {
            return self.ent.body_subject_before(tok, self.sents, 1);
        }
        let introduced = (0..tok).any(|i| {
            self.toks[i].is_word()
                && fold(self.toks[i].base()) == noun
                && (i.saturating_sub(3)..i)
                    .any(|k| matches!(self.toks[k].lower(), "a" | "an" | "one" | "another"))
        });
        if introduced || !(describes_person(noun) || TITLES_SET.contains(noun)) {
            return None;
        }
        let Some(kin) = kin_gender(noun) else {
            return self.resolve(&Ref::Pronoun(Gender::Unknown, tok), at);
        };
        // "The mother said", paragraphs after "David and Louise Turpin":
        // the family word keeps its referent further than a pronoun does.
        self.resolve(&Ref::Pronoun(kin, tok), at).or_else(|| {
            let p = self.ent.last_of_gender(kin, tok)?;
            Some(self.ent.persons[p].name.clone())
        })
    }

    /// Subject of a verb at `v`, looking back to `s`.
    fn subject(&self, s: usize, v: usize) -> Ref {
        let toks = self.toks;
        let segs = segments(toks, s, v);
        let (ls, le) = *segs.last().unwrap_or(&(s, v));
        // "with Zinichev describing ...": the absolute construction names
        // the participle's subject after "with".
        if toks[v].lower().ends_with("ing") && le > ls + 1 && toks[ls].lower() == "with" {
            let r = self.np_ref(ls + 1, le, true);
            if !matches!(r, Ref::None) {
                return r;
            }
        }
        // Within the last segment, a new clause starts after a conjunction
        // or relative pronoun.
        let mut cs = ls;
        for (i, t) in toks.iter().enumerate().take(le).skip(ls) {
            let l = t.lower();
            if matches!(
                l,
                "and"
                    | "but"
                    | "while"
                    | "who"
                    | "which"
                    | "that"
                    | "whereas"
                    | "after"
                    | "before"
                    | "when"
                    | "as"
                    | "because"
            ) {
                cs = i + 1;
            }
        }
        let coordinated = cs == le && cs > ls;
        let (last_sc, last_r) = if !coordinated && cs < le {
            self.np_scored(cs, le, false)
        } else {
            (0, Ref::None)
        };
        if last_sc >= 5 {
            return last_r;
        }
        let earlier = if coordinated || cs >= le {
            &segs[..]
        } else {
            &segs[..segs.len() - 1]
        };
        let (sc, r) = self.best_segment(earlier);
        if sc > last_sc || (sc > 0 && last_sc < 2) {
            return r;
        }
        if last_sc >= 2 {
            return last_r;
        }
        if !coordinated && cs < le {
            return self.np_ref(cs, le, false);
        }
        Ref::None
    }

    /// The best-named subject or apposition among clause segments,
    /// skipping introductory and relative phrases.
    fn best_segment(&self, segs: &[(usize, usize)]) -> (i32, Ref) {
        let toks = self.toks;
        let mut best = (0, Ref::None);
        for &(a, b) in segs {
            let Some(a) = (a..b).find(|&i| toks[i].is_word()) else {
                continue;
            };
            let first = toks[a].lower();
            // "Trump has been eager to withdraw, but General Mark Milley,
            // chairman of ..., told": a new clause with its own subject;
            // the segments before it belong to another verb.
            if matches!(first, "but" | "and") {
                let (sc, r) = self.np_scored(a + 1, b, false);
                if sc >= 3 {
                    best = (sc, r);
                }
                continue;
            }
            let intro = is_preposition(first)
                || (first.ends_with("ing") && !toks[a].is_cap())
                || (first.ends_with("ing")
                    && a == segs[0].0
                    && !self.ent.midcaps.contains(&fold(toks[a].base())))
                || matches!(
                    first,
                    "according"
                        | "who"
                        | "which"
                        | "whose"
                        | "where"
                        | "when"
                        | "that"
                        | "although"
                        | "though"
                        | "if"
                        | "while"
                        | "since"
                        | "after"
                        | "before"
                        | "upon"
                        | "despite"
                        | "in"
                        | "and"
                        | "but"
                );
            // "In the filing itself Ford also made this point, writing":
            // a main clause may follow a short opening phrase; its subject
            // counts, below any subject of a plain segment.
            let penalty = if intro {
                let phrase = is_preposition(first) && first != "according";
                if !phrase {
                    continue;
                }
                1
            } else {
                0
            };
            let (sc, r) = self.np_scored(a, b, false);
            let sc = sc - penalty;
            if sc > best.0 {
                best = (sc, r);
            }
        }
        best
    }

    /// The noun phrase after an inverted cue ("said Jane Doe, the mayor").
    fn after_ref(&self, s: usize, e: usize) -> Ref {
        let mut i = s;
        while i < e && ADVERBS.contains(&self.toks[i].lower()) {
            i += 1;
        }
        // Up to the end of the phrase: a full stop or a second comma.
        let mut end = i;
        let mut commas = 0;
        while end < e && end < i + 16 {
            let t = &self.toks[end];
            if matches!(t.kind, Kind::Quote(_))
                || (t.is_punct(".") && !self.abbrev_dot(end))
                || t.is_punct(";")
            {
                break;
            }
            if t.is_punct(",") {
                commas += 1;
                // "said one legal expert, as reported by the Independent":
                // a clause of its own, not an apposition.
                let clause = self.word(end + 1).is_some_and(|w| {
                    is_preposition(&w)
                        || matches!(w.as_str(), "according" | "adding" | "while" | "when")
                });
                if commas == 2 || clause {
                    break;
                }
            }
            end += 1;
        }
        if i < e && self.toks[i].is_word() {
            let l = self.toks[i].lower();
            if let Some((_, g)) = PRONOUNS.iter().find(|(p, _)| *p == l) {
                return Ref::Pronoun(*g, i);
            }
        }
        // The first name in the phrase, skipping places after prepositions.
        for r in names::heads(self.toks, runs(self.toks, i, end)) {
            let obl = oblique_at(self.toks, r.s);
            match self.denote(&r) {
                Denot::Person { name, .. } => {
                    if obl && name.split(' ').count() == r.words.len() {
                        continue;
                    }
                    return Ref::Name(name);
                }
                Denot::Other(o)
                    if !obl && !is_platform(&o) && !self.ent.mere_capital(&r, self.toks) =>
                {
                    return Ref::Name(o);
                }
                Denot::Org(o) if !obl && !is_platform(&o) => return Ref::Org(o),
                _ => {}
            }
        }
        self.np_ref(i, end, true)
    }

    /// A full stop that ends an abbreviated title ("Dr.") or an initial
    /// ("John G. Roberts").
    fn abbrev_dot(&self, i: usize) -> bool {
        i > 0
            && self.toks[i - 1].is_word()
            && (names::is_title(&self.toks[i - 1].text)
                || names::is_initial(&self.toks[i - 1].text))
    }

    /// Resolves a reference to the fullest name in the article.
    pub fn resolve(&self, r: &Ref, at: usize) -> Option<String> {
        match r {
            Ref::Name(n) => {
                let n = n.trim_end_matches(['\'', '\u{2019}']);
                Some(self.ent.canonical_at(n, at))
            }
            Ref::Org(o) => {
                let o = o.strip_prefix("the ").unwrap_or(o);
                Some(self.ent.canonical(o))
            }
            Ref::Pronoun(g, tok) => self
                .ent
                .resolve_pronoun(*g, *tok, self.sents, self.toks)
                .map(|p| self.ent.persons[p].name.clone()),
            Ref::Role(role) => self.ent.resolve_role(role, at),
            Ref::Described(noun, tok) => self.described(noun, *tok, at),
            Ref::Collective(tok) => self.ent.resolve_collective(*tok, self.sents, self.toks),
            Ref::None => None,
        }
    }

    /// Speaker reference of a cue: the agent after "by"/"according to",
    /// the inverted subject, or the subject before it.
    fn cue_ref(
        &self,
        cue: &Cue,
        clause_s: usize,
        sent_s: usize,
        end: usize,
        inverted: bool,
    ) -> Ref {
        if cue.text.to_lowercase().starts_with("according") {
            return self.agent_after(cue.after, end);
        }
        if self.word(cue.after).as_deref() == Some("by") {
            return self.agent_after(cue.after + 1, end);
        }
        if inverted {
            let r = self.after_ref(cue.after, end);
            if !matches!(r, Ref::None) {
                return r;
            }
        }
        let r = self.subject(clause_s, cue.v);
        if matches!(r, Ref::None) && sent_s < clause_s {
            // "... "crushing" and wrote "May God ..."": the subject is
            // before the earlier quotation.
            return self.subject(sent_s, cue.v);
        }
        r
    }

    /// "according to a tweet on Monday by Mike Pompeo", "by the Daily Hive".
    fn agent_after(&self, s: usize, e: usize) -> Ref {
        let mut end = s;
        while end < e && end < s + 16 {
            let t = &self.toks[end];
            if matches!(t.kind, Kind::Quote(_))
                || t.is_punct(",")
                || (t.is_punct(".") && !self.abbrev_dot(end))
            {
                break;
            }
            end += 1;
        }
        let rs = names::heads(self.toks, runs(self.toks, s, end));
        let mut fallback = Ref::None;
        for r in &rs {
            let d = self.denote(r);
            match d {
                Denot::Person { name, .. } => return Ref::Name(name),
                Denot::Other(o) if !is_platform(&o) && !self.ent.mere_capital(r, self.toks) => {
                    if self.ent.find_person(&o).is_some() {
                        return Ref::Name(o);
                    }
                    if matches!(fallback, Ref::None) {
                        fallback = Ref::Name(o);
                    }
                }
                Denot::Org(o) if !is_platform(&o) => {
                    if matches!(fallback, Ref::None) {
                        fallback = Ref::Org(o);
                    }
                }
                _ => {}
            }
        }
        if matches!(fallback, Ref::None) {
            return self.np_ref(s, end, true);
        }
        fallback
    }
}

/// A quotation already kept, for speakers carried over to later ones.
#[derive(Debug, Clone)]
pub struct Prior {
    pub tok: usize,
    pub speaker: Option<String>,
    pub cue: Option<String>,
}

/// Where a quotation stands: its token, its sentence `[ss, se)`, the
/// reporter's text before it (from `pre_s`) and after it (to `post_e`),
/// up to the neighbouring quotations.
#[derive(Clone, Copy)]
struct Frame {
    qt: usize,
    ss: usize,
    se: usize,
    pre_s: usize,
    post_e: usize,
    /// Nothing but the quotation opens the sentence (or follows the last one).
    initial: bool,
}

/// The attribution found for one quotation.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub speaker: Option<String>,
    pub cue: Option<String>,
    /// A cue was found (even when its subject could not be named).
    pub cued: bool,
    pub direct: bool,
    /// The cue sits right against the quotation (`said: "`, `", he said`).
    pub adjacent: bool,
}

fn words_between(toks: &[Tok], s: usize, e: usize) -> usize {
    toks[s..e].iter().filter(|t| t.is_word()).count()
}

impl Ctx<'_> {
    /// Attribution for the quotation token at `qt`: special forms first
    /// (a quotation's owner, a naming clause, an opening participle, a
    /// fragment of an earlier quotation), then the speech cues around it,
    /// then what stands without a cue.
    pub fn attribute(&self, qt: usize, prior: &[Prior]) -> Found {
        let toks = self.toks;
        let (ss, se) = self.sentence_of(qt);
        let pre_s = (ss..qt)
            .rev()
            .find(|&i| matches!(toks[i].kind, Kind::Quote(_)))
            .map_or(ss, |i| i + 1);
        let post_e = (qt + 1..se)
            .find(|&i| matches!(toks[i].kind, Kind::Quote(_)))
            .unwrap_or(se);
        let initial = words_between(toks, pre_s, qt) == 0;
        let fr = Frame {
            qt,
            ss,
            se,
            pre_s,
            post_e,
            initial,
        };
        let mut f = Found {
            direct: self.is_direct(pre_s, qt, initial),
            ..Found::default()
        };
        let pre_cue = self.last_cue(pre_s, qt);
        if self.special_form(&fr, pre_cue.is_none(), prior, &mut f)
            || self.by_cues(&fr, pre_cue, &mut f)
        {
            return f;
        }
        self.without_cue(&fr, prior, &mut f);
        f
    }

    /// Forms that name the speaker without a cue of their own; true when
    /// one applied.
    fn special_form(&self, fr: &Frame, no_pre_cue: bool, prior: &[Prior], f: &mut Found) -> bool {
        let Frame {
            qt,
            ss,
            se,
            pre_s,
            initial,
            ..
        } = *fr;
        // `the Chuck Jones quote that "..."`, `Lincoln's words "..."`,
        // `the decision, which Ross has referred to as "..."`.
        if let Some(sp) = self
            .quote_noun_owner(pre_s, qt)
            .or_else(|| self.relative_namer(pre_s, qt))
        {
            f.speaker = Some(sp);
            f.cued = true;
            f.adjacent = true;
            return true;
        }
        if let Some(sp) = self.opening_participle(ss, qt, se) {
            f.speaker = Some(sp);
            f.cued = true;
            f.cue = Some(self.toks[ss].text.clone());
            return true;
        }
        // A fragment continuing an earlier quotation of the same sentence
        // ("were "A" in an "B" while ...") shares its speaker.
        if !initial
            && no_pre_cue
            && pre_s > ss
            && let Some(p) = prior.iter().rev().find(|p| p.tok >= ss && p.tok < pre_s)
            && let Some(sp) = &p.speaker
        {
            f.speaker = Some(sp.clone());
            f.cue = p.cue.clone();
            f.cued = true;
            f.adjacent = false;
            return true;
        }
        false
    }

    /// Tries the cues before and after the quotation; true when one
    /// settled the attribution (with or without a speaker).
    fn by_cues(&self, fr: &Frame, pre_cue: Option<Cue>, f: &mut Found) -> bool {
        // `"..." (Current models say ...)`: an aside in brackets has its
        // own speaker.
        let aside = self.toks.get(fr.qt + 1).is_some_and(|t| t.is_punct("("));
        let post_cue = (!aside)
            .then(|| {
                self.first_cue(fr.qt + 1, fr.post_e, 14)
                    .or_else(|| self.cue_past_apposition(fr.qt + 1, fr.post_e))
            })
            .flatten();
        // A cue in the sentence before the quotation governs a partial
        // quote; a sentence-initial quotation takes the cue after it.
        let according = pre_cue
            .as_ref()
            .filter(|c| c.text.to_lowercase().starts_with("according"))
            .map(|c| c.v);
        let order: Vec<(Cue, bool)> = if fr.initial {
            post_cue
                .into_iter()
                .map(|c| (c, true))
                .chain(pre_cue.map(|c| (c, false)))
                .collect()
        } else {
            pre_cue
                .into_iter()
                .map(|c| (c, false))
                .chain(post_cue.map(|c| (c, true)))
                .collect()
        };
        for (cue, in_post) in order {
            let r = self.cue_speaker(fr, &cue, in_post, f);
            // "it"/"they" only stand for a body when a full statement is
            // attributed; fragments need a name.
            let collective_fragment = matches!(r, Ref::Collective(_)) && !f.direct;
            if !collective_fragment && let Some(sp) = self.resolve(&r, cue.v) {
                f.speaker = Some(sp);
                return true;
            }
            if !matches!(r, Ref::None) {
                break;
            }
        }
        if f.speaker.is_none()
            && let Some(v) = according
            && let Some(cue) = self.last_cue(fr.pre_s, v)
        {
            self.speaker_before_source(fr, &cue, f);
        }
        f.cued
    }

    /// "Sutherland decided, according to the summary, "that ..."": a
    /// source that names no one leaves the words to the cue before it.
    fn speaker_before_source(&self, fr: &Frame, cue: &Cue, f: &mut Found) {
        let mut tried = Found {
            direct: f.direct,
            ..Found::default()
        };
        let r = self.cue_speaker(fr, cue, false, &mut tried);
        if let Some(sp) = self.resolve(&r, cue.v) {
            tried.speaker = Some(sp);
            *f = tried;
        }
    }

    /// What the cue's subject (or inverted subject) refers to; records the
    /// cue in `f`.
    fn cue_speaker(&self, fr: &Frame, cue: &Cue, in_post: bool, f: &mut Found) -> Ref {
        let toks = self.toks;
        let Frame {
            qt,
            ss,
            pre_s,
            post_e,
            ..
        } = *fr;
        let lead_from = if in_post { qt + 1 } else { pre_s };
        let lead = (lead_from..cue.v)
            .filter(|&i| {
                let t = &toks[i];
                t.is_word() && !ADVERBS.contains(&t.lower())
            })
            .count();
        // `", said Jane Doe"` or `"A," wrote Trump, "B"`: the speaker follows.
        // "told X" names the listener, never the speaker.
        let listener_verb = matches!(toks[cue.v].lower(), "told" | "tells" | "tell" | "telling");
        let subject_first = toks.get(qt + 1).is_some_and(|t| {
            is_namey(t) || matches!(t.lower(), "he" | "she" | "they" | "we" | "i" | "it")
        });
        let inverted = !listener_verb
            && (lead == 0
                || (in_post && !subject_first && cue.v > 0 && toks[cue.v - 1].is_punct(",")));
        f.cued = true;
        f.cue = Some(cue.text.clone());
        f.adjacent = if in_post {
            inverted || words_between(toks, qt + 1, cue.v) <= 6
        } else {
            words_between(toks, cue.after, qt) <= 3
        };
        if in_post {
            self.cue_ref(cue, qt + 1, ss, post_e, inverted)
        } else {
            let inverted = inverted && (pre_s > ss || lead_from == ss);
            self.cue_ref(cue, pre_s, ss, qt, inverted)
        }
    }

    /// No cue: the next short sentence ("... tomorrow." Doe said.), a
    /// colon introduction, or the speaker carried on from before.
    fn without_cue(&self, fr: &Frame, prior: &[Prior], f: &mut Found) {
        let toks = self.toks;
        let Frame {
            qt,
            ss,
            se,
            pre_s,
            initial,
            ..
        } = *fr;
        if qt + 1 == se
            && let Some((sp, cue)) = self.next_sentence_speaker(se)
        {
            f.speaker = Some(sp);
            f.cue = Some(cue);
            f.cued = true;
            return;
        }
        if let Some(sp) = self.speaker_after_break(qt) {
            f.speaker = Some(sp);
            f.cue = Some(toks[qt + 2].text.clone());
            f.cued = true;
            return;
        }
        if qt > pre_s && toks[qt - 1].is_punct(":") && !initial {
            // From the sentence start when the words after an earlier
            // quotation name nobody: that one was a title ("Buckley, who
            // phoned in from the set of "Fargo," had a similar experience:").
            let named = std::iter::once(pre_s)
                .chain((ss < pre_s).then_some(ss))
                .find_map(|s| {
                    let (_, r) = self.best_segment(&segments(toks, s, qt - 1));
                    self.resolve(&r, qt)
                });
            if let Some(sp) = named {
                f.speaker = Some(sp);
                return;
            }
        }
        if initial && let Some(sp) = self.lead_in_speaker(ss) {
            f.speaker = Some(sp);
            f.cued = true;
            return;
        }
        if initial || f.direct {
            f.speaker = self.carried_speaker(qt, ss, prior);
        } else {
            // A fragment in a sentence about a person ("She typically
            // chooses "to portray ...""): the sentence subject.
            let (sc, r) = self.best_segment(&segments(toks, ss, qt));
            if sc >= 5 {
                f.speaker = self.resolve(&r, qt);
            } else {
                f.speaker = self.carried_speaker(qt, ss, prior);
            }
        }
    }

    /// `"Oh, actually? Yes," he assures himself.`: a quotation that breaks
    /// off at a comma or a question, then "he", "she" or a known person's
    /// name and a verb, is theirs whatever the verb.
    fn speaker_after_break(&self, qt: usize) -> Option<String> {
        let toks = self.toks;
        let breaks_off = toks[qt].text.trim_end().ends_with([',', '?', '!']);
        let (p, v) = (toks.get(qt + 1)?, toks.get(qt + 2)?);
        let verb =
            v.is_word() && !v.is_cap() && (v.lower().ends_with('s') || v.lower().ends_with("ed"));
        if !breaks_off || !verb {
            return None;
        }
        if let Some(g) = he_or_she(p) {
            return self.resolve(&Ref::Pronoun(g, qt + 1), qt + 1);
        }
        // `"...," Andrew shrugs`.
        let known = is_namey(p)
            && self
                .ent
                .find_person(p.base())
                .is_some_and(|i| self.ent.persons[i].strong);
        known.then(|| self.ent.canonical_at(p.base(), qt + 1))
    }

    /// "Samantha points this out:" closing the paragraph before a
    /// quotation that opens its own: the lead-in's subject speaks.
    fn lead_in_speaker(&self, ss: usize) -> Option<String> {
        let toks = self.toks;
        let mut k = ss;
        while k > 0 && toks[k - 1].kind == Kind::Para {
            k -= 1;
        }
        if k == ss || k == 0 || !toks[k - 1].is_punct(":") {
            return None;
        }
        let (ls, _) = self.sentence_of(k - 1);
        if let Some(cue) = self.last_cue(ls, k - 1) {
            let r = self.subject(ls, cue.v);
            return self.resolve(&r, cue.v);
        }
        let segs = segments(toks, ls, k - 1);
        let (sc, r) = self.best_segment(&segs);
        if sc > 0 {
            return self.resolve(&r, k - 1);
        }
        // "these comments from Ian Betteridge, who ...:": with no subject
        // named, the lead-in's first name is the one it introduces.
        let (a, b) = segs[0];
        let (_, r) = self.np_scored(a, b, true);
        self.resolve(&r, k - 1)
    }

    /// `"... tomorrow." Doe said.`: the speaker and cue of a short sentence
    /// of the same paragraph that starts at `se` and quotes nothing.
    fn next_sentence_speaker(&self, se: usize) -> Option<(String, String)> {
        let toks = self.toks;
        let next = self.sents.iter().position(|&(s, _)| s == se)?;
        let (ns, ne) = self.sents[next];
        let same_para = toks.get(ns).is_some_and(|t| t.kind != Kind::Para)
            && ns > 0
            && toks[ns - 1].kind != Kind::Para;
        if !same_para || (ns..ne).any(|i| matches!(toks[i].kind, Kind::Quote(_))) {
            return None;
        }
        let cue = self.first_cue(ns, ne, 8)?;
        let r = self.subject(ns, cue.v);
        self.resolve(&r, cue.v).map(|sp| (sp, cue.text))
    }

    /// Speaker of a continuation quote: the previous quotation's speaker or
    /// the subject of the previous speech cue, in this paragraph or the
    /// one before when this quotation opens its paragraph.
    fn carried_speaker(&self, qt: usize, ss: usize, prior: &[Prior]) -> Option<String> {
        let toks = self.toks;
        let para_start = (0..qt)
            .rev()
            .find(|&i| toks[i].kind == Kind::Para)
            .map_or(0, |i| i + 1);
        let opens_para = words_between(toks, para_start, qt) == 0;
        let para_before = |p: usize| {
            (0..p.saturating_sub(1))
                .rev()
                .find(|&i| toks[i].kind == Kind::Para)
                .map_or(0, |i| i + 1)
        };
        let mut lo = if opens_para {
            para_before(para_start)
        } else {
            para_start
        };
        // An interviewer's question between answers ("But hasn't she had
        // to turn down lots of offers?") or a photo caption does not end
        // the answers.
        if opens_para && lo > 0 && self.is_aside_paragraph(lo, para_start - 1) {
            lo = para_before(lo);
        }
        let si = self.sents.iter().position(|&(s, _)| s == ss)?;
        for k in (0..si).rev() {
            let (s, e) = self.sents[k];
            if e <= lo {
                break;
            }
            // The last quotation of that sentence, if it has a speaker.
            if let Some(p) = prior.iter().rev().find(|p| p.tok >= s && p.tok < e) {
                if p.speaker.is_some() {
                    return p.speaker.clone();
                }
                continue;
            }
            if let Some(cue) = self.last_cue(s, e)
                && !cue.text.to_lowercase().starts_with("according")
            {
                let r = self.cue_ref(&cue, s, s, e, false);
                return self.resolve(&r, cue.v);
            }
        }
        None
    }

    /// The paragraph `[s, e)` quotes nothing and only asks (it ends in a
    /// question mark) or is no sentence (a caption: no full stop at its
    /// end).
    fn is_aside_paragraph(&self, s: usize, e: usize) -> bool {
        let toks = &self.toks[s..e];
        toks.last()
            .is_some_and(|t| t.is_punct("?") || t.is_word() || t.is_punct(")"))
            && !toks.iter().any(|t| matches!(t.kind, Kind::Quote(_)))
    }

    /// The person named right before a noun for quoted words that itself
    /// stands right before the quotation.
    fn quote_noun_owner(&self, pre_s: usize, qt: usize) -> Option<String> {
        let toks = self.toks;
        let mut k = qt;
        while k > pre_s
            && (toks[k - 1].lower() == "that"
                || toks[k - 1].is_punct(":")
                || toks[k - 1].is_punct(","))
        {
            k -= 1;
        }
        if k == pre_s
            || !matches!(
                toks[k - 1].lower(),
                "quote" | "quotation" | "adage" | "maxim" | "words" | "motto" | "dictum"
            )
        {
            return None;
        }
        let noun = k - 1;
        let r = runs(toks, pre_s, noun)
            .into_iter()
            .last()
            .filter(|r| r.e == noun)?;
        match denote(&r) {
            Denot::Person { name, .. } => Some(self.ent.canonical(&name)),
            Denot::Other(o) if self.ent.find_person(&o).is_some() => Some(self.ent.canonical(&o)),
            _ => None,
        }
    }

    /// `Saying "...", President Fernández elaborated`: a participle
    /// opening the sentence shares the main clause's subject, named after
    /// the quotation.
    fn opening_participle(&self, ss: usize, qt: usize, se: usize) -> Option<String> {
        let toks = self.toks;
        let l = toks[ss].lower();
        let opens = qt == ss + 1
            && toks[ss].is_word()
            && l.ends_with("ing")
            && CUE_VERBS_SET.contains(l)
            && toks.get(qt + 1).is_some_and(|t| t.is_punct(","));
        if !opens {
            return None;
        }
        let r = self.after_ref(qt + 2, se);
        self.resolve(&r, qt)
    }

    /// The subject of a relative clause that names the quoted words:
    /// `which the New York Times called "..."`, `that Ross referred to as
    /// "..."`. Publications count here: they are who called it so.
    fn relative_namer(&self, pre_s: usize, qt: usize) -> Option<String> {
        let toks = self.toks;
        let mut k = qt;
        while k > pre_s && matches!(toks[k - 1].lower(), "as" | "to" | "a" | "an" | "the") {
            k -= 1;
        }
        let verb = k.checked_sub(1).filter(|&v| v >= pre_s)?;
        if !matches!(
            toks[verb].lower(),
            "called"
                | "referred"
                | "described"
                | "termed"
                | "dubbed"
                | "labelled"
                | "labeled"
                | "branded"
                | "deemed"
        ) {
            return None;
        }
        let mut e = verb;
        while e > pre_s && ADVERBS.contains(&toks[e - 1].lower()) {
            e -= 1;
        }
        let rel = (pre_s..e)
            .rev()
            .take(8)
            .find(|&i| matches!(toks[i].lower(), "which" | "that" | "whom"))?;
        let r = runs(toks, rel + 1, e).into_iter().last()?;
        if r.e != e || !(rel + 1..r.s).all(|i| matches!(toks[i].lower(), "the" | "a")) {
            return None;
        }
        let name = match denote(&r) {
            Denot::Person { name, .. } | Denot::Org(name) | Denot::Other(name) => name,
            Denot::Role(_) => return None,
        };
        Some(self.ent.canonical(&name))
    }

    /// Direct quotations stand apart from the reporting clause: they open
    /// the sentence, follow a colon, or follow a speech verb (and comma).
    fn is_direct(&self, pre_s: usize, qt: usize, initial: bool) -> bool {
        if initial {
            return true;
        }
        let toks = self.toks;
        let Some(last) = (pre_s..qt).rev().find(|&i| toks[i].kind != Kind::Para) else {
            return true;
        };
        let lt = &toks[last];
        if lt.is_punct(":") {
            return true;
        }
        if lt.is_word() && self.cue_at(last).is_some() && !lt.text.starts_with("according") {
            return true;
        }
        if lt.is_punct(",") || lt.is_punct(";") || lt.is_punct("\u{2014}") {
            let upper = toks[qt]
                .text
                .chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
                || toks[qt].text.starts_with('[');
            let cue_before = (pre_s..last).any(|i| self.cue_at(i).is_some());
            // The second part of an interrupted quotation: `"A," she said, "b."`.
            let interrupted = pre_s > 0 && matches!(toks[pre_s - 1].kind, Kind::Quote(_));
            return cue_before && (upper || interrupted);
        }
        false
    }

    /// A quoted term defined by a following relative clause naming who
    /// used it: `the "red lines" that Vladimir Putin spoke about`.
    pub fn relative_user(&self, qt: usize) -> Option<(String, String)> {
        let toks = self.toks;
        let rel = self.word(qt + 1)?;
        if !matches!(rel.as_str(), "that" | "which") {
            return None;
        }
        let (_, se) = self.sentence_of(qt);
        let cue = (qt + 2..se.min(qt + 12)).find(|&i| {
            matches!(
                toks[i].lower(),
                "spoke"
                    | "mentioned"
                    | "talked"
                    | "referred"
                    | "used"
                    | "warned"
                    | "described"
                    | "coined"
                    | "invoked"
                    | "drew"
                    | "set"
                    | "called"
            )
        })?;
        let r = self.np_ref(qt + 2, cue, false);
        let verb = match self.word(cue + 1).as_deref() {
            Some(p @ ("about" | "of" | "to")) => format!("{} {p}", toks[cue].text),
            _ => toks[cue].text.clone(),
        };
        self.resolve(&r, qt).map(|sp| (sp, verb))
    }

    /// The outlet that relayed the quotation, from the frame sentence.
    pub fn source(&self, qt: usize) -> Option<String> {
        let toks = self.toks;
        let (ss, se) = self.sentence_of(qt);
        for i in ss..se {
            if matches!(toks[i].kind, Kind::Quote(_)) || !toks[i].is_word() {
                continue;
            }
            let l = toks[i].lower();
            let next = self.word(i + 1);
            let start = match (l, next.as_deref()) {
                ("quoted" | "saying" | "cited", Some("by")) => Some(i + 2),
                ("told", _) => Some(i + 1),
                ("speaking" | "spoke" | "talking", Some("to" | "with" | "on")) => Some(i + 2),
                ("interview" | "statement" | "comments", Some("with" | "to" | "on")) => Some(i + 2),
                ("said" | "appeared", Some("on" | "to")) => Some(i + 2),
                ("wrote" | "writing" | "write", Some("in" | "for")) => Some(i + 2),
                _ => None,
            };
            let Some(s) = start else { continue };
            let mut end = s;
            while end < se && end < s + 6 && toks[end].is_word() {
                end += 1;
            }
            let mut best: Option<String> = None;
            for r in runs(toks, s, end) {
                let d = denote(&r);
                let name = match d {
                    Denot::Org(o) | Denot::Other(o) => o,
                    // "Agence France-Presse" reads like a name but nobody
                    // in the article is called that.
                    Denot::Person {
                        name,
                        strong: false,
                        ..
                    } => name,
                    Denot::Person { .. } | Denot::Role(_) => continue,
                };
                if matches!(
                    fold(&name).as_str(),
                    "tv" | "television" | "radio" | "camera" | "air"
                ) {
                    continue;
                }
                if is_platform(&name)
                    || self
                        .ent
                        .find_person(&name)
                        .is_some_and(|p| self.ent.persons[p].strong)
                {
                    continue;
                }
                if CAP_STOP_SET.contains(fold(&name).as_str()) {
                    continue;
                }
                if best
                    .as_ref()
                    .is_none_or(|b| name.split(' ').count() > b.split(' ').count())
                {
                    best = Some(name);
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }
}

/// True when the run at `s` follows "by" (skipping "the").
fn agent_at(toks: &[Tok], s: usize) -> bool {
    let mut k = s;
    while k > 0 && matches!(toks[k - 1].lower(), "the" | "a") {
        k -= 1;
    }
    k > 0 && toks[k - 1].lower() == "by"
}

/// Cues that judge rather than say: inside a reported "that" clause they
/// are part of what was said.
const JUDGING_CUES: &[&str] = &[
    "concluded",
    "concludes",
    "found",
    "finds",
    "decided",
    "decides",
    "ruled",
    "rules",
    "determined",
    "believes",
    "believed",
    "agreed",
    "agrees",
];

/// Plain verbs of saying, which report a "that" clause.
const SAYING_CUES: &[&str] = &["said", "says", "told", "tells", "added", "stated", "wrote"];

/// Nouns for something said or written, whose "of"/"by" names the author.
const DOC_NOUNS: &[&str] = &[
    "website",
    "statement",
    "statements",
    "opinion",
    "summary",
    "ruling",
    "decision",
    "letter",
    "memo",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "office",
    "account",
    "quote",
    "quotation",
    "words",
    "remark",
    "remarks",
    "message",
    "tweet",
    "post",
    "speech",
    "announcement",
    "declaration",
    "judgment",
    "judgement",
    "verdict",
    "order",
    "decree",
    "communique",
    "release",
    "testimony",
];

/// True when the run at `s` follows "of"/"by" after a document noun
/// ("a statement by the ministry", "the words of Martin Luther King").
fn author_at(toks: &[Tok], s: usize) -> bool {
    let mut k = s;
    while k > 0 && matches!(toks[k - 1].lower(), "the" | "a") {
        k -= 1;
    }
    k > 1
        && matches!(toks[k - 1].lower(), "of" | "by" | "from")
        && DOC_NOUNS.contains(&toks[k - 2].lower())
}

/// The run at `s`, ending at `e`, is the object of a verb in the past
/// ("accused the UK and warned", "praised Obama"): no subject. Not a
/// participle in a description ("the 14th-ranked Schwartzman"), nor the
/// subject of a speech verb's infinitive ("allowed Mosseri to claim"),
/// while "urged Yoon to step down" leaves Yoon an object.
fn object_at(toks: &[Tok], s: usize, e: usize) -> bool {
    let Some(k) = toks[..s]
        .iter()
        .rposition(|t| !matches!(t.lower(), "the" | "a" | "an"))
    else {
        return false;
    };
    let p = toks[k].lower();
    let past = toks[k].is_word()
        && !toks[k].is_cap()
        && p.len() > 4
        && p.ends_with("ed")
        && p.chars().all(char::is_alphabetic);
    // "Newly elected Assemblywoman Selena Torres", "the appointed
    // judge": a participle before a noun, not a verb after its subject.
    let modifier = k == 0 || {
        let b = &toks[k - 1];
        !b.is_word() && !b.is_punct(",")
            || b.lower().ends_with("ly")
            || matches!(
                b.lower(),
                "the" | "a" | "an" | "his" | "her" | "its" | "their" | "our"
            )
    };
    let infinitive_cue = toks.get(e).is_some_and(|t| t.lower() == "to")
        && toks.get(e + 1).is_some_and(names::speech_verb);
    past && !modifier && !infinitive_cue
}

/// Clause segments of `[s, v)`, split at commas, dashes, colons,
/// brackets and quotations.
fn segments(toks: &[Tok], s: usize, v: usize) -> Vec<(usize, usize)> {
    let mut segs = Vec::new();
    let mut a = s;
    for (i, t) in toks.iter().enumerate().take(v).skip(s) {
        let boundary = matches!(t.kind, Kind::Quote(_))
            || (t.kind == Kind::Punct
                && matches!(
                    t.text.as_str(),
                    "," | "\u{2014}" | "\u{2013}" | ":" | "(" | ")" | ";"
                ));
        if boundary {
            segs.push((a, i));
            a = i + 1;
        }
    }
    segs.push((a, v));
    segs
}

/// "The French foreign ministry said": a nationality and lowercase words
/// up to a body's word name that body.
fn demonym_body(toks: &[Tok], r: &names::Run, e: usize) -> Option<Denot> {
    let first_word = usize::from(r.words.len() == 2 && fold(&r.words[0]) == "the");
    if r.words.len() != first_word + 1 || !names::is_demonym(&r.words[first_word]) {
        return None;
    }
    let k = (r.e..e.min(r.e + 3))
        .take_while(|&k| toks[k].is_word() && !toks[k].is_cap())
        .position(|k| names::is_org_word(&toks[k].text))?;
    let words: Vec<&str> = toks[r.s + first_word..=r.e + k]
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    Some(Denot::Org(words.join(" ")))
}

/// "Former royal PR aides called", "Federal prosecutors alleged": a name
/// before a plural noun that a verb follows only says which people speak.
fn modifies_plural(toks: &[Tok], e: usize) -> bool {
    let (Some(n), Some(v)) = (toks.get(e), toks.get(e + 1)) else {
        return false;
    };
    let l = n.lower();
    let plural = n.is_word()
        && !is_namey(n)
        && l.ends_with('s')
        && !l.ends_with("ss")
        && !names::speech_verb(n)
        && !ADVERBS.contains(&l);
    let verb = v.is_word()
        && !is_namey(v)
        && (names::speech_verb(v)
            || v.lower().ends_with("ed")
            || matches!(
                v.lower(),
                "have" | "are" | "were" | "will" | "would" | "say"
            ));
    plural && verb
}

/// Family words, which stand for someone named before as a pronoun of
/// their gender would ("The mother said" after "David and Louise Turpin").
fn kin_gender(w: &str) -> Option<Gender> {
    match w {
        "mother" | "wife" | "daughter" | "sister" | "grandmother" | "aunt" | "niece" | "widow" => {
            Some(Gender::Female)
        }
        "father" | "husband" | "son" | "brother" | "grandfather" | "uncle" | "nephew"
        | "widower" => Some(Gender::Male),
        _ => None,
    }
}

/// Nouns that describe a person in a definite description without being
/// a title: "said the actor", "The 56-year-old said", "the mother said".
fn describes_person(w: &str) -> bool {
    kin_gender(w).is_some()
        || w.ends_with("-year-old")
        || matches!(
            w,
            "actor" | "actress" | "singer" | "star" | "rapper" | "boss" | "player" | "striker"
        )
}

fn is_role_noun(w: &str) -> bool {
    (TITLES_SET.contains(w) && !GENERIC_TITLES_SET.contains(w))
        || matches!(
            w,
            "ministry"
                | "department"
                | "court"
                | "council"
                | "police"
                | "company"
                | "government"
                | "agency"
                | "commission"
                | "committee"
                | "office"
                | "campaign"
                | "embassy"
                | "army"
                | "military"
                | "party"
                | "university"
                | "mother"
                | "father"
                | "wife"
                | "husband"
                | "son"
                | "daughter"
        )
}
