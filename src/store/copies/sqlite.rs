//! The near-duplicate index in SQLite.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{COLUMNS, PRUNE_SLICE, copy_of, indexed};
use crate::dedup::{BANDS, Fingerprint, Indexed, MAX_PER_BAND, Original, first_original};

/// Schema version 3: the index.
pub(in crate::store) const SCHEMA: &str = "
CREATE TABLE copies (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    shingles INTEGER NOT NULL,
    signature BLOB NOT NULL,
    dup_id TEXT,
    dup_url TEXT,
    dup_similarity REAL,
    at INTEGER NOT NULL
);
CREATE INDEX copies_at ON copies (at);
CREATE TABLE copy_bands (
    band INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (band, seq)
) WITHOUT ROWID;
CREATE INDEX copy_bands_seq ON copy_bands (seq);
";

/// See [`crate::store::Store::link_copy`]. The write lock is taken first
/// (`IMMEDIATE`), so the lookup and the insert see the same index.
pub(in crate::store) fn link(
    c: &mut Connection,
    id: &str,
    url: &str,
    fp: &Fingerprint,
    now: i64,
) -> rusqlite::Result<Option<Original>> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(first_answer) = recorded(&tx, id)? {
        return Ok(first_answer);
    }
    let keys = fp.band_keys();
    let candidates = candidates(&tx, &keys)?;
    let found = first_original(id, fp, &candidates);
    tx.execute(
        "INSERT INTO copies (id, url, shingles, signature, dup_id, dup_url, dup_similarity, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            url,
            fp.shingles,
            fp.signature_bytes(),
            found.as_ref().map(|o| &o.id),
            found.as_ref().map(|o| &o.url),
            found.as_ref().map(|o| o.similarity),
            now
        ],
    )?;
    let seq = tx.last_insert_rowid();
    {
        let mut band = tx.prepare_cached(
            "INSERT INTO copy_bands (band, seq) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?;
        for k in keys {
            band.execute(params![k, seq])?;
        }
    }
    tx.commit()?;
    Ok(found)
}

/// What an id indexed before was found to copy (`Some(None)`: nothing).
fn recorded(tx: &Transaction, id: &str) -> rusqlite::Result<Option<Option<Original>>> {
    tx.prepare_cached("SELECT dup_id, dup_url, dup_similarity FROM copies WHERE id = ?1")?
        .query_row(params![id], |r| {
            Ok(copy_of(r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()
}

/// The first indexed articles of each band key ([`MAX_PER_BAND`]), first
/// indexed first.
fn candidates(tx: &Transaction, keys: &[i64; BANDS]) -> rusqlite::Result<Vec<Indexed>> {
    // The first articles of each key, read in key order from the primary key.
    let per_band = vec![
        format!("SELECT seq FROM (SELECT seq FROM copy_bands WHERE band = ? ORDER BY seq LIMIT {MAX_PER_BAND})");
        BANDS
    ]
    .join(" UNION ");
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM copies c WHERE c.seq IN ({per_band}) ORDER BY c.seq"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(keys), |r| {
        let signature: Vec<u8> = r.get(3)?;
        Ok(indexed(
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            &signature,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })?;
    rows.filter_map(Result::transpose).collect()
}

/// Drops one slice of the rows indexed before `before`; returns how many.
pub(in crate::store) fn prune_slice(c: &mut Connection, before: i64) -> rusqlite::Result<u64> {
    let tx = c.transaction()?;
    let doomed = "SELECT seq FROM copies WHERE at < ?1 ORDER BY seq LIMIT ?2";
    tx.execute(
        &format!("DELETE FROM copy_bands WHERE seq IN ({doomed})"),
        params![before, PRUNE_SLICE],
    )?;
    let n = tx.execute(
        &format!("DELETE FROM copies WHERE seq IN ({doomed})"),
        params![before, PRUNE_SLICE],
    )?;
    tx.commit()?;
    Ok(n as u64)
}
