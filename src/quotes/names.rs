//! Names in the reporter's text: capitalised runs, the person or
//! organisation each denotes once titles are stripped, and an article-wide
//! table that maps surnames, acronyms and roles to the fullest form.

use foldhash::{HashMap, HashSet};

use super::lexicon::{
    CAP_STOP_SET, DEMONYM_LIKE_SET, FEMALE_NAMES_SET, GENERIC_TITLES_SET, MALE_NAMES_SET,
    NAME_PARTICLES_SET, ORG_WORDS_SET, PLATFORMS_SET, TITLES_SET,
};
use super::tokens::{Kind, Tok};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// Lowercases and drops common Latin diacritics, for matching only.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    // Sized once, and std's case tables only for what `text::lower_char`
    // does not know: a curly apostrophe or an accented name came here for
    // a third of the calls.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        crate::text::each_lower(c, |l| out.push(plain_letter(l)));
    }
    out
}

/// A lower-case Latin letter without its diacritic, and a curly apostrophe
/// as a straight one.
fn plain_letter(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' | 'ā' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' | 'ē' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ı' | 'ī' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ū' => 'u',
        'ç' | 'ć' | 'č' => 'c',
        'ñ' | 'ń' | 'ň' => 'n',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ğ' => 'g',
        'ř' => 'r',
        'ý' | 'ÿ' => 'y',
        '\u{2019}' => '\'',
        c => c,
    }
}

pub fn is_title(w: &str) -> bool {
    let l = fold(w);
    let l = l.trim_end_matches('.');
    if TITLES_SET.contains(l) {
        return true;
    }
    // "Ex-Prime", "then-Secretary", "Secretary-General", "co-founder".
    l.contains('-')
        && l.split('-')
            .all(|p| TITLES_SET.contains(p) || p == "ex" || p == "then")
}

/// A single capital letter: a middle initial when a full stop follows.
pub fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    c.next().is_some_and(char::is_uppercase) && c.next().is_none()
}

pub fn is_org_word(w: &str) -> bool {
    ORG_WORDS_SET.contains(fold(w).as_str())
}

pub(super) fn is_acronym(w: &str) -> bool {
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2
        && letters.iter().all(|c| c.is_uppercase())
        && !DEMONYM_LIKE_SET.contains(fold(w).as_str())
}

pub fn is_demonym(w: &str) -> bool {
    let l = fold(w);
    DEMONYM_LIKE_SET.contains(l.trim_end_matches('.'))
        || (w.chars().next().is_some_and(char::is_uppercase)
            && l.chars().count() >= 6
            && !is_given_name(w)
            && (l.ends_with("ian")
                || l.ends_with("ese")
                || l.ends_with("ish")
                || l.ends_with("can")))
}

/// A double given name ("Eva-Marie", "Jean-Pierre") has the gender of
/// its first part and is a given name when both parts are.
pub fn given_name_gender(w: &str) -> Gender {
    let l = fold(w);
    let first = l.split('-').next().unwrap_or(&l);
    let f = FEMALE_NAMES_SET.contains(first);
    let m = MALE_NAMES_SET.contains(first);
    match (f, m) {
        (true, false) if is_given_name(w) => Gender::Female,
        (false, true) if is_given_name(w) => Gender::Male,
        _ => Gender::Unknown,
    }
}

pub fn is_given_name(w: &str) -> bool {
    let l = fold(w);
    let known = |p: &str| FEMALE_NAMES_SET.contains(p) || MALE_NAMES_SET.contains(p);
    known(&l) || l.contains('-') && l.split('-').all(known)
}

pub fn title_gender(w: &str) -> Gender {
    match fold(w).trim_end_matches('.') {
        "mr" | "sir" | "lord" | "king" | "prince" | "father" | "pope" | "cardinal"
        | "archbishop" | "bishop" | "congressman" | "spokesman" | "chairman" | "assemblyman"
        | "herr" | "rabbi" | "imam" | "sheikh" | "emir" | "sultan" => Gender::Male,
        "mrs" | "ms" | "miss" | "dame" | "lady" | "queen" | "princess" | "madam" | "mme"
        | "spokeswoman" | "chairwoman" | "congresswoman" | "assemblywoman" | "frau" => {
            Gender::Female
        }
        _ => Gender::Unknown,
    }
}

/// A word that can be part of a name: capitalised, or `el-Sisi`/`al-Assad`.
pub fn is_namey(t: &Tok) -> bool {
    if !t.is_word() {
        return false;
    }
    let first = t.text.chars().next().unwrap_or(' ');
    if first.is_uppercase() {
        return true;
    }
    // A byte loop: memchr's set-up costs more than these short words.
    match t.text.bytes().position(|b| b == b'-') {
        Some(k) => {
            NAME_PARTICLES_SET.contains(&t.text[..k])
                && t.text[k + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
        }
        None => false,
    }
}

pub fn is_platform(w: &str) -> bool {
    PLATFORMS_SET.contains(fold(w).as_str())
}

/// A maximal run of name words, e.g. "US Secretary of State Mike Pompeo".
#[derive(Debug, Clone)]
pub struct Run {
    /// Token indices `[s, e)`.
    pub s: usize,
    pub e: usize,
    pub words: Vec<String>,
    /// The last word carried a possessive `'s`.
    pub possessive: bool,
    /// Lowercase role words just before the run ("commissioner", "candidate").
    pub pre_roles: Vec<String>,
}

/// What a run denotes.
#[derive(Debug, Clone, PartialEq)]
pub enum Denot {
    /// A personal name (titles stripped); `strong` when a given name or a
    /// title shows it is a person.
    Person {
        name: String,
        strong: bool,
        titles: Vec<String>,
    },
    Org(String),
    /// Titles alone ("the President"): a role standing for someone named
    /// elsewhere.
    Role(String),
    /// A bare capitalised word or phrase of unknown type ("Kyiv", "Zapata").
    Other(String),
}

/// Finds name runs among tokens `[s, e)`.
pub fn runs(toks: &[Tok], s: usize, e: usize) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = s;
    while i < e {
        let t = &toks[i];
        // Most words are not capitalised: no folding for them.
        let stop = || {
            let folded = fold(t.base());
            CAP_STOP_SET.contains(folded.as_str())
                || folded
                    .split_once('-')
                    .is_some_and(|(a, _)| CAP_STOP_SET.contains(a))
        };
        if !is_namey(t) || stop() {
            i += 1;
            continue;
        }
        let mut run = grow_run(toks, i, e);
        add_body_noun(toks, s, e, &mut run);
        run.pre_roles = pre_roles(toks, s, run.s);
        i = run.e;
        out.push(run);
    }
    out
}

/// The name run that starts at `start`: capitalised words, initials and
/// abbreviated titles with their full stops, name particles, and the link
/// words of a body's name, up to a possessive.
fn grow_run(toks: &[Tok], start: usize, e: usize) -> Run {
    let t = &toks[start];
    let mut words = vec![t.base().to_string()];
    let mut possessive = t.is_possessive();
    let mut j = start + 1;
    let namey_at = |k: usize| k < e && toks.get(k).is_some_and(is_namey);
    while j < e && !possessive {
        let n = &toks[j];
        // "Dr. Livermore": an abbreviated title keeps its full stop.
        let last_word = words.last().map(String::as_str).unwrap_or("");
        let initial = last_word.chars().count() == 1 && last_word.chars().all(char::is_uppercase);
        if n.is_punct(".") && (is_title(last_word) || initial) && namey_at(j + 1) {
            if initial && let Some(w) = words.last_mut() {
                w.push('.');
            }
            j += 1;
            continue;
        }
        // "Sonya A. Zoghlin": a middle initial, though "A" is also a word.
        let middle_initial = is_initial(&n.text)
            && toks.get(j + 1).is_some_and(|d| d.is_punct("."))
            && namey_at(j + 2);
        if is_namey(n) && (middle_initial || !CAP_STOP_SET.contains(fold(n.base()).as_str())) {
            words.push(n.base().to_string());
            possessive = n.is_possessive();
            j += 1;
            continue;
        }
        if !link_joins(toks, j, e, &words) {
            break;
        }
        words.push(n.text.clone());
        if toks[j + 1].lower() == "the" {
            words.push(toks[j + 1].text.clone());
            j += 1;
        }
        j += 1;
    }
    Run {
        s: start,
        e: j,
        words,
        possessive,
        pre_roles: Vec::new(),
    }
}

/// Particles inside names ("Mohammad bin Salman"), and "of"/"of the"
/// after a title or body ("Secretary of State", "Court of Session").
fn link_joins(toks: &[Tok], j: usize, e: usize, words: &[String]) -> bool {
    let namey_at = |k: usize| k < e && toks.get(k).is_some_and(is_namey);
    let lw = toks[j].lower();
    let last = words.last().map(String::as_str).unwrap_or("");
    if NAME_PARTICLES_SET.contains(lw) {
        namey_at(j + 1)
    } else if lw == "and" {
        // "High Court of England and Wales".
        words.iter().any(|x| is_org_word(x))
            && words.iter().any(|x| fold(x) == "of")
            && namey_at(j + 1)
    } else if lw == "of" || lw == "for" || lw == "on" {
        // "Commission on Presidential Debates"; "Minister on" is no name.
        (is_org_word(last) || (lw != "on" && is_title(last)))
            && ((namey_at(j + 1) && !CAP_STOP_SET.contains(fold(toks[j + 1].base()).as_str()))
                || (toks.get(j + 1).is_some_and(|x| x.lower() == "the") && namey_at(j + 2)))
    } else {
        false
    }
}

/// "the German government", "the Biden campaign": a body named by a
/// lowercase noun after its country or leader; "the government of
/// American Samoa" by one before it.
fn add_body_noun(toks: &[Tok], s: usize, e: usize, run: &mut Run) {
    let j = run.e;
    if !run.possessive && j < e && toks.get(j).is_some_and(is_body_noun) {
        run.words.push(toks[j].text.clone());
        run.e += 1;
    } else if run.s >= s + 2 && toks[run.s - 1].lower() == "of" && is_body_noun(&toks[run.s - 2]) {
        run.words.insert(0, toks[run.s - 1].text.clone());
        run.words.insert(0, toks[run.s - 2].text.clone());
        run.s -= 2;
    }
}

/// Lowercase role words right before the run ("commissioner", "candidate").
fn pre_roles(toks: &[Tok], s: usize, start: usize) -> Vec<String> {
    let mut roles = Vec::new();
    let mut k = start;
    while k > s && roles.len() < 3 {
        let p = &toks[k - 1];
        let role = p.is_word()
            && !is_namey(p)
            && is_title(&p.text)
            && !GENERIC_TITLES_SET.contains(p.lower());
        if !role {
            break;
        }
        roles.push(p.lower().to_string());
        k -= 1;
    }
    roles
}

/// Drops the runs that only modify a person named later in the same noun
/// phrase: "UCL astronomer Angelos Tsiaras", "Huber's tag team partner
/// Erick Rowan", "County sheriff Kerry Lee". The head of an English noun
/// phrase is its last name; what stands before it says where they work.
pub fn heads(toks: &[Tok], rs: Vec<Run>) -> Vec<Run> {
    let person: Vec<bool> = rs
        .iter()
        .map(|r| matches!(denote(r), Denot::Person { .. }))
        .collect();
    rs.iter()
        .enumerate()
        .filter(|&(i, r)| {
            !rs.get(i + 1)
                .is_some_and(|n| person[i + 1] && in_one_phrase(toks, r, n))
        })
        .map(|(_, r)| r.clone())
        .collect()
}

/// Lowercase nouns for a body that a name before them or an "of" phrase
/// after them completes.
fn is_body_noun(t: &Tok) -> bool {
    t.is_word()
        && matches!(
            t.text.as_str(),
            "government"
                | "administration"
                | "campaign"
                | "army"
                | "military"
                | "navy"
                | "police"
                | "ministry"
                | "embassy"
                | "parliament"
                | "cabinet"
        )
}

/// Set off by commas against a title: "a spokesperson, Morgan Ortagus,"
/// or "Michael Makuei, the Information Minister".
fn appositive(toks: &[Tok], r: &Run) -> bool {
    let before = r.s >= 2 && toks[r.s - 1].is_punct(",") && is_title(&toks[r.s - 2].text);
    let after = toks.get(r.e).is_some_and(|t| t.is_punct(","))
        && toks[r.e + 1..]
            .iter()
            .take(5)
            .take_while(|t| t.is_word())
            .enumerate()
            .any(|(i, t)| i > 0 && is_title(&t.text))
        && toks
            .get(r.e + 1)
            .is_some_and(|t| matches!(t.lower(), "the" | "a" | "an"));
    before || after
}

/// "Eloise Parry, 21, was taken": an age set off after a name.
fn aged(toks: &[Tok], e: usize) -> bool {
    let set_off = |k: usize, p: &str| toks.get(k).is_some_and(|t| t.is_punct(p));
    let age = toks.get(e + 1).is_some_and(|t| {
        t.is_word() && t.text.len() <= 3 && t.text.bytes().all(|b| b.is_ascii_digit())
    });
    age && ((set_off(e, ",") && set_off(e + 2, ",")) || (set_off(e, "(") && set_off(e + 2, ")")))
}

/// The subject of a speech verb across a phrase set off by commas: a
/// description ("Joel Schlabach, a teacher at Richmond High School, said",
/// `Some(false)`) or a relative clause on a person ("Montell Figgins, who
/// represents Thomas, said", `Some(true)`).
fn set_off_before_cue(toks: &[Tok], r: &Run) -> Option<bool> {
    if !toks.get(r.e).is_some_and(|t| t.is_punct(",")) {
        return None;
    }
    let opener = toks.get(r.e + 1)?;
    let who = opener.lower() == "who";
    if !(who || matches!(opener.lower(), "a" | "an" | "the") || opener.is_possessive()) {
        return None;
    }
    let k = toks[r.e + 1..]
        .iter()
        .take(16)
        .position(|t| t.kind == Kind::Punct && !t.is_punct("'"))?;
    let close = r.e + 1 + k;
    (toks[close].is_punct(",") && toks.get(close + 1).is_some_and(speech_verb)).then_some(who)
}

/// A verb of the speech-cue list, as written (the list is lower case).
pub fn speech_verb(t: &Tok) -> bool {
    t.is_word() && super::lexicon::CUE_VERBS_SET.contains(t.text.as_str())
}

/// A speech verb right after the run or right before it.
fn speech_adjacent(toks: &[Tok], r: &Run) -> bool {
    // "told X" names the listener.
    let inverted = r.s > 0
        && speech_verb(&toks[r.s - 1])
        && !matches!(toks[r.s - 1].lower(), "told" | "tells" | "tell" | "telling");
    toks.get(r.e).is_some_and(speech_verb) || inverted
}

/// Only a few lowercase nouns stand between two runs: no punctuation,
/// link word or verb.
fn in_one_phrase(toks: &[Tok], a: &Run, b: &Run) -> bool {
    let between = &toks[a.e..b.s];
    between.len() <= 4
        && (a.possessive || !between.is_empty())
        && between.iter().all(|t| {
            t.is_word()
                && !is_namey(t)
                && !is_preposition(t.lower())
                && !matches!(
                    t.lower(),
                    "and" | "or" | "but" | "the" | "a" | "an" | "who" | "which" | "that"
                )
                && !super::lexicon::CUE_VERBS_SET.contains(t.lower())
                && !t.lower().ends_with("ed")
        })
}

const POST_NOMINALS: &[&str] = &[
    "qc", "kc", "mp", "mep", "jr", "sr", "obe", "mbe", "cbe", "phd", "md", "ii", "iii", "esq",
];

/// Post-nominals that are part of the name itself ("Robert Downey Jr.").
const GENERATIONAL: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

fn is_generational(w: &str) -> bool {
    GENERATIONAL.contains(&fold(w).trim_end_matches('.'))
}

/// Folded words of a name for matching, without "Jr.": "Downey" is
/// "Robert Downey Jr.".
fn match_words(words: &[String]) -> Vec<String> {
    let n = words.len()
        - usize::from(words.len() > 1 && words.last().is_some_and(|w| is_generational(w)));
    words[..n].iter().map(|w| fold(w)).collect()
}

/// Classifies a run: strips titles and demonyms to find a person, or names
/// the organisation.
pub fn denote(run: &Run) -> Denot {
    let mut w: &[String] = &run.words;
    let mut generational = None;
    // Post-nominals: "Durham Hall QC", "John Smith Jr".
    while w.len() > 1 && POST_NOMINALS.contains(&fold(&w[w.len() - 1]).trim_end_matches('.')) {
        if is_generational(&w[w.len() - 1]) {
            generational = Some(w[w.len() - 1].trim_end_matches('.').to_string());
        }
        w = &w[..w.len() - 1];
    }
    match denote_words(run, w) {
        Denot::Person {
            name,
            strong,
            titles,
        } => {
            let name = match generational {
                Some(g) if g.len() == 2 => format!("{name} {g}."),
                Some(g) => format!("{name} {g}"),
                None => name,
            };
            Denot::Person {
                name,
                strong,
                titles,
            }
        }
        d => d,
    }
}

fn denote_words(run: &Run, w: &[String]) -> Denot {
    // The person tail: trailing words that are not titles, bodies or links.
    // A title after a given name, or after a name that a role word opens,
    // is a surname ("John Bishop", "analyst Ken Doctor").
    let surname_title = w.len() > 1
        && is_title(&w[w.len() - 1])
        && !is_title(&w[w.len() - 2])
        && (is_given_name(&w[w.len() - 2]) || (w.len() == 2 && !run.pre_roles.is_empty()));
    let mut k = w.len() - usize::from(surname_title);
    while k > 0 {
        let x = &w[k - 1];
        let lx = fold(x);
        if is_title(x) || is_org_word(x) || matches!(lx.as_str(), "of" | "the" | "for" | "on") {
            break;
        }
        k -= 1;
    }
    let mut tail: Vec<String> = w[k..].to_vec();
    let prefix: Vec<String> = w[..k].to_vec();
    // "Scotland Nicola Sturgeon": a given name starts the personal name.
    let mut cut = false;
    if tail.len() > 2
        && let Some(g) = (1..tail.len() - 1).find(|&g| is_given_name(&tail[g]))
        && !is_given_name(&tail[0])
    {
        tail.drain(..g);
        cut = true;
    }
    // "Enter Stuart R. Kaplan": a middle initial follows the given name.
    if let Some(j) =
        (2..tail.len().saturating_sub(1)).find(|&j| is_initial(tail[j].trim_end_matches('.')))
        && !is_given_name(&tail[0])
        && !cut
    {
        tail.drain(..j - 1);
        cut = true;
    }
    // "Commission on Presidential Debates": a body's word and a link word
    // name the body, whatever title-like words follow.
    if tail.len() == 1
        && w.windows(2)
            .any(|p| is_org_word(&p[0]) && matches!(fold(&p[1]).as_str(), "of" | "for" | "on"))
    {
        return Denot::Org(strip_leading_the(w));
    }
    // "MP for Leeds", "Minister of Finance": the words after a link word
    // complete the title; they are a place or body, not the person.
    if !tail.is_empty()
        && !cut
        && k > 0
        && matches!(fold(&w[k - 1]).as_str(), "of" | "for" | "the" | "on")
    {
        if w.iter().any(|x| is_org_word(x)) {
            return Denot::Org(strip_leading_the(w));
        }
        return Denot::Other(w.join(" "));
    }
    while tail.len() > 1 && is_demonym(&tail[0]) {
        tail.remove(0);
    }
    let titles: Vec<String> = prefix
        .iter()
        .filter(|x| is_title(x))
        .map(|x| fold(x))
        .chain(run.pre_roles.iter().cloned())
        .collect();
    let has_org = w.iter().any(|x| is_org_word(x));
    let has_title = prefix.iter().any(|x| is_title(x)) || !run.pre_roles.is_empty();
    let joined = |v: &[String]| v.join(" ");
    if tail.is_empty() {
        if !has_org
            && w.iter()
                .all(|x| is_title(x) || is_demonym(x) || fold(x) == "of")
        {
            // Only titles ("Former", "President"): a role, not a name.
            return Denot::Role(fold(&w[w.len() - 1]));
        }
        if has_org || w.len() > 1 && !has_title {
            return Denot::Org(strip_leading_the(w));
        }
        return Denot::Other(joined(w));
    }
    if tail.len() == 1 && is_acronym(&tail[0]) && !has_title {
        return Denot::Org(strip_leading_the(w));
    }
    if has_org && !has_title && tail.len() == 1 {
        return Denot::Org(strip_leading_the(w));
    }
    if has_org && !has_title && prefix.iter().any(|x| fold(x) == "of") {
        return Denot::Org(strip_leading_the(w));
    }
    if tail.len() == 1 && !has_title {
        return Denot::Other(tail[0].clone());
    }
    // A middle initial ("Sonya A. Zoghlin") is a person's name's shape.
    let middle_initial = tail.len() > 2
        && tail[1..tail.len() - 1]
            .iter()
            .any(|x| is_initial(x.trim_end_matches('.')));
    let strong = has_title
        || is_given_name(&tail[0])
        || middle_initial
        || tail.iter().any(|x| NAME_PARTICLES_SET.contains(x.as_str()));
    Denot::Person {
        name: joined(&tail),
        strong,
        titles,
    }
}

/// One substitution, insertion or deletion turns `a` into `b`, keeping
/// the first letter.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.first() != b.first() || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// The capitalised words' first letters, in order, are the acronym's.
fn initials_spell(words: &[String], acronym: &str) -> bool {
    let initials: String = words
        .iter()
        .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase()))
        .collect();
    let letters: String = acronym.chars().filter(|c| c.is_alphabetic()).collect();
    initials.len() > 1 && initials == letters
}

fn strip_leading_the(w: &[String]) -> String {
    let v: Vec<&str> = w
        .iter()
        .map(String::as_str)
        .skip_while(|x| fold(x) == "the")
        .collect();
    v.join(" ")
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub words: Vec<String>,
    /// `words` folded ([`fold`]), kept because every lookup compares them.
    folded: Vec<String>,
    pub gender: Gender,
    pub titles: Vec<String>,
    pub strong: bool,
}

/// One mention of a known person or organisation outside quotations.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    pub tok: usize,
    pub person: Option<usize>,
    /// Preceded by a preposition or possessive-marked: not a subject.
    pub oblique: bool,
    /// Opens its clause (after the sentence start, a comma or a
    /// conjunction), where subjects stand.
    pub subject: bool,
    /// More than one word: names the person whatever else shares a word.
    pub full: bool,
}

/// The family name in a name of several (folded) words: the last, or
/// the first before a hyphenated given name ("Lee Jae-myung", "Han
/// Dong-hoon"), as Korean names are written.
fn family_name(words: &[String]) -> Option<&String> {
    match words {
        [family, given] if given.contains('-') && !family.contains('-') => Some(family),
        [_, .., last] => Some(last),
        _ => None,
    }
}

/// What a person's mentions say about whether the name is a person's.
#[derive(Debug, Default, Clone)]
struct Signs {
    surname_reused: bool,
    speaks: bool,
    /// Set off by a description before a speech verb.
    described: bool,
    /// A "who" clause or an age set off after the name: only people.
    certain: bool,
}

/// Article-wide name knowledge.
#[derive(Debug, Default)]
pub struct Entities {
    pub persons: Vec<Person>,
    pub mentions: Vec<Mention>,
    pub acronyms: HashMap<String, String>,
    pub orgs: Vec<(usize, String)>,
    /// Organisations standing as clause subjects, for "it said".
    pub org_subjects: Vec<(usize, String)>,
    /// Words seen capitalised away from a sentence start: a sentence-initial
    /// capital proves nothing ("Residents said ...").
    pub midcaps: HashSet<String>,
    /// Token indices that start a sentence.
    pub starts: HashSet<usize>,
    /// The persons whose folded name holds each word (a word a name once
    /// held may still point at it): every way [`Entities::find_person`]
    /// matches shares a query's first or last word with the name.
    by_word: HashMap<String, Vec<usize>>,
}

const PREPOSITIONS: &[&str] = &[
    "of", "to", "from", "with", "by", "for", "in", "on", "at", "about", "against", "toward",
    "towards", "into", "than", "between", "among", "like", "under", "over", "via", "as",
];

pub fn is_preposition(w: &str) -> bool {
    PREPOSITIONS.contains(&w)
}

/// The name a run may mention a known person by: a person's or an
/// unknown kind's, never a body's or a role's.
fn mention_key(d: &Denot) -> Option<&str> {
    match d {
        Denot::Person { name, .. } => Some(name),
        Denot::Other(o) => Some(o),
        Denot::Org(_) | Denot::Role(_) => None,
    }
}

/// True when the run at `s` opens its clause: only titles, role words and
/// determiners stand between it and the sentence start, a comma, or a
/// conjunction.
fn clause_initial(toks: &[Tok], s: usize, sentences: &[(usize, usize)]) -> bool {
    let ss = sentences
        .iter()
        .find(|&&(a, b)| a <= s && s < b)
        .map_or(0, |&(a, _)| a);
    let mut k = s;
    while k > ss {
        let p = &toks[k - 1];
        if p.kind == Kind::Punct {
            return matches!(p.text.as_str(), "," | ";" | ":" | "\u{2014}");
        }
        // `"...," Cook told Benioff`: the quotation ends a clause.
        if matches!(p.kind, Kind::Quote(_)) {
            return true;
        }
        let l = p.lower();
        if matches!(
            l,
            "and" | "but" | "while" | "when" | "as" | "after" | "whereas" | "then"
        ) {
            return true;
        }
        // "Figgins, who represents Thomas": the relative's object.
        if matches!(l, "who" | "whom" | "which" | "whose") {
            return false;
        }
        if l == "the" || is_title(l) || (p.is_word() && !is_namey(p) && k + 3 > s) {
            k -= 1;
            continue;
        }
        return false;
    }
    true
}

/// True when the word before token `s` (skipping "the") is a preposition.
pub fn oblique_at(toks: &[Tok], s: usize) -> bool {
    let mut k = s;
    while k > 0 {
        let p = &toks[k - 1];
        let l = p.lower();
        if l == "the" || l == "a" {
            k -= 1;
            continue;
        }
        return p.is_word() && is_preposition(l);
    }
    false
}

impl Entities {
    pub fn build(toks: &[Tok], sentences: &[(usize, usize)]) -> Entities {
        let mut ent = Entities {
            starts: sentences.iter().map(|&(s, _)| s).collect(),
            ..Entities::default()
        };
        for (i, t) in toks.iter().enumerate() {
            if t.is_cap() && !ent.starts.contains(&i) {
                ent.midcaps.insert(fold(t.base()));
            }
        }
        let all = runs(toks, 0, toks.len());
        let denoted: Vec<Denot> = all.iter().map(denote).collect();
        // Persons first (full names), so surnames seen later resolve.
        for (r, d) in all.iter().zip(&denoted) {
            ent.add_kind(toks, sentences, r, d);
        }
        ent.spelled_out_acronyms(toks, &all);
        let (signs, unresolved) = ent.record_mentions(toks, sentences, &all, &denoted);
        let votes = ent.pronoun_votes(toks, sentences);
        ent.strengthen(&signs, &votes);
        ent.strengthen_families();
        // "her mother, Fiona," names Fiona Parry once she is known to be a
        // person.
        for k in unresolved {
            if let Some(p) = mention_key(&denoted[k]).and_then(|key| ent.find_person(key)) {
                ent.push_mention(toks, sentences, &all[k], p);
            }
        }
        ent.mentions.sort_by_key(|m| m.tok);
        ent.infer_genders(&votes);
        ent
    }

    /// Records what kind of name the run `r` is.
    fn add_kind(&mut self, toks: &[Tok], sentences: &[(usize, usize)], r: &Run, d: &Denot) {
        match d {
            Denot::Person {
                name,
                strong,
                titles,
            } => {
                self.add_person(name, *strong, titles);
            }
            Denot::Org(o) => {
                self.orgs.push((r.s, o.clone()));
                if !oblique_at(toks, r.s) && !r.possessive && clause_initial(toks, r.s, sentences) {
                    self.org_subjects.push((r.s, o.clone()));
                }
                // "Syrian Democratic Forces (SDF)".
                if toks.get(r.e).is_some_and(|t| t.is_punct("("))
                    && let Some(a) = toks.get(r.e + 1)
                    && is_acronym(&a.text)
                    && toks.get(r.e + 2).is_some_and(|t| t.is_punct(")"))
                {
                    self.acronyms.insert(a.text.clone(), o.clone());
                }
            }
            Denot::Other(_) | Denot::Role(_) => {}
        }
        // "Big Machine have twice denied": a name of no known kind
        // standing as a subject may be the body "they" means; it is
        // ruled out at lookup if it turns out to be a person.
        if let Denot::Other(o) | Denot::Person { name: o, .. } = d
            && r.words.len() > 1
            && !oblique_at(toks, r.s)
            && !r.possessive
            && clause_initial(toks, r.s, sentences)
        {
            self.org_subjects.push((r.s, o.clone()));
        }
    }

    /// Each run's mention of a known person, with what the mentions say
    /// about each person; returns those signs and the runs that named no
    /// known person.
    fn record_mentions(
        &mut self,
        toks: &[Tok],
        sentences: &[(usize, usize)],
        all: &[Run],
        denoted: &[Denot],
    ) -> (Vec<Signs>, Vec<usize>) {
        let mut signs = vec![Signs::default(); self.persons.len()];
        let mut unresolved = Vec::new();
        for (k, (r, d)) in all.iter().zip(denoted).enumerate() {
            let Some(p) = mention_key(d).and_then(|key| self.find_person(key)) else {
                unresolved.push(k);
                continue;
            };
            self.push_mention(toks, sentences, r, p);
            let sg = &mut signs[p];
            sg.surname_reused |= r.words.len() == 1 && self.is_surname_of(p, &r.words[0]);
            let person = matches!(d, Denot::Person { .. });
            sg.speaks |= person && (speech_adjacent(toks, r) || appositive(toks, r));
            if person && let Some(who) = set_off_before_cue(toks, r) {
                sg.described = true;
                sg.certain |= who;
            }
            sg.certain |= person && aged(toks, r.e);
        }
        (signs, unresolved)
    }

    /// Records the run `r` as a mention of the known person `person`.
    fn push_mention(&mut self, toks: &[Tok], sentences: &[(usize, usize)], r: &Run, person: usize) {
        self.mentions.push(Mention {
            tok: r.s,
            person: Some(person),
            oblique: oblique_at(toks, r.s) || r.possessive,
            subject: clause_initial(toks, r.s, sentences),
            full: r.words.len() > 1,
        });
    }

    /// A full name whose surname the article later uses alone is a
    /// person, whatever the given name: organisations are not referred
    /// to by their last word.
    /// The given name must be capitalised away from a sentence start
    /// ("Previous SpaceX" is no person), and the surname no body's word.
    /// A full name right against a speech verb ("Wendy Parmet said",
    /// "said Delfin Lorenzana") is a person too.
    /// A he or she that can only point back at the name vouches for a
    /// given name seen only at sentence starts ("Joel Schlabach, a
    /// teacher, said ... "...," he said").
    fn strengthen(&mut self, signs: &[Signs], votes: &[(i32, i32)]) {
        for (i, p) in self.persons.iter_mut().enumerate() {
            let sg = &signs[i];
            let pointed_at = votes[i].0 + votes[i].1 > 0;
            p.strong |=
                (sg.surname_reused || sg.speaks || (sg.described && pointed_at) || sg.certain)
                    && (self.midcaps.contains(&p.folded[0]) || pointed_at || sg.certain)
                    && !p.words.last().is_some_and(|w| is_org_word(w));
        }
    }

    /// "Fiona Parry issued a plea" in an article about Eloise Parry: a
    /// family shares a surname, bodies do not share a person's. The given
    /// name must be capitalised away from a sentence start.
    fn strengthen_families(&mut self) {
        let family: Vec<bool> = self
            .persons
            .iter()
            .enumerate()
            .map(|(i, p)| {
                !p.strong
                    && p.folded.len() > 1
                    && self.midcaps.contains(&p.folded[0])
                    && self.persons.iter().enumerate().any(|(j, q)| {
                        j != i && q.strong && family_name(&q.folded) == family_name(&p.folded)
                    })
            })
            .collect();
        for (p, f) in self.persons.iter_mut().zip(family) {
            p.strong |= f;
        }
    }

    /// "AEW (All Elite Wrestling)" and "World Wonder Ring Stardom (WWRS)":
    /// an acronym next to a name whose initials spell it stands for that
    /// name, whatever kind of name it is.
    fn spelled_out_acronyms(&mut self, toks: &[Tok], all: &[Run]) {
        for (i, t) in toks.iter().enumerate() {
            if !t.is_punct("(") || i == 0 {
                continue;
            }
            let Some(close) = (i + 1..toks.len().min(i + 12)).find(|&k| toks[k].is_punct(")"))
            else {
                continue;
            };
            let inner: Vec<String> = toks[i + 1..close].iter().map(|t| t.text.clone()).collect();
            if !toks[i + 1..close].iter().all(Tok::is_word) || inner.is_empty() {
                continue;
            }
            let before = &toks[i - 1];
            let pair = if inner.len() > 1 && before.is_word() && is_acronym(&before.text) {
                Some((before.text.clone(), inner))
            } else if inner.len() == 1 && is_acronym(&inner[0]) {
                all.iter()
                    .find(|r| r.e == i)
                    .map(|r| (inner[0].clone(), r.words.clone()))
            } else {
                None
            };
            if let Some((short, long)) = pair
                && initials_spell(&long, &short)
            {
                self.acronyms
                    .entry(short)
                    .or_insert_with(|| strip_leading_the(&long));
            }
        }
    }

    /// `w` is the family name of person `p`'s name of several words.
    pub fn is_surname_of(&self, p: usize, w: &str) -> bool {
        family_name(&self.persons[p].folded).is_some_and(|l| *l == fold(w))
    }

    fn add_person(&mut self, name: &str, strong: bool, titles: &[String]) {
        let words: Vec<String> = name.split(' ').map(str::to_string).collect();
        // "Mr Tong" after "Tong Yung-soo", "Prime Minister Tuilaepa" after
        // "Tuilaepa Sailele Malielegaoi": a title before one word names the
        // person whose name starts with it, where the family name comes first.
        if words.len() == 1 && !titles.is_empty() && self.find_person(name).is_none() {
            let key = fold(name);
            let mut starts = self
                .persons
                .iter()
                .enumerate()
                .filter(|(_, p)| p.folded.len() > 1 && p.folded[0] == key);
            if let (Some((i, _)), None) = (starts.next(), starts.next()) {
                self.persons[i].strong = true;
                return;
            }
        }
        if let Some(i) = self.find_person(name) {
            let p = &mut self.persons[i];
            let longer = words.len() > p.words.len();
            if longer {
                p.name = name.to_string();
                p.folded = match_words(&words);
                p.words = words;
            }
            p.strong |= strong;
            for t in titles {
                if !p.titles.contains(t) {
                    p.titles.push(t.clone());
                }
            }
            if longer {
                self.index_words(i);
            }
            return;
        }
        let mut gender = given_name_gender(&words[0]);
        for t in titles {
            if gender == Gender::Unknown {
                gender = title_gender(t);
            }
        }
        self.persons.push(Person {
            name: name.to_string(),
            folded: match_words(&words),
            words,
            gender,
            titles: titles.to_vec(),
            strong,
        });
        self.index_words(self.persons.len() - 1);
    }

    fn index_words(&mut self, i: usize) {
        for w in &self.persons[i].folded {
            let list = self.by_word.entry(w.clone()).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
    }

    /// The known person whose name ends with (or, for one word, starts with)
    /// `name`; the longest such name wins.
    pub fn find_person(&self, name: &str) -> Option<usize> {
        let q: Vec<String> = name.split_whitespace().map(fold).collect();
        if q.is_empty() {
            return None;
        }
        let mut candidates: Vec<usize> = [&q[0], &q[q.len() - 1]]
            .into_iter()
            .filter_map(|w| self.by_word.get(w))
            .flatten()
            .copied()
            .collect();
        // In the order of the persons, so that ties go as they always did.
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(usize, usize)> = None;
        for i in candidates {
            let p = &self.persons[i];
            let pw = &p.folded;
            let suffix = (pw.len() >= q.len() && pw[pw.len() - q.len()..] == q[..])
                || (q.len() == 1 && family_name(pw) == Some(&q[0]));
            let reverse = q.len() > pw.len() && q[q.len() - pw.len()..] == pw[..];
            let given = q.len() == 1 && pw.len() > 1 && pw[0] == q[0] && p.strong;
            // "Vázquez" for "Wanda Vázquez Garced".
            let middle = q.len() == 1 && pw.len() > 2 && pw[1..pw.len() - 1].contains(&q[0]);
            // "John R. Bolton" and "John Bolton".
            let initials = q.len() >= 2 && pw.len() >= 2 && q[0] == pw[0] && q.last() == pw.last();
            if suffix || reverse || given || initials || middle {
                let score = pw.len() * 2 + usize::from(suffix) + usize::from(p.strong);
                if best.is_none_or(|(_, s)| score > s) {
                    best = Some((i, score));
                }
            }
        }
        best.map(|(i, _)| i)
    }

    /// Male and female pronouns in the sentence of each mention and the
    /// next, where no other person is mentioned.
    fn pronoun_votes(&self, toks: &[Tok], sentences: &[(usize, usize)]) -> Vec<(i32, i32)> {
        let mut votes: Vec<(i32, i32)> = vec![(0, 0); self.persons.len()];
        for m in &self.mentions {
            let Some(p) = m.person else { continue };
            let Some(si) = sentences.iter().position(|&(s, e)| s <= m.tok && m.tok < e) else {
                continue;
            };
            let (s, e) = sentences[si];
            let end = sentences.get(si + 1).map_or(e, |n| n.1);
            let others = self
                .mentions
                .iter()
                .filter(|o| o.tok >= s && o.tok < end && o.person != Some(p))
                .count();
            if others > 0 {
                continue;
            }
            for t in &toks[m.tok..end] {
                match t.lower() {
                    "he" | "his" | "him" | "himself" => votes[p].0 += 1,
                    "she" | "her" | "hers" | "herself" => votes[p].1 += 1,
                    _ => {}
                }
            }
        }
        votes
    }

    /// Gender from the pronoun votes, where the given name says nothing.
    fn infer_genders(&mut self, votes: &[(i32, i32)]) {
        for (p, &(m, f)) in self.persons.iter_mut().zip(votes) {
            if p.gender == Gender::Unknown {
                if m > f {
                    p.gender = Gender::Male;
                } else if f > m {
                    p.gender = Gender::Female;
                }
            }
        }
    }

    /// Resolves a pronoun at token `at`: the first compatible subject-like
    /// person in the nearest earlier sentence that has one. An unknown
    /// `gender` (a description: "the actor") agrees with anyone.
    pub fn resolve_pronoun(
        &self,
        gender: Gender,
        at: usize,
        sentences: &[(usize, usize)],
        toks: &[Tok],
    ) -> Option<usize> {
        let si = sentences.iter().position(|&(s, e)| s <= at && at < e)?;
        let first_para = sentences[..=si]
            .iter()
            .rposition(|&(s, _)| s > 0 && toks[s - 1].kind == Kind::Para)
            .unwrap_or(0);
        let lo = si.saturating_sub(6);
        for k in (lo..=si).rev() {
            let (s, e) = sentences[k];
            let e = if k == si { at } else { e };
            // Rank: clause subject, then any non-oblique mention, then (in
            // earlier sentences) an oblique one; latest first. A known
            // gender that agrees lifts an oblique mention above a plain
            // one, never a mention above a subject.
            let mut best: Option<(u8, usize, bool)> = None;
            for m in self
                .mentions
                .iter()
                .rev()
                .filter(|m| m.tok >= s && m.tok < e)
            {
                let Some(p) = m.person else { continue };
                let pg = self.persons[p].gender;
                let agrees = pg == gender || pg == Gender::Unknown || gender == Gender::Unknown;
                if !agrees || !self.persons[p].strong {
                    continue;
                }
                let role = if m.oblique {
                    if k == si {
                        continue;
                    }
                    2
                } else if m.subject {
                    8
                } else {
                    4
                };
                let rank = role
                    + if pg == gender && gender != Gender::Unknown {
                        3
                    } else {
                        0
                    };
                if best.is_none_or(|(r, _, _)| rank > r) {
                    best = Some((rank, p, m.subject && !m.oblique));
                }
            }
            // "During the visit, he was photographed with Epstein. He
            // told ...": an earlier sentence whose subject is the same
            // pronoun continues the chain; its other people are not meant.
            let chained = k < si
                && best.is_some_and(|(_, _, subject)| !subject)
                && self.pronoun_subject(gender, s, e, sentences, toks);
            if let Some((_, p, _)) = best.filter(|_| !chained) {
                return Some(p);
            }
            // Paragraph starts rarely refer across paragraphs more than once.
            if k + 3 < first_para {
                break;
            }
        }
        None
    }

    /// The last person of `gender` named before `at`, however far back.
    pub fn last_of_gender(&self, gender: Gender, at: usize) -> Option<usize> {
        self.mentions
            .iter()
            .rev()
            .filter(|m| m.tok < at)
            .filter_map(|m| m.person)
            .find(|&p| self.persons[p].strong && self.persons[p].gender == gender)
    }

    /// A he or she of `gender` opens a clause in `[s, e)`.
    fn pronoun_subject(
        &self,
        gender: Gender,
        s: usize,
        e: usize,
        sentences: &[(usize, usize)],
        toks: &[Tok],
    ) -> bool {
        let word = match gender {
            Gender::Male => "he",
            Gender::Female => "she",
            Gender::Unknown => return false,
        };
        (s..e).any(|i| toks[i].lower() == word && clause_initial(toks, i, sentences))
    }

    /// "It said" / "they said": the latest organisation standing as a
    /// subject in this sentence or the two before.
    pub fn resolve_collective(
        &self,
        at: usize,
        sentences: &[(usize, usize)],
        toks: &[Tok],
    ) -> Option<String> {
        let si = sentences.iter().position(|&(s, e)| s <= at && at < e)?;
        let named = self.body_subject_before(at, sentences, 2);
        if named.is_some() || si == 0 {
            return named;
        }
        // "Now they've put out another statement. '...,' it says": one of
        // the two sentences before opens with the same body as "it" or
        // "they" (after a quotation, too: '"...," they said').
        let chained = sentences[si.saturating_sub(2)..si]
            .iter()
            .rev()
            .find_map(|&(ps, pe)| {
                (ps..pe.min(ps + 3)).find(|&i| {
                    let w = toks[i]
                        .lower()
                        .split(['\'', '\u{2019}'])
                        .next()
                        .unwrap_or("");
                    matches!(w, "it" | "they")
                })
            })?;
        self.resolve_collective(chained, sentences, toks)
    }

    /// The body last named as a subject before `at`, no further back than
    /// `back` sentences before the one holding `at`; never a known person.
    pub fn body_subject_before(
        &self,
        at: usize,
        sentences: &[(usize, usize)],
        back: usize,
    ) -> Option<String> {
        let si = sentences.iter().position(|&(s, e)| s <= at && at < e)?;
        let lo = sentences[si.saturating_sub(back)].0;
        self.org_subjects
            .iter()
            .rev()
            .filter(|(_, o)| self.find_person(o).is_none_or(|p| !self.persons[p].strong))
            .find(|(pos, _)| *pos < at && *pos >= lo)
            .map(|(_, o)| self.canonical(o))
    }

    /// The most recent person with this role, or organisation with this word.
    pub fn resolve_role(&self, role: &str, at: usize) -> Option<String> {
        let role = fold(role);
        let mut best: Option<(usize, String)> = None;
        for m in &self.mentions {
            if m.tok >= at {
                break;
            }
            if let Some(p) = m.person
                && self.persons[p].titles.contains(&role)
            {
                best = Some((m.tok, self.persons[p].name.clone()));
            }
        }
        for (pos, o) in &self.orgs {
            if *pos < at
                && o.split(' ').any(|w| fold(w) == role)
                && best.as_ref().is_none_or(|(b, _)| pos > b)
            {
                best = Some((*pos, o.clone()));
            }
        }
        best.map(|(_, n)| n)
    }

    /// A one-word run at a sentence start that is never capitalised
    /// elsewhere: an ordinary word, not a name.
    /// A word right before a speech verb is taken as a name ("Wasif
    /// suggested"), unless it looks like a plural ("Residents said").
    pub fn mere_capital(&self, run: &Run, toks: &[Tok]) -> bool {
        let w = &run.words[0];
        let before_cue = toks
            .get(run.e)
            .is_some_and(|t| t.is_word() && super::lexicon::CUE_VERBS_SET.contains(t.lower()));
        run.words.len() == 1
            && self.starts.contains(&run.s)
            && !self.midcaps.contains(&fold(w))
            && self.find_person(w).is_none()
            && (!before_cue || (w.ends_with('s') && w.chars().count() > 3))
    }

    /// The fullest form of a name as read at token `at`. A surname that
    /// several people share ("says Parata" in an article about Hori Parata
    /// and his son Te Kaurinui Robert Parata) is the one named in full most
    /// often so far, the first named on a tie.
    pub fn canonical_at(&self, name: &str, at: usize) -> String {
        let sharing = (0..self.persons.len()).filter(|&p| self.is_surname_of(p, name));
        if name.contains(' ') || sharing.count() < 2 {
            return self.canonical(name);
        }
        // (full mentions, first mention, person)
        let mut named: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.mentions.iter().filter(|m| m.full && m.tok < at) {
            let Some(p) = m.person.filter(|&p| self.is_surname_of(p, name)) else {
                continue;
            };
            match named.iter_mut().find(|n| n.2 == p) {
                Some(n) => n.0 += 1,
                None => named.push((1, m.tok, p)),
            }
        }
        match named.iter().max_by_key(|n| (n.0, std::cmp::Reverse(n.1))) {
            Some(&(_, _, p)) => self.persons[p].name.clone(),
            None => self.canonical(name),
        }
    }

    /// The fullest form of a name or acronym.
    pub fn canonical(&self, name: &str) -> String {
        if let Some(full) = self.acronyms.get(name) {
            return full.clone();
        }
        // "State Department" for "United States Department of State".
        let key: Vec<String> = name
            .split(' ')
            .map(fold)
            .filter(|w| !matches!(w.as_str(), "the" | "of" | "us" | "u.s" | "u.s."))
            .collect();
        if key.iter().any(|w| is_org_word(w)) {
            let fuller = self
                .orgs
                .iter()
                .map(|(_, o)| o)
                .filter(|o| {
                    let ow: Vec<String> = o.split(' ').map(fold).collect();
                    key.iter()
                        .all(|k| ow.iter().any(|w| w == k || w.trim_end_matches('s') == k))
                })
                .max_by_key(|o| o.len());
            if let Some(f) = fuller {
                return f.clone();
            }
        }
        if let Some(p) = self.find_person(name).or_else(|| self.variant_of(name)) {
            return self.persons[p].name.clone();
        }
        self.company_of(name).unwrap_or_else(|| name.to_string())
    }

    /// "Wasif" for "Sally Wasef": a surname spelt one letter differently
    /// (transliterations vary within an article) stands for the one person
    /// whose surname it nearly is.
    fn variant_of(&self, name: &str) -> Option<usize> {
        let key = fold(name);
        if name.contains(' ') || key.chars().count() < 5 {
            return None;
        }
        let mut near = self.persons.iter().enumerate().filter(|(_, p)| {
            p.strong
                && p.folded.len() > 1
                && p.folded.last().is_some_and(|l| one_edit_apart(l, &key))
        });
        match (near.next(), near.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// "Ford" for "Ford Motor Company": the one organisation named in full
    /// whose name starts with this word and ends with a body's word.
    fn company_of(&self, name: &str) -> Option<String> {
        if name.contains(' ') {
            return None;
        }
        let key = fold(name);
        let mut found = self.orgs.iter().map(|(_, o)| o).filter(|o| {
            let mut w = o.split(' ');
            w.next().is_some_and(|f| fold(f) == key)
                && o.split(' ').count() > 1
                && o.rsplit(' ').next().is_some_and(is_org_word)
        });
        let first = found.next()?;
        found.all(|o| o == first).then(|| first.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::super::spans::find_spans;
    use super::super::tokens::{sentences, tokenize};
    use super::*;

    fn denote_text(s: &str) -> Denot {
        let chars: Vec<char> = s.chars().collect();
        let toks = tokenize(&chars, &[]);
        let rs = runs(&toks, 0, toks.len());
        denote(rs.last().expect("a run"))
    }

    fn person(s: &str) -> String {
        match denote_text(s) {
            Denot::Person { name, .. } => name,
            other => panic!("{s:?} is {other:?}"),
        }
    }

    #[test]
    fn titles_and_demonyms_are_stripped() {
        assert_eq!(
            person("Ukrainian President Volodymyr Zelensky"),
            "Volodymyr Zelensky"
        );
        assert_eq!(
            person("NATO Secretary General Jens Stoltenberg"),
            "Jens Stoltenberg"
        );
        assert_eq!(person("US Secretary of State Mike Pompeo"), "Mike Pompeo");
        assert_eq!(
            person("First Minister of Scotland Nicola Sturgeon"),
            "Nicola Sturgeon"
        );
        assert_eq!(person("Judge Durham Hall QC"), "Durham Hall");
        assert_eq!(person("said Dr. Anna Weiss"), "Anna Weiss");
        assert_eq!(
            person("Crown Prince Mohammad bin Salman"),
            "Mohammad bin Salman"
        );
        // A double given name starts the personal name too.
        assert_eq!(
            person("Director of Public Prosecution Eva-Marie Persson"),
            "Eva-Marie Persson"
        );
    }

    #[test]
    fn double_given_names_are_given_names() {
        assert!(is_given_name("Jean-Pierre"));
        assert_eq!(given_name_gender("Eva-Marie"), Gender::Female);
        assert!(!is_given_name("Jae-myung"));
        assert_eq!(given_name_gender("Anna-Nicht"), Gender::Unknown);
    }

    #[test]
    fn organisations_are_named_as_given() {
        assert_eq!(
            denote_text("the US State Department"),
            Denot::Org("US State Department".into())
        );
        assert_eq!(
            denote_text("the Supreme Court of the United Kingdom"),
            Denot::Org("Supreme Court of the United Kingdom".into())
        );
        assert_eq!(
            denote_text("the President"),
            Denot::Role("president".into())
        );
    }

    #[test]
    fn surnames_acronyms_and_gender_resolve_article_wide() {
        let text = "Opposition leader Anna Kowalski met Syrian Democratic Forces (SDF) envoys. \
                    Kowalski said she would return.";
        let chars: Vec<char> = text.chars().collect();
        let spans = find_spans(&chars);
        let toks = tokenize(&chars, &spans);
        let sents = sentences(&toks);
        let ent = Entities::build(&toks, &sents);
        assert_eq!(ent.canonical("Kowalski"), "Anna Kowalski");
        assert_eq!(ent.canonical("SDF"), "Syrian Democratic Forces");
        let p = ent.find_person("Kowalski").expect("known person");
        assert_eq!(ent.persons[p].gender, Gender::Female);
    }

    #[test]
    fn spelling_variants_are_one_letter_apart() {
        assert!(super::one_edit_apart("wasef", "wasif"));
        assert!(super::one_edit_apart("mohammed", "mohamed"));
        assert!(!super::one_edit_apart("wasef", "wasef"));
        assert!(!super::one_edit_apart("wasef", "basef"));
        assert!(!super::one_edit_apart("wasef", "wastef1"));
    }

    #[test]
    fn folding_ignores_case_and_diacritics() {
        assert_eq!(fold("Erdoğan"), "erdogan");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("MAYOR"), "mayor");
    }
}
