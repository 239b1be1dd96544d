//! The daemon: polls feeds on their schedules, turns new items into events
//! and hands them to the sink, until told to stop.
//!
//! Read it in this order: `scheduler` decides when each feed is polled
//! (`--once`: each enabled feed once); `poll` is one feed's poll, from the
//! conditional fetch to its recorded outcome; `item` makes one item into
//! an event (page fetch, then the page-to-event step in one blocking task)
//! and claims it; `delivery` takes claimed events from the outbox to the
//! sink.
//!
//! Feeds are polled when due, a bounded number at once, each under a lease
//! from the store (so several instances on a shared store split the work).
//! Shutdown is a [`CancellationToken`] passed in. On cancel no new poll or
//! page fetch starts, in-flight work gets `shutdown_timeout` to finish, and
//! the sink drains. Work cut off
//! is not lost: an item is claimed (see [`crate::store`]) only once its
//! event exists, and a feed's validators are saved only after all its items
//! are claimed or parked as pending.

mod delivery;
mod item;
mod poll;
mod revise;
mod scheduler;
mod store_wait;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{error, info};

use crate::config::{Config, StoreConfig};
use crate::metrics::Metrics;
use crate::sink::{AnySink, FileSink, Sink, StdoutSink};
use crate::status::Board;
use crate::store::{PostgresStore, SqliteStore, Store};
use poll::Worker;
pub(crate) use revise::compare_page;
use store_wait::StoreOutage;

/// Writes what the outbox holds undelivered to `sink` (checked against
/// what the sink already has) and marks it delivered.
pub(crate) async fn deliver_outbox<S: Store, K: Sink>(store: &S, sink: &mut K) -> Result<()> {
    delivery::redeliver(store, sink).await
}

/// Events buffered between the pipeline and the sink; a slow sink pushes
/// back on the pollers instead of growing memory.
const SINK_QUEUE: usize = 256;

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
pub(crate) fn open_sink(cfg: &Config) -> Result<AnySink> {
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
    reload: mpsc::Receiver<Config>,
) -> Result<()> {
    let metrics = Arc::new(Metrics::default());
    let board = Arc::new(Board::new(&cfg));
    serve_http(&cfg, &store, &board, &metrics, &shutdown);
    delivery::redeliver(&*store, &mut sink).await?;
    metrics.ready.store(true, Ordering::Relaxed);
    let (events, rx) = mpsc::channel(SINK_QUEUE);
    let (reopen_tx, reopen_rx) = mpsc::channel(1);
    let outage = Arc::new(StoreOutage::default());
    let sink_task = tokio::spawn(delivery::sink_loop(
        sink,
        store.clone(),
        rx,
        reopen_rx,
        shutdown.clone(),
        metrics.clone(),
        outage.clone(),
    ));
    let enabled = cfg.feeds.iter().filter(|f| f.enabled).count();
    let worker = Worker::new(&cfg, store, events, metrics.clone(), shutdown, outage)?;
    let worker = Arc::new(worker);
    info!(feeds = enabled, state_dir = %cfg.state_dir.display(), once, "newsflow started");
    if once {
        scheduler::poll_each_once(worker).await?;
    } else {
        scheduler::poll_until_stopped(worker, reload, reopen_tx, board).await?;
    }
    // The workers held the last senders of events: the sink drains and ends.
    match sink_task.await {
        Ok(r) => r?,
        Err(e) => anyhow::bail!("sink task failed: {e}"),
    }
    metrics.log_progress();
    info!("newsflow stopped");
    Ok(())
}

/// Serves `/metrics`, `/health`, `/ready` and the status page when
/// `listen` is set.
fn serve_http<S: Store>(
    cfg: &Config,
    store: &Arc<S>,
    board: &Arc<Board>,
    metrics: &Arc<Metrics>,
    shutdown: &CancellationToken,
) {
    if let Some(addr) = cfg.listen {
        let status = crate::status::router(store.clone(), board.clone(), metrics.clone());
        let server = crate::metrics::serve(addr, metrics.clone(), status, shutdown.clone());
        tokio::spawn(async move {
            if let Err(e) = server.await {
                error!("{e:#}");
            }
        });
    }
}
