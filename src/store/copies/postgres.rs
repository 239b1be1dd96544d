//! The near-duplicate index in PostgreSQL, shared by every instance.

use anyhow::{Context, Result};
use deadpool_postgres::{Object, Transaction};

use super::{COLUMNS, PRUNE_SLICE, copy_of, indexed};
use crate::dedup::{Fingerprint, Indexed, MAX_PER_BAND, Original, first_original};

/// Schema version 4: the index.
pub(in crate::store) const SCHEMA: &str = "
CREATE TABLE copies (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    shingles BIGINT NOT NULL,
    signature BYTEA NOT NULL,
    dup_id TEXT,
    dup_url TEXT,
    dup_similarity DOUBLE PRECISION,
    at BIGINT NOT NULL
);
CREATE INDEX copies_at ON copies (at);
CREATE TABLE copy_bands (
    band BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (band, seq)
);
CREATE INDEX copy_bands_seq ON copy_bands (seq);
";

/// See [`crate::store::Store::link_copy`].
///
/// Two instances indexing two copies of one story at once must not both
/// find the other missing and both call themselves first. So the lookup
/// runs under a transaction-level advisory lock on each of the article's
/// band keys: articles that could match each other share a key, and the
/// second waits until the first has committed, then finds it. Keys are
/// locked in ascending order, so two lookups never wait in a circle. The
/// two-integer lock form is newsflow's for this alone (the other locks use
/// the one-bigint form, a separate key space).
pub(in crate::store) async fn link(
    c: &mut Object,
    id: &str,
    url: &str,
    fp: &Fingerprint,
    now: i64,
) -> Result<Option<Original>> {
    let tx = c.transaction().await?;
    let mut order = fp.band_keys().to_vec();
    order.sort_unstable();
    order.dedup();
    lock_bands(&tx, &order).await?;
    if let Some(first_answer) = recorded(&tx, id).await? {
        return Ok(first_answer);
    }
    let found = first_original(id, fp, &candidates(&tx, &order).await?);
    let inserted = tx
        .execute(
            &tx.prepare_cached(
                "WITH c AS (INSERT INTO copies (id, url, shingles, signature, dup_id, dup_url, dup_similarity, at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING seq)
                 INSERT INTO copy_bands (band, seq) SELECT k, c.seq FROM c, unnest($9::bigint[]) AS k
                   ON CONFLICT DO NOTHING",
            )
            .await?,
            &[
                &id,
                &url,
                &i64::from(fp.shingles),
                &fp.signature_bytes(),
                &found.as_ref().map(|o| &o.id),
                &found.as_ref().map(|o| &o.url),
                &found.as_ref().map(|o| o.similarity),
                &now,
                &order,
            ],
        )
        .await
        .context("indexing the fingerprint")?;
    // Nothing inserted: the same id was indexed meanwhile (by another
    // instance, with a body whose bands differ); its answer stands.
    let found = if inserted == 0 {
        recorded(&tx, id).await?.flatten()
    } else {
        found
    };
    tx.commit().await.context("indexing the fingerprint")?;
    Ok(found)
}

/// Takes the advisory locks of `keys` (ascending) until the transaction ends.
async fn lock_bands(tx: &Transaction<'_>, keys: &[i64]) -> Result<()> {
    let (hi, lo): (Vec<i32>, Vec<i32>) = keys.iter().map(|k| ((k >> 32) as i32, *k as i32)).unzip();
    tx.execute(
        &tx.prepare_cached(
            "SELECT pg_advisory_xact_lock(a, b) FROM unnest($1::int4[], $2::int4[]) AS t(a, b)",
        )
        .await?,
        &[&hi, &lo],
    )
    .await
    .context("locking the band keys")?;
    Ok(())
}

/// What an id indexed before was found to copy (`Some(None)`: nothing).
async fn recorded(tx: &Transaction<'_>, id: &str) -> Result<Option<Option<Original>>> {
    let row = tx
        .query_opt(
            &tx.prepare_cached("SELECT dup_id, dup_url, dup_similarity FROM copies WHERE id = $1")
                .await?,
            &[&id],
        )
        .await
        .context("reading an indexed fingerprint")?;
    Ok(row.map(|r| copy_of(r.get(0), r.get(1), r.get(2))))
}

/// The first indexed articles of each band key ([`MAX_PER_BAND`]), first
/// indexed first.
async fn candidates(tx: &Transaction<'_>, keys: &[i64]) -> Result<Vec<Indexed>> {
    let rows = tx
        .query(
            &tx.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM copies c WHERE c.seq IN (
                   SELECT b.seq FROM unnest($1::bigint[]) AS k CROSS JOIN LATERAL (
                     SELECT seq FROM copy_bands WHERE band = k ORDER BY seq LIMIT {MAX_PER_BAND}) AS b)
                 ORDER BY c.seq"
            ))
            .await?,
            &[&keys],
        )
        .await
        .context("looking up copies")?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let signature: &[u8] = r.get(3);
            indexed(
                r.get(0),
                r.get(1),
                r.get(2),
                signature,
                r.get(4),
                r.get(5),
                r.get(6),
            )
        })
        .collect())
}

/// Drops the rows indexed before `before`, a slice at a time; returns how
/// many.
pub(in crate::store) async fn prune(c: &mut Object, before: i64) -> Result<u64> {
    let mut total = 0;
    loop {
        let tx = c.transaction().await?;
        let doomed = "SELECT seq FROM copies WHERE at < $1 ORDER BY seq LIMIT $2";
        tx.execute(
            &format!("DELETE FROM copy_bands WHERE seq IN ({doomed})"),
            &[&before, &PRUNE_SLICE],
        )
        .await?;
        let n = tx
            .execute(
                &format!("DELETE FROM copies WHERE seq IN ({doomed})"),
                &[&before, &PRUNE_SLICE],
            )
            .await?;
        tx.commit().await.context("forgetting old fingerprints")?;
        total += n;
        if n < PRUNE_SLICE as u64 {
            return Ok(total);
        }
    }
}
