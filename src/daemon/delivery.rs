//! Delivery: events claimed into the outbox go to the sink, and the store
//! is told which ones the sink holds. At start-up, what a crash left in
//! the outbox is reconciled with the sink first; while running, the
//! outbox is swept for events claimed but never handed over.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Result;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use super::store_wait::StoreOutage;
use crate::metrics::Metrics;
use crate::sink::Sink;
use crate::store::{Store, Undelivered};

/// Events written before the sink is flushed and the store told.
const BATCH: usize = 512;

/// How often an idle sink looks in the outbox for orphans: events whose
/// claim committed while its answer was lost (a database restart between
/// the commit and the reply), so no poll hands them over. They would
/// otherwise wait for the next start.
const ORPHAN_SWEEP: Duration = Duration::from_secs(30);

/// Tells the store the sink holds `ids`, retrying whatever the error (a
/// database restart, a full or read-only state disk must not stop
/// delivery; see [`StoreOutage`]). Giving up at shutdown loses nothing:
/// the events stay in the outbox, and recovery at the next start finds
/// them in the sink and does not write them again.
async fn mark_delivered<S: Store>(
    store: &S,
    ids: &[String],
    cp: Option<crate::store::Checkpoint>,
    shutdown: &CancellationToken,
    outage: &StoreOutage,
) {
    let _ = outage
        .retry(shutdown, |_| true, || store.delivered(ids, cp))
        .await;
}

/// One claimed event on its way to the sink.
pub(super) struct Emit {
    pub event_id: String,
    pub line: String,
}

/// Writes outbox events a crash left undelivered, skipping the ones the
/// sink already holds.
pub(super) async fn redeliver<S: Store, K: Sink>(store: &S, sink: &mut K) -> Result<()> {
    // Even with nothing undelivered, recovery repairs a torn last line.
    let undelivered = store.undelivered().await?;
    let (ids, written) = reconcile(store, sink, undelivered).await?;
    if !ids.is_empty() {
        info!(
            pending = ids.len(),
            already_in_sink = ids.len() - written,
            written,
            "recovered events left undelivered by the last run"
        );
    }
    Ok(())
}

/// Brings the sink up to `undelivered` (the outbox's): writes what it
/// lacks and marks all of it delivered. Returns the event ids handled and
/// how many were written.
async fn reconcile<S: Store, K: Sink>(
    store: &S,
    sink: &mut K,
    undelivered: Vec<Undelivered>,
) -> Result<(Vec<String>, usize)> {
    let checkpoint = store.checkpoint().await?;
    let held = sink.recover(checkpoint, &undelivered).await?;
    if undelivered.is_empty() {
        return Ok((Vec::new(), 0));
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
    Ok((ids, written))
}

/// Delivers the outbox's orphans (see [`ORPHAN_SWEEP`]). An event swept
/// here that a poll still hands over later is skipped then: `swept`
/// remembers it.
async fn sweep_orphans<S: Store, K: Sink>(store: &S, sink: &mut K, swept: &mut HashSet<String>) {
    let outcome = match store.undelivered().await {
        // The usual case: one query, and the sink is left alone.
        Ok(undelivered) if undelivered.is_empty() => return,
        Ok(undelivered) => reconcile(store, sink, undelivered).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok((ids, written)) if !ids.is_empty() => {
            warn!(
                events = ids.len(),
                written, "delivered events the outbox held but no poll handed over"
            );
            swept.extend(ids);
        }
        Ok(_) => {}
        Err(e) => warn!("sweeping the outbox for undelivered events: {e:#}"),
    }
}

/// The sink's side of the daemon, until every sender of `rx` is gone. A
/// message on `reopen` reopens the output (logrotate). A full disk holds
/// delivery until there is room again (see [`wait_for_room`]); any other
/// sink failure stops the daemon. Either way undelivered events stay in
/// the outbox.
pub(super) async fn sink_loop<S: Store, K: Sink>(
    mut sink: K,
    store: Arc<S>,
    mut rx: mpsc::Receiver<Emit>,
    mut reopen: mpsc::Receiver<()>,
    shutdown: CancellationToken,
    metrics: Arc<Metrics>,
    outage: Arc<StoreOutage>,
) -> Result<()> {
    let mut sweep = tokio::time::interval(ORPHAN_SWEEP);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is now: start-up recovery has just run.
    sweep.tick().await;
    let mut swept = HashSet::new();
    loop {
        let msg = tokio::select! {
            biased;
            Some(()) = reopen.recv() => {
                if let Err(e) = sink.reopen() {
                    error!("reopening the output failed, still writing to the old one: {e:#}");
                }
                continue;
            }
            _ = sweep.tick(), if rx.is_empty() => {
                sweep_orphans(&*store, &mut sink, &mut swept).await;
                continue;
            }
            msg = rx.recv() => msg,
        };
        let Some(first) = msg else { break };
        let Written { mut ids, failed } =
            write_batch(&mut sink, first, &mut rx, &metrics, &mut swept).await;
        if let Some((emit, e)) = failed {
            if !is_disk_full(&e) {
                shutdown.cancel();
                return Err(
                    e.context("the sink failed; stopping (undelivered events stay in the outbox)")
                );
            }
            // What was written before the failure is made durable first.
            let cp = sink.flush().await?;
            let written = std::mem::take(&mut ids);
            mark_delivered(&*store, &written, cp, &shutdown, &outage).await;
            metrics.activity.delivered(written.len());
            wait_for_room(&mut sink, &emit, e, &shutdown).await?;
            metrics.sink_queue.fetch_sub(1, Ordering::Relaxed);
            ids.push(emit.event_id);
        }
        let cp = sink.flush().await?;
        mark_delivered(&*store, &ids, cp, &shutdown, &outage).await;
        metrics.activity.delivered(ids.len());
    }
    sink.flush().await?;
    Ok(())
}

/// How often a full output is tried again, and how often it is logged.
const ROOM_RETRY: Duration = Duration::from_secs(1);
const ROOM_LOG_EVERY: Duration = Duration::from_secs(30);

/// Writes `emit` once the output has room again. Meanwhile nothing else
/// is written and the bounded queue to the sink fills, so polls stop at
/// their next event instead of piling events up in memory (those already
/// claimed wait in the outbox). Logged when it starts, then once per
/// [`ROOM_LOG_EVERY`].
async fn wait_for_room<K: Sink>(
    sink: &mut K,
    emit: &Emit,
    first: anyhow::Error,
    shutdown: &CancellationToken,
) -> Result<()> {
    let started = Instant::now();
    let mut logged = started;
    warn!(
        "output full, delivery paused until there is room (the events wait in the outbox): {first:#}"
    );
    loop {
        tokio::select! {
            _ = tokio::time::sleep(ROOM_RETRY) => {}
            _ = shutdown.cancelled() => {
                anyhow::bail!("stopped while the output was full; undelivered events stay in the outbox")
            }
        }
        match sink.write(&emit.line).await {
            Ok(()) => break,
            Err(e) if is_disk_full(&e) => {
                if logged.elapsed() >= ROOM_LOG_EVERY {
                    logged = Instant::now();
                    warn!(
                        for_secs = started.elapsed().as_secs(),
                        "output still full, delivery paused: {e:#}"
                    );
                }
            }
            Err(e) => return Err(e.context("the sink failed while waiting for room")),
        }
    }
    info!(
        after_secs = started.elapsed().as_secs(),
        "output has room again, delivery resumed"
    );
    Ok(())
}

/// Whether a sink error is a full disk or quota, which passes by itself.
fn is_disk_full(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            )
        })
}

/// A batch's outcome: the ids written, and the event whose write failed
/// (the rest stay queued).
struct Written {
    ids: Vec<String>,
    failed: Option<(Emit, anyhow::Error)>,
}

/// Writes `first` and what else is queued (up to [`BATCH`]), so the batch
/// is made durable once.
async fn write_batch<K: Sink>(
    sink: &mut K,
    first: Emit,
    rx: &mut mpsc::Receiver<Emit>,
    metrics: &Metrics,
    swept: &mut HashSet<String>,
) -> Written {
    let mut ids = Vec::new();
    let mut next = Some(first);
    while let Some(emit) = next.take() {
        if swept.remove(&emit.event_id) {
            // Written by a sweep already.
            metrics.sink_queue.fetch_sub(1, Ordering::Relaxed);
        } else if let Err(e) = sink.write(&emit.line).await {
            return Written {
                ids,
                failed: Some((emit, e)),
            };
        } else {
            ids.push(emit.event_id);
            metrics.sink_queue.fetch_sub(1, Ordering::Relaxed);
        }
        if ids.len() < BATCH {
            next = rx.try_recv().ok();
        }
    }
    Written { ids, failed: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::ItemKeys;
    use crate::sink::FileSink;
    use crate::store::SqliteStore;

    fn line(id: &str) -> String {
        format!("{{\"type\":\"article\",\"event_id\":\"{id}\"}}")
    }

    async fn claim(store: &SqliteStore, id: &str) {
        let keys = ItemKeys {
            id: format!("item-{id}"),
            link: None,
            also: Vec::new(),
        };
        assert!(store.claim(None, &keys, id, &line(id)).await.unwrap());
    }

    /// An event claimed but never handed to the sink (its claim's answer
    /// lost to a database restart) is delivered by the sweep while the
    /// daemon runs, and not again when a poll hands it over after all.
    #[tokio::test(start_paused = true)]
    async fn an_orphan_in_the_outbox_is_swept_out_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
        let out = dir.path().join("events.ndjson");
        let sink = FileSink::open(&out).unwrap();
        let (tx, rx) = mpsc::channel(16);
        let (_reopen_tx, reopen_rx) = mpsc::channel(1);
        let task = tokio::spawn(sink_loop(
            sink,
            store.clone(),
            rx,
            reopen_rx,
            CancellationToken::new(),
            Arc::new(Metrics::default()),
            Arc::new(StoreOutage::default()),
        ));
        claim(&store, "orphan").await;
        tokio::time::sleep(ORPHAN_SWEEP * 2).await;
        let written = std::fs::read_to_string(&out).unwrap();
        assert_eq!(written.lines().count(), 1, "{written}");
        claim(&store, "fresh").await;
        for id in ["orphan", "fresh"] {
            let emit = Emit {
                event_id: id.to_string(),
                line: line(id),
            };
            tx.send(emit).await.unwrap();
        }
        drop(tx);
        task.await.unwrap().unwrap();
        let written = std::fs::read_to_string(&out).unwrap();
        assert_eq!(
            written.lines().collect::<Vec<_>>(),
            [line("orphan"), line("fresh")]
        );
        assert!(store.undelivered().await.unwrap().is_empty());
    }
}
