//! Article revisions: what counts as a change, and when an emitted article
//! is looked at again.
//!
//! What was last emitted is kept as one digest per [`Field`] of normalised
//! text, so a comparison needs no old event. Whitespace and the shape of
//! quotation marks are not changes (pages re-rendered with other
//! typography would otherwise count as edits); a change of `published` or
//! `url` alone is not material but is named when something material
//! changed with it.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::event::{ArticleEvent, Field, digest};
use crate::feed::Item;
use crate::store::{ArticleRecord, Store};

/// One digest per compared field.
pub type Digests = BTreeMap<Field, String>;

/// Text with runs of whitespace made one space and curly, low and prime
/// quotation marks made straight.
pub fn normalise(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
            | '\u{00bb}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{2039}'
            | '\u{203a}' => '\'',
            c => c,
        })
        .collect();
    crate::text::collapse_whitespace(&mapped)
}

/// The digests of what `event` says, per field.
pub fn digests(event: &ArticleEvent) -> Digests {
    let joined = |items: &[String]| {
        let n: Vec<String> = items.iter().map(|t| normalise(t)).collect();
        digest(&n.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let quotes: Vec<String> = event
        .quotes
        .iter()
        .map(|q| {
            format!(
                "{}\u{1}{}\u{1}{:?}",
                normalise(&q.text),
                q.speaker.as_deref().unwrap_or(""),
                q.kind
            )
        })
        .collect();
    Field::ALL
        .into_iter()
        .map(|f| {
            let d = match f {
                Field::Title => digest(&[&normalise(&event.title)]),
                Field::Body => digest(&[&normalise(&event.body)]),
                Field::Quotes => joined(&quotes),
                Field::Tags => joined(&event.tags),
                Field::Authors => joined(&event.authors),
                Field::Published => digest(&[event.published.as_deref().unwrap_or("")]),
                Field::Url => digest(&[&event.url]),
            };
            (f, d)
        })
        .collect()
}

/// The fields whose digests differ, in [`Field`] order. A field missing
/// from `before` (stored by an older version) is not a change.
pub fn changes(before: &Digests, after: &Digests) -> Vec<Field> {
    after
        .iter()
        .filter(|(f, d)| before.get(f).is_some_and(|b| b != *d))
        .map(|(f, _)| *f)
        .collect()
}

/// Whether `changes` make a new revision: something a reader sees, not
/// only a moved address or date.
pub fn is_material(changes: &[Field]) -> bool {
    changes
        .iter()
        .any(|f| !matches!(f, Field::Published | Field::Url))
}

/// Digest of what a feed entry says about the article's version: a
/// different one on a later poll means the feed signals a change.
pub fn feed_signal(item: &Item) -> String {
    let updated = item.updated.map(|d| d.to_rfc3339()).unwrap_or_default();
    let title = item.title.as_deref().map(normalise).unwrap_or_default();
    let content = item
        .content
        .as_deref()
        .or(item.summary.as_deref())
        .map(normalise)
        .unwrap_or_default();
    digest(&[&updated, &title, &content])
}

/// The event id of an article's revision: revision 1 keeps the id it
/// always had, so a store from before revisions still recognises it.
pub fn event_id(article_id: &str, revision: u32) -> String {
    if revision <= 1 {
        digest(&["event", article_id])
    } else {
        digest(&["event", article_id, &revision.to_string()])
    }
}

/// A claimed revision, for the sink.
pub struct Claimed {
    pub event_id: String,
    pub line: String,
}

/// Compares `event`, made anew for the article of `record`, with what was
/// last emitted. A material change is claimed as the next revision (same
/// `id`, new `event_id`, `changes` named) and returned for the sink;
/// otherwise the record (its page validators, feed signal, next check) is
/// saved and nothing is emitted. `None` too when another instance claimed
/// that revision first.
pub async fn claim_if_changed<S: Store>(
    store: &S,
    mut record: ArticleRecord,
    mut event: ArticleEvent,
) -> anyhow::Result<Option<Claimed>> {
    let now = digests(&event);
    let changed = changes(&record.state.digests, &now);
    if !is_material(&changed) {
        store.save_article(&record).await?;
        return Ok(None);
    }
    record.revision += 1;
    record.state.digests = now;
    event.id = record.id.clone();
    event.revision = record.revision;
    event.changes = changed;
    event.event_id = event_id(&record.id, record.revision);
    let line = event.to_line();
    if !store
        .claim_revision(&record, &event.event_id, &line)
        .await?
    {
        return Ok(None);
    }
    tracing::info!(id = %event.id, revision = event.revision, changes = ?event.changes, "article changed");
    Ok(Some(Claimed {
        event_id: event.event_id,
        line,
    }))
}

/// When the next recheck is due, for an article first emitted at
/// `emitted_at` (Unix ms) with `done` ages behind it: the first age not
/// done whose time (plus its jitter) is still ahead of `now`, so a daemon
/// that was down skips the ages it missed but one. Returns the time and
/// the count of ages that will then be behind; `None` when none is left.
/// `spread` in 0..1 picks the jitter, at most a tenth of the age.
pub fn next_check(
    emitted_at: i64,
    ages: &[Duration],
    done: u32,
    now: i64,
    spread: f64,
) -> (Option<i64>, u32) {
    let at = |age: &Duration| {
        let ms = age.as_millis() as i64;
        emitted_at + ms + (ms as f64 / 10.0 * spread.clamp(0.0, 1.0)) as i64
    };
    let rest = ages.iter().skip(done as usize);
    let mut index = done;
    let mut last = None;
    for age in rest {
        last = Some(at(age));
        if at(age) > now {
            return (last, index + 1);
        }
        index += 1;
    }
    // Every age has passed: the last one is done now, once.
    match last {
        Some(t) if index > done => (Some(t), index),
        _ => (None, index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::event_from_text;

    #[test]
    fn whitespace_and_quote_marks_are_not_changes() {
        let a = event_from_text(
            "He said \u{201c}we will rebuild\u{201d} today.\n\nSecond  paragraph.",
            None,
            "t",
        );
        let b = event_from_text(
            "He said \"we will rebuild\" today.\n\nSecond paragraph.",
            None,
            "t",
        );
        let changed = changes(&digests(&a), &digests(&b));
        assert!(changed.is_empty(), "{changed:?}");
        let c = event_from_text(
            "He said \"we will rebuild\" tomorrow.\n\nSecond paragraph.",
            None,
            "t",
        );
        let changed = changes(&digests(&a), &digests(&c));
        assert_eq!(changed, [Field::Body]);
        assert!(is_material(&changed));
        assert!(!is_material(&[Field::Url, Field::Published]));
    }

    #[test]
    fn rechecks_follow_the_ages_and_skip_missed_ones() {
        let h = Duration::from_secs(3600);
        let ages = [h, 6 * h, 24 * h];
        let ms = |d: Duration| d.as_millis() as i64;
        assert_eq!(next_check(0, &ages, 0, 0, 0.0), (Some(ms(h)), 1));
        // Jitter is at most a tenth of the age.
        assert_eq!(
            next_check(0, &ages, 1, ms(h), 1.0),
            (Some(ms(6 * h) + ms(6 * h) / 10), 2)
        );
        // Down for 20 hours: the 6h age is skipped, 24h is next.
        assert_eq!(
            next_check(0, &ages, 1, ms(20 * h), 0.0),
            (Some(ms(24 * h)), 3)
        );
        // Every age passed: the last one once, then nothing.
        assert_eq!(
            next_check(0, &ages, 1, ms(48 * h), 0.0),
            (Some(ms(24 * h)), 3)
        );
        assert_eq!(next_check(0, &ages, 3, ms(48 * h), 0.0), (None, 3));
        assert_eq!(next_check(0, &[], 0, 0, 0.0), (None, 0));
    }
}
