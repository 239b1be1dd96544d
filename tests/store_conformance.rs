//! One set of cases for every store: each case runs against SQLite and
//! against PostgreSQL (a throwaway cluster, see `support/pg.rs`; skipped
//! with a message when there is none). What only one store has (leases
//! across instances, instance names, SQLite's file lock and migrations) is
//! tested beside that store.

mod support;

use newsflow::dedup::Fingerprint;
use newsflow::feed::Item;
use newsflow::fetch::Validators;
use newsflow::identity::item_keys;
use newsflow::store::{
    ArticleRecord, ArticleState, Checkpoint, FeedDocument, PostgresStore, SqliteStore, Store,
};
use support::{keys, now_ms};

/// A store under test. Each [`Backend::open`] is a new handle on the same
/// state; opening after dropping the last one is a restart.
trait Backend {
    type S: Store;
    async fn open(&self) -> Self::S;
    /// Another handle open at the same time as the first: on PostgreSQL
    /// another instance.
    async fn open_another(&self) -> Self::S {
        self.open().await
    }
}

struct Sqlite(tempfile::TempDir);

impl Backend for Sqlite {
    type S = SqliteStore;
    async fn open(&self) -> SqliteStore {
        SqliteStore::open(self.0.path()).unwrap()
    }
}

struct Postgres {
    _server: support::pg::PgServer,
    url: String,
}

impl Backend for Postgres {
    type S = PostgresStore;
    async fn open(&self) -> PostgresStore {
        support::pg::reconnect(&self.url, "one").await
    }
    async fn open_another(&self) -> PostgresStore {
        support::pg::reconnect(&self.url, "two").await
    }
}

/// Each case as a test per store.
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(&super::Sqlite(tempfile::tempdir().unwrap())).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let Some(server) = super::support::pg::PgServer::start(stringify!($case)) else {
                        return;
                    };
                    let url = server.database().await;
                    super::$case(&super::Postgres { _server: server, url }).await;
                }
            )*
        }
    };
}

conformance!(
    an_item_is_claimed_once_and_the_outbox_survives_a_restart,
    due_feeds_are_leased_once_until_polled_or_expired,
    a_fresh_document_is_remembered_and_a_304_keeps_it_and_its_validators,
    failures_successes_and_who_polled_show_in_the_status,
    pending_items_count_attempts_and_keep_their_keys,
    keys_of_items_no_longer_listed_are_forgotten,
    a_revision_is_claimed_once_and_a_due_recheck_is_taken_once,
    copies_are_linked_to_the_first_seen_article_until_retention_forgets_it,
    two_handles_indexing_copies_at_once_agree_on_the_first,
    a_body_on_many_pages_links_them_all_to_the_first,
);

fn document(title: Option<&str>, etag: Option<&str>, last_modified: Option<&str>) -> FeedDocument {
    FeedDocument {
        title: title.map(String::from),
        validators: Validators {
            etag: etag.map(String::from),
            last_modified: last_modified.map(String::from),
        },
    }
}

async fn an_item_is_claimed_once_and_the_outbox_survives_a_restart(b: &impl Backend) {
    let first = keys("http://f/1", "a", "http://x/1");
    {
        let s = b.open().await;
        assert!(!s.is_seen(&first).await.unwrap());
        assert!(s.claim(Some("f"), &first, "e1", "{\"n\":1}").await.unwrap());
        assert!(!s.claim(Some("f"), &first, "e1", "{}").await.unwrap());
        // The same link through another feed is that feed's article.
        let other = keys("http://f/2", "b", "http://x/1");
        assert!(s.is_seen(&other).await.unwrap());
        assert!(!s.claim(Some("f"), &other, "e2", "{}").await.unwrap());
    }
    let s = b.open().await;
    assert!(s.is_seen(&first).await.unwrap());
    // Another id of the same feed with the same link is another item.
    let sibling = keys("http://f/1", "c", "http://x/1");
    assert!(!s.is_seen(&sibling).await.unwrap());
    assert!(
        s.claim(Some("f"), &sibling, "e3", "{\"n\":3}")
            .await
            .unwrap()
    );
    let out = s.undelivered().await.unwrap();
    let ids: Vec<&str> = out.iter().map(|u| u.event_id.as_str()).collect();
    assert_eq!(ids, ["e1", "e3"], "in claim order");
    assert_eq!(out[1].line, "{\"n\":3}");

    assert_eq!(s.checkpoint().await.unwrap(), None);
    let cp = Checkpoint {
        offset: 4096,
        file_id: u64::MAX - 7,
    };
    s.delivered(&["e1".to_string()], Some(cp)).await.unwrap();
    assert_eq!(s.checkpoint().await.unwrap(), Some(cp));
    assert_eq!(s.undelivered().await.unwrap().len(), 1);
    s.delivered(&["e3".to_string()], None).await.unwrap();
    assert!(s.undelivered().await.unwrap().is_empty());
    assert_eq!(
        s.checkpoint().await.unwrap(),
        Some(cp),
        "kept without a new one"
    );
    assert_eq!(s.status().await.unwrap()[0].items_emitted, 2);
}

async fn due_feeds_are_leased_once_until_polled_or_expired(b: &impl Backend) {
    let s = b.open().await;
    let feeds = vec!["http://a/".to_string(), "http://b/".to_string()];
    s.sync_feeds(&feeds).await.unwrap();
    let now = now_ms() + 1;
    let got = s.lease_due("one", now, 60_000, 10).await.unwrap();
    assert_eq!(got.len(), 2);
    assert!(
        s.lease_due("two", now, 60_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.next_due().await.unwrap(), None, "all leased");
    // An expired lease is taken over.
    let later = now + 61_000;
    assert_eq!(s.lease_due("two", later, 60_000, 1).await.unwrap().len(), 1);
    // A polled feed is free again, due at its next poll.
    s.poll_succeeded("http://a/", "two", later + 1000, None)
        .await
        .unwrap();
    s.poll_succeeded("http://b/", "one", later + 5000, None)
        .await
        .unwrap();
    assert_eq!(s.next_due().await.unwrap(), Some(later + 1000));
    assert!(
        s.lease_due("one", later, 60_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // A feed dropped from the config keeps its history but is never leased.
    s.sync_feeds(&feeds[..1]).await.unwrap();
    let rows = s.status().await.unwrap();
    let active: Vec<(&str, bool)> = rows.iter().map(|r| (r.url.as_str(), r.active)).collect();
    assert_eq!(
        active,
        [("http://a/", true), ("http://b/", false)],
        "history kept"
    );
    assert_eq!(
        s.lease_due("one", later + 10_000, 1000, 10).await.unwrap(),
        ["http://a/"]
    );
}

async fn a_fresh_document_is_remembered_and_a_304_keeps_it_and_its_validators(b: &impl Backend) {
    let s = b.open().await;
    assert_eq!(s.feed_state("f").await.unwrap().fresh_at, None);
    let doc = document(Some("Feed F"), Some("\"v1\""), Some("Tue"));
    s.poll_succeeded("f", "one", 99, Some(&doc)).await.unwrap();
    let st = s.feed_state("f").await.unwrap();
    assert!(st.fresh_at.is_some());
    assert_eq!(st.validators, doc.validators);
    assert_eq!((st.next_poll, st.error_streak), (Some(99), 0));
    s.poll_succeeded("f", "one", 100, None).await.unwrap();
    let after_304 = s.feed_state("f").await.unwrap();
    assert_eq!(after_304.validators, doc.validators, "validators stay");
    assert_eq!(after_304.fresh_at, st.fresh_at);
    assert_eq!(after_304.next_poll, Some(100));
    assert_eq!(
        s.status().await.unwrap()[0].title.as_deref(),
        Some("Feed F")
    );
}

async fn failures_successes_and_who_polled_show_in_the_status(b: &impl Backend) {
    let s = b.open().await;
    s.poll_failed("f", "east", "timed out", 1234, 3)
        .await
        .unwrap();
    let st = s.feed_state("f").await.unwrap();
    assert_eq!((st.next_poll, st.error_streak), (Some(1234), 3));
    let row = &s.status().await.unwrap()[0];
    assert_eq!(row.last_error.as_deref(), Some("timed out"));
    assert!(row.last_error_at.is_some());
    assert_eq!((row.error_streak, row.last_success), (3, None));
    assert_eq!(row.polled_by.as_deref(), Some("east"));
    s.poll_succeeded("f", "west", 99, Some(&document(Some("Feed F"), None, None)))
        .await
        .unwrap();
    let rows = s.status().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title.as_deref(), Some("Feed F"));
    assert_eq!(rows[0].error_streak, 0);
    assert_eq!(
        rows[0].last_error.as_deref(),
        Some("timed out"),
        "kept for the record"
    );
    assert!(rows[0].last_success.is_some());
    assert_eq!(
        rows[0].polled_by.as_deref(),
        Some("west"),
        "the instance that polled last"
    );
}

async fn pending_items_count_attempts_and_keep_their_keys(b: &impl Backend) {
    let item = Item {
        guid: Some("g".into()),
        link: Some(url::Url::parse("http://x/2").unwrap()),
        title: Some("T".into()),
        authors: vec!["Ann".into()],
        ..Item::default()
    };
    let pk = item_keys(&url::Url::parse("http://f/1").unwrap(), &item);
    {
        let s = b.open().await;
        assert_eq!(s.add_pending("f", &pk, &item, "503").await.unwrap(), 1);
        assert_eq!(
            s.add_pending("f", &pk, &item, "503 again").await.unwrap(),
            2
        );
        assert!(s.pending("other").await.unwrap().is_empty());
    }
    let s = b.open().await;
    let p = s.pending("f").await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!((&p[0].item, &p[0].keys, p[0].attempts), (&item, &pk, 2));
    s.remove_pending(&pk.id).await.unwrap();
    assert!(s.pending("f").await.unwrap().is_empty());
}

async fn keys_of_items_no_longer_listed_are_forgotten(b: &impl Backend) {
    let s = b.open().await;
    let listed = keys("http://f/1", "a", "http://x/a");
    let gone = keys("http://f/1", "b", "http://x/b");
    // Another id of the feed with the listed item's link: its link keys
    // are the listed item's.
    let sibling = keys("http://f/1", "z", "http://x/a");
    assert!(s.claim(Some("f"), &listed, "e1", "{}").await.unwrap());
    assert!(s.claim(Some("f"), &gone, "e2", "{}").await.unwrap());
    assert!(s.claim(Some("f"), &sibling, "e3", "{}").await.unwrap());
    let now = now_ms();
    // A later poll still lists `a`; its keys are marked again.
    s.touch_seen(&listed.all(), now + 50_000, now + 25_000)
        .await
        .unwrap();
    assert_eq!(s.prune_seen(now + 40_000).await.unwrap(), 3 + 1);
    assert!(s.is_seen(&listed).await.unwrap());
    assert!(!s.is_seen(&gone).await.unwrap());
    assert!(!s.is_seen(&sibling).await.unwrap());
    // Marks are only rewritten once stale.
    s.touch_seen(&listed.all(), now + 60_000, now + 25_000)
        .await
        .unwrap();
    assert_eq!(s.prune_seen(now + 55_000).await.unwrap(), 3);
}

async fn a_revision_is_claimed_once_and_a_due_recheck_is_taken_once(b: &impl Backend) {
    let s = b.open().await;
    let k = keys("http://f/1", "a", "http://x/1");
    let first = ArticleRecord {
        id: "art1".into(),
        item_key: k.id.clone(),
        revision: 1,
        emitted_at: 1_000,
        next_check: Some(5_000),
        state: ArticleState {
            feed_url: "http://f/1".into(),
            feed_signal: "s1".into(),
            ..ArticleState::default()
        },
    };
    assert!(
        s.claim_article(Some("http://f/1"), &k, "e1", "{\"r\":1}", &first)
            .await
            .unwrap()
    );
    assert!(
        !s.claim_article(Some("http://f/1"), &k, "e1b", "{}", &first)
            .await
            .unwrap()
    );
    assert_eq!(
        s.article_by_item(&k.id).await.unwrap().as_ref(),
        Some(&first)
    );
    assert_eq!(s.article_by_item("nothing").await.unwrap(), None);

    // Two claims of revision 2 at once (two instances): exactly one wins.
    let mut second = first.clone();
    second.revision = 2;
    second.state.feed_signal = "s2".into();
    let (x, y) = tokio::join!(
        s.claim_revision(&second, "e2", "{\"r\":2}"),
        s.claim_revision(&second, "e2b", "{\"r\":2}")
    );
    assert_eq!([x.unwrap(), y.unwrap()].iter().filter(|w| **w).count(), 1);
    // A claim made from a stale record (revision 2 again) is refused.
    assert!(!s.claim_revision(&second, "e2c", "{}").await.unwrap());
    let ids: Vec<String> = (s.undelivered().await.unwrap().into_iter())
        .map(|u| u.event_id)
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ids[0], "e1");
    assert!(ids[1].starts_with("e2"), "{ids:?}");
    // Saving a record of an older revision changes nothing.
    let mut stale = first.clone();
    stale.state.feed_signal = "old".into();
    s.save_article(&stale).await.unwrap();
    assert_eq!(
        s.article_by_item(&k.id)
            .await
            .unwrap()
            .unwrap()
            .state
            .feed_signal,
        "s2"
    );

    // A due recheck is taken once until it is saved.
    assert!(
        s.due_articles(4_000, 600_000, 10).await.unwrap().is_empty(),
        "not due yet"
    );
    let due = s.due_articles(6_000, 600_000, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].revision, 2);
    assert!(
        s.due_articles(6_000, 600_000, 10).await.unwrap().is_empty(),
        "held"
    );
    // A hold outlived by its holder runs out.
    assert_eq!(s.due_articles(700_000, 600_000, 10).await.unwrap().len(), 1);
    let mut done = due[0].clone();
    done.next_check = None;
    s.save_article(&done).await.unwrap();
    assert!(
        s.due_articles(i64::MAX / 2, 1, 10)
            .await
            .unwrap()
            .is_empty(),
        "no age left"
    );
    let listed = s.articles_after("", 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(s.articles_after("art1", 10).await.unwrap().is_empty());
}

/// A body of the labelled near-duplicate set, and its fingerprint.
fn fingerprint(file: &str) -> Fingerprint {
    let path = support::fixtures().join("near_duplicates").join(file);
    Fingerprint::of_body(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

async fn copies_are_linked_to_the_first_seen_article_until_retention_forgets_it(b: &impl Backend) {
    let s = b.open().await;
    let t = now_ms();
    let original = fingerprint("en-floods/00-original.txt");
    let copy = fingerprint("en-floods/02-copy-ads-readmore.txt");
    assert_eq!(
        s.link_copy("a", "http://a/1", &original, t).await.unwrap(),
        None
    );
    let found = s
        .link_copy("b", "http://b/1", &copy, t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id.as_str(), found.url.as_str()), ("a", "http://a/1"));
    assert!(found.similarity >= 0.8, "{found:?}");
    let look_alike = fingerprint("en-floods/05-lookalike-followup.txt");
    assert_eq!(
        s.link_copy("c", "http://c/1", &look_alike, t)
            .await
            .unwrap(),
        None
    );
    // An id indexed before keeps its first answer, even with another body.
    assert_eq!(
        s.link_copy("b", "http://b/1", &look_alike, t)
            .await
            .unwrap(),
        Some(found.clone())
    );
    drop(s);
    let s = b.open().await;
    // A copy of a copy points at the first-seen article too.
    let later = fingerprint("en-floods/03-copy-cut-last.txt");
    let again = s
        .link_copy("d", "http://d/1", &later, t + 10)
        .await
        .unwrap();
    assert_eq!(again.map(|o| o.id), Some("a".to_string()));
    assert_eq!(s.prune_copies(t + 5).await.unwrap(), 3);
    assert_eq!(s.prune_copies(t + 5).await.unwrap(), 0);
    // The article left (d) is now the first of its story.
    let last = fingerprint("en-floods/01-copy-dateline-credit.txt");
    let found = s.link_copy("e", "http://e/1", &last, t + 20).await.unwrap();
    assert_eq!(
        found.map(|o| o.id),
        Some("a".to_string()),
        "through d's link"
    );
    assert_eq!(s.prune_copies(t + 30).await.unwrap(), 2);
    assert_eq!(
        s.link_copy("f", "http://f/1", &original, t + 40)
            .await
            .unwrap(),
        None
    );
}

async fn two_handles_indexing_copies_at_once_agree_on_the_first(b: &impl Backend) {
    let (s1, s2) = (b.open().await, b.open_another().await);
    let t = now_ms();
    for round in 0..10 {
        let one = fingerprint("de-wolf/01-copy-dateline-credit.txt");
        let two = fingerprint("de-wolf/04-copy-edited.txt");
        let (id1, id2) = (format!("one-{round}"), format!("two-{round}"));
        let (r1, r2) = tokio::join!(
            s1.link_copy(&id1, "http://one/", &one, t),
            s2.link_copy(&id2, "http://two/", &two, t)
        );
        let (r1, r2) = (r1.unwrap(), r2.unwrap());
        // Round 0: exactly one of them is first; later rounds link both to it.
        let first = match (&r1, &r2) {
            (None, Some(o)) => {
                assert_eq!(o.id, id1);
                id1.clone()
            }
            (Some(o), None) => {
                assert_eq!(o.id, id2);
                id2.clone()
            }
            (Some(a), Some(b)) if round > 0 => {
                assert_eq!(a.id, b.id);
                a.id.clone()
            }
            other => panic!("round {round}: the two did not agree: {other:?}"),
        };
        if round > 0 {
            assert!(first.ends_with("-0"), "{first}");
        }
    }
}

/// One body on many pages (a site's paywall notice, one story re-posted
/// under many addresses): lookups read only the first articles of each
/// band key, and those are the ones a copy points at.
async fn a_body_on_many_pages_links_them_all_to_the_first(b: &impl Backend) {
    let s = b.open().await;
    let t = now_ms();
    let body = fingerprint("de-streik/00-original.txt");
    let many = 3 * newsflow::dedup::MAX_PER_BAND;
    assert_eq!(
        s.link_copy("p0", "http://p/0", &body, t).await.unwrap(),
        None
    );
    for i in 1..many {
        let found = s
            .link_copy(&format!("p{i}"), &format!("http://p/{i}"), &body, t)
            .await
            .unwrap();
        assert_eq!(found.map(|o| o.id), Some("p0".to_string()), "page {i}");
    }
    let copy = fingerprint("de-streik/03-copy-cut-last.txt");
    let found = s.link_copy("late", "http://late/", &copy, t).await.unwrap();
    assert_eq!(found.map(|o| o.id), Some("p0".to_string()));
}
