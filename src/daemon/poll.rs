//! One feed's poll. The conditional fetch answers `NotModified` or a
//! document; either way the poll goes on the same way: items parked by
//! earlier polls, then the document's new items (if any), are made into
//! events, and the outcome is recorded with the feed's next poll time
//! (which ends its lease).

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Result;
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};

use super::delivery::Emit;
use super::store_wait::StoreOutage;
use crate::activity::PollOutcome;
use crate::config::{Config, FeedConfig};
use crate::event::FeedRef;
use crate::extract::Extractor;
use crate::feed::{self, Item};
use crate::fetch::{self, FeedResponse, FetchError, Fetcher, Validators};
use crate::identity::{self, ItemKeys};
use crate::metrics::Metrics;
use crate::redact;
use crate::schedule;
use crate::store::{self, ArticleRecord, FeedDocument, FeedState, Store, WorkItem};

/// After a store failure other than an outage (those are waited out, see
/// [`StoreOutage`]) the feed is tried again this soon: it is not the
/// feed's fault, so it is not backed off.
const STORE_RETRY: Duration = Duration::from_secs(30);

/// Why a poll did not finish. Each cause is counted apart and retried
/// its own way (see [`Worker::poll`]).
#[derive(Debug, thiserror::Error)]
pub(crate) enum PollError {
    /// Shutdown began; the remaining work is redone after the restart.
    #[error("stopped")]
    Stopped,
    /// The feed could not be fetched.
    #[error("{0}")]
    Fetch(#[from] FetchError),
    /// The feed sent something that is not a feed.
    #[error("{0}")]
    Parse(String),
    /// Turning a page into an event failed (a bug: extraction panicked).
    #[error("{0}")]
    Extract(String),
    /// The state store failed.
    #[error("state store: {0:#}")]
    Store(anyhow::Error),
}

impl PollError {
    /// The label of the cause in metrics and logs.
    pub(super) fn cause(&self) -> &'static str {
        match self {
            PollError::Stopped => "stopped",
            PollError::Fetch(_) => "fetch",
            PollError::Parse(_) => "parse",
            PollError::Extract(_) => "extract",
            PollError::Store(_) => "store",
        }
    }

    /// [`PollError::cause`], or for a fetch its [`FetchError::kind`].
    fn kind(&self) -> &'static str {
        match self {
            PollError::Fetch(f) => f.kind(),
            other => other.cause(),
        }
    }
}

impl From<anyhow::Error> for PollError {
    fn from(e: anyhow::Error) -> Self {
        PollError::Store(e)
    }
}

/// What one feed poll needs, shared by all feed tasks.
pub(super) struct Worker<S> {
    pub(super) cfg: Config,
    pub(super) store: Arc<S>,
    pub(super) fetcher: Fetcher,
    pub(super) extractor: Arc<Extractor>,
    pub(super) events: mpsc::Sender<Emit>,
    /// Pages fetched and processed at once, over all feeds.
    pub(super) pages: Arc<Semaphore>,
    pub(super) metrics: Arc<Metrics>,
    pub(super) shutdown: CancellationToken,
    /// Shared with delivery, so an outage is logged once for all.
    pub(super) outage: Arc<StoreOutage>,
    /// This instance's name, recorded with each poll for the status page.
    instance: String,
    /// Where fetched pages are kept, when configured.
    pub(super) archive: Option<Arc<crate::archive::Archive>>,
}

/// What a feed document brought: its items (at most `max_items_per_feed`)
/// and what is recorded of it.
struct Listing {
    items: Vec<Item>,
    /// Items in the document, before the cap.
    total: usize,
    /// The server's wish for the next poll (max-age, `<ttl>`).
    hint: Option<Duration>,
    document: FeedDocument,
}

impl<S: Store> Worker<S> {
    pub(super) fn new(
        cfg: &Config,
        store: Arc<S>,
        events: mpsc::Sender<Emit>,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
        outage: Arc<StoreOutage>,
    ) -> Result<Self> {
        Ok(Worker {
            cfg: cfg.clone(),
            store,
            fetcher: Fetcher::new(cfg, metrics.clone())?,
            extractor: Arc::new(extractor(cfg)),
            events,
            pages: Arc::new(Semaphore::new(cfg.page_concurrency)),
            metrics,
            shutdown,
            outage,
            instance: cfg.instance_name(),
            archive: match &cfg.archive {
                Some(a) => Some(Arc::new(crate::archive::Archive::start(a)?)),
                None => None,
            },
        })
    }

    /// The worker for a reloaded configuration. It shares this one's host
    /// gate and page permits (set to the new limits), so polls still
    /// running here and new ones never exceed them together.
    pub(super) fn reloaded(&self, cfg: &Config) -> Result<Self> {
        let fetcher = self.fetcher.reloaded(cfg)?;
        fetch::resize(&self.pages, self.cfg.page_concurrency, cfg.page_concurrency);
        Ok(Worker {
            cfg: cfg.clone(),
            store: self.store.clone(),
            fetcher,
            extractor: Arc::new(extractor(cfg)),
            events: self.events.clone(),
            pages: self.pages.clone(),
            metrics: self.metrics.clone(),
            shutdown: self.shutdown.clone(),
            outage: self.outage.clone(),
            instance: cfg.instance_name(),
            // A new archive folder takes a restart; the writer stays.
            archive: self.archive.clone(),
        })
    }

    /// A store call that waits out an outage of the store instead of
    /// failing (see [`StoreOutage`]).
    pub(super) async fn stored<T, F, Fut>(&self, op: F) -> Result<T, PollError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = anyhow::Result<T>>,
    {
        self.outage
            .retry(&self.shutdown, store::is_unavailable, op)
            .await
    }

    /// Polls one feed, processes its items and records when it is due
    /// next (which ends its lease).
    pub(super) async fn poll(&self, feed: &FeedConfig) {
        self.metrics.polls.fetch_add(1, Ordering::Relaxed);
        self.metrics.polls_in_flight.fetch_add(1, Ordering::Relaxed);
        match self
            .stored(|| self.store.feed_state(feed.url.as_str()))
            .await
        {
            Ok(state) => match self.poll_feed(feed, &self.validators_to_send(&state)).await {
                Ok(()) | Err(PollError::Stopped) => {}
                Err(e) => self.record_failure(feed, &state, e).await,
            },
            Err(PollError::Stopped) => {}
            Err(e) => {
                // Nothing can be recorded either: the lease runs out and
                // the feed is tried again then.
                self.metrics.polls_failed.fetch_add(1, Ordering::Relaxed);
                self.metrics.poll_failed("store");
                self.metrics.activity.polled(PollOutcome::Failed);
                error!(url = %feed.url, "reading the feed's state: {e:#}");
            }
        }
        self.metrics.polls_in_flight.fetch_sub(1, Ordering::Relaxed);
    }

    /// The stored validators, unless the feed is due a full read: items
    /// still listed have their keys refreshed only when the document is
    /// read, so a feed that keeps answering 304 is read in full now and then.
    fn validators_to_send(&self, state: &FeedState) -> Validators {
        let now = chrono::Utc::now().timestamp_millis();
        let revalidate = self.cfg.seen_retention.is_none_or(|r| {
            state
                .fresh_at
                .is_some_and(|t| now - t < r.as_millis() as i64 / 4)
        });
        if revalidate {
            state.validators.clone()
        } else {
            Validators::default()
        }
    }

    async fn poll_feed(&self, feed: &FeedConfig, known: &Validators) -> Result<(), PollError> {
        let mut listing = match self.fetcher.feed(feed, known).await? {
            FeedResponse::NotModified => {
                self.metrics.not_modified.fetch_add(1, Ordering::Relaxed);
                debug!("not modified");
                None
            }
            FeedResponse::Fresh(r) => Some(self.read_document(feed, *r)?),
        };
        let feed_ref = FeedRef {
            url: feed.url.to_string(),
            title: listing.as_ref().and_then(|l| {
                (l.document.title.clone())
                    .or_else(|| Some(feed.name.clone()).filter(|n| *n != feed.url.as_str()))
            }),
        };
        // Items parked by earlier polls are due whether or not the feed
        // changed; they go first, and are not retried in the poll that
        // parks them.
        let mut work = self
            .stored(|| self.store.pending(feed.url.as_str()))
            .await?;
        let mut changed = Vec::new();
        if let Some(l) = &mut listing {
            let items = std::mem::take(&mut l.items);
            changed = self.add_new_items(feed, &mut work, items).await?;
        }
        let new = work.len();
        self.process(feed, &feed_ref, work).await?;
        self.revise_all(changed).await?;
        let hint = listing.as_ref().and_then(|l| l.hint);
        let delay = schedule::after_success(feed.interval, self.cfg.jitter, hint);
        self.record_success(feed, delay, listing.as_ref().map(|l| &l.document))
            .await;
        if let Some(l) = listing {
            info!(items = l.total, new, "feed polled");
        }
        Ok(())
    }

    fn read_document(&self, feed: &FeedConfig, r: fetch::Response) -> Result<Listing, PollError> {
        let base = r
            .content_location
            .as_deref()
            .and_then(|loc| r.url.join(loc).ok())
            .unwrap_or_else(|| r.url.clone());
        let doc = feed::parse(&r.body, &base, r.content_type.as_deref())
            .map_err(|e| PollError::Parse(format!("{}: {e}", feed.url)))?;
        let total = doc.items.len();
        if total > self.cfg.max_items_per_feed {
            warn!(
                items = total,
                cap = self.cfg.max_items_per_feed,
                "feed has more items than max_items_per_feed; the rest are ignored"
            );
        }
        let ttl = doc
            .ttl_minutes
            .map(|m| Duration::from_secs(u64::from(m) * 60));
        Ok(Listing {
            items: doc
                .items
                .into_iter()
                .take(self.cfg.max_items_per_feed)
                .collect(),
            total,
            hint: r.max_age.map(Duration::from_secs).max(ttl),
            document: FeedDocument {
                title: doc.title,
                validators: r.validators,
            },
        })
    }

    /// Adds the document's items that were never emitted to `work`;
    /// returns the records of emitted ones whose entry signals a change.
    async fn add_new_items(
        &self,
        feed: &FeedConfig,
        work: &mut Vec<WorkItem>,
        items: Vec<Item>,
    ) -> Result<Vec<ArticleRecord>, PollError> {
        let mut changed = Vec::new();
        let mut seen_here: HashSet<String> = work.iter().map(|w| w.keys.id.clone()).collect();
        let keys = identity::document_keys(&feed.url, &items);
        self.keep_listed_items(&keys).await?;
        for (item, keys) in items.into_iter().zip(keys) {
            // The same item twice in one document is handled once.
            if !seen_here.insert(keys.id.clone()) {
                continue;
            }
            if self.stored(|| self.store.is_seen(&keys)).await? {
                changed.extend(self.signalled_change(&item, &keys).await?);
                continue;
            }
            work.push(WorkItem {
                item,
                keys,
                attempts: 0,
            });
        }
        Ok(changed)
    }

    /// Marks the keys of every item the document lists as still in use, so
    /// they outlive `seen_retention` for as long as a feed lists the item.
    async fn keep_listed_items(&self, keys: &[ItemKeys]) -> Result<(), PollError> {
        let Some(retention) = self.cfg.seen_retention else {
            return Ok(());
        };
        let now = chrono::Utc::now().timestamp_millis();
        let all: Vec<&str> = keys.iter().flat_map(ItemKeys::all).collect();
        let stale_before = now - retention.as_millis() as i64 / 4;
        self.stored(|| self.store.touch_seen(&all, now, stale_before))
            .await
    }

    async fn record_success(
        &self,
        feed: &FeedConfig,
        delay: Duration,
        document: Option<&FeedDocument>,
    ) {
        let outcome = match document {
            Some(_) => PollOutcome::Ok,
            None => PollOutcome::NotModified,
        };
        self.metrics.activity.polled(outcome);
        let next = chrono::Utc::now().timestamp_millis() + delay.as_millis() as i64;
        let url = feed.url.as_str();
        match self
            .stored(|| {
                self.store
                    .poll_succeeded(url, &self.instance, next, document)
            })
            .await
        {
            Ok(()) | Err(PollError::Stopped) => {}
            Err(e) => error!("recording the poll of {url}: {e}"),
        }
    }

    /// Counts the failure by its cause, logs it and records the next poll.
    async fn record_failure(&self, feed: &FeedConfig, state: &FeedState, e: PollError) {
        self.metrics.polls_failed.fetch_add(1, Ordering::Relaxed);
        self.metrics.poll_failed(e.cause());
        self.metrics.activity.polled(PollOutcome::Failed);
        if let PollError::Fetch(f) = &e {
            self.metrics.fetch_error("feed", f.kind());
        }
        let (delay, streak) = self.retry_after_failure(feed, state, &e);
        warn!(
            url = %feed.url,
            cause = e.cause(),
            error_kind = e.kind(),
            streak,
            retry_in = %humantime::format_duration(Duration::from_secs(delay.as_secs())),
            "feed poll failed: {e}"
        );
        let next = chrono::Utc::now().timestamp_millis() + delay.as_millis() as i64;
        let (url, error) = (feed.url.as_str(), redact::text(&e.to_string()).into_owned());
        match self
            .stored(|| {
                self.store
                    .poll_failed(url, &self.instance, &error, next, streak)
            })
            .await
        {
            Ok(()) | Err(PollError::Stopped) => {}
            Err(e2) => error!("recording the failed poll of {url}: {e2}"),
        }
    }

    /// When to poll again after `e`, and the feed's error streak then. A
    /// feed's own failure is backed off, longer with each in a row (and
    /// never before the server's Retry-After); a store outage is not the
    /// feed's fault: it is retried soon and leaves the streak alone.
    fn retry_after_failure(
        &self,
        feed: &FeedConfig,
        state: &FeedState,
        e: &PollError,
    ) -> (Duration, u32) {
        let retry_after = match e {
            PollError::Store(_) => return (STORE_RETRY, state.error_streak),
            PollError::Fetch(FetchError::Transient { retry_after, .. }) => *retry_after,
            _ => None,
        };
        let streak = state.error_streak + 1;
        let delay =
            schedule::after_failure(feed.interval, streak, self.cfg.max_backoff, retry_after);
        (delay, streak)
    }
}

fn extractor(cfg: &Config) -> Extractor {
    match &cfg.site_rules {
        Some(rules) => Extractor::with_rules(rules.clone()),
        None => Extractor::new(),
    }
}
