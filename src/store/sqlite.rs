//! The embedded store: SQLite in WAL mode, one file in `state_dir`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, params};

use super::{
    ArticleRecord, Checkpoint, FeedDocument, FeedState, FeedStatus, Store, StoredItem, Unavailable,
    Undelivered, WorkItem, parse_state, state_json,
};
use crate::dedup::{Fingerprint, Original};
use crate::feed::Item;
use crate::fetch::Validators;
use crate::identity::ItemKeys;

/// The embedded store: one SQLite file in `state_dir`, WAL mode.
pub struct SqliteStore {
    /// Used on blocking threads only (see [`SqliteStore::run`]): a SQLite
    /// call waits for the disk and for other connections' locks.
    conn: Arc<Mutex<Connection>>,
    /// The database file, named in errors.
    path: PathBuf,
    /// Held for the store's life by a daemon; released by the OS on exit.
    _lock: Option<std::fs::File>,
}

/// Schema versions, applied in order; `PRAGMA user_version` is the last
/// one applied. Never edit a released one, add a new version instead (as
/// in the PostgreSQL store).
const MIGRATIONS: &[(u32, &str)] = &[
    (1, V1),
    (2, "ALTER TABLE feeds ADD COLUMN fresh_at INTEGER;"),
    (3, "ALTER TABLE feeds ADD COLUMN polled_by TEXT;"),
    (4, V4_ARTICLES),
    (5, super::copies::sqlite::SCHEMA),
];

/// What revisions and rechecks need of each emitted article (see
/// [`ArticleRecord`]).
const V4_ARTICLES: &str = "
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    item_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    emitted_at INTEGER NOT NULL,
    next_check INTEGER,
    -- A recheck in progress holds the article until then.
    leased_until INTEGER,
    state TEXT NOT NULL
);
CREATE INDEX articles_item ON articles (item_key);
CREATE INDEX articles_check ON articles (next_check) WHERE next_check IS NOT NULL;
";

const ARTICLE_COLUMNS: &str = "id, item_key, revision, emitted_at, next_check, state";

fn article_row(r: &rusqlite::Row) -> rusqlite::Result<ArticleRecord> {
    let state: String = r.get(5)?;
    Ok(ArticleRecord {
        id: r.get(0)?,
        item_key: r.get(1)?,
        revision: r.get(2)?,
        emitted_at: r.get(3)?,
        next_check: r.get(4)?,
        state: parse_state(&state).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, e.into())
        })?,
    })
}

/// Inserts the outbox row of a claimed event.
fn put_in_outbox(tx: &rusqlite::Transaction, event_id: &str, line: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO outbox (event_id, line) VALUES (?1, ?2) ON CONFLICT(event_id) DO NOTHING",
        params![event_id, line],
    )?;
    Ok(())
}

/// The first schema. `IF NOT EXISTS`: it also completes the files made
/// before the schema had versions (see [`adopt_unversioned`]).
const V1: &str = "
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    next_poll INTEGER,
    last_success INTEGER,
    last_error TEXT,
    last_error_at INTEGER,
    error_streak INTEGER NOT NULL DEFAULT 0,
    items_emitted INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    lease_owner TEXT,
    lease_until INTEGER
);
CREATE INDEX IF NOT EXISTS feeds_due ON feeds (active, next_poll);
CREATE TABLE IF NOT EXISTS seen (
    key TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    line TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    key TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    item TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS sink_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    offset INTEGER NOT NULL,
    file_id INTEGER NOT NULL
);
";

/// Pragmas and migrations. Switching a new file to WAL while another
/// process opens it can fail at once with "database is locked" (SQLite
/// skips the busy handler where waiting could deadlock), so that case is
/// retried for a few seconds.
fn set_up(conn: &mut Connection) -> Result<()> {
    let mut attempt = 0;
    loop {
        // WAL with synchronous=NORMAL survives a killed process (the OS has
        // the pages); only a power cut can lose the last transactions.
        let result = conn
            .execute_batch(
                "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            )
            .context("setting up SQLite")
            .and_then(|_| migrate(conn));
        let locked = result.as_ref().err().is_some_and(|e| {
            e.chain()
                .filter_map(|c| c.downcast_ref::<rusqlite::Error>())
                .any(|c| {
                    matches!(
                        c.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    )
                })
        });
        if !locked || attempt == 100 {
            return result;
        }
        attempt += 1;
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

impl SqliteStore {
    /// Opens (creating if needed) `state_dir/newsflow.db`.
    pub fn open(state_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(state_dir)
            .with_context(|| format!("creating state_dir {}", state_dir.display()))?;
        let path = state_dir.join("newsflow.db");
        let mut conn = Connection::open(&path)
            .with_context(|| format!("opening the state store {}", path.display()))?;
        set_up(&mut conn)
            .with_context(|| format!("initialising the state store {}", path.display()))?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            path,
            _lock: None,
        })
    }

    /// Opens the store for a running daemon: takes the state directory's
    /// lock (one daemon per embedded store) and voids leases a killed run
    /// left behind.
    pub fn open_exclusive(state_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(state_dir)
            .with_context(|| format!("creating state_dir {}", state_dir.display()))?;
        let lock_path = state_dir.join("newsflow.lock");
        let lock = std::fs::File::create(&lock_path)
            .with_context(|| format!("creating {}", lock_path.display()))?;
        if lock.try_lock().is_err() {
            anyhow::bail!(
                "another newsflow is running with state_dir {} (lock {} is held)",
                state_dir.display(),
                lock_path.display()
            );
        }
        let mut store = Self::open(state_dir)?;
        store.with_now(|c| {
            c.execute(
                "UPDATE feeds SET lease_owner = NULL, lease_until = NULL",
                [],
            )?;
            c.execute(
                "UPDATE articles SET leased_until = NULL WHERE leased_until IS NOT NULL",
                [],
            )
        })?;
        store._lock = Some(lock);
        Ok(store)
    }

    /// Runs `f` on the connection on this thread; for set-up, before any
    /// async work.
    fn with_now<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> Result<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn).map_err(|e| store_error(&self.path, e))
    }

    /// Runs `f` on the connection on a blocking thread, so the async
    /// runtime's threads never wait for SQLite.
    async fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut conn)
        })
        .await
        .context("state store task")?;
        result.map_err(|e| store_error(&self.path, e))
    }
}

/// The SQLite results that pass by themselves once the file's disk has
/// room, is writable or answers again, or another process lets go of the
/// lock: the daemon waits for those instead of failing the work.
fn is_outage(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(ReadOnly | DiskFull | SystemIoFailure | CannotOpen | DatabaseBusy | DatabaseLocked)
    )
}

/// `e` with the file it concerns; an outage as [`Unavailable`].
fn store_error(path: &Path, e: rusqlite::Error) -> anyhow::Error {
    if is_outage(&e) {
        anyhow::Error::new(Unavailable {
            store: path.display().to_string(),
            cause: Box::new(e),
        })
    } else {
        anyhow::Error::new(e).context(format!("state store {}", path.display()))
    }
}

impl SqliteStore {
    /// [`Store::claim`], recording `record` too when given.
    async fn claim_with(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
        record: Option<&ArticleRecord>,
    ) -> Result<bool> {
        let feed = feed.map(str::to_string);
        let keys = keys.clone();
        let (event_id, line) = (event_id.to_string(), line.to_string());
        let record = record.map(|r| (r.clone(), state_json(&r.state)));
        self.run(move |c| {
            let tx = c.transaction()?;
            {
                let mut seen = tx.prepare_cached("SELECT 1 FROM seen WHERE key = ?1")?;
                if keys.is_duplicate(|k| seen.exists(params![k]))? {
                    return Ok(false);
                }
                // Keys recorded but not checked may exist already; the
                // first item to record one keeps it.
                let mut ins = tx.prepare_cached(
                    "INSERT INTO seen (key, event_id, at) VALUES (?1, ?2, ?3) ON CONFLICT(key) DO NOTHING",
                )?;
                let now = now_ms();
                for k in keys.all() {
                    ins.execute(params![k, &event_id, now])?;
                }
                put_in_outbox(&tx, &event_id, &line)?;
                if let Some(feed) = &feed {
                    tx.execute(
                        "INSERT INTO feeds (url, items_emitted) VALUES (?1, 1)
                         ON CONFLICT(url) DO UPDATE SET items_emitted = items_emitted + 1",
                        params![feed],
                    )?;
                }
                if let Some((r, state)) = &record {
                    tx.execute(
                        "INSERT INTO articles (id, item_key, revision, emitted_at, next_check, state)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO NOTHING",
                        params![r.id, r.item_key, r.revision, r.emitted_at, r.next_check, state],
                    )?;
                }
            }
            tx.commit()?;
            Ok(true)
        })
        .await
    }
}

/// Applies the versions this build knows and the file lacks, all in one
/// transaction. It takes the write lock before it reads the version: a
/// daemon's first start and a `status` next to it must not both upgrade.
fn migrate(conn: &mut Connection) -> Result<()> {
    let known = MIGRATIONS.last().map_or(0, |(v, _)| *v);
    if user_version(conn)? == known {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut version = user_version(&tx)?;
    if version == 0 {
        version = adopt_unversioned(&tx)?;
    }
    if version > known {
        anyhow::bail!(
            "the state store has schema version {version}, newer than this build's {known}; \
             run a newer newsflow"
        );
    }
    for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > version) {
        tx.execute_batch(sql)
            .and_then(|_| tx.pragma_update(None, "user_version", v))
            .with_context(|| format!("applying schema version {v}"))?;
    }
    tx.commit()?;
    Ok(())
}

fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// The version of a file made before the schema had versions (0 for a
/// new file): version 1, completed, and 2 when it has `fresh_at`.
fn adopt_unversioned(conn: &Connection) -> rusqlite::Result<u32> {
    let has_feeds = conn
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feeds'")?
        .exists([])?;
    if !has_feeds {
        return Ok(0);
    }
    conn.execute_batch(V1)?;
    let has_fresh_at = conn
        .prepare("SELECT 1 FROM pragma_table_info('feeds') WHERE name = 'fresh_at'")?
        .exists([])?;
    let version = if has_fresh_at { 2 } else { 1 };
    conn.pragma_update(None, "user_version", version)?;
    Ok(version)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store for SqliteStore {
    async fn sync_feeds(&self, feeds: &[String]) -> Result<()> {
        let feeds = feeds.to_vec();
        self.run(move |c| {
            let tx = c.transaction()?;
            tx.execute("UPDATE feeds SET active = 0", [])?;
            {
                let mut up = tx.prepare_cached(
                    "INSERT INTO feeds (url, next_poll, active) VALUES (?1, ?2, 1)
                     ON CONFLICT(url) DO UPDATE SET active = 1, next_poll = coalesce(next_poll, ?2)",
                )?;
                let now = now_ms();
                for f in &feeds {
                    up.execute(params![f, now])?;
                }
            }
            tx.commit()
        })
        .await
    }

    async fn lease_due(
        &self,
        owner: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<String>> {
        let owner = owner.to_string();
        self.run(move |c| {
            let tx = c.transaction()?;
            let due: Vec<String> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT url FROM feeds WHERE active = 1 AND coalesce(next_poll, 0) <= ?1
                       AND (lease_until IS NULL OR lease_until < ?1)
                     ORDER BY next_poll LIMIT ?2",
                )?;
                stmt.query_map(params![now, limit as i64], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            {
                let mut lease = tx.prepare_cached(
                    "UPDATE feeds SET lease_owner = ?2, lease_until = ?3 WHERE url = ?1",
                )?;
                for url in &due {
                    lease.execute(params![url, &owner, now + lease_ms])?;
                }
            }
            tx.commit()?;
            Ok(due)
        })
        .await
    }

    async fn next_due(&self) -> Result<Option<i64>> {
        self.run(|c| {
            c.query_row(
                "SELECT min(coalesce(next_poll, 0)) FROM feeds WHERE active = 1 AND lease_until IS NULL",
                [],
                |r| r.get(0),
            )
        })
        .await
    }

    async fn feed_state(&self, feed: &str) -> Result<FeedState> {
        let feed = feed.to_string();
        self.run(move |c| {
            c.query_row(
                "SELECT etag, last_modified, next_poll, error_streak, fresh_at FROM feeds WHERE url = ?1",
                params![feed],
                |r| {
                    Ok(FeedState {
                        validators: Validators {
                            etag: r.get(0)?,
                            last_modified: r.get(1)?,
                        },
                        next_poll: r.get(2)?,
                        error_streak: r.get(3)?,
                        fresh_at: r.get(4)?,
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
        })
        .await
    }

    async fn poll_succeeded(
        &self,
        feed: &str,
        by: &str,
        next_poll: i64,
        document: Option<&FeedDocument>,
    ) -> Result<()> {
        let now = now_ms();
        let fresh_at = document.map(|_| now);
        let (feed, by) = (feed.to_string(), by.to_string());
        let document = document.cloned().unwrap_or_default();
        self.run(move |c| {
            let FeedDocument { title, validators } = document;
            let (etag, last_modified) = (validators.etag, validators.last_modified);
            c.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, next_poll, last_success, error_streak, fresh_at, polled_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)
                 ON CONFLICT(url) DO UPDATE SET title = coalesce(?2, title),
                   etag = CASE WHEN ?7 IS NULL THEN etag ELSE ?3 END,
                   last_modified = CASE WHEN ?7 IS NULL THEN last_modified ELSE ?4 END,
                   next_poll = ?5, last_success = ?6, error_streak = 0,
                   fresh_at = coalesce(?7, fresh_at), polled_by = ?8, lease_owner = NULL, lease_until = NULL",
                params![feed, title, etag, last_modified, next_poll, now, fresh_at, by],
            )
            .map(drop)
        })
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
        let (feed, by, error) = (feed.to_string(), by.to_string(), error.to_string());
        self.run(move |c| {
            c.execute(
                "INSERT INTO feeds (url, next_poll, last_error, last_error_at, error_streak, polled_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(url) DO UPDATE SET next_poll = ?2, last_error = ?3, last_error_at = ?4, error_streak = ?5,
                   polled_by = ?6, lease_owner = NULL, lease_until = NULL",
                params![feed, next_poll, error, now_ms(), streak, by],
            )
            .map(drop)
        })
        .await
    }

    async fn touch_seen(&self, keys: &[&str], now: i64, stale_before: i64) -> Result<()> {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        self.run(move |c| {
            let tx = c.transaction()?;
            {
                let mut touch =
                    tx.prepare_cached("UPDATE seen SET at = ?2 WHERE key = ?1 AND at < ?3")?;
                for k in &keys {
                    touch.execute(params![k, now, stale_before])?;
                }
            }
            tx.commit()
        })
        .await
    }

    async fn prune_seen(&self, before: i64) -> Result<u64> {
        let mut total = 0;
        // In slices, so claims from running polls get the store in between.
        loop {
            let n = self
                .run(move |c| {
                c.execute(
                    "DELETE FROM seen WHERE rowid IN (SELECT rowid FROM seen WHERE at < ?1 LIMIT 5000)",
                    params![before],
                )
            })
            .await?;
            total += n as u64;
            if n < 5000 {
                return Ok(total);
            }
            tokio::task::yield_now().await;
        }
    }

    async fn is_seen(&self, keys: &ItemKeys) -> Result<bool> {
        let keys = keys.clone();
        self.run(move |c| {
            let mut stmt = c.prepare_cached("SELECT 1 FROM seen WHERE key = ?1")?;
            keys.is_duplicate(|k| stmt.exists(params![k]))
        })
        .await
    }

    async fn claim(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
    ) -> Result<bool> {
        self.claim_with(feed, keys, event_id, line, None).await
    }

    async fn delivered(&self, event_ids: &[String], checkpoint: Option<Checkpoint>) -> Result<()> {
        let event_ids = event_ids.to_vec();
        self.run(move |c| {
            let tx = c.transaction()?;
            {
                let mut del = tx.prepare_cached("DELETE FROM outbox WHERE event_id = ?1")?;
                for id in &event_ids {
                    del.execute(params![id])?;
                }
                if let Some(cp) = checkpoint {
                    tx.execute(
                        "INSERT INTO sink_checkpoint (id, offset, file_id) VALUES (1, ?1, ?2)
                         ON CONFLICT(id) DO UPDATE SET offset = ?1, file_id = ?2",
                        params![cp.offset as i64, cp.file_id as i64],
                    )?;
                }
            }
            tx.commit()
        })
        .await
    }

    async fn undelivered(&self) -> Result<Vec<Undelivered>> {
        self.run(|c| {
            let mut stmt = c.prepare("SELECT event_id, line FROM outbox ORDER BY seq")?;
            let rows = stmt.query_map([], |r| {
                Ok(Undelivered {
                    event_id: r.get(0)?,
                    line: r.get(1)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        self.run(|c| {
            c.query_row(
                "SELECT offset, file_id FROM sink_checkpoint WHERE id = 1",
                [],
                |r| {
                    Ok(Checkpoint {
                        offset: r.get::<_, i64>(0)? as u64,
                        file_id: r.get::<_, i64>(1)? as u64,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn add_pending(
        &self,
        feed: &str,
        keys: &ItemKeys,
        item: &Item,
        error: &str,
    ) -> Result<u32> {
        let json = serde_json::to_string(&StoredItem::new(item, keys))?;
        let (key, feed, error) = (keys.id.clone(), feed.to_string(), error.to_string());
        self.run(move |c| {
            c.query_row(
                "INSERT INTO pending (key, feed_url, item, attempts, last_error) VALUES (?1, ?2, ?3, 1, ?4)
                 ON CONFLICT(key) DO UPDATE SET attempts = attempts + 1, last_error = ?4, item = ?3
                 RETURNING attempts",
                params![key, feed, json, error],
                |r| r.get(0),
            )
        })
        .await
    }

    async fn pending(&self, feed: &str) -> Result<Vec<WorkItem>> {
        let url = feed.to_string();
        let rows: Vec<(String, u32)> = self
            .run(move |c| {
                let mut stmt =
                    c.prepare_cached("SELECT item, attempts FROM pending WHERE feed_url = ?1")?;
                let rows = stmt.query_map(params![url], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect()
            })
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(json, attempts)| {
                let stored: StoredItem = serde_json::from_str(&json).ok()?;
                stored.into_work_item(feed, attempts)
            })
            .collect())
    }

    async fn remove_pending(&self, key: &str) -> Result<()> {
        let key = key.to_string();
        self.run(move |c| {
            c.execute("DELETE FROM pending WHERE key = ?1", params![key])
                .map(drop)
        })
        .await
    }

    async fn status(&self) -> Result<Vec<FeedStatus>> {
        self.run(|c| {
            let mut stmt = c.prepare(
                "SELECT url, title, last_success, last_error, last_error_at, next_poll, items_emitted, error_streak,
                   polled_by, active
                 FROM feeds ORDER BY url",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(FeedStatus {
                    url: r.get(0)?,
                    title: r.get(1)?,
                    last_success: r.get(2)?,
                    last_error: r.get(3)?,
                    last_error_at: r.get(4)?,
                    next_poll: r.get(5)?,
                    items_emitted: r.get(6)?,
                    error_streak: r.get(7)?,
                    polled_by: r.get(8)?,
                    active: r.get(9)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn claim_article(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
        record: &ArticleRecord,
    ) -> Result<bool> {
        self.claim_with(feed, keys, event_id, line, Some(record))
            .await
    }

    async fn claim_revision(
        &self,
        record: &ArticleRecord,
        event_id: &str,
        line: &str,
    ) -> Result<bool> {
        let (r, state) = (record.clone(), state_json(&record.state));
        let (event_id, line) = (event_id.to_string(), line.to_string());
        self.run(move |c| {
            let tx = c.transaction()?;
            let won = tx.execute(
                "UPDATE articles SET revision = ?2, next_check = ?3, state = ?4, leased_until = NULL
                 WHERE id = ?1 AND revision = ?5",
                params![r.id, r.revision, r.next_check, state, r.revision - 1],
            )? == 1;
            if won {
                put_in_outbox(&tx, &event_id, &line)?;
                tx.commit()?;
            }
            Ok(won)
        })
        .await
    }

    async fn article_by_item(&self, item_key: &str) -> Result<Option<ArticleRecord>> {
        let key = item_key.to_string();
        self.run(move |c| {
            c.prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles WHERE item_key = ?1 ORDER BY emitted_at LIMIT 1"
            ))?
            .query_row(params![key], article_row)
            .optional()
        })
        .await
    }

    async fn save_article(&self, record: &ArticleRecord) -> Result<()> {
        let (r, state) = (record.clone(), state_json(&record.state));
        self.run(move |c| {
            c.execute(
                "UPDATE articles SET next_check = ?2, state = ?3, leased_until = NULL
                 WHERE id = ?1 AND revision = ?4",
                params![r.id, r.next_check, state, r.revision],
            )
        })
        .await?;
        Ok(())
    }

    async fn due_articles(
        &self,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<ArticleRecord>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "UPDATE articles SET leased_until = ?2 WHERE id IN
                   (SELECT id FROM articles WHERE next_check <= ?1
                      AND (leased_until IS NULL OR leased_until <= ?1)
                    ORDER BY next_check LIMIT ?3)
                 RETURNING {ARTICLE_COLUMNS}"
            ))?;
            let rows = stmt.query_map(params![now, now + lease_ms, limit as i64], article_row)?;
            rows.collect()
        })
        .await
    }

    async fn articles_after(&self, after: &str, limit: usize) -> Result<Vec<ArticleRecord>> {
        let after = after.to_string();
        self.run(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![after, limit as i64], article_row)?;
            rows.collect()
        })
        .await
    }

    async fn link_copy(
        &self,
        id: &str,
        url: &str,
        fingerprint: &Fingerprint,
        now: i64,
    ) -> Result<Option<Original>> {
        let (id, url, fp) = (id.to_string(), url.to_string(), fingerprint.clone());
        self.run(move |c| super::copies::sqlite::link(c, &id, &url, &fp, now))
            .await
            .context("looking up copies")
    }

    async fn prune_copies(&self, before: i64) -> Result<u64> {
        let mut total = 0;
        loop {
            let n = self
                .run(move |c| super::copies::sqlite::prune_slice(c, before))
                .await?;
            total += n;
            if n < super::copies::PRUNE_SLICE as u64 {
                return Ok(total);
            }
            tokio::task::yield_now().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_daemon_per_state_dir() {
        let dir = tempfile::tempdir().unwrap();
        let _first = SqliteStore::open_exclusive(dir.path()).unwrap();
        let err = SqliteStore::open_exclusive(dir.path()).err().unwrap();
        assert!(
            err.to_string().contains("another newsflow is running"),
            "{err}"
        );
        // Read-only users such as `status` still get in.
        SqliteStore::open(dir.path()).unwrap();
    }

    #[tokio::test]
    async fn a_store_from_an_earlier_version_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        {
            let c = Connection::open(dir.path().join("newsflow.db")).unwrap();
            c.execute_batch(
                "CREATE TABLE feeds (url TEXT PRIMARY KEY, title TEXT, etag TEXT, last_modified TEXT,
                   next_poll INTEGER, last_success INTEGER, last_error TEXT, last_error_at INTEGER,
                   error_streak INTEGER NOT NULL DEFAULT 0, items_emitted INTEGER NOT NULL DEFAULT 0,
                   active INTEGER NOT NULL DEFAULT 1, lease_owner TEXT, lease_until INTEGER);
                 INSERT INTO feeds (url, etag) VALUES ('http://a/', 'old');",
            )
            .unwrap();
        }
        let s = SqliteStore::open(dir.path()).unwrap();
        let st = s.feed_state("http://a/").await.unwrap();
        assert_eq!(
            (st.validators.etag.as_deref(), st.fresh_at),
            (Some("old"), None)
        );
        let version = |s: &SqliteStore| {
            s.with_now(|c| c.pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0)))
                .unwrap()
        };
        let newest = MIGRATIONS.last().unwrap().0;
        assert_eq!(version(&s), newest);
        drop(s);
        // Opened again, nothing is applied twice.
        let s = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(version(&s), newest);
        // A file from a newer build is refused, not mangled.
        s.with_now(|c| c.pragma_update(None, "user_version", 99))
            .unwrap();
        drop(s);
        let err = SqliteStore::open(dir.path()).err().unwrap();
        assert!(format!("{err:#}").contains("newer"), "{err:#}");
    }

    #[test]
    fn stores_opened_together_upgrade_once() {
        for _ in 0..10 {
            let dir = tempfile::tempdir().unwrap();
            let opens: Vec<_> = (0..4)
                .map(|_| {
                    let path = dir.path().to_path_buf();
                    std::thread::spawn(move || SqliteStore::open(&path).map(drop))
                })
                .collect();
            for o in opens {
                o.join().unwrap().unwrap();
            }
            let s = SqliteStore::open(dir.path()).unwrap();
            let version = s.with_now(|c| user_version(c)).unwrap();
            assert_eq!(version, MIGRATIONS.last().unwrap().0);
        }
    }

    #[test]
    fn a_full_read_only_or_failing_disk_is_an_outage_and_a_bad_request_is_not() {
        use rusqlite::ffi;
        let code = |c| rusqlite::Error::SqliteFailure(ffi::Error::new(c), None);
        let path = Path::new("/var/lib/newsflow/newsflow.db");
        for c in [
            ffi::SQLITE_FULL,
            ffi::SQLITE_READONLY,
            ffi::SQLITE_IOERR_WRITE,
            ffi::SQLITE_IOERR_FSYNC,
            ffi::SQLITE_CANTOPEN,
            ffi::SQLITE_BUSY,
        ] {
            let e = store_error(path, code(c));
            assert!(crate::store::is_unavailable(&e), "{c}: {e:#}");
            assert!(format!("{e:#}").contains("newsflow.db"), "{e:#}");
        }
        for c in [
            ffi::SQLITE_CONSTRAINT,
            ffi::SQLITE_CORRUPT,
            ffi::SQLITE_MISUSE,
        ] {
            let e = store_error(path, code(c));
            assert!(!crate::store::is_unavailable(&e), "{c}: {e:#}");
            assert!(format!("{e:#}").contains("newsflow.db"), "{e:#}");
        }
    }

    #[tokio::test]
    async fn a_read_only_state_file_is_an_outage() {
        let dir = tempfile::tempdir().unwrap();
        SqliteStore::open(dir.path()).unwrap();
        // A connection that may not write stands for a file that cannot be
        // written: SQLite answers SQLITE_READONLY either way.
        let conn = Connection::open_with_flags(
            dir.path().join("newsflow.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let store = SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            path: dir.path().join("newsflow.db"),
            _lock: None,
        };
        let e = store.sync_feeds(&["http://a/".into()]).await.unwrap_err();
        assert!(crate::store::is_unavailable(&e), "{e:#}");
        assert!(store.status().await.is_ok(), "reads still work");
    }

    #[tokio::test]
    async fn an_unversioned_store_with_every_column_is_adopted() {
        let dir = tempfile::tempdir().unwrap();
        {
            let c = Connection::open(dir.path().join("newsflow.db")).unwrap();
            c.execute_batch(V1).unwrap();
            c.execute_batch(MIGRATIONS[1].1).unwrap();
            c.execute_batch("INSERT INTO feeds (url, fresh_at) VALUES ('http://a/', 7);")
                .unwrap();
        }
        let s = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(s.feed_state("http://a/").await.unwrap().fresh_at, Some(7));
    }
}
