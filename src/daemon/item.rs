//! One item to one event: its article page is fetched (unless its link
//! names no article), the page-to-event step runs, and the event is
//! claimed in the store and queued for the sink. A page that fails for
//! now parks the item for a later poll.

use std::sync::atomic::Ordering;

use futures::StreamExt;
use tracing::{debug, warn};

use super::delivery::Emit;
use super::poll::{PollError, Worker};
use crate::config::FeedConfig;
use crate::dedup::Fingerprint;
use crate::event::{ArticleEvent, FeedRef};
use crate::extract::Extractor;
use crate::fetch;
use crate::identity::ItemKeys;
use crate::pipeline;
use crate::store::{Store, WorkItem};

/// Page fetches that fail transiently are retried on this many polls before
/// the item is emitted from the feed's own content.
const PAGE_ATTEMPTS: u32 = 4;

/// What the page fetch of an item came to.
enum Page {
    /// The page, to extract the article from.
    Fetched(Box<fetch::Response>),
    /// No page: the link names no article, or the page is gone for good;
    /// the feed's own content stands in.
    FromFeed,
    /// Failed for now; the item waits in the store for a later poll.
    Parked,
}

/// What the blocking page-to-event step needs besides the item.
struct EventInput {
    extractor: std::sync::Arc<Extractor>,
    feed_ref: FeedRef,
    /// What the event id derives from.
    id_key: String,
    tags: Vec<String>,
    max_line_bytes: usize,
}

impl<S: Store> Worker<S> {
    /// Makes events of `items`, a bounded number at a time.
    pub(super) async fn process(
        &self,
        feed: &FeedConfig,
        feed_ref: &FeedRef,
        items: Vec<WorkItem>,
    ) -> Result<(), PollError> {
        let results: Vec<Result<(), PollError>> = futures::stream::iter(items)
            .map(|work| self.process_item(feed, feed_ref, work))
            .buffer_unordered(self.cfg.page_concurrency)
            .collect()
            .await;
        results.into_iter().collect()
    }

    async fn process_item(
        &self,
        feed: &FeedConfig,
        feed_ref: &FeedRef,
        work: WorkItem,
    ) -> Result<(), PollError> {
        if self.shutdown.is_cancelled() {
            return Err(PollError::Stopped);
        }
        let _permit = self
            .pages
            .acquire()
            .await
            .expect("page semaphore is never closed");
        let page = match self.fetch_page(feed, &work).await? {
            Page::Parked => return Ok(()),
            Page::Fetched(resp) => Some(resp),
            Page::FromFeed => None,
        };
        let input = EventInput {
            extractor: self.extractor.clone(),
            feed_ref: feed_ref.clone(),
            id_key: self.id_key(&work.keys).await?,
            tags: feed.tags.clone(),
            max_line_bytes: self.cfg.output.max_line_bytes,
        };
        let near_duplicates = self.cfg.near_duplicates;
        let (work, mut event, mut line, fingerprint) = tokio::task::spawn_blocking(move || {
            let event = page_to_event(&work, page.as_deref(), input);
            let line = event.to_line();
            let fingerprint = near_duplicates
                .then(|| Fingerprint::of_body(&event.body))
                .flatten();
            (work, event, line, fingerprint)
        })
        .await
        .map_err(|e| PollError::Extract(format!("making the event panicked: {e}")))?;
        if let Some(fp) = fingerprint {
            let found = self
                .store
                .link_copy(
                    &event.id,
                    &event.url,
                    &fp,
                    chrono::Utc::now().timestamp_millis(),
                )
                .await?;
            if let Some(original) = found {
                event.duplicate_of = Some(original.into());
                // The link adds a hundred bytes or so to the line.
                pipeline::fit_line(&mut event, self.cfg.output.max_line_bytes);
                line = event.to_line();
            }
        }
        self.claim_and_emit(feed, &work, event, line).await
    }

    /// The key of the item's event id ([`ItemKeys::event_key`]): its
    /// link's, unless this feed emitted the link before for another item.
    async fn id_key(&self, keys: &ItemKeys) -> Result<String, PollError> {
        let taken = match keys.link_key() {
            Some(link) => {
                let recorded = ItemKeys {
                    id: link.to_string(),
                    link: None,
                    also: Vec::new(),
                };
                self.store.is_seen(&recorded).await?
            }
            None => false,
        };
        Ok(keys.event_key(taken).to_string())
    }

    /// Fetches the item's article page, parking the item when the fetch
    /// fails for now and it has attempts left.
    async fn fetch_page(&self, feed: &FeedConfig, work: &WorkItem) -> Result<Page, PollError> {
        // Links that name no article (see `identity`) are not fetched.
        let Some(link) = work.item.link.as_ref().filter(|_| work.keys.link.is_some()) else {
            return Ok(Page::FromFeed);
        };
        let e = match self.fetcher.page(link).await {
            Ok(resp) => {
                self.metrics.pages_fetched.fetch_add(1, Ordering::Relaxed);
                return Ok(Page::Fetched(Box::new(resp)));
            }
            Err(e) => e,
        };
        self.metrics.fetch_error("page", e.kind());
        if e.is_transient() && work.attempts + 1 < PAGE_ATTEMPTS {
            let n = self
                .store
                .add_pending(
                    feed.url.as_str(),
                    &work.keys,
                    &work.item,
                    &crate::redact::text(&e.to_string()),
                )
                .await?;
            self.metrics.items_pending.fetch_add(1, Ordering::Relaxed);
            warn!(url = %link, attempt = n, "page fetch failed, retried on the next poll: {e}");
            return Ok(Page::Parked);
        }
        warn!(url = %link, "page unavailable, emitting the feed's own content: {e}");
        self.metrics.items_from_feed.fetch_add(1, Ordering::Relaxed);
        Ok(Page::FromFeed)
    }

    /// Records the item as emitted with its event in the outbox, then
    /// queues the event for the sink (unless another feed or instance
    /// emitted the item first).
    async fn claim_and_emit(
        &self,
        feed: &FeedConfig,
        work: &WorkItem,
        event: ArticleEvent,
        line: String,
    ) -> Result<(), PollError> {
        let claimed = self
            .store
            .claim(Some(feed.url.as_str()), &work.keys, &event.event_id, &line)
            .await?;
        if work.attempts > 0 {
            self.store.remove_pending(&work.keys.id).await?;
        }
        if !claimed {
            return Ok(());
        }
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
        Ok(())
    }
}

/// The whole CPU-bound step from a page to an event:
/// decoding, extraction, quotes, tags and the size cap. Runs on a
/// blocking thread, never on the async runtime.
fn page_to_event(
    work: &WorkItem,
    page: Option<&fetch::Response>,
    input: EventInput,
) -> ArticleEvent {
    let article = page.map(|resp| {
        let charset = resp
            .content_type
            .as_deref()
            .and_then(crate::feed::http_charset);
        let html = crate::text::decode_html(&resp.body, charset);
        input.extractor.extract(&html, Some(&resp.url))
    });
    pipeline::item_event(
        &work.item,
        &input.id_key,
        article,
        input.feed_ref,
        &input.tags,
        input.max_line_bytes,
    )
}
