//! Delivery: events claimed into the outbox go to the sink, and the store
//! is told which ones the sink holds. At start-up, what a crash left in
//! the outbox is reconciled with the sink first.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::Result;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{error, info};

use crate::metrics::Metrics;
use crate::sink::Sink;
use crate::store::Store;

/// Events written before the sink is flushed and the store told.
const BATCH: usize = 512;

/// One claimed event on its way to the sink.
pub(super) struct Emit {
    pub event_id: String,
    pub line: String,
}

/// Writes outbox events a crash left undelivered, skipping the ones the
/// sink already holds.
pub(super) async fn redeliver<S: Store, K: Sink>(store: &S, sink: &mut K) -> Result<()> {
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

/// The sink's side of the daemon, until every sender of `rx` is gone. A
/// message on `reopen` reopens the output (logrotate). A failing sink stops
/// the daemon; its events stay in the outbox.
pub(super) async fn sink_loop<S: Store, K: Sink>(
    mut sink: K,
    store: Arc<S>,
    mut rx: mpsc::Receiver<Emit>,
    mut reopen: mpsc::Receiver<()>,
    shutdown: CancellationToken,
    metrics: Arc<Metrics>,
) -> Result<()> {
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
        let Some(first) = msg else { break };
        let batch = match write_batch(&mut sink, first, &mut rx, &metrics).await {
            Ok(batch) => batch,
            Err(e) => {
                shutdown.cancel();
                return Err(
                    e.context("the sink failed; stopping (undelivered events stay in the outbox)")
                );
            }
        };
        let cp = sink.flush().await?;
        store.delivered(&batch, cp).await?;
    }
    sink.flush().await?;
    Ok(())
}

/// Writes `first` and what else is queued (up to [`BATCH`]), so the batch
/// is made durable once; returns the event ids written.
async fn write_batch<K: Sink>(
    sink: &mut K,
    first: Emit,
    rx: &mut mpsc::Receiver<Emit>,
    metrics: &Metrics,
) -> Result<Vec<String>> {
    let mut batch = Vec::new();
    let mut next = Some(first);
    while let Some(Emit { event_id, line }) = next.take() {
        sink.write(&line).await?;
        batch.push(event_id);
        metrics.sink_queue.fetch_sub(1, Ordering::Relaxed);
        if batch.len() < BATCH {
            next = rx.try_recv().ok();
        }
    }
    Ok(batch)
}
