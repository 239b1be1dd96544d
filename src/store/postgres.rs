//! The shared store: PostgreSQL, for several instances on several machines.
//!
//! Same semantics as the embedded store, with what sharing needs on top:
//!
//! - **Leases.** `lease_due` takes due feeds with `FOR UPDATE SKIP LOCKED`,
//!   so two instances asking at once get disjoint sets. A lease ends when it
//!   expires *or* when its owner's database session is gone: every instance
//!   keeps one dedicated session open for its whole life, and a feed leased
//!   by an owner whose session no longer exists (killed process, lost
//!   machine) is free at once instead of after the lease time.
//! - **Claims.** `claim` inserts the item's keys with `ON CONFLICT DO
//!   NOTHING` in the transaction that writes the outbox row, learns which
//!   were there already, and rolls back when those make the item a
//!   duplicate ([`ItemKeys::is_duplicate`], the one rule both stores use):
//!   of two instances processing the same item, exactly one emits it.
//! - **Outbox and checkpoint per sink.** Each instance has its own sink (its
//!   own file, its own stdout), so outbox rows and the sink checkpoint are
//!   scoped by the instance's *sink identity* (`[store] instance`, by
//!   default host name plus output). Restart recovery re-delivers only the
//!   instance's own rows, checked against its own file. A session advisory
//!   lock on the identity keeps two live instances from sharing one.
//! - **Migrations.** Versioned SQL in `schema_migrations`, each version in
//!   its own transaction, under an advisory lock so instances starting
//!   together apply each version once.

use std::collections::HashSet;
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use sha2::{Digest, Sha256};
use tokio_postgres::{Client, NoTls};

use super::{
    ArticleRecord, Checkpoint, FeedDocument, FeedState, FeedStatus, Store, StoredItem, Undelivered,
    WorkItem, parse_state, state_json,
};
use crate::dedup::{Fingerprint, Original};
use crate::feed::Item;
use crate::fetch::Validators;
use crate::identity::ItemKeys;

/// Schema versions, applied in order; never edit a released one, add a new
/// version instead.
const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    next_poll BIGINT,
    last_success BIGINT,
    last_error TEXT,
    last_error_at BIGINT,
    error_streak INTEGER NOT NULL DEFAULT 0,
    items_emitted BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    lease_owner TEXT,
    lease_until BIGINT
);
CREATE INDEX feeds_due ON feeds (next_poll NULLS FIRST) WHERE active;
-- next_due's exact shape: its answer is this index's first entry.
CREATE INDEX feeds_unleased ON feeds (next_poll NULLS FIRST) WHERE active AND lease_owner IS NULL;
CREATE TABLE seen (
    key TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE TABLE outbox (
    seq BIGSERIAL PRIMARY KEY,
    sink TEXT NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    line TEXT NOT NULL
);
CREATE INDEX outbox_sink ON outbox (sink, seq);
CREATE TABLE pending (
    key TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    item TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT
);
CREATE INDEX pending_feed ON pending (feed_url);
CREATE TABLE sink_checkpoint (
    sink TEXT PRIMARY KEY,
    byte_offset BIGINT NOT NULL,
    file_id BIGINT NOT NULL
);
-- Lease owners and the session that proves each one alive.
CREATE TABLE instances (
    owner TEXT PRIMARY KEY,
    sink TEXT NOT NULL,
    pid INTEGER NOT NULL,
    backend_start TIMESTAMPTZ NOT NULL
);
",
    ),
    (
        2,
        "
-- Keys of items no feed lists any more are dropped after seen_retention;
-- fresh_at says when a feed last sent a document its keys were refreshed from.
CREATE INDEX seen_at ON seen (at);
ALTER TABLE feeds ADD COLUMN fresh_at BIGINT;

-- A claim in one round trip (see ItemKeys::is_duplicate). An insert that
-- meets a key another claim holds uncommitted waits for that claim's
-- outcome, so of two claims of one identity, or of one link from two
-- feeds, exactly one wins. A loser removes the identity it inserted.
CREATE FUNCTION newsflow_claim(p_id TEXT, p_link TEXT, p_feed_link TEXT, p_rest TEXT[],
                               p_event TEXT, p_at BIGINT, p_sink TEXT, p_line TEXT, p_feed TEXT)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
    n INTEGER;
BEGIN
    INSERT INTO seen (key, event_id, at) VALUES (p_id, p_event, p_at) ON CONFLICT (key) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN FALSE;
    END IF;
    IF p_link IS NOT NULL THEN
        INSERT INTO seen (key, event_id, at) VALUES (p_link, p_event, p_at) ON CONFLICT (key) DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 AND NOT EXISTS (SELECT 1 FROM seen WHERE key = p_feed_link) THEN
            DELETE FROM seen WHERE key = p_id AND event_id = p_event;
            RETURN FALSE;
        END IF;
    END IF;
    INSERT INTO seen (key, event_id, at) SELECT k, p_event, p_at FROM unnest(p_rest) AS k
        ON CONFLICT (key) DO NOTHING;
    INSERT INTO outbox (sink, event_id, line) VALUES (p_sink, p_event, p_line)
        ON CONFLICT (event_id) DO NOTHING;
    IF p_feed IS NOT NULL THEN
        INSERT INTO feeds (url, items_emitted) VALUES (p_feed, 1)
            ON CONFLICT (url) DO UPDATE SET items_emitted = feeds.items_emitted + 1;
    END IF;
    RETURN TRUE;
END
$$;
",
    ),
    (
        3,
        "
-- Claims follow ItemKeys::is_duplicate from Rust; the rule is no longer
-- written a second time here.
DROP FUNCTION newsflow_claim(TEXT, TEXT, TEXT, TEXT[], TEXT, BIGINT, TEXT, TEXT, TEXT);
",
    ),
    (
        4,
        "
-- The instance that recorded each feed's last poll, for the status page
-- (lease_owner is cleared when the poll is recorded).
ALTER TABLE feeds ADD COLUMN polled_by TEXT;
",
    ),
    (
        5,
        "
-- What revisions and rechecks need of each emitted article (ArticleRecord).
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    item_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    emitted_at BIGINT NOT NULL,
    next_check BIGINT,
    -- A recheck in progress holds the article until then.
    leased_until BIGINT,
    state TEXT NOT NULL
);
CREATE INDEX articles_item ON articles (item_key);
CREATE INDEX articles_check ON articles (next_check) WHERE next_check IS NOT NULL;
",
    ),
    (6, super::copies::postgres::SCHEMA),
];

/// The rows of `newsflow status` and the status page, in [`status_row`]'s order.
const STATUS_QUERY: &str = "SELECT url, title, last_success, last_error, last_error_at, next_poll,
    items_emitted, error_streak, polled_by, active
  FROM feeds ORDER BY url";

const ARTICLE_COLUMNS: &str = "id, item_key, revision, emitted_at, next_check, state";

fn article_row(r: &tokio_postgres::Row) -> Result<ArticleRecord> {
    Ok(ArticleRecord {
        id: r.get(0),
        item_key: r.get(1),
        revision: r.get::<_, i32>(2).max(0) as u32,
        emitted_at: r.get(3),
        next_check: r.get(4),
        state: parse_state(r.get(5))?,
    })
}

/// Advisory lock keys; arbitrary constants private to newsflow.
const MIGRATION_LOCK: i64 = 0x6e65_7773_666c_0001;
const SYNC_LOCK: i64 = 0x6e65_7773_666c_0002;

/// Connections in the pool; the daemon's store calls are short, so this
/// serves the default page and feed concurrency without queueing much.
const POOL_SIZE: usize = 16;

/// Owners whose session is alive: the lease of any other owner is void.
/// `pg_stat_activity` shows another role's `backend_start` only to members
/// of `pg_read_all_stats`, so instances share one role (or have that one).
const LIVE_OWNERS: &str = "SELECT i.owner FROM instances i
    JOIN pg_stat_activity a ON a.pid = i.pid AND a.backend_start = i.backend_start";

/// The shared store on PostgreSQL.
pub struct PostgresStore {
    pool: Pool,
    /// Scope of this instance's outbox rows and sink checkpoint.
    sink: String,
    /// The instance's own session: holds the sink-identity lock and is the
    /// liveness proof of its lease owners. Never returned to a pool.
    session: Client,
    registered: Mutex<HashSet<String>>,
}

impl PostgresStore {
    /// Connects, applies pending migrations and takes the lock on `sink`
    /// (the instance's sink identity): fails when another live instance
    /// uses the same identity.
    pub async fn connect(url: &str, sink: &str) -> Result<Self> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .with_context(|| format!("store url {}", redact(url)))?;
        // Statements are prepared once per connection; a generic plan made
        // while `seen` was empty would scan it whole for ever after (it is
        // never re-planned before an ANALYZE), so plan each execution.
        let options = match config.get_options() {
            Some(o) => format!("{o} -c plan_cache_mode=force_custom_plan"),
            None => "-c plan_cache_mode=force_custom_plan".to_string(),
        };
        config.options(&options);
        let (session, conn) = config
            .connect(NoTls)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?;
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::error!(
                    "lost the PostgreSQL session of this instance (its leases will be taken over): {e}"
                );
            }
        });
        migrate(&session).await?;
        let locked: bool = session
            .query_one("SELECT pg_try_advisory_lock($1)", &[&identity_key(sink)])
            .await?
            .get(0);
        if !locked {
            bail!(
                "another newsflow instance is running with instance name {sink:?} on this store; \
                 give each instance its own [store] instance (or output)"
            );
        }
        // Owners that died and hold no lease are history.
        session
            .execute(
                &format!(
                    "DELETE FROM instances i WHERE i.owner NOT IN ({LIVE_OWNERS})
                       AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.lease_owner = i.owner)"
                ),
                &[],
            )
            .await?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .context("building the PostgreSQL pool")?;
        Ok(PostgresStore {
            pool,
            sink: sink.to_string(),
            session,
            registered: Mutex::new(HashSet::new()),
        })
    }

    /// The feed table for `newsflow status`, read without taking an
    /// instance name (so it works next to running instances).
    pub async fn read_status(url: &str) -> Result<Vec<FeedStatus>> {
        let (client, conn) = tokio_postgres::connect(url, NoTls)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?;
        let task = tokio::spawn(conn);
        let rows = client
            .query(STATUS_QUERY, &[])
            .await
            .context("reading the feed table (has newsflow run on this store yet?)")?;
        drop(client);
        let _ = task.await;
        Ok(rows.iter().map(status_row).collect())
    }

    /// The identity this store scopes its outbox and checkpoint by.
    pub fn sink_identity(&self) -> &str {
        &self.sink
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .context("getting a PostgreSQL connection")
    }

    /// Ties a lease owner to this instance's session, so its leases end
    /// when the session does.
    async fn register(&self, owner: &str) -> Result<()> {
        if self
            .registered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(owner)
        {
            return Ok(());
        }
        self.session
            .execute(
                "INSERT INTO instances (owner, sink, pid, backend_start)
                 SELECT $1, $2, pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()
                 ON CONFLICT (owner) DO UPDATE SET sink = $2, pid = EXCLUDED.pid,
                   backend_start = EXCLUDED.backend_start",
                &[&owner, &self.sink],
            )
            .await
            .context("registering this instance (is its PostgreSQL session still open?)")?;
        self.registered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(owner.to_string());
        Ok(())
    }
}

impl PostgresStore {
    /// [`Store::claim`], recording `record` too when given.
    async fn claim_with(
        &self,
        feed: Option<&str>,
        keys: &ItemKeys,
        event_id: &str,
        line: &str,
        record: Option<&ArticleRecord>,
    ) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // Every key is inserted; those that were there already come back.
        // An insert that meets a key another claim holds uncommitted waits
        // for that claim's outcome, so of two claims of one identity, or of
        // one link from two feeds, exactly one wins. Keys go in sorted, so
        // two claims never wait for each other in a circle.
        let there = tx
            .query(
                &tx.prepare_cached(
                    "WITH fresh AS (
                       INSERT INTO seen (key, event_id, at)
                       SELECT k, $2, $3 FROM unnest($1::text[]) AS k ORDER BY k
                       ON CONFLICT (key) DO NOTHING RETURNING key)
                     SELECT k FROM unnest($1::text[]) AS k WHERE k NOT IN (SELECT key FROM fresh)",
                )
                .await?,
                &[&keys.all(), &event_id, &now_ms()],
            )
            .await
            .context("claiming the item")?;
        let there: HashSet<&str> = there.iter().map(|r| r.get(0)).collect();
        if keys.is_duplicate(|k| Ok::<_, anyhow::Error>(there.contains(k)))? {
            // Rolled back on drop: the keys this claim inserted go too.
            return Ok(false);
        }
        tx.execute(
            &tx.prepare_cached(
                "WITH o AS (INSERT INTO outbox (sink, event_id, line) VALUES ($1, $2, $3)
                   ON CONFLICT (event_id) DO NOTHING)
                 INSERT INTO feeds (url, items_emitted) SELECT $4, 1 WHERE $4::text IS NOT NULL
                   ON CONFLICT (url) DO UPDATE SET items_emitted = feeds.items_emitted + 1",
            )
            .await?,
            &[&self.sink, &event_id, &line, &feed],
        )
        .await
        .context("claiming the item")?;
        if let Some(r) = record {
            tx.execute(
                &tx.prepare_cached(
                    "INSERT INTO articles (id, item_key, revision, emitted_at, next_check, state)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                )
                .await?,
                &[
                    &r.id,
                    &r.item_key,
                    &(r.revision as i32),
                    &r.emitted_at,
                    &r.next_check,
                    &state_json(&r.state),
                ],
            )
            .await
            .context("recording the article")?;
        }
        tx.commit().await.context("claiming the item")?;
        Ok(true)
    }
}

/// Applies the migrations this build knows and the database lacks.
async fn migrate(session: &Client) -> Result<()> {
    session
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await
        .context("waiting for the migration lock")?;
    let result = apply_migrations(session).await;
    // The lock is per session; an error above may leave it held, so release
    // it either way (the session lives on as the instance's own).
    session
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await
        .context("releasing the migration lock")?;
    result
}

async fn apply_migrations(session: &Client) -> Result<()> {
    session
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )",
        )
        .await
        .context("creating schema_migrations")?;
    let applied: HashSet<i32> = session
        .query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let known = MIGRATIONS.iter().map(|(v, _)| *v).max().unwrap_or(0);
    if let Some(newer) = applied.iter().copied().filter(|&v| v > known).max() {
        bail!(
            "the PostgreSQL store has schema version {newer}, newer than this build knows ({known}); \
             upgrade newsflow"
        );
    }
    for (version, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        session.batch_execute("BEGIN").await?;
        let step = async {
            session.batch_execute(sql).await?;
            session
                .execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[version],
                )
                .await?;
            session.batch_execute("COMMIT").await
        };
        if let Err(e) = step.await {
            let _ = session.batch_execute("ROLLBACK").await;
            return Err(e).with_context(|| format!("applying schema migration {version}"));
        }
        tracing::info!(version, "PostgreSQL schema migrated");
    }
    Ok(())
}

fn status_row(r: &tokio_postgres::Row) -> FeedStatus {
    FeedStatus {
        url: r.get(0),
        title: r.get(1),
        last_success: r.get(2),
        last_error: r.get(3),
        last_error_at: r.get(4),
        next_poll: r.get(5),
        items_emitted: r.get(6),
        error_streak: r.get::<_, i32>(7).max(0) as u32,
        polled_by: r.get(8),
        active: r.get(9),
    }
}

/// A 64-bit advisory lock key for a sink identity.
fn identity_key(sink: &str) -> i64 {
    let digest = Sha256::digest(format!("newsflow-sink:{sink}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// The store URL as messages may show it: the one redaction rule of
/// [`crate::redact`] (userinfo and token-like query values masked).
fn redact(url: &str) -> String {
    crate::redact::text(url).into_owned()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store for PostgresStore {
    async fn sync_feeds(&self, feeds: &[String]) -> Result<()> {
        let mut feeds = feeds.to_vec();
        // One order for every instance, so concurrent syncs never deadlock.
        feeds.sort();
        feeds.dedup();
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute(
            &tx.prepare_cached("SELECT pg_advisory_xact_lock($1)")
                .await?,
            &[&SYNC_LOCK],
        )
        .await?;
        tx.execute(
            &tx.prepare_cached(
                "UPDATE feeds SET active = FALSE WHERE active AND NOT (url = ANY($1))",
            )
            .await?,
            &[&feeds],
        )
        .await?;
        tx.execute(
            &tx.prepare_cached("INSERT INTO feeds (url, next_poll, active) SELECT u, $2, TRUE FROM unnest($1::text[]) AS u
             ON CONFLICT (url) DO UPDATE SET active = TRUE, next_poll = coalesce(feeds.next_poll, $2)
             WHERE NOT feeds.active OR feeds.next_poll IS NULL").await?,
            &[&feeds, &now_ms()],
        )
        .await?;
        tx.commit().await.context("recording the feed list")
    }

    async fn lease_due(
        &self,
        owner: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<String>> {
        self.register(owner).await?;
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(&format!(
                    "WITH due AS (
                        SELECT url FROM feeds
                        WHERE active AND coalesce(next_poll, 0) <= $1
                          AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < $1
                               OR lease_owner NOT IN ({LIVE_OWNERS}))
                        ORDER BY next_poll NULLS FIRST
                        LIMIT $2
                        FOR UPDATE SKIP LOCKED
                     )
                     UPDATE feeds f SET lease_owner = $3, lease_until = $4
                     FROM due WHERE f.url = due.url
                     RETURNING f.url, f.next_poll"
                ))
                .await?,
                &[&now, &(limit as i64), &owner, &(now + lease_ms)],
            )
            .await
            .context("leasing due feeds")?;
        let mut due: Vec<(Option<i64>, String)> =
            rows.iter().map(|r| (r.get(1), r.get(0))).collect();
        due.sort();
        Ok(due.into_iter().map(|(_, url)| url).collect())
    }

    async fn next_due(&self) -> Result<Option<i64>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached(
                    "SELECT coalesce(next_poll, 0) FROM feeds WHERE active AND lease_owner IS NULL
                 ORDER BY next_poll NULLS FIRST LIMIT 1",
                )
                .await?,
                &[],
            )
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn feed_state(&self, feed: &str) -> Result<FeedState> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached(
                    "SELECT etag, last_modified, next_poll, error_streak, fresh_at FROM feeds WHERE url = $1",
                )
                .await?,
                &[&feed],
            )
            .await?;
        Ok(row
            .map(|r| FeedState {
                validators: Validators {
                    etag: r.get(0),
                    last_modified: r.get(1),
                },
                next_poll: r.get(2),
                error_streak: r.get::<_, i32>(3).max(0) as u32,
                fresh_at: r.get(4),
            })
            .unwrap_or_default())
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
        let title = document.and_then(|d| d.title.as_deref());
        let etag = document.and_then(|d| d.validators.etag.as_deref());
        let last_modified = document.and_then(|d| d.validators.last_modified.as_deref());
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached("INSERT INTO feeds (url, title, etag, last_modified, next_poll, last_success, error_streak, fresh_at, polled_by)
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)
             ON CONFLICT (url) DO UPDATE SET title = coalesce($2, feeds.title),
               etag = CASE WHEN $7::bigint IS NULL THEN feeds.etag ELSE $3 END,
               last_modified = CASE WHEN $7::bigint IS NULL THEN feeds.last_modified ELSE $4 END,
               next_poll = $5, last_success = $6, error_streak = 0,
               fresh_at = coalesce($7, feeds.fresh_at), polled_by = $8,
               lease_owner = NULL, lease_until = NULL").await?,
            &[&feed, &title, &etag, &last_modified, &next_poll, &now, &fresh_at, &by],
        )
        .await?;
        Ok(())
    }

    async fn poll_failed(
        &self,
        feed: &str,
        by: &str,
        error: &str,
        next_poll: i64,
        streak: u32,
    ) -> Result<()> {
        let c = self.client().await?;
        let streak = i32::try_from(streak).unwrap_or(i32::MAX);
        c.execute(
            &c.prepare_cached(
                "INSERT INTO feeds (url, next_poll, last_error, last_error_at, error_streak, polled_by)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (url) DO UPDATE SET next_poll = $2, last_error = $3, last_error_at = $4,
               error_streak = $5, polled_by = $6, lease_owner = NULL, lease_until = NULL",
            )
            .await?,
            &[&feed, &next_poll, &error, &now_ms(), &streak, &by],
        )
        .await?;
        Ok(())
    }

    async fn touch_seen(&self, keys: &[&str], now: i64, stale_before: i64) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached("UPDATE seen SET at = $2 WHERE key = ANY($1) AND at < $3")
                .await?,
            &[&keys, &now, &stale_before],
        )
        .await?;
        Ok(())
    }

    async fn prune_seen(&self, before: i64) -> Result<u64> {
        let c = self.client().await?;
        let stmt = c
            .prepare_cached(
                "DELETE FROM seen WHERE key IN (SELECT key FROM seen WHERE at < $1 LIMIT 5000)",
            )
            .await?;
        let mut total = 0;
        // In slices, so no transaction holds many rows at once.
        loop {
            let n = c.execute(&stmt, &[&before]).await?;
            total += n;
            if n < 5000 {
                return Ok(total);
            }
        }
    }

    async fn is_seen(&self, keys: &ItemKeys) -> Result<bool> {
        let all: Vec<&str> = keys.all();
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT key FROM seen WHERE key = ANY($1)")
                    .await?,
                &[&all],
            )
            .await?;
        let found: std::collections::HashSet<&str> = rows.iter().map(|r| r.get(0)).collect();
        keys.is_duplicate(|k| Ok(found.contains(k)))
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
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute(
            &tx.prepare_cached("DELETE FROM outbox WHERE sink = $1 AND event_id = ANY($2)")
                .await?,
            &[&self.sink, &event_ids],
        )
        .await?;
        if let Some(cp) = checkpoint {
            // Stored as the same 64 bits; read back with the inverse cast.
            tx.execute(
                &tx.prepare_cached(
                    "INSERT INTO sink_checkpoint (sink, byte_offset, file_id) VALUES ($1, $2, $3)
                 ON CONFLICT (sink) DO UPDATE SET byte_offset = $2, file_id = $3",
                )
                .await?,
                &[&self.sink, &(cp.offset as i64), &(cp.file_id as i64)],
            )
            .await?;
        }
        tx.commit().await.context("recording delivery")
    }

    async fn undelivered(&self) -> Result<Vec<Undelivered>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT event_id, line FROM outbox WHERE sink = $1 ORDER BY seq")
                    .await?,
                &[&self.sink],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Undelivered {
                event_id: r.get(0),
                line: r.get(1),
            })
            .collect())
    }

    async fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached(
                    "SELECT byte_offset, file_id FROM sink_checkpoint WHERE sink = $1",
                )
                .await?,
                &[&self.sink],
            )
            .await?;
        Ok(row.map(|r| Checkpoint {
            offset: r.get::<_, i64>(0) as u64,
            file_id: r.get::<_, i64>(1) as u64,
        }))
    }

    async fn add_pending(
        &self,
        feed: &str,
        keys: &ItemKeys,
        item: &Item,
        error: &str,
    ) -> Result<u32> {
        let json = serde_json::to_string(&StoredItem::new(item, keys))?;
        let key = &keys.id;
        let c = self.client().await?;
        let row = c
            .query_one(
                &c.prepare_cached("INSERT INTO pending (key, feed_url, item, attempts, last_error) VALUES ($1, $2, $3, 1, $4)
                 ON CONFLICT (key) DO UPDATE SET attempts = pending.attempts + 1, last_error = $4, item = $3
                 RETURNING attempts").await?,
                &[&key, &feed, &json, &error],
            )
            .await?;
        Ok(row.get::<_, i32>(0).max(0) as u32)
    }

    async fn pending(&self, feed: &str) -> Result<Vec<WorkItem>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT item, attempts FROM pending WHERE feed_url = $1 ORDER BY key",
                )
                .await?,
                &[&feed],
            )
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let stored: StoredItem = serde_json::from_str(r.get(0)).ok()?;
                stored.into_work_item(feed, r.get::<_, i32>(1).max(0) as u32)
            })
            .collect())
    }

    async fn remove_pending(&self, key: &str) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached("DELETE FROM pending WHERE key = $1")
                .await?,
            &[&key],
        )
        .await?;
        Ok(())
    }

    async fn status(&self) -> Result<Vec<FeedStatus>> {
        let c = self.client().await?;
        let rows = c.query(&c.prepare_cached(STATUS_QUERY).await?, &[]).await?;
        Ok(rows.iter().map(status_row).collect())
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
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // Under READ COMMITTED a second instance's update waits for the
        // first and then finds the revision moved on: it changes nothing.
        let won = tx
            .execute(
                &tx.prepare_cached(
                    "UPDATE articles SET revision = $2, next_check = $3, state = $4, leased_until = NULL
                     WHERE id = $1 AND revision = $5",
                )
                .await?,
                &[
                    &record.id,
                    &(record.revision as i32),
                    &record.next_check,
                    &state_json(&record.state),
                    &(record.revision as i32 - 1),
                ],
            )
            .await
            .context("claiming the revision")?
            == 1;
        if !won {
            return Ok(false);
        }
        tx.execute(
            &tx.prepare_cached(
                "INSERT INTO outbox (sink, event_id, line) VALUES ($1, $2, $3)
                 ON CONFLICT (event_id) DO NOTHING",
            )
            .await?,
            &[&self.sink, &event_id, &line],
        )
        .await
        .context("claiming the revision")?;
        tx.commit().await.context("claiming the revision")?;
        Ok(true)
    }

    async fn article_by_item(&self, item_key: &str) -> Result<Option<ArticleRecord>> {
        let c = self.client().await?;
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE item_key = $1 ORDER BY emitted_at LIMIT 1"
        );
        let row = c
            .query_opt(&c.prepare_cached(&sql).await?, &[&item_key])
            .await?;
        row.as_ref().map(article_row).transpose()
    }

    async fn save_article(&self, record: &ArticleRecord) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "UPDATE articles SET next_check = $2, state = $3, leased_until = NULL
                 WHERE id = $1 AND revision = $4",
            )
            .await?,
            &[
                &record.id,
                &record.next_check,
                &state_json(&record.state),
                &(record.revision as i32),
            ],
        )
        .await
        .context("saving the article")?;
        Ok(())
    }

    async fn due_articles(
        &self,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<ArticleRecord>> {
        let c = self.client().await?;
        let sql = format!(
            "UPDATE articles a SET leased_until = $2 FROM
               (SELECT id FROM articles WHERE next_check <= $1
                  AND (leased_until IS NULL OR leased_until <= $1)
                ORDER BY next_check LIMIT $3 FOR UPDATE SKIP LOCKED) d
             WHERE a.id = d.id RETURNING a.{}",
            ARTICLE_COLUMNS.replace(", ", ", a.")
        );
        let rows = c
            .query(
                &c.prepare_cached(&sql).await?,
                &[&now, &(now + lease_ms), &(limit as i64)],
            )
            .await
            .context("leasing due rechecks")?;
        rows.iter().map(article_row).collect()
    }

    async fn articles_after(&self, after: &str, limit: usize) -> Result<Vec<ArticleRecord>> {
        let c = self.client().await?;
        let sql =
            format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id > $1 ORDER BY id LIMIT $2");
        let rows = c
            .query(&c.prepare_cached(&sql).await?, &[&after, &(limit as i64)])
            .await?;
        rows.iter().map(article_row).collect()
    }

    async fn link_copy(
        &self,
        id: &str,
        url: &str,
        fingerprint: &Fingerprint,
        now: i64,
    ) -> Result<Option<Original>> {
        let mut c = self.client().await?;
        super::copies::postgres::link(&mut c, id, url, fingerprint, now).await
    }

    async fn prune_copies(&self, before: i64) -> Result<u64> {
        let mut c = self.client().await?;
        super::copies::postgres::prune(&mut c, before).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_keys_differ_per_sink_and_are_stable() {
        // Outbox rows are scoped by this key: it must not change between
        // builds (first 8 bytes of SHA-256("newsflow-sink:a"), big-endian).
        assert_eq!(identity_key("a"), 7478122833532001310);
        assert_ne!(identity_key("a"), identity_key("b"));
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redact("postgres://u:secret@db:5432/newsflow"),
            "postgres://***@db:5432/newsflow"
        );
        assert_eq!(
            redact("postgresql://db/x?sslmode=require&password=pw"),
            "postgresql://db/x?sslmode=require&password=***"
        );
    }

    #[test]
    fn migrations_are_numbered_in_order() {
        let versions: Vec<i32> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        let mut sorted = versions.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(versions, sorted);
        assert_eq!(versions.first(), Some(&1));
    }
}
