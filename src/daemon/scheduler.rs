//! When feeds are polled. `--once` polls every enabled feed once; the
//! daemon proper leases due feeds from the store (so instances sharing a
//! store split the work), a bounded number at once, until shutdown, and
//! takes a reloaded configuration between two leases.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tracing::{Instrument, error, info, info_span, warn};

use super::poll::{PollError, Worker};
use crate::config::{Config, FeedConfig};
use crate::status::Board;
use crate::store::Store;

/// How often keys older than `seen_retention` are looked for (and at start).
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// How often progress is logged.
const PROGRESS_EVERY: Duration = Duration::from_secs(60);
/// How often due rechecks are looked for.
const RECHECK_EVERY: Duration = Duration::from_secs(1);

/// `run --once`: polls every enabled feed once, then forgets old keys.
pub(super) async fn poll_each_once<S: Store>(worker: Arc<Worker<S>>) -> Result<()> {
    let feeds: Vec<FeedConfig> = worker
        .cfg
        .feeds
        .iter()
        .filter(|f| f.enabled)
        .cloned()
        .collect();
    let urls: Vec<String> = feeds.iter().map(|f| f.url.to_string()).collect();
    worker.store.sync_feeds(&urls).await?;
    futures::stream::iter(feeds)
        .map(|f| {
            let span = info_span!("feed", feed = %f.name);
            let w = worker.clone();
            async move { w.poll(&f).await }.instrument(span)
        })
        .buffer_unordered(worker.cfg.feed_concurrency)
        .collect::<Vec<_>>()
        .await;
    worker.recheck_due().await;
    forget_unlisted_items(&*worker.store, worker.cfg.seen_retention).await;
    Ok(())
}

/// Polls due feeds until shutdown, then gives the polls in flight
/// `shutdown_timeout` to finish. A configuration on `reload` replaces the
/// worker (polls in flight finish with the old one) and asks the sink to
/// reopen its output through `reopen_sink`; the status page's `board`
/// learns the new feed names.
pub(super) async fn poll_until_stopped<S: Store>(
    mut worker: Arc<Worker<S>>,
    mut reload: mpsc::Receiver<Config>,
    reopen_sink: mpsc::Sender<()>,
    board: Arc<Board>,
) -> Result<()> {
    let store = worker.store.clone();
    let mut feeds = active_feeds(&worker.cfg);
    store.sync_feeds(&urls(&feeds)).await?;
    let owner = instance_id();
    let mut polls = JoinSet::new();
    let mut progress = tokio::time::interval(PROGRESS_EVERY);
    progress.tick().await;
    let mut prune = tokio::time::interval(PRUNE_EVERY);
    let mut recheck = tokio::time::interval(RECHECK_EVERY);
    let mut rechecking: Option<tokio::task::JoinHandle<()>> = None;
    loop {
        let now = chrono::Utc::now().timestamp_millis();
        lease_due_feeds(&worker, &feeds, &owner, now, &mut polls).await;
        let wait = until_next_due(&worker, now).await;
        tokio::select! {
            _ = worker.shutdown.cancelled() => break,
            Some(done) = polls.join_next(), if !polls.is_empty() => {
                if let Err(e) = done {
                    error!("a feed poll task failed: {e}");
                }
            }
            _ = tokio::time::sleep(wait) => {}
            _ = progress.tick() => worker.metrics.log_progress(),
            _ = prune.tick() => forget_unlisted_items(&*store, worker.cfg.seen_retention).await,
            _ = recheck.tick() => {
                // One round of rechecks at a time; the store leases each.
                if rechecking.as_ref().is_none_or(|h| h.is_finished()) {
                    let w = worker.clone();
                    rechecking = Some(tokio::spawn(async move { w.recheck_due().await }));
                }
            }
            Some(cfg) = reload.recv() => {
                let _ = reopen_sink.try_send(());
                if let Some(w) = reloaded(&worker, &cfg, &mut feeds).await {
                    board.update(&cfg);
                    worker = w;
                }
            }
        }
    }
    if let Some(h) = rechecking {
        polls.spawn(async move {
            let _ = h.await;
        });
    }
    drain(polls, worker.cfg.shutdown_timeout).await;
    Ok(())
}

/// Leases as many due feeds as there is room for and starts their polls.
async fn lease_due_feeds<S: Store>(
    worker: &Arc<Worker<S>>,
    feeds: &HashMap<String, FeedConfig>,
    owner: &str,
    now: i64,
    polls: &mut JoinSet<()>,
) {
    let capacity = worker.cfg.feed_concurrency.saturating_sub(polls.len());
    if capacity == 0 {
        return;
    }
    // Long enough for a poll with all its pages; a lease outliving its
    // instance only delays that feed until it expires.
    let lease_ms = (worker.cfg.timeout * 4)
        .max(Duration::from_secs(600))
        .as_millis() as i64;
    // While the store is unavailable this waits, so no new work is taken.
    let lease = || worker.store.lease_due(owner, now, lease_ms, capacity);
    let due = match worker.stored(lease).await {
        Ok(due) => due,
        Err(PollError::Stopped) => return,
        Err(e) => return error!("leasing due feeds: {e}"),
    };
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

/// How long to sleep before looking for due feeds again.
async fn until_next_due<S: Store>(worker: &Worker<S>, now: i64) -> Duration {
    match worker.stored(|| worker.store.next_due()).await {
        Ok(Some(t)) => Duration::from_millis((t - now).clamp(10, 5_000) as u64),
        Ok(None) => Duration::from_secs(5),
        // The loop sees the shutdown next.
        Err(PollError::Stopped) => Duration::ZERO,
        Err(e) => {
            error!("reading the schedule: {e:#}");
            Duration::from_secs(5)
        }
    }
}

/// The worker for a reloaded configuration, with its feed list recorded;
/// `None` (the running one stays) when it cannot be built.
async fn reloaded<S: Store>(
    worker: &Worker<S>,
    cfg: &Config,
    feeds: &mut HashMap<String, FeedConfig>,
) -> Option<Arc<Worker<S>>> {
    let next = match worker.reloaded(cfg) {
        Ok(w) => Arc::new(w),
        Err(e) => {
            error!("configuration rejected, keeping the running one: {e:#}");
            return None;
        }
    };
    *feeds = active_feeds(cfg);
    if let Err(e) = worker.store.sync_feeds(&urls(feeds)).await {
        error!("recording the new feed list: {e:#}");
    }
    info!(feeds = feeds.len(), "configuration reloaded");
    Some(next)
}

/// Waits up to `timeout` for the polls in flight; what is cut off is
/// redone after the restart (nothing was claimed for it).
async fn drain(mut polls: JoinSet<()>, timeout: Duration) {
    let all_done = async { while polls.join_next().await.is_some() {} };
    if tokio::time::timeout(timeout, all_done).await.is_err() {
        warn!(
            "in-flight polls did not finish within {}; their items are redone after the restart",
            humantime::format_duration(timeout)
        );
        polls.abort_all();
    }
}

fn active_feeds(cfg: &Config) -> HashMap<String, FeedConfig> {
    cfg.feeds
        .iter()
        .filter(|f| f.enabled)
        .map(|f| (f.url.to_string(), f.clone()))
        .collect()
}

fn urls(feeds: &HashMap<String, FeedConfig>) -> Vec<String> {
    feeds.keys().cloned().collect()
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
    // Fingerprints of old articles go after the same time: a syndicated
    // copy comes within days of its original.
    match store.prune_copies(before).await {
        Ok(0) => {}
        Ok(n) => info!(articles = n, "forgot old article fingerprints"),
        Err(e) => error!("dropping old article fingerprints: {e:#}"),
    }
}
