//! `newsflow reextract`: today's extraction (code and site rules) over the
//! newest archived copy of every emitted item's page, without the network.
//! An item whose output changed gets its next revision, claimed into the
//! outbox like any other and then delivered from there, so a run cut off
//! by a crash loses nothing and a file never gets a revision twice.
//!
//! Memory stays bounded: the emitted items are indexed by page address
//! (ids only), the archive is read twice one record at a time (first for
//! which copy of each page is newest, then to hand those on), and at most
//! a few pages are in extraction at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use futures::StreamExt;
use tokio::sync::mpsc;
use tracing::info;

use crate::archive::{self, StoredPage};
use crate::config::{ArchiveConfig, Config, StoreConfig};
use crate::daemon::{compare_page, deliver_outbox, open_sink};
use crate::extract::Extractor;
use crate::fetch::{Response, Validators};
use crate::store::{PostgresStore, SqliteStore, Store};

/// Why `reextract` cannot run: the caller exits 2 on this.
#[derive(Debug, thiserror::Error)]
#[error("no [archive] is configured: reextract reads archived pages")]
pub struct NoArchive;

/// Records read from the store at once while indexing.
const INDEX_PAGE: usize = 1000;
/// Pages on their way from the archive reader to extraction.
const QUEUE: usize = 8;
/// Log progress every this many pages.
const PROGRESS_EVERY: u64 = 1000;

/// What a run did, printed to stderr at the end.
#[derive(Debug, Default)]
pub struct Summary {
    pub items: usize,
    pub pages: u64,
    pub revised: u64,
    pub unchanged: u64,
    pub failed: u64,
    /// Items with no archived copy of their page.
    pub missing: usize,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "reextract: {} emitted items, {} archived pages extracted in {:.1}s ({:.0} pages/s): {} new revisions, {} unchanged, {} failed, {} items without an archived page",
            self.items,
            self.pages,
            self.seconds,
            self.pages as f64 / self.seconds.max(1e-9),
            self.revised,
            self.unchanged,
            self.failed,
            self.missing
        )
    }
}

/// Runs over the configured store and sink.
pub async fn run(cfg: Config) -> Result<Summary> {
    let archive = cfg.archive.clone().ok_or(NoArchive)?;
    match &cfg.store {
        StoreConfig::Embedded => {
            let store = SqliteStore::open_exclusive(&cfg.state_dir)?;
            run_with(&cfg, &archive, &store).await
        }
        StoreConfig::Postgres(url) => {
            let store = PostgresStore::connect(url, &cfg.instance_name()).await?;
            run_with(&cfg, &archive, &store).await
        }
    }
}

async fn run_with<S: Store>(cfg: &Config, archive: &ArchiveConfig, store: &S) -> Result<Summary> {
    let started = Instant::now();
    let mut sink = open_sink(cfg)?;
    // What an earlier run left undelivered goes first.
    deliver_outbox(store, &mut sink).await?;
    let (by_page, items) = emitted_pages(store).await?;
    info!(items, pages = by_page.len(), "emitted items indexed");
    let dir = archive.path.clone();
    let newest = {
        let wanted: std::collections::HashSet<String> = by_page.keys().cloned().collect();
        tokio::task::spawn_blocking(move || newest_copies(&dir, &wanted))
            .await
            .context("indexing the archive")??
    };
    let with_copy: usize = (by_page.iter())
        .filter(|(url, _)| newest.contains_key(*url))
        .map(|(_, keys)| keys.len())
        .sum();
    let counts = Counts::default();
    let extractor = Arc::new(match &cfg.site_rules {
        Some(rules) => Extractor::with_rules(rules.clone()),
        None => Extractor::new(),
    });
    let (tx, rx) = mpsc::channel::<StoredPage>(QUEUE);
    let dir = archive.path.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut ordinal = 0u64;
        archive::for_each_page(&dir, |page| {
            ordinal += 1;
            if newest.get(&page.url).is_some_and(|(_, n)| *n == ordinal) {
                // The receiver only goes away on an error, which is reported.
                let _ = tx.blocking_send(page);
            }
        })
    });
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    tokio_stream::wrappers::ReceiverStream::new(rx)
        .map(|page| {
            let keys = by_page.get(&page.url).cloned().unwrap_or_default();
            reextract_page(store, &extractor, cfg, page, keys, &counts)
        })
        .buffer_unordered(workers)
        .collect::<Vec<()>>()
        .await;
    reader.await.context("reading the archive")??;
    deliver_outbox(store, &mut sink).await?;
    let mut summary = counts.summary(items, started);
    summary.missing = items - with_copy;
    Ok(summary)
}

#[derive(Default)]
struct Counts {
    pages: AtomicU64,
    revised: AtomicU64,
    unchanged: AtomicU64,
    failed: AtomicU64,
}

impl Counts {
    fn summary(&self, items: usize, started: Instant) -> Summary {
        Summary {
            items,
            pages: self.pages.load(Ordering::Relaxed),
            revised: self.revised.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            missing: 0,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// Page address → item keys of the emitted items whose page it is; and
/// how many items there are.
async fn emitted_pages<S: Store>(store: &S) -> Result<(HashMap<String, Vec<String>>, usize)> {
    let mut by_page: HashMap<String, Vec<String>> = HashMap::new();
    let (mut after, mut items) = (String::new(), 0);
    loop {
        let batch = store.articles_after(&after, INDEX_PAGE).await?;
        let Some(last) = batch.last() else { break };
        after = last.id.clone();
        items += batch.len();
        for r in batch {
            if let Some(url) = r.state.page_url {
                by_page.entry(url).or_default().push(r.item_key);
            }
        }
    }
    Ok((by_page, items))
}

/// For each wanted address, the date and ordinal (place in reading order)
/// of its newest archived copy; of equal dates the later one.
fn newest_copies(
    dir: &std::path::Path,
    wanted: &std::collections::HashSet<String>,
) -> Result<HashMap<String, (String, u64)>> {
    let mut newest: HashMap<String, (String, u64)> = HashMap::new();
    let mut ordinal = 0u64;
    archive::for_each_page(dir, |page| {
        ordinal += 1;
        if !wanted.contains(&page.url) {
            return;
        }
        let slot = newest
            .entry(page.url)
            .or_insert_with(|| (page.date.clone(), ordinal));
        if page.date >= slot.0 {
            *slot = (page.date, ordinal);
        }
    })?;
    Ok(newest)
}

/// Extracts one archived page for each item it belongs to.
async fn reextract_page<S: Store>(
    store: &S,
    extractor: &Arc<Extractor>,
    cfg: &Config,
    page: StoredPage,
    item_keys: Vec<String>,
    counts: &Counts,
) {
    let n = counts.pages.fetch_add(1, Ordering::Relaxed) + 1;
    if n.is_multiple_of(PROGRESS_EVERY) {
        info!(pages = n, "reextract progress");
    }
    let Ok(url) = url::Url::parse(&page.url) else {
        counts.failed.fetch_add(1, Ordering::Relaxed);
        return;
    };
    for key in item_keys {
        let outcome = match store.article_by_item(&key).await {
            Ok(Some(record))
                if record
                    .state
                    .page_at
                    .as_ref()
                    .is_some_and(|at| *at > page.date) =>
            {
                // The archive lost the copy last compared (or the clock
                // went back): an older one would undo a revision.
                tracing::warn!(url = %page.url, "archived copy older than the last one compared; skipped");
                Ok(None)
            }
            Ok(Some(record)) => {
                let resp = Response {
                    url: url.clone(),
                    content_type: page.content_type.clone(),
                    content_location: None,
                    validators: Validators::default(),
                    max_age: None,
                    status: 200,
                    headers: Vec::new(),
                    body: page.body.clone(),
                    fetched_at: chrono::DateTime::parse_from_rfc3339(&page.date)
                        .map_or_else(|_| chrono::Utc::now(), |d| d.to_utc()),
                };
                compare_page(store, extractor, record, resp, cfg.output.max_line_bytes)
                    .await
                    .map_err(anyhow::Error::from)
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        let counter = match outcome {
            Ok(Some(_)) => &counts.revised,
            Ok(None) => &counts.unchanged,
            Err(e) => {
                tracing::warn!(url = %page.url, "reextracting failed: {e:#}");
                &counts.failed
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
