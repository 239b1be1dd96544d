//! Quote fixture files: one JSON case per line, `{"name", "text", "quotes":
//! [{"text", "speaker", "kind"?}], "absent": [...]}`. Every listed quote
//! must be found with its speaker (and kind, when given); no `absent`
//! string may be emitted as a quotation; offsets must match the text.

use newsflow::quotes::{Quote, QuoteKind};
use serde_json::Value;

/// What checking one fixture file found.
pub struct Checked {
    pub cases: usize,
    pub quotes: usize,
    pub failures: Vec<String>,
}

pub fn check_cases(path: &str, extract: impl Fn(&str) -> Vec<Quote>) -> Checked {
    let data = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut checked = Checked {
        cases: 0,
        quotes: 0,
        failures: Vec::new(),
    };
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        checked.cases += 1;
        let case: Value = serde_json::from_str(line).expect("valid JSON line");
        let name = case["name"].as_str().unwrap_or("?");
        let text = case["text"].as_str().expect("text");
        let got = extract(text);
        check_offsets(name, text, &got, &mut checked.failures);
        for want in case["quotes"].as_array().into_iter().flatten() {
            checked.quotes += 1;
            check_quote(name, want, &got, &mut checked.failures);
        }
        for absent in case["absent"].as_array().into_iter().flatten() {
            let a = absent.as_str().expect("absent text");
            if got.iter().any(|q| q.text.trim_end_matches(['.', ',']) == a) {
                checked
                    .failures
                    .push(format!("{name}: {a:?} must not be a quotation"));
            }
        }
    }
    checked
}

fn check_offsets(name: &str, text: &str, got: &[Quote], failures: &mut Vec<String>) {
    for q in got {
        let span: String = text.chars().skip(q.start).take(q.end - q.start).collect();
        if span != q.text {
            failures.push(format!("{name}: offsets do not match text {:?}", q.text));
        }
    }
}

fn check_quote(name: &str, want: &Value, got: &[Quote], failures: &mut Vec<String>) {
    let wt = want["text"].as_str().expect("quote text");
    let Some(q) = got.iter().find(|q| q.text == wt) else {
        failures.push(format!("{name}: missing {wt:?}; got {got:?}"));
        return;
    };
    let ws = want["speaker"].as_str();
    if q.speaker.as_deref() != ws {
        failures.push(format!(
            "{name}: {wt:?} speaker {:?}, want {ws:?}",
            q.speaker
        ));
    }
    let wk = match want["kind"].as_str() {
        Some("direct") => Some(QuoteKind::Direct),
        Some("partial") => Some(QuoteKind::Partial),
        _ => None,
    };
    if let Some(k) = wk
        && q.kind != k
    {
        failures.push(format!("{name}: {wt:?} kind {:?}, want {k:?}", q.kind));
    }
}
