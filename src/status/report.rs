//! The status data: `GET /status.json` serialises a [`Report`] as is, and
//! the HTML page renders one. Serialize-only wire types; the fields are
//! documented here, one by one.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use chrono::{DateTime, SecondsFormat};
use regex::Regex;
use serde::Serialize;

use crate::activity::Series;
use crate::redact;
use crate::store::FeedStatus;

/// `GET /status.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When the report was made, RFC 3339 (UTC).
    pub generated_at: String,
    /// The instance serving it (`[store] instance`, or host name + output).
    pub instance: String,
    pub summary: Summary,
    /// Every configured feed, failing ones first (see [`FeedState`]), then
    /// feeds not polled yet, then the others by name.
    pub feeds: Vec<FeedRow>,
    /// This instance's events and polls per minute over the last hours.
    pub series: Series,
}

/// Counts over all feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub feeds: usize,
    pub ok: usize,
    pub failing: usize,
    pub backing_off: usize,
    pub new: usize,
    /// Items emitted from all feeds, all time.
    pub emitted: i64,
    /// The instances that recorded the feeds' last polls, sorted.
    pub instances: Vec<String>,
}

/// One feed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedRow {
    /// The configured `name`, else the feed's own title, else its URL.
    pub name: String,
    /// The feed's URL, credentials masked.
    pub url: String,
    pub state: FeedState,
    /// Items emitted from this feed, all time.
    pub emitted: i64,
    /// Last poll that succeeded (a document or a 304), RFC 3339; null if none.
    pub last_success: Option<String>,
    /// When the feed is polled next, RFC 3339.
    pub next_poll: Option<String>,
    /// The last failure's message (kept after the feed recovers; `state`
    /// says whether it still fails); null if it never failed.
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    /// The HTTP status of the last failure, when the server answered one.
    pub http_status: Option<u16>,
    /// Failed polls in a row (0 when the last poll succeeded).
    pub error_streak: u32,
    /// The instance that recorded the last poll.
    pub polled_by: Option<String>,
}

/// A feed's state, in the order the page lists them; serialised as its
/// [`FeedState::label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FeedState {
    /// `"backing off"`: two or more failed polls in a row; retries wait
    /// twice as long each time, up to `max_backoff`.
    BackingOff,
    /// `"failing"`: the last poll failed, for the first time; retried soon.
    Failing,
    /// `"new"`: not polled yet.
    New,
    /// `"ok"`: the last poll succeeded.
    Ok,
}

impl Serialize for FeedState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

impl FeedState {
    fn of(r: &FeedStatus) -> Self {
        match r.error_streak {
            0 if r.last_success.is_none() => FeedState::New,
            0 => FeedState::Ok,
            1 => FeedState::Failing,
            _ => FeedState::BackingOff,
        }
    }

    /// As shown and serialised.
    pub fn label(self) -> &'static str {
        match self {
            FeedState::BackingOff => "backing off",
            FeedState::Failing => "failing",
            FeedState::New => "new",
            FeedState::Ok => "ok",
        }
    }

    pub fn is_failing(self) -> bool {
        matches!(self, FeedState::BackingOff | FeedState::Failing)
    }
}

impl Report {
    /// The report of the store's `rows` (active ones only) at `now` (Unix
    /// ms); `names`: configured names by URL.
    pub fn build(
        rows: Vec<FeedStatus>,
        names: &HashMap<String, String>,
        instance: &str,
        series: Series,
        now: i64,
    ) -> Self {
        Self::build_window(rows, names, instance, series, now, |n| 0..n)
    }

    /// [`Report::build`] with only the feeds `window` picks (given how
    /// many there are) in `feeds`, in order; the summary counts them all.
    /// The rows are ordered first and shown (redacted, formatted) after,
    /// so a page of the table costs little with any number of feeds.
    pub fn build_window(
        rows: Vec<FeedStatus>,
        names: &HashMap<String, String>,
        instance: &str,
        series: Series,
        now: i64,
        window: impl FnOnce(usize) -> Range<usize>,
    ) -> Self {
        let mut rows: Vec<(FeedState, String, FeedStatus)> = rows
            .into_iter()
            .filter(|r| r.active)
            .map(|r| (FeedState::of(&r), raw_name(&r, names), r))
            .collect();
        rows.sort_by(|(sa, na, a), (sb, nb, b)| {
            (sa, Reverse(a.error_streak), na, &a.url).cmp(&(
                sb,
                Reverse(b.error_streak),
                nb,
                &b.url,
            ))
        });
        let summary = summary(&rows);
        let window = window(rows.len());
        let feeds = rows
            .into_iter()
            .skip(window.start)
            .take(window.len())
            .map(|(state, name, r)| row(state, &name, r))
            .collect();
        Report {
            generated_at: time(Some(now)).unwrap_or_default(),
            instance: redact::text(instance).into_owned(),
            summary,
            feeds,
            series,
        }
    }
}

/// The configured name, else the feed's title, else its URL (unmasked:
/// [`row`] masks what it shows).
fn raw_name(r: &FeedStatus, names: &HashMap<String, String>) -> String {
    names
        .get(&r.url)
        .or(r.title.as_ref().filter(|t| !t.trim().is_empty()))
        .unwrap_or(&r.url)
        .clone()
}

fn row(state: FeedState, name: &str, r: FeedStatus) -> FeedRow {
    let last_error = r
        .last_error
        .as_deref()
        .map(|e| redact::text(e).into_owned());
    FeedRow {
        name: redact::text(name).into_owned(),
        url: redact::text(&r.url).into_owned(),
        state,
        emitted: r.items_emitted,
        last_success: time(r.last_success),
        next_poll: time(r.next_poll),
        http_status: last_error.as_deref().and_then(http_status),
        last_error,
        last_error_at: time(r.last_error_at),
        error_streak: r.error_streak,
        polled_by: r.polled_by.map(|p| redact::text(&p).into_owned()),
    }
}

fn summary(rows: &[(FeedState, String, FeedStatus)]) -> Summary {
    let mut s = Summary {
        feeds: rows.len(),
        ..Summary::default()
    };
    let mut instances = BTreeSet::new();
    for (state, _, r) in rows {
        *match state {
            FeedState::Ok => &mut s.ok,
            FeedState::Failing => &mut s.failing,
            FeedState::BackingOff => &mut s.backing_off,
            FeedState::New => &mut s.new,
        } += 1;
        s.emitted += r.items_emitted;
        instances.extend(r.polled_by.as_deref());
    }
    s.instances = instances
        .into_iter()
        .map(|i| redact::text(i).into_owned())
        .collect();
    s
}

/// Unix milliseconds as RFC 3339 (UTC, seconds).
fn time(ms: Option<i64>) -> Option<String> {
    ms.and_then(DateTime::from_timestamp_millis)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The status in a fetch error's message (`... : HTTP 404 Not Found`).
fn http_status(message: &str) -> Option<u16> {
    static STATUS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bHTTP ([1-5][0-9]{2})\b").expect("valid regex"));
    STATUS.captures(message)?[1].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn status(url: &str, streak: u32, success: Option<i64>) -> FeedStatus {
        FeedStatus {
            url: url.into(),
            title: None,
            last_success: success,
            last_error: (streak > 0).then(|| format!("{url}: HTTP 503 Service Unavailable")),
            last_error_at: (streak > 0).then_some(5_000),
            next_poll: Some(9_000),
            items_emitted: 2,
            error_streak: streak,
            polled_by: Some("east-1".into()),
            active: true,
        }
    }

    fn build(rows: Vec<FeedStatus>) -> Report {
        let series = crate::activity::Activity::default().series();
        Report::build(rows, &HashMap::new(), "here", series, 0)
    }

    #[test]
    fn failing_feeds_come_first_then_new_then_ok_by_name() {
        let mut gone = status("http://gone/", 0, Some(1));
        gone.active = false;
        let r = build(vec![
            status("http://a/", 0, Some(1)),
            status("http://b/", 1, Some(1)),
            status("http://c/", 0, None),
            status("http://d/", 4, None),
            status("http://e/", 2, Some(1)),
            gone,
        ]);
        let order: Vec<(&str, &str)> = r
            .feeds
            .iter()
            .map(|f| (f.url.as_str(), f.state.label()))
            .collect();
        assert_eq!(
            order,
            [
                ("http://d/", "backing off"),
                ("http://e/", "backing off"),
                ("http://b/", "failing"),
                ("http://c/", "new"),
                ("http://a/", "ok"),
            ]
        );
        assert_eq!(r.feeds[0].http_status, Some(503));
        let json = serde_json::to_value(&r.feeds[0]).unwrap();
        assert_eq!(json["state"], "backing off");
        let s = &r.summary;
        assert_eq!(
            (s.feeds, s.ok, s.failing, s.backing_off, s.new, s.emitted),
            (5, 1, 1, 2, 1, 10)
        );
        assert_eq!(s.instances, ["east-1"]);
    }

    #[test]
    fn names_are_configured_then_titles_then_urls_all_redacted() {
        let mut titled = status("https://u:pw@t.example/rss?token=t0k", 0, Some(1));
        titled.title = Some("Titled".into());
        let plain = status("https://p.example/rss?api_key=k3y", 0, Some(1));
        let named = status("https://n.example/rss", 0, Some(1));
        let names = HashMap::from([("https://n.example/rss".to_string(), "Named".to_string())]);
        let series = crate::activity::Activity::default().series();
        let r = Report::build(vec![titled, plain, named], &names, "i", series, 0);
        let shown: Vec<(&str, &str)> = r
            .feeds
            .iter()
            .map(|f| (f.name.as_str(), f.url.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Named", "https://n.example/rss"),
                ("Titled", "https://***@t.example/rss?token=***"),
                (
                    "https://p.example/rss?api_key=***",
                    "https://p.example/rss?api_key=***"
                ),
            ]
        );
    }

    #[test]
    fn http_status_is_read_from_fetch_errors_only() {
        assert_eq!(http_status("http://x/: HTTP 404 Not Found"), Some(404));
        assert_eq!(http_status("http://x/: connection refused"), None);
        assert_eq!(http_status("HTTP 2000 things"), None);
    }
}
