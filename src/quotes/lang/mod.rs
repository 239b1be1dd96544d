//! Per-language tables for quote attribution outside English: one TOML file
//! per language beside this module, compiled into the binary. Adding a
//! language is adding a file and one line to [`TABLES`]; the attribution
//! code in [`super::clauses`] reads nothing but these tables.

use foldhash::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

/// The bundled tables, by primary language subtag.
const TABLES: &[(&str, &str)] = &[
    ("de", include_str!("de.toml")),
    ("fr", include_str!("fr.toml")),
    ("es", include_str!("es.toml")),
    ("it", include_str!("it.toml")),
    ("pt", include_str!("pt.toml")),
    ("nl", include_str!("nl.toml")),
    ("ru", include_str!("ru.toml")),
];

/// What one language's table says. Every word list is lower case and lists
/// each inflected form, so a lookup is a set membership test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lang {
    pub code: String,
    /// Common nouns are capitalised (German): a capital alone is no sign of
    /// a name.
    #[serde(default)]
    pub nouns_capitalised: bool,
    /// Subjects are often left out ("«…», añadió."): a speech verb with no
    /// subject continues the last speaker.
    #[serde(default)]
    pub pro_drop: bool,
    /// A paragraph opening with a dash may be speech, handed over to the
    /// reporter by another dash (`—No —dijo él—.`); see [`super::dashes`].
    #[serde(default)]
    pub dash_speech: bool,
    /// "am 1. Dezember": a full stop after a number does not end a sentence.
    #[serde(default)]
    pub ordinal_dot: bool,
    /// Words after which a full stop does not end a sentence.
    #[serde(default)]
    pub abbreviations: HashSet<String>,
    /// Articles elided onto the next word ("l'", "d'").
    #[serde(default)]
    pub elisions: Vec<String>,
    /// Verbs that report speech, every form.
    pub speech: HashSet<String>,
    /// Verbs that characterise with a quoted fragment ("nannte … „…“").
    #[serde(default)]
    pub characterise: HashSet<String>,
    /// Words just before a quoted fragment that characterise with it: "als
    /// „…“".
    #[serde(default)]
    pub characterise_as: HashSet<String>,
    /// Words after a quotation that put its speaker next: „…“, so Merkel.
    #[serde(default)]
    pub speaker_next: HashSet<String>,
    /// Given names in the language's own script, beyond the Latin-script
    /// lists every language shares; a given name opens a person's name
    /// and says their gender.
    #[serde(default)]
    pub given_names_male: HashSet<String>,
    #[serde(default)]
    pub given_names_female: HashSet<String>,
    /// Case endings a surname takes after its stem, for a name declined
    /// after a preposition ("по словам Соколова" is Андрей Соколов).
    #[serde(default)]
    pub case_endings: Vec<String>,
    /// Words before a source: "laut Merkel", "nach Angaben von".
    #[serde(default)]
    pub according_before: HashSet<String>,
    /// [`Lang::according_before`] as words, longest first.
    #[serde(skip)]
    pub according_phrases: Vec<Vec<String>>,
    /// Words after a source: "Merkel zufolge".
    #[serde(default)]
    pub according_after: HashSet<String>,
    /// Prepositions that open a sentence with whose view it gives: "Für
    /// die Historikerin Eva Roth sei der Schritt „überfällig“".
    #[serde(default)]
    pub opinion_before: HashSet<String>,
    /// Subject pronouns joined to an inverted verb ("a-t-il", "dit-elle").
    #[serde(default)]
    pub suffix_pronouns_male: Vec<String>,
    #[serde(default)]
    pub suffix_pronouns_female: Vec<String>,
    #[serde(default)]
    pub pronouns_male: HashSet<String>,
    #[serde(default)]
    pub pronouns_female: HashSet<String>,
    /// Demonstratives standing alone for the person last named ("sagte
    /// dieser", "so letztere"); before a noun they are articles.
    #[serde(default)]
    pub demonstratives_male: HashSet<String>,
    #[serde(default)]
    pub demonstratives_female: HashSet<String>,
    /// Pronouns that are not one named person ("wir", "man").
    #[serde(default)]
    pub pronouns_other: HashSet<String>,
    #[serde(default)]
    pub determiners: HashSet<String>,
    /// Auxiliary verbs before a speech participle: „…“, hatte sie erklärt.
    #[serde(default)]
    pub auxiliaries: HashSet<String>,
    /// Verb forms only reported speech uses (German Konjunktiv I: "sei",
    /// "habe"): the quotation in such a sentence is someone's words.
    #[serde(default)]
    pub reported_mood: HashSet<String>,
    /// Verbs whose object is the one quoted ("zitierte Papandreou").
    #[serde(default)]
    pub quoting: HashSet<String>,
    /// Words joining two verbs of one subject ("und nannte").
    #[serde(default)]
    pub coordinators: HashSet<String>,
    /// Prepositions that tie a place or body to a role ("Sprecher aus
    /// Washington").
    #[serde(default)]
    pub role_prepositions: HashSet<String>,
    /// Articles of a case that is never the subject ("dem Minister").
    #[serde(default)]
    pub oblique_determiners: HashSet<String>,
    /// Articles of the accusative, which open an object, never a subject
    /// ("den Bericht").
    #[serde(default)]
    pub object_determiners: HashSet<String>,
    /// Articles that, before an adjective with [`Lang::weak_oblique_ending`],
    /// are of another case than the subject's (German "der" + "-en").
    #[serde(default)]
    pub weak_oblique_articles: HashSet<String>,
    #[serde(default)]
    pub weak_oblique_ending: String,
    /// Articles that, before an adjective with [`Lang::weak_oblique_ending`],
    /// make a plural (German "die neuen Regeln"); a finite verb
    /// without [`Lang::plural_verb_ending`] cannot have it as subject.
    #[serde(default)]
    pub plural_articles: HashSet<String>,
    #[serde(default)]
    pub plural_verb_ending: String,
    /// Reflexive pronouns: a bare noun right after "sich" is the subject
    /// of a reflexive verb, not its object.
    #[serde(default)]
    pub reflexives: HashSet<String>,
    /// Words that may stand before a clause's subject without taking its
    /// place ("Auch der Minister sagte").
    #[serde(default)]
    pub focus_particles: HashSet<String>,
    /// Prepositions: a phrase they open is never a clause's subject
    /// ("sagte nach der Sitzung des Ausschusses der Vorsitzende").
    #[serde(default)]
    pub prepositions: HashSet<String>,
    /// Conjunctions opening a subordinate clause, whose subject follows
    /// them ("zumal der Verteidiger betont hatte").
    #[serde(default)]
    pub subordinators: HashSet<String>,
    /// Relative pronouns that can only be their clause's subject, so that
    /// the phrase before the comma is ("vom Verkehrsclub Deutschland, der die
    /// Maßnahme als „…“ sieht"); "die" and "das" may be objects.
    #[serde(default)]
    pub relatives: HashSet<String>,
    /// Words that make a clause passive ("wurde", "worden"), so that its
    /// subject is not who speaks.
    #[serde(default)]
    pub passive_auxiliaries: HashSet<String>,
    /// Prepositions naming the agent of a passive ("von").
    #[serde(default)]
    pub agent_prepositions: HashSet<String>,
    /// Endings of adverbs and adjectives ("-lich", "-weise"): capitalised
    /// at a sentence start, such a word is not its subject.
    #[serde(default)]
    pub adverb_endings: Vec<String>,
    /// Indefinite articles, which introduce common nouns rather than
    /// names ("ein „Papiertiger“").
    #[serde(default)]
    pub indefinite_articles: HashSet<String>,
    /// Pronouns of an impersonal speech verb ("heißt es"), whose source
    /// is a place phrase ("in der Erklärung").
    #[serde(default)]
    pub impersonal: HashSet<String>,
    /// Prepositions of such a place phrase.
    #[serde(default)]
    pub source_prepositions: HashSet<String>,
    /// Words opening a clause that names a source ("Wie der Minister
    /// sagte, …").
    #[serde(default)]
    pub as_clause: HashSet<String>,
    /// Articles that join a genitive to a role ("Sprecher des Ministeriums").
    #[serde(default)]
    pub genitive: HashSet<String>,
    /// Endings of nouns for people who act ("Wissenschaftler", "Analysten").
    #[serde(default)]
    pub agent_suffixes: Vec<String>,
    /// Words that open a clause whose subject follows the verb (verb
    /// second: "Am Montag sagte Merkel").
    #[serde(default)]
    pub clause_openers: HashSet<String>,
    /// Role nouns: before a name ("Ministerin Anna Lührmann") or alone as
    /// the speaker ("ein Sprecher"). A compound ending in one is one too
    /// ("Regierungssprecher").
    #[serde(default)]
    pub titles: HashSet<String>,
    /// Words that make a capitalised run an organisation.
    #[serde(default)]
    pub organisations: HashSet<String>,
    /// Particles inside a name ("von der", "de", "ibn").
    #[serde(default)]
    pub particles: HashSet<String>,
    /// Words right before a quotation that make it a name or a title.
    #[serde(default)]
    pub naming: HashSet<String>,
    /// Particles a separable verb leaves at the end of its clause ("gab …
    /// bekannt", "fand … statt").
    #[serde(default)]
    pub verb_particles: HashSet<String>,
    /// Speech verbs that are other verbs with a particle, or without one.
    #[serde(default)]
    pub separable: Vec<Separable>,
    /// Each form of [`Lang::separable`] and its entry, so that a word
    /// costs one lookup.
    #[serde(skip)]
    separable_forms: HashMap<String, usize>,
}

/// A separable verb among the speech verbs: what its particle makes of it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Separable {
    /// The forms that stand apart from their particle ("gab", "gibt").
    pub forms: HashSet<String>,
    /// The particles with which it reports speech ("gab … bekannt"); with
    /// any other it is another verb ("stellte … vor").
    #[serde(default)]
    pub speech: HashSet<String>,
    /// Whether it reports speech with no particle: "findet" does, "gab"
    /// ("es gab") does not.
    #[serde(default)]
    pub bare: bool,
}

/// Each table is parsed the first time a page in its language asks for
/// it: parsing all seven cost 4.4 M instructions (a third of a page's
/// extraction) in every process, even one that only sees English pages.
static LOADED: [OnceLock<Lang>; TABLES.len()] = [const { OnceLock::new() }; TABLES.len()];

/// The table for a BCP 47 tag ("de", "de-AT", "de_CH"), if one is bundled.
pub fn for_tag(tag: &str) -> Option<&'static Lang> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    let i = TABLES.iter().position(|(code, _)| *code == primary)?;
    Some(LOADED[i].get_or_init(|| load(TABLES[i])))
}

fn load((code, text): (&str, &str)) -> Lang {
    let lang: Lang =
        toml::from_str(text).unwrap_or_else(|e| panic!("quotes/lang/{code}.toml: {e}"));
    assert_eq!(lang.code, code, "quotes/lang/{code}.toml: code");
    lang.prepared()
}

impl Lang {
    /// Derives the lookup forms once, at load: phrases as words, and
    /// every list that is tried in turn longest first.
    fn prepared(mut self) -> Lang {
        let mut phrases: Vec<Vec<String>> = self
            .according_before
            .iter()
            .map(|p| p.split(' ').map(str::to_string).collect())
            .collect();
        phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        self.according_phrases = phrases;
        for list in [
            &mut self.suffix_pronouns_male,
            &mut self.suffix_pronouns_female,
        ] {
            list.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
        for (k, entry) in self.separable.iter().enumerate() {
            for form in &entry.forms {
                let again = self.separable_forms.insert(form.clone(), k);
                assert!(
                    again.is_none(),
                    "quotes/lang/{}.toml: {form} is in two separable entries",
                    self.code
                );
            }
        }
        self
    }

    pub fn is_speech(&self, w: &str) -> bool {
        self.speech.contains(w) || self.characterise.contains(w)
    }

    /// Whether the verb form `w` reports speech, given the particle that
    /// closes its clause (asked only of a separable verb): "stellte …
    /// fest" does, "stellte … vor" and "es gab" do not.
    pub fn speech_with<'p>(&self, w: &str, particle: impl FnOnce() -> Option<&'p str>) -> bool {
        match self.separable_forms.get(w).map(|&k| &self.separable[k]) {
            None => self.is_speech(w),
            Some(s) => particle().map_or(s.bare, |p| s.speech.contains(p)),
        }
    }

    /// A verb with a subject pronoun joined to it ("a-t-il") as the verb
    /// and that pronoun's gender; any other word as it is.
    pub fn split_pronoun<'w>(&self, w: &'w str) -> (&'w str, Option<super::names::Gender>) {
        use super::names::Gender;
        let genders = [
            (&self.suffix_pronouns_male, Gender::Male),
            (&self.suffix_pronouns_female, Gender::Female),
        ];
        for (suffixes, g) in genders {
            // Sorted longest first at load: "-t-il" before "-il".
            if let Some(stem) = suffixes.iter().find_map(|s| w.strip_suffix(s.as_str())) {
                return (stem, Some(g));
            }
        }
        (w, None)
    }

    /// The gender of a given name, from the shared lists or this table's.
    pub fn given_name(&self, w: &str) -> Option<super::names::Gender> {
        use super::names::{Gender, given_name_gender, is_given_name};
        if is_given_name(w) {
            return Some(given_name_gender(w));
        }
        let l = w.to_lowercase();
        if self.given_names_male.contains(&l) {
            Some(Gender::Male)
        } else {
            self.given_names_female
                .contains(&l)
                .then_some(Gender::Female)
        }
    }

    pub fn is_pronoun(&self, w: &str) -> bool {
        self.pronouns_male.contains(w)
            || self.pronouns_female.contains(w)
            || self.pronouns_other.contains(w)
    }

    /// A role noun, or a compound whose head is one ("Polizeisprecher",
    /// "Airbus-Chef").
    pub fn is_title(&self, w: &str) -> bool {
        let w = self.without_elision(w);
        if self.titles.contains(w) {
            return true;
        }
        self.titles
            .iter()
            // The cheap tests first: this runs for every table word.
            .any(|t| w.len() > t.len() + 2 && w.ends_with(t.as_str()) && t.chars().count() >= 4)
    }

    /// A word that makes the quotation after it a name, alone or as a
    /// compound's head, in any case ending ("Wochenzeitung",
    /// "Nachrichtenmagazins"). A compound's first part has at least four
    /// letters: "Reaktion" and "Fraktion" do not end in the noun "Aktion".
    pub fn is_naming(&self, w: &str) -> bool {
        // The cheap test first: this runs for every table word.
        let compound_of = |w: &str, n: &str| {
            w.strip_suffix(n)
                .is_some_and(|first| first.chars().count() >= 4)
                && n.chars().count() >= 4
        };
        let stem = |w: &str| -> bool {
            self.naming.contains(w) || self.naming.iter().any(|n| compound_of(w, n))
        };
        stem(w)
            || ["s", "es", "n", "en"]
                .iter()
                .any(|e| w.strip_suffix(e).is_some_and(stem))
    }

    /// The word without an elided article joined to it ("l'entraîneur").
    pub fn without_elision<'w>(&self, w: &'w str) -> &'w str {
        self.elisions
            .iter()
            .find_map(|e| w.strip_prefix(e.as_str()))
            .filter(|rest| !rest.is_empty())
            .unwrap_or(w)
    }

    /// A word that names an organisation, alone or as a compound's head
    /// ("Finanzministerium").
    pub fn is_organisation(&self, w: &str) -> bool {
        self.organisations.contains(w)
            || self
                .organisations
                .iter()
                .any(|o| w.len() > o.len() && w.ends_with(o.as_str()) && o.chars().count() >= 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_table_parses_and_is_found_by_its_tag() {
        for (code, _) in TABLES {
            let lang = for_tag(code).expect(code);
            assert_eq!(&lang.code, code);
            assert!(!lang.speech.is_empty(), "{code}: no speech verbs");
        }
        assert_eq!(for_tag("de-AT").map(|l| l.code.as_str()), Some("de"));
        assert!(for_tag("en").is_none());
    }

    #[test]
    fn a_separable_verb_reports_speech_only_with_its_particles() {
        let de = for_tag("de").unwrap();
        assert!(de.speech_with("gab", || Some("bekannt")));
        assert!(!de.speech_with("gab", || None), "es gab");
        assert!(!de.speech_with("stellte", || Some("vor")));
        assert!(de.speech_with("findet", || None));
        assert!(!de.speech_with("findet", || Some("statt")));
        assert!(de.speech_with("prangerte", || Some("an")));
        assert!(!de.speech_with("prangerte", || None));
        // Not separable: the particle is not asked for.
        assert!(de.speech_with("erklärte", || unreachable!()));
        assert!(!de.speech_with("ging", || unreachable!()));
    }

    #[test]
    fn compound_heads_count_as_titles() {
        let de = for_tag("de").unwrap();
        assert!(de.is_title("polizeisprecher"));
        assert!(de.is_title("ministerin"));
        assert!(!de.is_title("regierung"));
        assert!(de.is_organisation("finanzministerium"));
    }
}
