//! The in-memory copy index of `newsflow extract`: articles in input
//! order, looked up by LSH band key.

use std::collections::HashMap;

use super::{Fingerprint, Indexed, MAX_PER_BAND, Original, first_original};

/// Articles indexed so far, and which of them carry each band key.
#[derive(Debug, Default)]
pub struct CopyIndex {
    articles: Vec<Indexed>,
    by_band: HashMap<i64, Vec<u32>>,
}

impl CopyIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Indexes an article and returns the first-seen article it copies.
    pub fn link(&mut self, id: &str, url: &str, fp: Fingerprint) -> Option<Original> {
        let keys = fp.band_keys();
        let mut seen: Vec<u32> = keys
            .iter()
            .filter_map(|k| self.by_band.get(k))
            .flat_map(|articles| articles.iter().take(MAX_PER_BAND))
            .copied()
            .collect();
        seen.sort_unstable();
        seen.dedup();
        let candidates = seen.iter().map(|&i| &self.articles[i as usize]);
        let copy_of = first_original(id, &fp, candidates);
        let n = u32::try_from(self.articles.len()).expect("fewer than 4 billion inputs");
        for k in keys {
            self.by_band.entry(k).or_default().push(n);
        }
        self.articles.push(Indexed {
            id: id.to_string(),
            url: url.to_string(),
            fingerprint: fp,
            copy_of: copy_of.clone(),
        });
        copy_of
    }
}
