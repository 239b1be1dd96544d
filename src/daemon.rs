//! The daemon: polls feeds on their schedules, turns new items into events
//! and hands them to the sink, until told to stop.
//!
//! Feeds are polled when due, a bounded number at once, each under a lease
//! from the store (so several instances on a shared store split the work).
//! Shutdown is a [`CancellationToken`] passed in. On cancel no new poll or page fetch starts, in-flight
//! work gets `shutdown_timeout` to finish, and the sink drains. Work cut off
//! is not lost: an item is claimed (see [`crate::store`]) only once its
//! event exists, and a feed's validators are saved only after all its items
//! are claimed or parked as pending.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::{Context, Result};
use futures::StreamExt;
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, error, info, info_span, warn};

use crate::config::{Config, FeedConfig, StoreConfig};
use crate::event::FeedRef;
use crate::extract::Extractor;
use crate::feed::{self, Item};
use crate::fetch::{FeedResponse, FetchError, Fetcher};
use crate::identity::{self, ItemKeys};
use crate::metrics::Metrics;
use crate::pipeline;
use crate::schedule;
use crate::sink::{AnySink, FileSink, Sink, StdoutSink};
use crate::store::{PostgresStore, SqliteStore, Store};

/// Page fetches that fail transiently are retried on this many polls before
/// the item is emitted from the feed's own content.
const PAGE_ATTEMPTS: u32 = 4;
/// Events buffered between the pipeline and the sink; a slow sink pushes
/// back on the pollers instead of growing memory.
const SINK_QUEUE: usize = 256;
/// How often keys older than `seen_retention` are looked for (and at start).
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Runs with signal handling: SIGINT/SIGTERM stop, SIGHUP reloads the
/// configuration from `config_path` and reopens the output file.
pub async fn run_until_signal(cfg: Config, config_path: PathBuf, once: bool) -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let shutdown = CancellationToken::new();
    let (reload_tx, reload_rx) = mpsc::channel(4);
    let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    let mut hup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
    let stop = shutdown.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = term.recv() => { info!("SIGTERM: shutting down"); stop.cancel(); }
                _ = int.recv() => { info!("SIGINT: shutting down"); stop.cancel(); }
                _ = hup.recv() => {
                    info!(config = %config_path.display(), "SIGHUP: reloading configuration");
                    match crate::config::load(&config_path) {
                        Ok(cfg) => { let _ = reload_tx.send(cfg).await; }
                        Err(errors) => error!("configuration rejected, keeping the running one:\n{errors}"),
                    }
                }
            }
        }
    });
    run(cfg, shutdown, once, reload_rx).await
}

/// Runs the pipeline until `shutdown` is cancelled (or, with `once`, until
/// every enabled feed was polled once). New configurations arriving on
/// `reload` replace the feed list without a restart.
pub async fn run(
    cfg: Config,
    shutdown: CancellationToken,
    once: bool,
    reload: mpsc::Receiver<Config>,
) -> Result<()> {
    let store = match &cfg.store {
        StoreConfig::Embedded => Arc::new(SqliteStore::open_exclusive(&cfg.state_dir)?),
        StoreConfig::Postgres(url) => {
            let store = Arc::new(PostgresStore::connect(url, &cfg.instance_name()).await?);
            let sink = open_sink(&cfg)?;
            return run_with(cfg, store, sink, shutdown, once, reload).await;
        }
    };
    let sink = open_sink(&cfg)?;
    run_with(cfg, store, sink, shutdown, once, reload).await
}

/// The configured sink: Kafka, a file, or stdout.
fn open_sink(cfg: &Config) -> Result<AnySink> {
    #[cfg(feature = "kafka")]
    if let Some(k) = &cfg.output.kafka {
        return Ok(AnySink::Kafka(crate::sink::kafka::KafkaSink::new(k)?));
    }
    Ok(match &cfg.output.path {
        Some(p) => AnySink::File(FileSink::open(p)?),
        None => AnySink::Stdout(StdoutSink::default()),
    })
}

/// [`run`] with the store and sink chosen by the caller.
pub async fn run_with<S: Store, K: Sink>(
    cfg: Config,
    store: Arc<S>,
    mut sink: K,
    shutdown: CancellationToken,
    once: bool,
    mut reload: mpsc::Receiver<Config>,
) -> Result<()> {
    let metrics = Arc::new(Metrics::default());
    if let Some(addr) = cfg.listen {
        let server = crate::metrics::serve(addr, metrics.clone(), shutdown.clone());
        tokio::spawn(async move {
            if let Err(e) = server.await {
                error!("{e:#}");
            }
        });
    }
    redeliver(&*store, &mut sink).await?;
    metrics.ready.store(true, Ordering::Relaxed);
    let (events, rx) = mpsc::channel(SINK_QUEUE);
    let (reopen_tx, reopen_rx) = mpsc::channel(1);
    let sink_task = tokio::spawn(sink_loop(
        sink,
        store.clone(),
        rx,
        reopen_rx,
        shutdown.clone(),
        metrics.clone(),
    ));
    let mut worker = Arc::new(Worker::new(
        &cfg,
        store.clone(),
        events.clone(),
        metrics.clone(),
        shutdown.clone(),
    )?);
    drop(events);
    let enabled = cfg.feeds.iter().filter(|f| f.enabled).count();
    info!(feeds = enabled, state_dir = %cfg.state_dir.display(), once, "newsflow started");

    if once {
        let feeds: Vec<FeedConfig> = cfg.feeds.iter().filter(|f| f.enabled).cloned().collect();
        store
            .sync_feeds(&feeds.iter().map(|f| f.url.to_string()).collect::<Vec<_>>())
            .await?;
        let w = worker.clone();
        futures::stream::iter(feeds)
            .map(|f| {
                let w = w.clone();
                async move {
                    let span = info_span!("feed", feed = %f.name);
                    w.poll(&f).instrument(span).await
                }
            })
            .buffer_unordered(cfg.feed_concurrency)
            .collect::<Vec<_>>()
            .await;
        forget_unlisted_items(&*store, cfg.seen_retention).await;
    } else {
        let mut cfg = cfg;
        let mut feeds = active_feeds(&cfg);
        store
            .sync_feeds(&feeds.keys().cloned().collect::<Vec<_>>())
            .await?;
        let owner = instance_id();
        // Long enough for a poll with all its pages; a lease outliving its
        // instance only delays that feed until it expires.
        let lease_ms = (cfg.timeout * 4).max(Duration::from_secs(600)).as_millis() as i64;
        let mut polls = tokio::task::JoinSet::new();
        let mut progress = tokio::time::interval(Duration::from_secs(60));
        progress.tick().await;
        let mut prune = tokio::time::interval(PRUNE_EVERY);
        loop {
            let capacity = cfg.feed_concurrency.saturating_sub(polls.len());
            let now = chrono::Utc::now().timestamp_millis();
            if capacity > 0 {
                match store.lease_due(&owner, now, lease_ms, capacity).await {
                    Ok(due) => {
                        for url in due {
                            let Some(f) = feeds.get(&url).cloned() else {
                                warn!(%url, "leased a feed this instance is not configured for; its lease will expire");
                                continue;
                            };
                            let w = worker.clone();
                            let span = info_span!("feed", feed = %f.name);
                            polls.spawn(async move { w.poll(&f).await }.instrument(span));
                        }
                    }
                    Err(e) => error!("leasing due feeds: {e:#}"),
                }
            }
            let wait = match store.next_due().await {
                Ok(Some(t)) => Duration::from_millis((t - now).clamp(10, 5_000) as u64),
                Ok(None) => Duration::from_secs(5),
                Err(e) => {
                    error!("reading the schedule: {e:#}");
                    Duration::from_secs(5)
                }
            };
            tokio::select! {
                _ = shutdown.cancelled() => break,
                Some(done) = polls.join_next(), if !polls.is_empty() => {
                    if let Err(e) = done {
                        error!("a feed poll task failed: {e}");
                    }
                }
                _ = tokio::time::sleep(wait) => {}
                _ = progress.tick() => metrics.log_progress(),
                _ = prune.tick() => forget_unlisted_items(&*store, cfg.seen_retention).await,
                Some(new_cfg) = reload.recv() => {
                    let _ = reopen_tx.try_send(());
                    match Worker::new(&new_cfg, store.clone(), worker.events.clone(), metrics.clone(), shutdown.clone()) {
                        Ok(w) => {
                            // Polls in flight finish with the old settings;
                            // every poll from now on uses the new ones.
                            worker = Arc::new(w);
                            feeds = active_feeds(&new_cfg);
                            cfg = new_cfg;
                            if let Err(e) = store.sync_feeds(&feeds.keys().cloned().collect::<Vec<_>>()).await {
                                error!("recording the new feed list: {e:#}");
                            }
                            info!(feeds = feeds.len(), "configuration reloaded");
                        }
                        Err(e) => error!("configuration rejected, keeping the running one: {e:#}"),
                    }
                }
            }
        }
        let drain = async { while polls.join_next().await.is_some() {} };
        if tokio::time::timeout(cfg.shutdown_timeout, drain)
            .await
            .is_err()
        {
            warn!(
                "in-flight polls did not finish within {}; their items are redone after the restart",
                humantime::format_duration(cfg.shutdown_timeout)
            );
            polls.abort_all();
        }
    }
    drop(worker);
    drop(reopen_tx);
    match sink_task.await {
        Ok(r) => r?,
        Err(e) => anyhow::bail!("sink task failed: {e}"),
    }
    metrics.log_progress();
    info!("newsflow stopped");
    Ok(())
}

fn active_feeds(cfg: &Config) -> HashMap<String, FeedConfig> {
    cfg.feeds
        .iter()
        .filter(|f| f.enabled)
        .map(|f| (f.url.to_string(), f.clone()))
        .collect()
}

/// Names this process in feed leases.
fn instance_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    format!(
        "{host}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

/// Writes outbox events a crash left undelivered, skipping the ones the
/// sink already holds.
async fn redeliver<S: Store, K: Sink>(store: &S, sink: &mut K) -> Result<()> {
    let undelivered = store.undelivered().await?;
    let checkpoint = store.checkpoint().await?;
    let held = sink.recover(checkpoint, &undelivered).await?;
    if undelivered.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::with_capacity(undelivered.len());
    let mut written = 0;
    for u in &undelivered {
        if !held.contains(&u.event_id) {
            sink.write(&u.line).await?;
            written += 1;
        }
        ids.push(u.event_id.clone());
    }
    let cp = sink.flush().await?;
    store.delivered(&ids, cp).await?;
    info!(
        pending = undelivered.len(),
        already_in_sink = undelivered.len() - written,
        written,
        "recovered events left undelivered by the last run"
    );
    Ok(())
}

/// One event on its way to the sink.
struct Emit {
    event_id: String,
    line: String,
}

async fn sink_loop<S: Store, K: Sink>(
    mut sink: K,
    store: Arc<S>,
    mut rx: mpsc::Receiver<Emit>,
    mut reopen: mpsc::Receiver<()>,
    shutdown: CancellationToken,
    metrics: Arc<Metrics>,
) -> Result<()> {
    let mut batch: Vec<String> = Vec::new();
    loop {
        let msg = tokio::select! {
            biased;
            Some(()) = reopen.recv() => {
                if let Err(e) = sink.reopen() {
                    error!("reopening the output failed, still writing to the old one: {e:#}");
                }
                continue;
            }
            msg = rx.recv() => msg,
        };
        let Some(Emit { event_id, line }) = msg else {
            break;
        };
        let mut next = Some((event_id, line));
        // Write what is queued, then make it durable once for the batch.
        while let Some((id, line)) = next.take() {
            if let Err(e) = sink.write(&line).await {
                shutdown.cancel();
                return Err(
                    e.context("the sink failed; stopping (undelivered events stay in the outbox)")
                );
            }
            batch.push(id);
            metrics.sink_queue.fetch_sub(1, Ordering::Relaxed);
            if batch.len() < 512
                && let Ok(Emit { event_id, line }) = rx.try_recv()
            {
                next = Some((event_id, line));
            }
        }
        let cp = sink.flush().await?;
        store.delivered(&batch, cp).await?;
        batch.clear();
    }
    sink.flush().await?;
    Ok(())
}

/// What one feed poll needs, shared by all feed tasks.
struct Worker<S> {
    cfg: Config,
    store: Arc<S>,
    fetcher: Fetcher,
    extractor: Arc<Extractor>,
    events: mpsc::Sender<Emit>,
    pages: Arc<Semaphore>,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
}

impl<S: Store> Worker<S> {
    fn new(
        cfg: &Config,
        store: Arc<S>,
        events: mpsc::Sender<Emit>,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
    ) -> Result<Self> {
        Ok(Worker {
            cfg: cfg.clone(),
            store,
            fetcher: Fetcher::new(cfg, metrics.clone())?,
            extractor: Arc::new(match &cfg.site_rules {
                Some(rules) => Extractor::with_rules(rules.clone()),
                None => Extractor::new(),
            }),
            events,
            pages: Arc::new(Semaphore::new(cfg.page_concurrency)),
            metrics,
            shutdown,
        })
    }

    /// Polls one feed, processes its new items and persists when it is
    /// due next (which ends its lease).
    async fn poll(&self, feed: &FeedConfig) {
        self.metrics.polls.fetch_add(1, Ordering::Relaxed);
        self.metrics.polls_in_flight.fetch_add(1, Ordering::Relaxed);
        self.poll_and_schedule(feed).await;
        self.metrics.polls_in_flight.fetch_sub(1, Ordering::Relaxed);
    }

    async fn poll_and_schedule(&self, feed: &FeedConfig) {
        let key = feed.url.as_str();
        let state = match self.store.feed_state(key).await {
            Ok(s) => s,
            Err(e) => {
                // The lease runs out and the feed is tried again then.
                error!("{e:#}");
                return;
            }
        };
        // Items still listed have their keys refreshed only when the
        // document is read, so a feed that keeps answering 304 is read in
        // full now and then.
        let now = chrono::Utc::now().timestamp_millis();
        let revalidate = self.cfg.seen_retention.is_none_or(|r| {
            state
                .fresh_at
                .is_some_and(|t| now - t < r.as_millis() as i64 / 4)
        });
        let (etag, last_modified) = if revalidate {
            (state.etag.as_deref(), state.last_modified.as_deref())
        } else {
            (None, None)
        };
        match self.poll_inner(feed, etag, last_modified).await {
            Ok(()) | Err(PollError::Stopped) => {}
            Err(PollError::Failed(e)) => {
                self.metrics.polls_failed.fetch_add(1, Ordering::Relaxed);
                self.metrics.fetch_error("feed", e.kind());
                let streak = state.error_streak + 1;
                let retry_after = match &e {
                    FetchError::Transient { retry_after, .. } => *retry_after,
                    FetchError::Permanent(_) => None,
                };
                let delay = schedule::after_failure(
                    feed.interval,
                    streak,
                    self.cfg.max_backoff,
                    retry_after,
                );
                warn!(
                    url = %feed.url,
                    error_kind = e.kind(),
                    streak,
                    retry_in = %humantime::format_duration(Duration::from_secs(delay.as_secs())),
                    "feed poll failed: {e}"
                );
                let next = chrono::Utc::now().timestamp_millis() + delay.as_millis() as i64;
                if let Err(e2) = self
                    .store
                    .poll_failed(key, &e.to_string(), next, streak)
                    .await
                {
                    error!("{e2:#}");
                }
            }
        }
    }

    async fn poll_inner(
        &self,
        feed: &FeedConfig,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<(), PollError> {
        let resp = self.fetcher.feed(feed, etag, last_modified).await?;
        let key = feed.url.as_str();
        let (doc, etag, last_modified, max_age) = match resp {
            FeedResponse::NotModified => {
                self.metrics.not_modified.fetch_add(1, Ordering::Relaxed);
                debug!("not modified");
                let delay = schedule::after_success(feed.interval, self.cfg.jitter, None);
                // Items parked as pending are still due even when the feed
                // itself did not change.
                let pending = self.pending_items(feed).await?;
                if !pending.is_empty() {
                    let feed_ref = FeedRef {
                        url: feed.url.to_string(),
                        title: None,
                    };
                    self.process(feed, &feed_ref, pending).await?;
                }
                self.persist_success(key, None, None, None, delay, false)
                    .await;
                return Ok(());
            }
            FeedResponse::Fresh(r) => {
                let base = r
                    .content_location
                    .as_deref()
                    .and_then(|loc| r.url.join(loc).ok())
                    .unwrap_or_else(|| r.url.clone());
                let doc = feed::parse(&r.body, &base, r.content_type.as_deref())
                    .map_err(|e| FetchError::Permanent(format!("{}: {e}", feed.url)))?;
                (doc, r.etag, r.last_modified, r.max_age)
            }
        };
        let total = doc.items.len();
        let feed_ref = FeedRef {
            url: feed.url.to_string(),
            title: doc
                .title
                .clone()
                .or_else(|| Some(feed.name.clone()).filter(|n| *n != feed.url.as_str())),
        };
        // Items parked by earlier polls go first; they are not retried in
        // the poll that parked them.
        let mut fresh = self.pending_items(feed).await?;
        let mut seen_here: std::collections::HashSet<String> =
            fresh.iter().map(|(_, keys, _)| keys.id.clone()).collect();
        let items: Vec<Item> = doc
            .items
            .into_iter()
            .take(self.cfg.max_items_per_feed)
            .collect();
        let keys = identity::document_keys(&feed.url, &items);
        self.keep_listed_items(&keys).await?;
        for (item, keys) in items.into_iter().zip(keys) {
            // The same item twice in one document is handled once.
            if !seen_here.insert(keys.id.clone()) {
                continue;
            }
            if self.store.is_seen(&keys).await.map_err(PollError::store)? {
                continue;
            }
            fresh.push((item, keys, 0));
        }
        if total > self.cfg.max_items_per_feed {
            warn!(
                items = total,
                cap = self.cfg.max_items_per_feed,
                "feed has more items than max_items_per_feed; the rest are ignored"
            );
        }
        let new = fresh.len();
        self.process(feed, &feed_ref, fresh).await?;
        let hint = max_age.map(Duration::from_secs).max(
            doc.ttl_minutes
                .map(|m| Duration::from_secs(u64::from(m) * 60)),
        );
        let delay = schedule::after_success(feed.interval, self.cfg.jitter, hint);
        self.persist_success(key, doc.title.as_deref(), etag, last_modified, delay, true)
            .await;
        info!(items = total, new, "feed polled");
        Ok(())
    }

    /// Marks the keys of every item the document lists as still in use, so
    /// they outlive `seen_retention` for as long as a feed lists the item.
    async fn keep_listed_items(&self, keys: &[ItemKeys]) -> Result<(), PollError> {
        let Some(retention) = self.cfg.seen_retention else {
            return Ok(());
        };
        let now = chrono::Utc::now().timestamp_millis();
        let all: Vec<&str> = keys.iter().flat_map(ItemKeys::all).collect();
        self.store
            .touch_seen(&all, now, now - retention.as_millis() as i64 / 4)
            .await
            .map_err(PollError::store)
    }

    /// `fresh`: the feed sent a document (after a 304 the store keeps the
    /// validators it has).
    async fn persist_success(
        &self,
        key: &str,
        title: Option<&str>,
        etag: Option<String>,
        last_modified: Option<String>,
        delay: Duration,
        fresh: bool,
    ) {
        let next = chrono::Utc::now().timestamp_millis() + delay.as_millis() as i64;
        if let Err(e) = self
            .store
            .poll_succeeded(
                key,
                title,
                etag.as_deref(),
                last_modified.as_deref(),
                next,
                fresh,
            )
            .await
        {
            error!("{e:#}");
        }
    }

    async fn pending_items(
        &self,
        feed: &FeedConfig,
    ) -> Result<Vec<(Item, ItemKeys, u32)>, PollError> {
        let pending = self
            .store
            .pending(feed.url.as_str())
            .await
            .map_err(PollError::store)?;
        Ok(pending
            .into_iter()
            .map(|p| {
                let keys = p
                    .keys
                    .unwrap_or_else(|| identity::item_keys(&feed.url, &p.item));
                (p.item, keys, p.attempts)
            })
            .collect())
    }

    /// Fetches, extracts and emits items, a bounded number at a time.
    async fn process(
        &self,
        feed: &FeedConfig,
        feed_ref: &FeedRef,
        items: Vec<(Item, ItemKeys, u32)>,
    ) -> Result<(), PollError> {
        let results: Vec<Result<(), PollError>> = futures::stream::iter(items)
            .map(|(item, keys, attempts)| self.process_item(feed, feed_ref, item, keys, attempts))
            .buffer_unordered(self.cfg.page_concurrency)
            .collect()
            .await;
        results.into_iter().collect()
    }

    async fn process_item(
        &self,
        feed: &FeedConfig,
        feed_ref: &FeedRef,
        item: Item,
        keys: ItemKeys,
        attempts: u32,
    ) -> Result<(), PollError> {
        if self.shutdown.is_cancelled() {
            return Err(PollError::Stopped);
        }
        let _permit = self
            .pages
            .acquire()
            .await
            .expect("page semaphore is never closed");
        // Links that name no article (see `identity`) are not fetched.
        let page = match item.link.as_ref().filter(|_| keys.link.is_some()) {
            None => None,
            Some(link) => match self.fetcher.page(link).await {
                Ok(resp) => {
                    self.metrics.pages_fetched.fetch_add(1, Ordering::Relaxed);
                    let charset = resp
                        .content_type
                        .as_deref()
                        .and_then(charset_of)
                        .map(str::to_string);
                    let extractor = self.extractor.clone();
                    let url = resp.url.clone();
                    let article = tokio::task::spawn_blocking(move || {
                        let html = crate::text::decode_html(&resp.body, charset.as_deref());
                        extractor.extract(&html, Some(&url))
                    })
                    .await
                    .map_err(|e| {
                        PollError::Failed(FetchError::Permanent(format!(
                            "extraction panicked: {e}"
                        )))
                    })?;
                    Some(article)
                }
                Err(e) => {
                    self.metrics.fetch_error("page", e.kind());
                    if e.is_transient() && attempts + 1 < PAGE_ATTEMPTS {
                        let n = self
                            .store
                            .add_pending(feed.url.as_str(), &keys, &item, &e.to_string())
                            .await
                            .map_err(PollError::store)?;
                        self.metrics.items_pending.fetch_add(1, Ordering::Relaxed);
                        warn!(url = %link, attempt = n, "page fetch failed, retried on the next poll: {e}");
                        return Ok(());
                    }
                    warn!(url = %link, "page unavailable, emitting the feed's own content: {e}");
                    self.metrics.items_from_feed.fetch_add(1, Ordering::Relaxed);
                    None
                }
            },
        };
        let event = pipeline::item_event(
            &item,
            &keys,
            page,
            feed_ref.clone(),
            &feed.tags,
            self.cfg.output.max_line_bytes,
        );
        let line = event.to_line();
        let claimed = self
            .store
            .claim(Some(feed.url.as_str()), &keys, &event.event_id, &line)
            .await
            .map_err(PollError::store)?;
        if attempts > 0 {
            self.store
                .remove_pending(&keys.id)
                .await
                .map_err(PollError::store)?;
        }
        if claimed {
            self.metrics.items_emitted.fetch_add(1, Ordering::Relaxed);
            debug!(id = %event.id, url = %event.url, "emitting");
            // The sink only ends when every sender is gone or it failed; in
            // the latter case the event stays in the outbox.
            self.metrics.sink_queue.fetch_add(1, Ordering::Relaxed);
            let _ = self
                .events
                .send(Emit {
                    event_id: event.event_id,
                    line,
                })
                .await;
        }
        Ok(())
    }
}

/// Drops the keys of items no feed has listed for `retention`.
async fn forget_unlisted_items<S: Store>(store: &S, retention: Option<Duration>) {
    let Some(retention) = retention else { return };
    let before = chrono::Utc::now().timestamp_millis() - retention.as_millis() as i64;
    match store.prune_seen(before).await {
        Ok(0) => {}
        Ok(n) => info!(
            keys = n,
            "forgot items no feed has listed for {}",
            humantime::format_duration(retention)
        ),
        Err(e) => error!("dropping old item keys: {e:#}"),
    }
}

fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"'))
    })
}

enum PollError {
    /// Shutdown began; the remaining work is redone after the restart.
    Stopped,
    Failed(FetchError),
}

impl PollError {
    fn store(e: anyhow::Error) -> Self {
        PollError::Failed(FetchError::Transient {
            message: format!("{e:#}"),
            retry_after: None,
        })
    }
}

impl From<FetchError> for PollError {
    fn from(e: FetchError) -> Self {
        PollError::Failed(e)
    }
}

/// `newsflow status`: one row per feed from the state.
pub fn print_status(cfg: &Config, out: &mut dyn std::io::Write) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let rows = match &cfg.store {
        StoreConfig::Postgres(url) => {
            rt.block_on(crate::store::postgres::PostgresStore::read_status(url))?
        }
        StoreConfig::Embedded => {
            if !cfg.state_dir.join("newsflow.db").exists() {
                writeln!(
                    out,
                    "no state yet in {} (newsflow has not run with this config)",
                    cfg.state_dir.display()
                )?;
                return Ok(());
            }
            rt.block_on(SqliteStore::open(&cfg.state_dir)?.status())?
        }
    };
    writeln!(
        out,
        "{:<50} {:>7} {:>6} {:<20} {:<20} LAST ERROR",
        "FEED", "ITEMS", "ERRORS", "LAST SUCCESS", "NEXT POLL"
    )?;
    let fmt_time = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "-".into())
    };
    let configured: Vec<&str> = cfg.feeds.iter().map(|f| f.url.as_str()).collect();
    for r in &rows {
        let name = cfg
            .feeds
            .iter()
            .find(|f| f.url.as_str() == r.url)
            .map(|f| f.name.as_str())
            .unwrap_or(&r.url);
        let mark = if configured.contains(&r.url.as_str()) {
            ""
        } else {
            " (not configured)"
        };
        writeln!(
            out,
            "{:<50} {:>7} {:>6} {:<20} {:<20} {}",
            format!("{name}{mark}"),
            r.items_emitted,
            r.error_streak,
            fmt_time(r.last_success),
            fmt_time(r.next_poll),
            if r.error_streak > 0 {
                r.last_error.as_deref().unwrap_or("")
            } else {
                ""
            }
        )?;
    }
    for f in &cfg.feeds {
        if !rows.iter().any(|r| r.url == f.url.as_str()) {
            writeln!(
                out,
                "{:<50} {:>7} {:>6} {:<20} {:<20}",
                f.name, 0, 0, "never", "-"
            )?;
        }
    }
    Ok(())
}
