//! The near-duplicate index in the store ([`crate::dedup`]): one row per
//! fingerprinted article in `copies` (its signature, and the original it
//! was found to copy), and its LSH band keys in `copy_bands`, looked up by
//! key. Both stores keep rows for `seen_retention` after they were indexed.
//!
//! Row sizes, for 1,000,000 articles: a `copies` row holds a 256-byte
//! signature, the id (24 bytes), the URL (about 80) and a few numbers,
//! about 0.45 kB with its indexes; `copy_bands` holds 21 rows of two
//! integers per article, about 0.5 kB in SQLite (a `WITHOUT ROWID` table
//! and an index by article) and 1.4 kB in PostgreSQL (tuple headers).
//! So about 1 GB on disk in SQLite and 2 GB in PostgreSQL per million
//! articles; nothing of it is held in the daemon's memory.

pub(super) mod postgres;
pub(super) mod sqlite;

use crate::dedup::{Fingerprint, Indexed, Original};

/// Columns read back for a candidate, in this order.
const COLUMNS: &str = "c.id, c.url, c.shingles, c.signature, c.dup_id, c.dup_url, c.dup_similarity";

/// Slice size of a prune, so claims get the store in between.
pub(super) const PRUNE_SLICE: i64 = 5000;

/// A stored row as a lookup sees it; `None` when its signature is not one
/// (written by another version), so it is passed over.
#[allow(clippy::too_many_arguments)]
fn indexed(
    id: String,
    url: String,
    shingles: i64,
    signature: &[u8],
    dup_id: Option<String>,
    dup_url: Option<String>,
    dup_similarity: Option<f64>,
) -> Option<Indexed> {
    Some(Indexed {
        id,
        url,
        fingerprint: Fingerprint::from_stored(shingles, signature)?,
        copy_of: copy_of(dup_id, dup_url, dup_similarity),
    })
}

fn copy_of(id: Option<String>, url: Option<String>, similarity: Option<f64>) -> Option<Original> {
    Some(Original {
        id: id?,
        url: url?,
        similarity: similarity?,
    })
}
