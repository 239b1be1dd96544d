//! Revisions in the daemon: an emitted article whose feed entry changed,
//! or whose recheck age came, is fetched again and compared with what was
//! last emitted ([`crate::revision::claim_if_changed`]).

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tracing::{debug, info, warn};

use super::item::{EventInput, Made, make_event, page_digest};
use super::poll::{PollError, Worker};
use crate::archive::ArchivedPage;
use crate::event::FeedRef;
use crate::extract::Extractor;
use crate::feed::Item;
use crate::fetch::{self, Validators};
use crate::identity::ItemKeys;
use crate::revision;
use crate::store::{ArticleRecord, Store, StoredItem};

/// How long a taken recheck is held; one cut off by a crash is done again
/// after this.
const RECHECK_LEASE: Duration = Duration::from_secs(600);
/// Rechecks taken from the store at once.
const RECHECK_BATCH: usize = 64;

impl<S: Store> Worker<S> {
    /// Queues a fetched page for the archive, when there is one.
    pub(super) fn archive_page(&self, resp: &fetch::Response) {
        if let Some(archive) = &self.archive {
            archive.keep(ArchivedPage::of(resp));
        }
    }

    /// The record of a listed item emitted before, when its feed entry
    /// changed since (updated date, title or content): the page is then
    /// fetched again. The record carries the entry as listed now.
    pub(super) async fn signalled_change(
        &self,
        item: &Item,
        keys: &ItemKeys,
    ) -> Result<Option<ArticleRecord>, PollError> {
        if !self.cfg.revisions {
            return Ok(None);
        }
        let Some(mut record) = self.stored(|| self.store.article_by_item(&keys.id)).await? else {
            return Ok(None);
        };
        let signal = revision::feed_signal(item);
        if record.state.feed_signal == signal {
            return Ok(None);
        }
        record.state.feed_signal = signal;
        record.state.item = StoredItem::new(item, keys);
        Ok(Some(record))
    }

    /// Fetches the pages of `records` again (feed-signalled changes) and
    /// emits the next revision of those that changed.
    pub(super) async fn revise_all(&self, records: Vec<ArticleRecord>) -> Result<(), PollError> {
        let results: Vec<Result<(), PollError>> = futures::stream::iter(records)
            .map(|r| self.revise(r, false))
            .buffer_unordered(self.cfg.page_concurrency)
            .collect()
            .await;
        results.into_iter().collect()
    }

    /// Fetches the article's page (conditionally for a recheck) and
    /// compares. A failed fetch gives up this look; the record's next
    /// check (already moved on by the caller) stays.
    async fn revise(&self, record: ArticleRecord, conditional: bool) -> Result<(), PollError> {
        let _permit = self.page_permit().await?;
        let Some(link) = record.state.item.link() else {
            self.stored(|| self.store.save_article(&record)).await?;
            return Ok(());
        };
        let known = match conditional {
            true => Validators {
                etag: record.state.etag.clone(),
                last_modified: record.state.last_modified.clone(),
            },
            false => Validators::default(),
        };
        let resp = match self.fetcher.page_if_changed(&link, &known).await {
            Ok(Some(resp)) => resp,
            Ok(None) => {
                debug!(url = %link, "recheck: not modified");
                self.stored(|| self.store.save_article(&record)).await?;
                return Ok(());
            }
            Err(e) => {
                warn!(url = %link, "fetching the page again failed, left for the next look: {e}");
                self.stored(|| self.store.save_article(&record)).await?;
                return Ok(());
            }
        };
        self.archive_page(&resp);
        if record.state.page_digest.as_deref() == Some(page_digest(&resp.body).as_str()) {
            debug!(url = %link, "page unchanged");
            self.stored(|| self.store.save_article(&record)).await?;
            return Ok(());
        }
        self.compare(record, resp).await
    }

    /// Compares the page with what was last emitted; a change goes to
    /// the sink as the next revision.
    async fn compare(&self, record: ArticleRecord, resp: fetch::Response) -> Result<(), PollError> {
        let limit = self.cfg.output.max_line_bytes;
        if let Some(c) = compare_page(&*self.store, &self.extractor, record, resp, limit).await? {
            self.send(c.event_id, c.line).await;
        }
        Ok(())
    }

    /// Performs every recheck that is due, a batch at a time, until none
    /// is left or shutdown begins.
    pub(super) async fn recheck_due(&self) {
        if !self.cfg.revisions {
            return;
        }
        let mut done = 0;
        while !self.shutdown.is_cancelled() {
            let now = chrono::Utc::now().timestamp_millis();
            let lease = RECHECK_LEASE.as_millis() as i64;
            let due = match self
                .stored(|| self.store.due_articles(now, lease, RECHECK_BATCH))
                .await
            {
                Ok(due) if due.is_empty() => break,
                Ok(due) => due,
                Err(e) => return warn!("reading due rechecks: {e:#}"),
            };
            done += due.len();
            let results: Vec<Result<(), PollError>> = futures::stream::iter(due)
                .map(|r| self.recheck(r, now))
                .buffer_unordered(self.cfg.page_concurrency)
                .collect()
                .await;
            for e in results.into_iter().filter_map(Result::err) {
                warn!("recheck failed: {e}");
            }
        }
        if done > 0 {
            info!(rechecked = done, "rechecks done");
        }
    }

    /// One due recheck: this age is done whatever its outcome, and the
    /// next one is set before the page is fetched.
    async fn recheck(&self, mut record: ArticleRecord, now: i64) -> Result<(), PollError> {
        let ages = self
            .cfg
            .feeds
            .iter()
            .find(|f| f.url.as_str() == record.state.feed_url)
            .map(|f| f.recheck.clone())
            .unwrap_or_default();
        let (next, done) = revision::next_check(
            record.emitted_at,
            &ages,
            record.state.checks_done,
            now,
            rand::random::<f64>(),
        );
        record.next_check = next;
        record.state.checks_done = done;
        self.revise(record, true).await
    }
}

/// Makes the event from `resp` the way the article's first one was made
/// (same feed item, feed, tags and id) and claims the next revision when
/// it changed ([`revision::claim_if_changed`]).
pub(crate) async fn compare_page<S: Store>(
    store: &S,
    extractor: &Arc<Extractor>,
    mut record: ArticleRecord,
    resp: fetch::Response,
    max_line_bytes: usize,
) -> Result<Option<revision::Claimed>, PollError> {
    let state = &record.state;
    let Some(work) = state.item.clone().into_work_item(&state.feed_url, 0) else {
        store.save_article(&record).await?;
        return Ok(None);
    };
    let input = EventInput {
        extractor: extractor.clone(),
        feed_ref: FeedRef {
            url: state.feed_url.clone(),
            title: state.feed_title.clone(),
        },
        id_key: state.id_key.clone(),
        tags: state.tags.clone(),
        max_line_bytes,
        // Revisions are not looked up as copies again (their duplicate_of
        // is null); the first emission carries the link.
        fingerprint: false,
    };
    let Made { event, meta, .. } = make_event(work, Some(Box::new(resp)), input).await?;
    meta.note(&mut record.state);
    Ok(revision::claim_if_changed(store, record, event).await?)
}
