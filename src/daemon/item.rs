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
use crate::store::{ArticleRecord, ArticleState, Store, StoredItem, WorkItem};

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
pub(super) struct EventInput {
    pub(super) extractor: std::sync::Arc<Extractor>,
    pub(super) feed_ref: FeedRef,
    /// What the event id derives from.
    pub(super) id_key: String,
    pub(super) tags: Vec<String>,
    pub(super) max_line_bytes: usize,
    /// Fingerprint the body for near-duplicate lookup ([`crate::dedup`]).
    pub(super) fingerprint: bool,
}

/// What the page-to-event step made.
pub(super) struct Made {
    pub(super) work: WorkItem,
    pub(super) event: ArticleEvent,
    pub(super) meta: PageMeta,
    pub(super) fingerprint: Option<Fingerprint>,
}

/// What a recheck needs of the page an event was made from.
#[derive(Default)]
pub(super) struct PageMeta {
    url: Option<String>,
    at: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    digest: Option<String>,
}

impl PageMeta {
    fn of(resp: &fetch::Response) -> Self {
        PageMeta {
            url: Some(resp.url.to_string()),
            at: Some(crate::archive::warc_date(resp.fetched_at)),
            etag: resp.validators.etag.clone(),
            last_modified: resp.validators.last_modified.clone(),
            digest: Some(page_digest(&resp.body)),
        }
    }

    /// Records the page in `state`; without a page the earlier one stays.
    pub(super) fn note(self, state: &mut ArticleState) {
        if self.url.is_some() {
            state.page_url = self.url;
            state.page_at = self.at;
            state.etag = self.etag;
            state.last_modified = self.last_modified;
            state.page_digest = self.digest;
        }
    }
}

/// Digest of a page's bytes: an identical page needs no extraction.
pub(super) fn page_digest(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(body)[..16])
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
        let _permit = self.page_permit().await?;
        let page = match self.fetch_page(feed, &work).await? {
            Page::Parked => return Ok(()),
            Page::Fetched(resp) => Some(resp),
            Page::FromFeed => None,
        };
        let id_key = self.id_key(&work.keys).await?;
        let input = self.event_input(feed, feed_ref, id_key.clone());
        let Made {
            work,
            mut event,
            meta,
            fingerprint,
        } = make_event(work, page, input).await?;
        if let Some(fp) = fingerprint {
            self.mark_copy(&mut event, &fp).await?;
        }
        let record = (self.cfg.revisions).then(|| {
            let mut r = self.first_record(feed, feed_ref, &work, &event, meta);
            r.state.id_key = id_key;
            r
        });
        self.claim_and_emit(feed, &work, event, record).await
    }

    /// Links a syndicated copy to the first-seen article of its story
    /// ([`crate::dedup`]); every article is indexed for later copies.
    async fn mark_copy(&self, event: &mut ArticleEvent, fp: &Fingerprint) -> Result<(), PollError> {
        let now = chrono::Utc::now().timestamp_millis();
        let (id, url) = (event.id.as_str(), event.url.as_str());
        let found = self
            .stored(|| self.store.link_copy(id, url, fp, now))
            .await?;
        if let Some(original) = found {
            event.duplicate_of = Some(original.into());
            // The link adds a hundred bytes or so to the line.
            pipeline::fit_line(event, self.cfg.output.max_line_bytes);
        }
        Ok(())
    }

    /// A page permit (bounding page work over all feeds), unless shutdown
    /// began: then no new page work starts.
    pub(super) async fn page_permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, PollError> {
        if self.shutdown.is_cancelled() {
            return Err(PollError::Stopped);
        }
        Ok(self
            .pages
            .acquire()
            .await
            .expect("page semaphore is never closed"))
    }

    pub(super) fn event_input(
        &self,
        feed: &FeedConfig,
        feed_ref: &FeedRef,
        id_key: String,
    ) -> EventInput {
        EventInput {
            extractor: self.extractor.clone(),
            feed_ref: feed_ref.clone(),
            id_key,
            tags: feed.tags.clone(),
            max_line_bytes: self.cfg.output.max_line_bytes,
            fingerprint: self.cfg.near_duplicates,
        }
    }

    /// What is kept of an article emitted for the first time.
    fn first_record(
        &self,
        feed: &FeedConfig,
        feed_ref: &FeedRef,
        work: &WorkItem,
        event: &ArticleEvent,
        meta: PageMeta,
    ) -> ArticleRecord {
        let now = chrono::Utc::now().timestamp_millis();
        let (next_check, checks_done) =
            crate::revision::next_check(now, &feed.recheck, 0, now, rand::random::<f64>());
        let mut state = ArticleState {
            feed_url: feed.url.to_string(),
            feed_title: feed_ref.title.clone(),
            item: StoredItem::new(&work.item, &work.keys),
            id_key: String::new(),
            tags: feed.tags.clone(),
            digests: crate::revision::digests(event),
            feed_signal: crate::revision::feed_signal(&work.item),
            checks_done,
            ..ArticleState::default()
        };
        meta.note(&mut state);
        ArticleRecord {
            id: event.id.clone(),
            item_key: work.keys.id.clone(),
            revision: 1,
            emitted_at: now,
            next_check,
            state,
        }
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
                self.stored(|| self.store.is_seen(&recorded)).await?
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
                self.archive_page(&resp);
                return Ok(Page::Fetched(Box::new(resp)));
            }
            Err(e) => e,
        };
        self.metrics.fetch_error("page", e.kind());
        if e.is_transient() && work.attempts + 1 < PAGE_ATTEMPTS {
            let error = crate::redact::text(&e.to_string()).into_owned();
            let n = self
                .stored(|| {
                    self.store
                        .add_pending(feed.url.as_str(), &work.keys, &work.item, &error)
                })
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
        record: Option<ArticleRecord>,
    ) -> Result<(), PollError> {
        let line = event.to_line();
        let url = feed.url.as_str();
        let claimed = self
            .stored(|| async {
                match &record {
                    Some(r) => {
                        (self.store)
                            .claim_article(Some(url), &work.keys, &event.event_id, &line, r)
                            .await
                    }
                    None => {
                        (self.store)
                            .claim(Some(url), &work.keys, &event.event_id, &line)
                            .await
                    }
                }
            })
            .await?;
        if work.attempts > 0 {
            self.stored(|| self.store.remove_pending(&work.keys.id))
                .await?;
        }
        if !claimed {
            return Ok(());
        }
        self.metrics.items_emitted.fetch_add(1, Ordering::Relaxed);
        debug!(id = %event.id, url = %event.url, "emitting");
        self.send(event.event_id, line).await;
        Ok(())
    }

    /// Queues a claimed event for the sink. The sink only ends when every
    /// sender is gone or it failed; in the latter case the event stays in
    /// the outbox.
    pub(super) async fn send(&self, event_id: String, line: String) {
        self.metrics.sink_queue.fetch_add(1, Ordering::Relaxed);
        let _ = self.events.send(Emit { event_id, line }).await;
    }
}

/// Runs the page-to-event step on a blocking thread.
pub(super) async fn make_event(
    work: WorkItem,
    page: Option<Box<fetch::Response>>,
    input: EventInput,
) -> Result<Made, PollError> {
    tokio::task::spawn_blocking(move || {
        let fingerprint = input.fingerprint;
        let event = page_to_event(&work, page.as_deref(), input);
        let meta = page.as_deref().map(PageMeta::of).unwrap_or_default();
        let fingerprint = fingerprint
            .then(|| Fingerprint::of_body(&event.body))
            .flatten();
        Made {
            work,
            event,
            meta,
            fingerprint,
        }
    })
    .await
    .map_err(|e| PollError::Extract(format!("making the event panicked: {e}")))
}

/// The whole CPU-bound step from a page to an event:
/// decoding, extraction, quotes, tags and the size cap. Runs on a
/// blocking thread, never on the async runtime.
pub(super) fn page_to_event(
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
