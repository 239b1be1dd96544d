//! Speech set off by dashes instead of quotation marks, as Spanish,
//! Portuguese and Russian write dialogue and interviews:
//!
//! ```text
//! — Мы не будем повышать налоги, — заявил министр. — Это окончательно.
//! —No vamos a subir los impuestos —dijo el ministro—. Es definitivo.
//! ```
//!
//! A paragraph that opens with a dash is speech when a later dash hands
//! over to the reporter with a speech verb, or when the paragraph before
//! ends in a colon (`Министр заявил:`). A dash that opens a paragraph is
//! also how lists are written, so a dash paragraph with neither is left
//! alone. The reporter's words run to a dash that closes them, touching
//! the word before ("ministro—") or after a full stop or comma
//! ("министр. —"); text after that dash is the same speech resumed.

use super::spans::{Span, paragraphs};

/// How many words after the reporter's dash may hold the verb: the verb
/// itself first, or after a clitic ("—le dijo", "—se lo dijo").
const VERB_WITHIN: usize = 3;

/// Words before the reporter's verb are clitic pronouns, this short at
/// most ("le", "les", "lhe", "se lo"); a longer word opens an aside
/// ("—que, según dijo Juan—").
const CLITIC_CHARS: usize = 3;

/// How many words before a colon may follow the verb that introduces the
/// next paragraph's speech ("объяснил журналистам на брифинге:").
const LEAD_IN_WORDS: usize = 5;

/// `spans` (pairs of quotation marks, in order) with dash-introduced
/// speech merged in.
pub fn with_dash_speech(
    chars: &[char],
    spans: Vec<Span>,
    is_speech: impl Fn(&str) -> bool,
) -> Vec<Span> {
    let paras = paragraphs(chars);
    let mut found: Vec<Span> = Vec::new();
    for (p, &(ps, pe)) in paras.iter().enumerate() {
        let introduced = p > 0 && introduces_speech(chars, paras[p - 1], &is_speech);
        found.extend(paragraph(chars, (ps, pe), introduced, &is_speech));
    }
    if found.is_empty() {
        return spans;
    }
    // Speech that is one quotation in marks ("— «Мы не будем», — заявил
    // он") stays that quotation; marks inside longer speech are part of
    // it ("— «Газпром» не будет повышать цены, — заявил министр").
    let is_marked = |d: &Span| {
        spans
            .iter()
            .any(|m| m.open <= d.start && d.end <= m.close + 1)
    };
    found.retain(|d| !is_marked(d));
    let mut all: Vec<Span> = spans
        .into_iter()
        .filter(|m| {
            !found
                .iter()
                .any(|d| d.open <= m.open && m.close <= d.close.max(d.end))
        })
        .collect();
    all.extend(found);
    all.sort_by_key(|s| s.open);
    all
}

fn is_dash(c: char) -> bool {
    matches!(c, '\u{2014}' | '\u{2013}' | '\u{2015}')
}

/// A dash, or a hyphen standing alone for one (`- Мы …`).
fn dash_at(chars: &[char], i: usize) -> bool {
    is_dash(chars[i]) || chars[i] == '-' && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
}

/// A paragraph ending in a colon with a speech verb among its last words
/// ("Глава района объяснил:"); a colon alone more often opens a list.
fn introduces_speech(
    chars: &[char],
    (s, e): (usize, usize),
    is_speech: &impl Fn(&str) -> bool,
) -> bool {
    let text = crate::quotes::tokens::to_string(&chars[s..e]);
    let Some(body) = text.trim_end().strip_suffix(':') else {
        return false;
    };
    body.split_whitespace()
        .rev()
        .take(LEAD_IN_WORDS)
        .any(|w| is_speech(&bare_lower(w)))
}

/// A word as the speech-verb table lists it: no punctuation, lower case.
fn bare_lower(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Speech starts a sentence: its first letter is a capital ("—¿Vendrás?"
/// too), while a list item after a dash often does not ("— утверждение
/// бюджета;").
fn opens_a_sentence(chars: &[char], from: usize, pe: usize) -> bool {
    chars[from..pe]
        .iter()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// The speech segments of one paragraph, or none when it is not speech.
fn paragraph(
    chars: &[char],
    (ps, pe): (usize, usize),
    introduced: bool,
    is_speech: &impl Fn(&str) -> bool,
) -> Vec<Span> {
    let mut out = Vec::new();
    let Some(f) = (ps..pe)
        .find(|&i| !chars[i].is_whitespace())
        .filter(|&f| dash_at(chars, f) && opens_a_sentence(chars, f + 1, pe))
    else {
        return out;
    };
    let mut open = f;
    let mut from = f + 1;
    loop {
        let Some(k) = reporter_dash(chars, from, pe, is_speech) else {
            if !out.is_empty() || introduced {
                out.extend(segment(chars, open, from, pe, None));
            }
            return out;
        };
        out.extend(segment(chars, open, from, k, Some(k)));
        let Some(resume) =
            reporter_end(chars, k + 1, pe).and_then(|m| resumed_at(chars, m + 1, pe))
        else {
            return out;
        };
        open = resume;
        from = resume;
    }
}

/// The speech between `from` and `to`, trimmed of spaces and of the comma
/// that hands over to the reporter. The token covers `open` through
/// `close` (the reporter's dash), or through the text's end.
fn segment(
    chars: &[char],
    open: usize,
    from: usize,
    to: usize,
    close: Option<usize>,
) -> Option<Span> {
    let start = (from..to).find(|&i| !chars[i].is_whitespace())?;
    let mut end = to;
    while end > start
        && (chars[end - 1].is_whitespace() || chars[end - 1] == ',' || is_dash(chars[end - 1]))
    {
        end -= 1;
    }
    (end > start).then(|| Span {
        open,
        close: close.unwrap_or(end - 1),
        start,
        end,
    })
}

/// A dash after a space whose next few words, the first in lower case,
/// hold a speech verb: ", — заявил министр", " —dijo el ministro".
fn reporter_dash(
    chars: &[char],
    from: usize,
    pe: usize,
    is_speech: &impl Fn(&str) -> bool,
) -> Option<usize> {
    (from..pe).find(|&k| {
        k > from && dash_at(chars, k) && chars[k - 1].is_whitespace() && {
            let rest: String = chars[k + 1..pe].iter().take(80).collect();
            let words: Vec<String> = rest
                .split_whitespace()
                .take(VERB_WITHIN)
                .map(bare_lower)
                .collect();
            let verb = words.iter().position(|w| is_speech(w));
            words
                .first()
                .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
                && verb
                    .is_some_and(|v| words[..v].iter().all(|w| w.chars().count() <= CLITIC_CHARS))
        }
    })
}

/// The dash that ends the reporter's words: touching the word before
/// ("ministro—") or after a stop or comma ("министр. —", "он, —"). Once
/// the reporter's sentence has ended with no dash after its stop, the
/// narration goes on, and a later dash is an aside in it ("… ministro.
/// El presidente —que llegó ayer— no habló").
fn reporter_end(chars: &[char], from: usize, pe: usize) -> Option<usize> {
    for m in from..pe {
        let prev = chars[from..m].iter().rev().find(|c| !c.is_whitespace());
        if dash_at(chars, m) {
            let handed_back = !chars[m - 1].is_whitespace()
                || prev.is_some_and(|c| matches!(c, '.' | ',' | ';' | '!' | '?'));
            if handed_back {
                return Some(m);
            }
        } else if !chars[m].is_whitespace() && prev.is_some_and(|c| matches!(c, '.' | '!' | '?')) {
            return None;
        }
    }
    None
}

/// Where speech resumes after the reporter's closing dash, past the stop
/// or comma that may follow it ("ministro—. Es").
fn resumed_at(chars: &[char], from: usize, pe: usize) -> Option<usize> {
    (from..pe).find(|&i| !(chars[i].is_whitespace() || matches!(chars[i], '.' | ',' | ';' | ':')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let speech = |w: &str| matches!(w, "заявил" | "сказал" | "dijo" | "disse" | "añadió");
        with_dash_speech(&chars, Vec::new(), speech)
            .iter()
            .map(|sp| crate::quotes::tokens::to_string(&chars[sp.start..sp.end]))
            .collect()
    }

    #[test]
    fn russian_reporter_words_between_dashes() {
        assert_eq!(
            texts("— Мы не будем повышать налоги, — заявил министр. — Это окончательно."),
            ["Мы не будем повышать налоги", "Это окончательно."]
        );
        assert_eq!(texts("— Мы, — заявил он, — не будем."), ["Мы", "не будем."]);
    }

    #[test]
    fn spanish_closing_dash_touches_the_word() {
        assert_eq!(
            texts("—No vamos a subir los impuestos —dijo el ministro—. Es definitivo."),
            ["No vamos a subir los impuestos", "Es definitivo."]
        );
        assert_eq!(texts("—Es tarde —le dijo a la prensa."), ["Es tarde"]);
    }

    #[test]
    fn a_dash_aside_without_a_verb_stays_in_the_speech() {
        assert_eq!(
            texts("—El plan —que es bueno— funcionará —dijo Juan."),
            ["El plan —que es bueno— funcionará"]
        );
    }

    #[test]
    fn narration_after_the_reporters_sentence_is_not_speech() {
        assert_eq!(
            texts("—Es tarde —dijo el ministro. El presidente —que llegó ayer— no habló."),
            ["Es tarde"]
        );
        assert_eq!(
            texts("— Мы не будем, — заявил министр. Его заместитель, как известно, — противник."),
            ["Мы не будем"]
        );
    }

    #[test]
    fn an_aside_with_a_speech_verb_is_not_the_reporter() {
        assert_eq!(
            texts("—El plan —que, según dijo Juan, es bueno— funcionará —dijo Ana."),
            ["El plan —que, según dijo Juan, es bueno— funcionará"]
        );
    }

    #[test]
    fn marks_inside_dash_speech_belong_to_it() {
        let s = "— «Газпром» не будет повышать цены, — заявил министр.";
        let chars: Vec<char> = s.chars().collect();
        let marks = super::super::spans::find_spans(&chars);
        let speech = |w: &str| w == "заявил";
        let all = with_dash_speech(&chars, marks, speech);
        let texts: Vec<String> = all
            .iter()
            .map(|sp| crate::quotes::tokens::to_string(&chars[sp.start..sp.end]))
            .collect();
        assert_eq!(texts, ["«Газпром» не будет повышать цены"]);
        // Speech that is one quotation in marks stays that quotation.
        let s = "— «Мы не будем», — заявил министр.";
        let chars: Vec<char> = s.chars().collect();
        let marks = super::super::spans::find_spans(&chars);
        let all = with_dash_speech(&chars, marks.clone(), speech);
        assert_eq!(all, marks);
    }

    #[test]
    fn a_dash_ending_the_paragraph_is_not_in_the_speech() {
        assert_eq!(
            texts("Министр сказал:\n\n— Налоги не вырастут —"),
            ["Налоги не вырастут"]
        );
    }

    #[test]
    fn lists_and_unattributed_dashes_are_not_speech() {
        assert!(texts("— первый пункт;\n\n— второй пункт.").is_empty());
        assert!(texts("El ministro —que llegó ayer— dijo que sí.").is_empty());
    }

    #[test]
    fn a_colon_before_the_paragraph_introduces_it() {
        assert_eq!(
            texts("Министр сказал:\n\n— Налоги не вырастут.\n\n— второй пункт."),
            ["Налоги не вырастут."]
        );
        assert!(texts("В программе встречи:\n\n— обсуждение бюджета;").is_empty());
        // A list after a speech verb and a colon: its items are no sentences.
        assert!(texts("Министр сказал:\n\n— снизить налоги;\n\n— поднять пенсии.").is_empty());
    }
}
