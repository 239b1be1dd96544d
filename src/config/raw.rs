//! The configuration as written: serde structs that mirror the TOML and
//! reject unknown keys, and [`read`], which reads the document once and
//! reports every structural problem (syntax, unknown keys, wrong types,
//! missing keys) instead of stopping at the first.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// A problem of the document's structure: where (a byte offset), and what.
pub(super) type Problem = (Option<usize>, String);

/// Reads the document into [`RawConfig`]. Serde stops at the first
/// problem, so each one is recorded and the part of the document it is
/// about (the key, the array element) is left out before trying again:
/// every structural problem is reported (in file order), and the rest of
/// the document still gets its value checks. No config after a syntax
/// error.
pub(super) fn read(text: &str) -> (Option<RawConfig>, Vec<Problem>) {
    let mut doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            return (
                None,
                vec![(e.span().map(|s| s.start), e.message().to_string())],
            );
        }
    };
    // Serde meets problems in key order; they are reported in file order.
    let mut problems = Vec::new();
    // Each round leaves out one part, so this ends; the bound is a guard.
    let mut raw = None;
    for _ in 0..1000 {
        let de = toml::de::Deserializer::from(doc.clone());
        let e = match RawConfig::deserialize(de) {
            Ok(r) => {
                raw = Some(r);
                break;
            }
            Err(e) => e,
        };
        problems.push((e.span().map(|s| s.start), with_suggestion(e.message())));
        if !e.span().is_some_and(|span| leave_out(doc.get_mut(), &span)) {
            break;
        }
    }
    problems.sort_by_key(|(at, _)| *at);
    (raw, problems)
}

/// Removes the innermost key (with its value) or array element whose
/// place holds `span`; false when nothing does. Containers are searched
/// whatever their own span (that of an array of tables is its first
/// header only).
fn leave_out(table: &mut DeTable, span: &Range<usize>) -> bool {
    let mut hit = None;
    for (key, value) in table.iter_mut() {
        let inner = match value.get_mut() {
            DeValue::Table(t) => leave_out(t, span),
            DeValue::Array(a) => leave_out_element(a, span),
            _ => false,
        };
        if inner {
            return true;
        }
        if hit.is_none() && (holds(key.span(), span) || holds(value.span(), span)) {
            hit = Some(key.get_ref().to_string());
        }
    }
    hit.is_some_and(|name| table.remove(name.as_str()).is_some())
}

fn leave_out_element(array: &mut DeArray, span: &Range<usize>) -> bool {
    for e in array.iter_mut() {
        if let DeValue::Table(t) = e.get_mut()
            && leave_out(t, span)
        {
            return true;
        }
    }
    let Some(i) = array.iter().position(|e| holds(e.span(), span)) else {
        return false;
    };
    let mut kept = DeArray::new();
    for (j, e) in array.iter().enumerate() {
        if j != i {
            kept.push(e.clone());
        }
    }
    *array = kept;
    true
}

fn holds(outer: Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Serde's "unknown field `x`, expected one of `a`, `b`" with the nearest
/// known key added as "did you mean".
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let names: Vec<&str> = rest.split('`').step_by(2).collect();
    let Some((unknown, known)) = names.split_first() else {
        return message.to_string();
    };
    let nearest = known
        .iter()
        .map(|k| (edit_distance(unknown, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    match nearest {
        Some((_, k)) => format!("{message}; did you mean `{k}`?"),
        None => message.to_string(),
    }
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) state_dir: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) allow_private_addresses: bool,
    pub(super) user_agent: Option<String>,
    pub(super) poll_interval: Option<Spanned<String>>,
    pub(super) jitter: Option<Spanned<f64>>,
    pub(super) feed_concurrency: Option<Spanned<i64>>,
    pub(super) page_concurrency: Option<Spanned<i64>>,
    pub(super) timeout: Option<Spanned<String>>,
    pub(super) connect_timeout: Option<Spanned<String>>,
    pub(super) max_feed_bytes: Option<Spanned<RawSize>>,
    pub(super) max_page_bytes: Option<Spanned<RawSize>>,
    pub(super) max_items_per_feed: Option<Spanned<i64>>,
    pub(super) max_redirects: Option<Spanned<i64>>,
    pub(super) max_backoff: Option<Spanned<String>>,
    pub(super) shutdown_timeout: Option<Spanned<String>>,
    pub(super) seen_retention: Option<Spanned<String>>,
    pub(super) near_duplicates: Option<bool>,
    pub(super) listen: Option<Spanned<String>>,
    pub(super) opml: Option<Spanned<String>>,
    pub(super) site_rules: Option<Spanned<String>>,
    #[serde(default = "default_true")]
    pub(super) revisions: bool,
    #[serde(default)]
    pub(super) recheck: Vec<Spanned<String>>,
    pub(super) archive: Option<RawArchive>,
    #[serde(default)]
    pub(super) fetch: RawFetch,
    #[serde(default)]
    pub(super) output: RawOutput,
    #[serde(default)]
    pub(super) store: RawStore,
    #[serde(default)]
    pub(super) feeds: Vec<RawFeed>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFetch {
    pub(super) host_delay: Option<Spanned<String>>,
    pub(super) host_concurrency: Option<Spanned<i64>>,
    pub(super) proxy: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) robots: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutput {
    pub(super) path: Option<Spanned<String>>,
    pub(super) max_line_bytes: Option<Spanned<RawSize>>,
    pub(super) kafka_brokers: Option<Spanned<String>>,
    pub(super) kafka_topic: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) kafka_properties: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStore {
    pub(super) url: Option<Spanned<String>>,
    pub(super) instance: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    pub(super) url: Spanned<String>,
    pub(super) name: Option<String>,
    pub(super) interval: Option<Spanned<String>>,
    #[serde(default = "default_true")]
    pub(super) enabled: bool,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) headers: BTreeMap<String, Spanned<String>>,
    pub(super) proxy: Option<Spanned<String>>,
    pub(super) recheck: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArchive {
    pub(super) path: Spanned<String>,
    pub(super) max_file_bytes: Option<Spanned<RawSize>>,
}

fn default_true() -> bool {
    true
}

/// A byte size: a plain integer, or a string such as `"8MiB"` or `"500kB"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawSize {
    Bytes(i64),
    Text(String),
}
