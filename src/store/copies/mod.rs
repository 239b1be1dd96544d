//! The near-duplicate index in the store ([`crate::dedup`]): one row per
//! fingerprinted article in `copies` (its signature, and the original it
//! was found to copy), and its LSH band keys in `copy_bands`, looked up by
//! key. Both stores keep rows for `seen_retention` after they were indexed.
//!
//! Size, measured over 20,000 articles (`index_size_per_article` in
//! `tests/near_duplicates.rs`): 1.2 kB per article in SQLite, 2.5 kB in
//! PostgreSQL. A `copies` row holds a 256-byte signature, the id, the URL
//! and a few numbers; `copy_bands` 21 rows of two integers per article
//! (per-row overhead, and PostgreSQL's tuple headers, make most of it).
//! So about 1.2 GB and 2.5 GB per 1,000,000 articles, on disk; nothing of
//! it is held in the daemon's memory.

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
