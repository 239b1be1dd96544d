//! The people of one article: capitalised runs of words that name someone,
//! grouped so that a surname or a pronoun gives the fullest name.

use super::super::lang::Lang;
use super::super::names::{Gender, fold};
use super::super::tokens::Tok;

/// A person named in the article: the words of the fullest form seen.
#[derive(Debug, Clone)]
pub(super) struct Person {
    words: Vec<String>,
    /// `words` folded ([`fold`]), for comparing: surnames are looked up
    /// for every capitalised word of the article.
    folded: Vec<String>,
    gender: Gender,
}

impl Person {
    /// The last word, folded.
    fn surname(&self) -> Option<&str> {
        self.folded.last().map(String::as_str)
    }
}

/// The people of one article and where each is mentioned, for surnames
/// and pronouns.
#[derive(Debug, Default)]
pub(super) struct People<'l> {
    persons: Vec<Person>,
    /// (token index, person) for every mention, in text order.
    mentions: Vec<(usize, usize)>,
    /// The language's case endings, for a surname in another case.
    case_endings: &'l [String],
}

/// A capitalised run of words: `toks[s..e]`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub(super) s: usize,
    pub(super) e: usize,
}

impl<'l> People<'l> {
    pub(super) fn build(toks: &[Tok], lang: &'l Lang) -> People<'l> {
        let mut people = People {
            case_endings: &lang.case_endings,
            ..People::default()
        };
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
    pub(super) fn consider(&mut self, toks: &[Tok], run: Run, lang: &Lang) {
        let titled = strip_titles(toks, run, lang);
        let words = name_words(&toks[titled.s..titled.e]);
        // A lower-case role noun right before counts too ("le député
        // Thomas Garnier").
        let has_title = titled.s > run.s
            || run.s > 0 && toks[run.s - 1].is_word() && lang.is_title(toks[run.s - 1].lower())
            || set_off_after_role(toks, run, lang);
        let too_short = words.len() < 2 && !(has_title && words.len() == 1);
        // "Premierministerin von Queensland": where nouns are capitalised,
        // a particle right after a role opens the role's body, unless it
        // leads to someone named before ("Ministerin von der Leyen").
        let body = lang.nouns_capitalised
            && titled.s > run.s
            && !toks[titled.s].is_cap()
            && self.person_named(&words).is_none();
        if too_short
            || body
            || words
                .iter()
                .any(|w| lang.is_organisation(&w.to_lowercase()))
        {
            return;
        }
        let first = lang.given_name(&words[0]).unwrap_or(Gender::Unknown);
        let beside_verb = toks.get(run.e).is_some_and(|t| lang.is_speech(t.lower()))
            || run.s > 0 && lang.is_speech(toks[run.s - 1].lower());
        let given = words.len() > 1 && lang.given_name(&words[0]).is_some();
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

    pub(super) fn add(&mut self, words: Vec<String>, gender: Gender) -> usize {
        let key: Vec<String> = words.iter().map(|w| fold(w)).collect();
        if let Some(p) = self
            .persons
            .iter()
            .position(|p| p.folded.ends_with(&key) || key.ends_with(&p.folded))
        {
            let person = &mut self.persons[p];
            if words.len() > person.words.len() {
                person.words = words;
                person.folded = key;
            }
            if person.gender == Gender::Unknown {
                person.gender = gender;
            }
            return p;
        }
        self.persons.push(Person {
            words,
            folded: key,
            gender,
        });
        self.persons.len() - 1
    }

    /// Every later capitalised word that is a known person's surname is a
    /// mention of that person.
    pub(super) fn link_surnames(&mut self, toks: &[Tok], lang: &Lang) {
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

    pub(super) fn by_surname(&self, word: &str) -> Option<usize> {
        let w = fold(word.trim_end_matches(['s', '\'']));
        let w_full = fold(word);
        self.persons
            .iter()
            .position(|p| p.surname().is_some_and(|l| l == w_full || l == w))
            .or_else(|| {
                self.persons.iter().position(|p| {
                    p.surname()
                        .is_some_and(|l| other_case(&w_full, l, self.case_endings))
                })
            })
    }

    /// Whether `word` is a known person's surname in the genitive
    /// ("Hartmanns" for Hartmann), not the surname itself.
    pub(super) fn genitive_of(&self, word: &str) -> bool {
        let w_full = fold(word);
        word.ends_with(['s', '\''])
            && self.by_surname(word).is_some()
            && !self
                .persons
                .iter()
                .any(|p| p.surname().is_some_and(|l| l == w_full))
    }

    /// The fullest name of the person `words` names, if any.
    pub(super) fn person_named(&self, words: &[String]) -> Option<usize> {
        if words.is_empty() {
            return None;
        }
        let key: Vec<String> = words.iter().map(|w| fold(w)).collect();
        self.persons
            .iter()
            .position(|p| p.folded.ends_with(&key))
            .or_else(|| match words {
                [one] => self.by_surname(one),
                _ => None,
            })
    }

    /// Someone is mentioned among tokens `s..e`.
    pub(super) fn mentioned_in(&self, s: usize, e: usize) -> bool {
        self.mention_in(s, e).is_some()
    }

    /// The first person mentioned among tokens `s..e`, and where.
    pub(super) fn mention_in(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        self.mentions
            .iter()
            .find(|&&(m, _)| s <= m && m < e)
            .copied()
    }

    /// The one person mentioned among tokens `s..e`, if no other is.
    pub(super) fn only_mention_in(&self, s: usize, e: usize) -> Option<usize> {
        let mut ids = self
            .mentions
            .iter()
            .filter(|&&(m, _)| s <= m && m < e)
            .map(|&(_, p)| p);
        let first = ids.next()?;
        ids.all(|p| p == first).then_some(first)
    }

    pub(super) fn name(&self, p: usize) -> String {
        self.persons[p].words.join(" ")
    }

    /// The person last mentioned before `at` whose gender fits.
    pub(super) fn antecedent(&self, at: usize, gender: Gender) -> Option<usize> {
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

/// `word` is `surname` in another case: the surname's stem (without a
/// final vowel or "й") with one of the language's endings ("Соколова",
/// "Морозовой" for "Соколов", "Морозова"). Short stems are left alone.
fn other_case(word: &str, surname: &str, endings: &[String]) -> bool {
    if endings.is_empty() {
        return false;
    }
    let stem = surname.trim_end_matches(['а', 'я', 'й', 'ь']);
    stem.chars().count() >= 4
        && word
            .strip_prefix(stem)
            .is_some_and(|rest| endings.iter().any(|e| e == rest))
}

/// The words of a name, an initial's full stop kept on it ("George W.
/// Bush").
pub(super) fn name_words(toks: &[Tok]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(toks.len());
    for (k, t) in toks.iter().enumerate() {
        if t.is_word() {
            out.push(t.text.clone());
        } else if let Some(last) = out
            .last_mut()
            .filter(|_| t.is_punct(".") && toks[k - 1].end == t.start)
        {
            last.push('.');
        }
    }
    out
}

/// "A prefeita de Curitiba, Mariana Alves,", "dem Anwalt der Familie –
/// Malte Brüning –": a name set off by a comma or a dash right after a
/// role.
pub(super) fn set_off_after_role(toks: &[Tok], run: Run, lang: &Lang) -> bool {
    let mark = |t: &Tok| t.is_punct(",") || t.is_punct("–") || t.is_punct("—");
    run.s >= 2
        && mark(&toks[run.s - 1])
        && toks[run.s.saturating_sub(6)..run.s - 1]
            .iter()
            .any(|t| t.is_word() && lang.is_title(t.lower()))
}

/// Female when the role noun before the name is a feminine form
/// ("Ministerin"), male when its masculine form is.
pub(super) fn title_gender(toks: &[Tok], run: Run, titled: Run, lang: &Lang) -> Gender {
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
pub(super) fn cap_run(toks: &[Tok], i: usize, lang: &Lang) -> Option<Run> {
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
        } else if club_number(toks, e) {
            // "Fortuna 95 Düsseldorf": a number inside a name.
            e += 2;
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
pub(super) fn particles_before_cap(toks: &[Tok], e: usize, lang: &Lang) -> Option<usize> {
    let is_particle = |t: &Tok| t.is_word() && lang.particles.contains(t.lower());
    let first = toks.get(e).filter(|t| is_particle(t))?;
    if lang.nouns_capitalised && lang.determiners.contains(first.lower()) {
        return None;
    }
    let k = 1 + usize::from(toks.get(e + 1).is_some_and(is_particle));
    // One word after the particle ends the name: "von Arnim", but
    // "von Amnesty International" is an affiliation.
    // Nor is a body ("vom Max-Planck-Institut") or a word with a genitive
    // after it ("von der Pressestelle des Landrats").
    let last_word = toks.get(e + k + 1).is_none_or(|t| {
        let genitive = lang.nouns_capitalised && lang.genitive.contains(t.lower());
        !t.is_cap() && !genitive
    });
    toks.get(e + k)
        .filter(|t| t.is_cap() && last_word && !lang.is_organisation(t.lower()))
        .map(|_| k)
}

/// A number between two capitalised words of one name.
fn club_number(toks: &[Tok], e: usize) -> bool {
    let digits = toks[e].is_word() && toks[e].text.bytes().all(|b| b.is_ascii_digit());
    digits && toks.get(e + 1).is_some_and(Tok::is_cap)
}

/// An initial with its full stop inside a name: "George W. Bush".
/// So is an abbreviated title: "Prof. Dr. Karl H. Lindner".
pub(super) fn initial_dot(toks: &[Tok], e: usize, lang: &Lang) -> bool {
    let before = &toks[e - 1];
    let short = before.text.chars().count() == 1 || lang.abbreviations.contains(before.lower());
    short && before.is_cap() && toks[e].is_punct(".") && toks.get(e + 1).is_some_and(Tok::is_cap)
}

/// `run` without the role nouns that open it ("Bürgermeisterin Anna
/// Lorenz" → "Anna Lorenz").
pub(super) fn strip_titles(toks: &[Tok], run: Run, lang: &Lang) -> Run {
    let mut s = run.s;
    while s < run.e && lang.is_title(toks[s].lower()) {
        // An abbreviated title keeps its full stop: "Dr. Selin Aydın".
        s += 1 + usize::from(toks.get(s + 1).is_some_and(|t| t.is_punct(".")));
    }
    let mut s = s.min(run.e);
    let is_given_name = |w: &str| lang.given_name(w).is_some();
    let described = s < run.e && !is_given_name(&toks[s].text);
    if let Some(g) = (s + 1..run.e.saturating_sub(1))
        .filter(|_| described)
        .find(|&i| is_given_name(&toks[i].text))
    {
        // "Grünen-Politikerin Sabine Krause", "minister van Financiën
        // Pieter de Vries": words before a given name describe the person.
        s = g;
    }
    Run { s, e: run.e }
}

#[cfg(test)]
mod tests {
    use super::other_case;

    #[test]
    fn a_surname_in_another_case_is_the_same_surname() {
        let endings: Vec<String> = ["а", "ой", "ым"].iter().map(|e| e.to_string()).collect();
        assert!(other_case("соколова", "соколов", &endings));
        assert!(other_case("морозовой", "морозова", &endings));
        assert!(other_case("путиным", "путин", &endings));
        assert!(!other_case("соколовский", "соколов", &endings));
        // A short stem could be any word.
        assert!(!other_case("люда", "люд", &endings));
        assert!(!other_case("соколова", "соколов", &[]));
    }
}
