//! A failed poll is retried by its cause: a feed's own failure is backed
//! off and grows the feed's error streak; a store outage is not the feed's
//! fault, so the streak stays and the feed is tried again soon.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Result, bail};
use newsflow::dedup::{Fingerprint, Original};
use newsflow::feed::Item;
use newsflow::identity::ItemKeys;
use newsflow::sink::Sink;
use newsflow::store::{
    ArticleRecord, Checkpoint, FeedDocument, FeedState, FeedStatus, SqliteStore, Store,
    Undelivered, WorkItem,
};
use support::*;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Event lines kept in memory.
#[derive(Default)]
struct Lines(Arc<Mutex<Vec<String>>>);

impl Sink for Lines {
    async fn write(&mut self, line: &str) -> Result<()> {
        self.0.lock().unwrap().push(line.to_string());
        Ok(())
    }
    async fn flush(&mut self) -> Result<Option<Checkpoint>> {
        Ok(None)
    }
    fn reopen(&mut self) -> Result<()> {
        Ok(())
    }
}

/// SQLite whose reads of parked items fail while `outages` lasts: the
/// store goes away in the middle of a poll, after the feed was fetched.
struct Outage {
    inner: SqliteStore,
    outages: AtomicU32,
}

impl Store for Outage {
    async fn pending(&self, feed: &str) -> Result<Vec<WorkItem>> {
        if self
            .outages
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
        {
            bail!("database is locked");
        }
        self.inner.pending(feed).await
    }
    async fn sync_feeds(&self, feeds: &[String]) -> Result<()> {
        self.inner.sync_feeds(feeds).await
    }
    async fn lease_due(
        &self,
        owner: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<String>> {
        self.inner.lease_due(owner, now, lease_ms, limit).await
    }
    async fn next_due(&self) -> Result<Option<i64>> {
        self.inner.next_due().await
    }
    async fn feed_state(&self, feed: &str) -> Result<FeedState> {
        self.inner.feed_state(feed).await
    }
    async fn poll_succeeded(
        &self,
        feed: &str,
        by: &str,
        next_poll: i64,
        document: Option<&FeedDocument>,
    ) -> Result<()> {
        self.inner
            .poll_succeeded(feed, by, next_poll, document)
            .await
    }
    async fn poll_failed(
        &self,
        feed: &str,
        by: &str,
        error: &str,
        next_poll: i64,
        streak: u32,
    ) -> Result<()> {
        self.inner
            .poll_failed(feed, by, error, next_poll, streak)
            .await
    }
    async fn touch_seen(&self, keys: &[&str], now: i64, stale_before: i64) -> Result<()> {
        self.inner.touch_seen(keys, now, stale_before).await
    }
    async fn prune_seen(&self, before: i64) -> Result<u64> {
        self.inner.prune_seen(before).await
    }
    async fn is_seen(&self, keys: &ItemKeys) -> Result<bool> {
        self.inner.is_seen(keys).await
    }
    async fn claim(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
    ) -> Result<bool> {
        self.inner.claim(feed, keys, event_id, line).await
    }
    async fn delivered(&self, event_ids: &[String], checkpoint: Option<Checkpoint>) -> Result<()> {
        self.inner.delivered(event_ids, checkpoint).await
    }
    async fn undelivered(&self) -> Result<Vec<Undelivered>> {
        self.inner.undelivered().await
    }
    async fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        self.inner.checkpoint().await
    }
    async fn add_pending(
        &self,
        feed: &str,
        keys: &ItemKeys,
        item: &Item,
        error: &str,
    ) -> Result<u32> {
        self.inner.add_pending(feed, keys, item, error).await
    }
    async fn remove_pending(&self, key: &str) -> Result<()> {
        self.inner.remove_pending(key).await
    }
    async fn status(&self) -> Result<Vec<FeedStatus>> {
        self.inner.status().await
    }
    async fn claim_article(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
        record: &ArticleRecord,
    ) -> Result<bool> {
        (self.inner)
            .claim_article(feed, keys, event_id, line, record)
            .await
    }
    async fn claim_revision(
        &self,
        record: &ArticleRecord,
        event_id: &str,
        line: &str,
    ) -> Result<bool> {
        self.inner.claim_revision(record, event_id, line).await
    }
    async fn article_by_item(&self, item_key: &str) -> Result<Option<ArticleRecord>> {
        self.inner.article_by_item(item_key).await
    }
    async fn save_article(&self, record: &ArticleRecord) -> Result<()> {
        self.inner.save_article(record).await
    }
    async fn due_articles(
        &self,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<ArticleRecord>> {
        self.inner.due_articles(now, lease_ms, limit).await
    }
    async fn articles_after(&self, after: &str, limit: usize) -> Result<Vec<ArticleRecord>> {
        self.inner.articles_after(after, limit).await
    }
    async fn link_copy(
        &self,
        id: &str,
        url: &str,
        fingerprint: &Fingerprint,
        now: i64,
    ) -> Result<Option<Original>> {
        self.inner.link_copy(id, url, fingerprint, now).await
    }
    async fn prune_copies(&self, before: i64) -> Result<u64> {
        self.inner.prune_copies(before).await
    }
}

/// `run --once` on `store`; returns the lines emitted.
async fn run_once_on(config: &std::path::Path, store: &Arc<Outage>) -> Vec<String> {
    let cfg = newsflow::config::load(config).unwrap();
    let sink = Lines::default();
    let lines = sink.0.clone();
    let (_reload_tx, reload) = mpsc::channel(1);
    newsflow::daemon::run_with(
        cfg,
        store.clone(),
        sink,
        CancellationToken::new(),
        true,
        reload,
    )
    .await
    .unwrap();
    lines.lock().unwrap().clone()
}

#[tokio::test]
async fn a_store_outage_is_retried_soon_and_a_feed_failure_is_backed_off() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let (good, gone) = (site.url("/world.xml"), site.url("/gone/feed.xml"));
    let config = write_config(dir.path(), &[good.clone(), gone.clone()], "");
    let store = Arc::new(Outage {
        inner: SqliteStore::open(&dir.path().join("state")).unwrap(),
        outages: AtomicU32::new(1),
    });

    let before = now_ms();
    assert!(run_once_on(&config, &store).await.is_empty());
    let outage = store.feed_state(&good).await.unwrap();
    assert_eq!(outage.error_streak, 0, "not the feed's fault");
    let retry_in = outage.next_poll.unwrap() - before;
    assert!((0..=31_000).contains(&retry_in), "retried in {retry_in} ms");
    let failed = store.feed_state(&gone).await.unwrap();
    assert_eq!(failed.error_streak, 1);
    // The first backoff of a 15-minute interval: 112 s, give or take 20%.
    assert!(failed.next_poll.unwrap() - before > 60_000);
    let rows = store.status().await.unwrap();
    let row = |url: &str| rows.iter().find(|r| r.url == url).unwrap().clone();
    assert!(
        row(&good).last_error.unwrap().contains("state store"),
        "{rows:?}"
    );
    assert!(row(&gone).last_error.unwrap().contains("404"), "{rows:?}");

    // The store is back: the feed's items are all emitted.
    assert_eq!(run_once_on(&config, &store).await.len(), 3);
    assert_eq!(store.feed_state(&good).await.unwrap().error_streak, 0);
    assert_eq!(store.feed_state(&gone).await.unwrap().error_streak, 2);
}
