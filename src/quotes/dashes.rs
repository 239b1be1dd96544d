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

/// How many words after the reporter's dash may come before the verb
/// ("—le dijo a la prensa", "— добавил он").
const VERB_WITHIN: usize = 3;

/// How many words before a colon may follow the verb that introduces the
/// next paragraph's speech ("объяснил журналистам на брифинге:").
const LEAD_IN_WORDS: usize = 5;

/// `spans` (pairs of quotation marks, in order) with the dash-introduced
/// speech of paragraphs that hold no quotation marks merged in.
pub fn with_dash_speech(
    chars: &[char],
    spans: Vec<Span>,
    is_speech: impl Fn(&str) -> bool,
) -> Vec<Span> {
    let paras = paragraphs(chars);
    let mut found = Vec::new();
    for (p, &(ps, pe)) in paras.iter().enumerate() {
        if spans.iter().any(|s| s.open < pe && s.close >= ps) {
            continue;
        }
        let introduced = p > 0 && introduces_speech(chars, paras[p - 1], &is_speech);
        found.extend(paragraph(chars, (ps, pe), introduced, &is_speech));
    }
    if found.is_empty() {
        return spans;
    }
    let mut all = spans;
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
    let text: String = chars[s..e].iter().collect();
    let Some(body) = text.trim_end().strip_suffix(':') else {
        return false;
    };
    body.split_whitespace().rev().take(LEAD_IN_WORDS).any(|w| {
        is_speech(
            &w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase(),
        )
    })
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
    while end > start && (chars[end - 1].is_whitespace() || chars[end - 1] == ',') {
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
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect();
            words
                .first()
                .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
                && words.iter().any(|w| is_speech(w))
        }
    })
}

/// The dash that ends the reporter's words: touching the word before
/// ("ministro—") or after a stop or comma ("министр. —", "он, —").
fn reporter_end(chars: &[char], from: usize, pe: usize) -> Option<usize> {
    (from..pe).find(|&m| {
        dash_at(chars, m)
            && (!chars[m - 1].is_whitespace()
                || chars[from..m]
                    .iter()
                    .rev()
                    .find(|c| !c.is_whitespace())
                    .is_some_and(|c| matches!(c, '.' | ',' | ';' | '!' | '?')))
    })
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
            .map(|sp| chars[sp.start..sp.end].iter().collect())
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
