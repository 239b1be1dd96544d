//! Durable state: what was emitted, what is waiting to be, and each feed's
//! schedule and validators.
//!
//! Delivery works as an outbox. A processed article is *claimed* in one
//! transaction that records its identity keys and puts its event line in the
//! outbox; the sink then writes the line, and the store is told it was
//! *delivered* (with the sink's checkpoint). After a crash, outbox entries
//! are reconciled with the sink (see [`crate::sink`]) and the ones the sink
//! never got are written again. So an item is never lost, and a file sink
//! never holds it twice.

use std::future::Future;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::dedup::{Fingerprint, Original};
use crate::feed::Item;
use crate::fetch::Validators;
use crate::identity::ItemKeys;

/// Persisted per-feed poll state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedState {
    /// What the last document read came with.
    pub validators: Validators,
    /// Unix milliseconds of the next poll, when known.
    pub next_poll: Option<i64>,
    pub error_streak: u32,
    /// Unix milliseconds of the last poll that got a document (not a 304).
    pub fresh_at: Option<i64>,
}

/// One row of `newsflow status`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedStatus {
    pub url: String,
    pub title: Option<String>,
    pub last_success: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
    pub next_poll: Option<i64>,
    pub items_emitted: i64,
    pub error_streak: u32,
    /// The instance that recorded the feed's last poll (`[store] instance`).
    pub polled_by: Option<String>,
    /// Configured now (feeds no longer configured keep their history).
    pub active: bool,
}

/// An event written to the outbox and not yet confirmed by the sink.
#[derive(Debug, Clone, PartialEq)]
pub struct Undelivered {
    pub event_id: String,
    pub line: String,
}

/// Where the sink stood after the last confirmed delivery.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// Bytes in the output file after the last confirmed line.
    pub offset: u64,
    /// The file's identity (inode), to notice rotation.
    pub file_id: u64,
}

/// One item of a feed on its way to an event: a new item of the document,
/// or one parked because its page could not be fetched yet.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    pub item: Item,
    /// The keys the item had in its document.
    pub keys: ItemKeys,
    /// Polls that have failed to fetch its page so far.
    pub attempts: u32,
}

/// What a poll that got a document (not a 304) records of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedDocument {
    pub title: Option<String>,
    pub validators: Validators,
}

/// The store cannot be used for now (its disk full or read-only, I/O
/// errors, a lock held too long), as opposed to a request it refuses:
/// callers wait and try again instead of failing the work. Found in an
/// error's chain by [`is_unavailable`].
#[derive(Debug, thiserror::Error)]
#[error("the state store {store} is unavailable")]
pub struct Unavailable {
    /// What the store is (the SQLite file), for the operator.
    pub store: String,
    #[source]
    pub cause: Box<dyn std::error::Error + Send + Sync>,
}

/// Whether `e` is (or was caused by) an [`Unavailable`] store.
pub fn is_unavailable(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<Unavailable>())
}

/// What is kept of an emitted article to find, number and recheck its
/// revisions. Both stores keep the columns they query and `state` as JSON.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArticleRecord {
    /// The article id (the event's `id`).
    pub id: String,
    /// The item's identity key in its feed ([`ItemKeys::id`]): how a feed
    /// listing finds the record.
    pub item_key: String,
    /// The last revision emitted.
    pub revision: u32,
    /// Unix ms of the first emission; recheck ages count from it.
    pub emitted_at: i64,
    /// Unix ms of the next recheck; `None` when no age is left.
    pub next_check: Option<i64>,
    pub state: ArticleState,
}

/// The part of an [`ArticleRecord`] only Rust reads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ArticleState {
    pub feed_url: String,
    pub feed_title: Option<String>,
    /// The feed item as last listed, to build the next revision's event
    /// the way the first was built (title fallback, categories).
    pub item: StoredItem,
    /// What the event id derives from.
    pub id_key: String,
    /// The feed's configured tags.
    pub tags: Vec<String>,
    /// The page address after redirects, as archived.
    pub page_url: Option<String>,
    /// When the page last compared was fetched (a WARC-Date): an archived
    /// copy older than it is not newer than what was emitted.
    #[serde(default)]
    pub page_at: Option<String>,
    /// Digests of what was last emitted, per field ([`crate::revision`]).
    pub digests: crate::revision::Digests,
    /// Digest of the feed entry's updated date, title and content when last
    /// listed; a different one means the feed signals a change.
    pub feed_signal: String,
    /// The page's validators and body digest, for conditional rechecks.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub page_digest: Option<String>,
    /// Recheck ages done (or given up), from the first.
    pub checks_done: u32,
}

/// The state newsflow needs; SQLite by default, PostgreSQL for scale-out.
pub trait Store: Send + Sync + 'static {
    /// Makes the configured feeds the active ones: new feeds are due now,
    /// known feeds keep their schedule, feeds no longer configured are
    /// kept (with their history) but never leased.
    fn sync_feeds(&self, feeds: &[String]) -> impl Future<Output = Result<()>> + Send;
    /// Leases up to `limit` active feeds that are due at `now` (Unix ms) and
    /// not leased by anyone, for `lease_ms`. With several instances on one
    /// shared store, each due feed goes to exactly one of them; a dead
    /// instance's leases expire and its feeds are taken over.
    fn lease_due(
        &self,
        owner: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// Earliest next poll among active, unleased feeds (Unix ms).
    fn next_due(&self) -> impl Future<Output = Result<Option<i64>>> + Send;
    fn feed_state(&self, feed: &str) -> impl Future<Output = Result<FeedState>> + Send;
    /// Records a successful poll by instance `by` and its next poll, and
    /// ends the lease. `document`: what the feed sent; `None` after a 304,
    /// when the stored title and validators stay.
    fn poll_succeeded(
        &self,
        feed: &str,
        by: &str,
        next_poll: i64,
        document: Option<&FeedDocument>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Records a failed poll by instance `by`, its error and the
    /// backed-off next poll, and ends the lease.
    fn poll_failed(
        &self,
        feed: &str,
        by: &str,
        error: &str,
        next_poll: i64,
        streak: u32,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Marks recorded keys as still listed by a feed at `now`, those whose
    /// mark is older than `stale_before` (so a key is written rarely).
    fn touch_seen(
        &self,
        keys: &[&str],
        now: i64,
        stale_before: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Drops the keys last marked before `before`; returns how many.
    fn prune_seen(&self, before: i64) -> impl Future<Output = Result<u64>> + Send;
    /// True when the item was emitted before ([`ItemKeys::is_duplicate`]).
    fn is_seen(&self, keys: &ItemKeys) -> impl Future<Output = Result<bool>> + Send;
    /// Atomically records the item's keys as emitted and puts the event
    /// line in the outbox. Returns false (and changes nothing) when the
    /// item is a duplicate.
    fn claim(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Marks outbox entries delivered and stores the sink's checkpoint.
    fn delivered(
        &self,
        event_ids: &[String],
        checkpoint: Option<Checkpoint>,
    ) -> impl Future<Output = Result<()>> + Send;
    fn undelivered(&self) -> impl Future<Output = Result<Vec<Undelivered>>> + Send;
    fn checkpoint(&self) -> impl Future<Output = Result<Option<Checkpoint>>> + Send;
    /// Parks an item under its identity key; returns its attempt count.
    fn add_pending(
        &self,
        feed: &str,
        keys: &ItemKeys,
        item: &Item,
        error: &str,
    ) -> impl Future<Output = Result<u32>> + Send;
    /// The items of `feed` parked by [`Store::add_pending`].
    fn pending(&self, feed: &str) -> impl Future<Output = Result<Vec<WorkItem>>> + Send;
    fn remove_pending(&self, key: &str) -> impl Future<Output = Result<()>> + Send;
    fn status(&self) -> impl Future<Output = Result<Vec<FeedStatus>>> + Send;
    /// [`Store::claim`] that also records the article for revisions, in
    /// the same transaction.
    fn claim_article(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
        record: &ArticleRecord,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Claims the article's next revision: stores `record` (whose
    /// `revision` is the new one) and puts the event line in the outbox,
    /// only when the stored revision is the one before. Of two instances
    /// claiming the same revision exactly one gets true.
    fn claim_revision(
        &self,
        record: &ArticleRecord,
        event_id: &str,
        line: &str,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// The record of the article a feed item (by its identity key) became.
    fn article_by_item(
        &self,
        item_key: &str,
    ) -> impl Future<Output = Result<Option<ArticleRecord>>> + Send;
    /// Stores the record's state and next check, unless another revision
    /// was claimed meanwhile.
    fn save_article(&self, record: &ArticleRecord) -> impl Future<Output = Result<()>> + Send;
    /// Takes up to `limit` articles whose recheck is due at `now` and
    /// that no one holds, each held until `now + lease_ms` or until it is
    /// saved (a recheck cut off by a crash is done again then; the
    /// embedded store frees them at once when the daemon restarts).
    fn due_articles(
        &self,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ArticleRecord>>> + Send;
    /// Up to `limit` articles with ids after `after`, in id order.
    fn articles_after(
        &self,
        after: &str,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ArticleRecord>>> + Send;
    /// Indexes an article's body fingerprint (at `now`, Unix ms) and
    /// returns the first-seen indexed article it copies
    /// ([`crate::dedup::first_original`]). Lookup is by LSH band key, never a scan.
    /// An id indexed before gets its first answer again. Two calls at once
    /// for copies of one story (two instances on one shared store) agree:
    /// one of them is first and the other links to it.
    fn link_copy(
        &self,
        id: &str,
        url: &str,
        fingerprint: &Fingerprint,
        now: i64,
    ) -> impl Future<Output = Result<Option<Original>>> + Send;
    /// Drops the fingerprints indexed before `before`; returns how many.
    fn prune_copies(&self, before: i64) -> impl Future<Output = Result<u64>> + Send;
}

mod copies;
pub mod postgres;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// How a pending item is kept in the store; the feed's own content is kept
/// so the item can still be emitted if its page never comes back.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StoredItem {
    guid: Option<String>,
    link: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    published: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    updated: Option<chrono::DateTime<chrono::Utc>>,
    authors: Vec<String>,
    categories: Vec<String>,
    #[serde(default)]
    keys: Option<ItemKeys>,
}

impl StoredItem {
    pub fn new(i: &Item, keys: &ItemKeys) -> Self {
        StoredItem {
            guid: i.guid.clone(),
            link: i.link.as_ref().map(|l| l.to_string()),
            title: i.title.clone(),
            summary: i.summary.clone(),
            content: i.content.clone(),
            published: i.published,
            updated: i.updated,
            authors: i.authors.clone(),
            categories: i.categories.clone(),
            keys: Some(keys.clone()),
        }
    }

    /// The article link of the item, when it has one that names an
    /// article (see [`ItemKeys::link`]).
    pub fn link(&self) -> Option<url::Url> {
        self.keys.as_ref()?.link.as_ref()?;
        url::Url::parse(self.link.as_deref()?).ok()
    }

    /// The parked item of `feed`; `None` when it was parked by a version
    /// that kept no keys and they cannot be made again (`feed` is no URL).
    pub fn into_work_item(self, feed: &str, attempts: u32) -> Option<WorkItem> {
        let item = Item {
            guid: self.guid,
            link: self.link.and_then(|l| url::Url::parse(&l).ok()),
            title: self.title,
            summary: self.summary,
            content: self.content,
            published: self.published,
            updated: self.updated,
            authors: self.authors,
            categories: self.categories,
        };
        let keys = match self.keys {
            Some(keys) => keys,
            None => crate::identity::item_keys(&url::Url::parse(feed).ok()?, &item),
        };
        Some(WorkItem {
            item,
            keys,
            attempts,
        })
    }
}

/// The JSON of an article's state.
pub(crate) fn state_json(state: &ArticleState) -> String {
    serde_json::to_string(state).expect("article state always serialises")
}

/// An article's state from its JSON.
pub(crate) fn parse_state(json: &str) -> Result<ArticleState> {
    use anyhow::Context;
    serde_json::from_str(json).context("reading a stored article state")
}
