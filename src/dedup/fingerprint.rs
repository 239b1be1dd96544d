//! A body's fingerprint: word 5-gram shingles summarised by MinHash
//! (one-permutation hashing, 64 bins).
//!
//! Normalisation is general, never per site: words are the runs of
//! letters and digits, lowercased, so quotation marks (curly or straight),
//! punctuation and whitespace vanish. Shingles never span two paragraphs:
//! a paragraph of fewer than five words ("Advertisement", "Read more",
//! a credit line like "(AP)") gives none, and an inserted or cut
//! paragraph changes no shingle of the others. A dateline changes only
//! the first few shingles of its paragraph.
//!
//! Hashes are written here (FNV-1a, splitmix64) rather than taken from
//! `std`: signatures are stored, so they must not change between builds.

/// Words per shingle.
const SHINGLE_WORDS: usize = 5;
/// MinHash values per signature.
pub const HASHES: usize = 64;
/// LSH bands; each band is [`ROWS`] consecutive signature values. With
/// 21 bands of 3, two bodies with Jaccard similarity 0.5 share a band
/// with probability 0.94, at 0.7 0.9998, at 0.2 0.16.
pub const BANDS: usize = 21;
pub const ROWS: usize = 3;
/// Bodies with fewer shingles are too short to tell a copy from shared
/// boilerplate ("This content is not available in your region").
const MIN_SHINGLES: u32 = 24;

/// The MinHash signature of a body and how many shingles it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Shingles counted as they come, a repeated one again: telling them
    /// apart would cost a sort, and a 5-gram seldom repeats in an article.
    pub shingles: u32,
    pub signature: [u32; HASHES],
}

impl Fingerprint {
    /// The fingerprint of an article body (paragraphs separated by blank
    /// lines); `None` when the body is too short to fingerprint.
    pub fn of_body(body: &str) -> Option<Fingerprint> {
        let mut bins = Bins::new();
        // The paragraph's last five word hashes, the oldest at `n % 5`.
        let mut window = [0u64; SHINGLE_WORDS];
        let mut n = 0usize;
        for_each_word(body, |word| match word {
            Some(word) => {
                window[n % SHINGLE_WORDS] = word;
                n += 1;
                if n >= SHINGLE_WORDS {
                    bins.add(shingle(&window, n));
                }
            }
            // A blank line: the next shingle starts with the paragraph.
            None => n = 0,
        });
        (bins.count >= MIN_SHINGLES).then(|| Fingerprint {
            shingles: bins.count,
            signature: bins.signature(),
        })
    }

    /// The LSH band keys: one per band, the band's number included so
    /// equal values in different bands do not meet.
    pub fn band_keys(&self) -> [i64; BANDS] {
        let mut keys = [0i64; BANDS];
        for (b, key) in keys.iter_mut().enumerate() {
            let mut h = mix(b as u64 + 1);
            for &v in &self.signature[b * ROWS..(b + 1) * ROWS] {
                h = mix(h ^ u64::from(v));
            }
            *key = h as i64;
        }
        keys
    }

    /// Estimated share of the shingles the two bodies have in common:
    /// `(of the smaller, of the larger)`, from the MinHash estimate of
    /// their Jaccard similarity and their sizes.
    pub fn overlap(&self, other: &Fingerprint) -> (f64, f64) {
        let same = self
            .signature
            .iter()
            .zip(other.signature.iter())
            .filter(|(a, b)| a == b)
            .count();
        let jaccard = same as f64 / HASHES as f64;
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let common = jaccard / (1.0 + jaccard) * (a + b);
        ((common / a.min(b)).min(1.0), (common / a.max(b)).min(1.0))
    }

    /// The similarity reported for a copy (min-side containment), or
    /// `None` when the bodies are not copies of each other (see
    /// [`super::MIN_CONTAINMENT`]).
    pub fn copy_similarity(&self, other: &Fingerprint) -> Option<f64> {
        let (containment, coverage) = self.overlap(other);
        (containment >= super::MIN_CONTAINMENT && coverage >= super::MIN_COVERAGE)
            .then(|| (containment * 1000.0).round() / 1000.0)
    }

    /// The signature as stored: little-endian values.
    pub fn signature_bytes(&self) -> Vec<u8> {
        self.signature
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect()
    }

    /// A stored fingerprint; `None` when the bytes are not a signature.
    pub fn from_stored(shingles: i64, bytes: &[u8]) -> Option<Fingerprint> {
        if bytes.len() != HASHES * 4 {
            return None;
        }
        let mut signature = [0u32; HASHES];
        for (v, chunk) in signature.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Fingerprint {
            shingles: u32::try_from(shingles).ok()?,
            signature,
        })
    }
}

/// MinHash by one-permutation hashing: each shingle's hash picks one of
/// the [`HASHES`] bins by its low bits and competes for that bin's minimum
/// with its high bits, so a body costs one hash per shingle rather than
/// one per shingle and bin (fingerprinting must stay a small part of
/// extraction). A bin no shingle fell into borrows from the next filled
/// one, offset by the distance ("rotation" densification): two bodies then
/// agree on an empty bin about as often as on a filled one, which keeps
/// the share of equal values an estimate of the Jaccard similarity for
/// short bodies too.
struct Bins {
    min: [u64; HASHES],
    count: u32,
}

impl Bins {
    const EMPTY: u64 = u64::MAX;

    fn new() -> Self {
        Bins {
            min: [Self::EMPTY; HASHES],
            count: 0,
        }
    }

    fn add(&mut self, shingle: u64) {
        let h = mix(shingle ^ SEED);
        let bin = (h % HASHES as u64) as usize;
        self.min[bin] = self.min[bin].min(h >> 32);
        self.count = self.count.saturating_add(1);
    }

    fn signature(&self) -> [u32; HASHES] {
        let mut signature = [0u32; HASHES];
        for (j, slot) in signature.iter_mut().enumerate() {
            let (t, v) = (0..HASHES)
                .map(|t| (t, self.min[(j + t) % HASHES]))
                .find(|&(_, v)| v != Self::EMPTY)
                .unwrap_or((0, 0));
            *slot = (v as u32).wrapping_add((t as u32).wrapping_mul(0x9e37_79b9));
        }
        signature
    }
}

/// The hash of the 5-gram in `window` ending with the `n`th word: word
/// hashes rotated by their place, so word order counts.
fn shingle(window: &[u64; SHINGLE_WORDS], n: usize) -> u64 {
    (0..SHINGLE_WORDS).fold(0, |h, j| {
        h ^ window[(n + j) % SHINGLE_WORDS].rotate_left(13 * j as u32)
    })
}

/// Each ASCII byte as a word's hash reads it: a letter lowercased, a digit
/// as it is, 0 for the others (which end a word). A table, because the
/// byte loop is most of fingerprinting.
const WORD_BYTES: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            t[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// Calls `f` with the hash (FNV-1a over the lowercased letters) of each
/// word of `text` (each run of letters and digits), and with `None` at
/// each blank line ("\n\n"), which ends a paragraph.
fn for_each_word(text: &str, mut f: impl FnMut(Option<u64>)) {
    const START: u64 = 0xcbf2_9ce4_8422_2325;
    let mut h = START;
    let mut in_word = false;
    let feed = |h: &mut u64, b: u8| {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    // Bytes, not chars: most text is ASCII, and a byte test is cheaper
    // than decoding; other characters are decoded where they start.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let letter = if b.is_ascii() {
            i += 1;
            let w = WORD_BYTES[usize::from(b)];
            if w != 0 {
                feed(&mut h, w);
            }
            w != 0
        } else {
            let c = text[i..].chars().next().expect("i is at a char boundary");
            i += c.len_utf8();
            word_char(c, |l| feed(&mut h, l))
        };
        if letter {
            in_word = true;
            continue;
        }
        if in_word {
            f(Some(h));
            h = START;
            in_word = false;
        }
        if b == b'\n' && bytes.get(i) == Some(&b'\n') {
            f(None);
        }
    }
    if in_word {
        f(Some(h));
    }
}

/// Whether `c` (not ASCII) belongs to a word; if so, `feed` gets the bytes
/// of its lower case.
fn word_char(c: char, mut feed: impl FnMut(u8)) -> bool {
    let mut buf = [0u8; 4];
    if let Some(l) = crate::text::quick_lower(c) {
        l.encode_utf8(&mut buf).bytes().for_each(&mut feed);
        return true;
    }
    if !crate::text::is_alphanumeric(c) {
        return false;
    }
    for l in c.to_lowercase() {
        l.encode_utf8(&mut buf).bytes().for_each(&mut feed);
    }
    true
}

/// The splitmix64 finaliser: a cheap, well-spread 64-bit mix.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The MinHash permutation's seed; fixed forever (signatures are stored).
const SEED: u64 = 0x6e65_7773_666c_6f77;

#[cfg(test)]
mod tests {
    use super::*;

    fn story() -> String {
        [
            "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, after engineers found cracks in two of its supporting piers.",
            "Repairs are expected to take at least eighteen months and cost the city about 40 million euros, according to a report presented to councillors.",
            "\u{201c}We cannot take any risks with people\u{2019}s safety,\u{201d} the mayor said after the vote, adding that buses would be rerouted over the northern bridge.",
            "Shop owners near the bridge said they feared losing customers during the works and asked the council for compensation.",
        ]
        .join("\n\n")
    }

    #[test]
    fn quotes_case_and_whitespace_do_not_change_the_fingerprint() {
        let a = Fingerprint::of_body(&story()).unwrap();
        let b = story()
            .replace(['\u{201c}', '\u{201d}'], "\"")
            .replace('\u{2019}', "'")
            .replace(' ', "  \t")
            .to_uppercase();
        assert_eq!(Fingerprint::of_body(&b).unwrap(), a);
    }

    #[test]
    fn a_copy_with_a_dateline_and_an_ad_paragraph_is_a_copy() {
        let a = Fingerprint::of_body(&story()).unwrap();
        let mut paragraphs: Vec<String> = story().split("\n\n").map(String::from).collect();
        paragraphs[0] = format!("HAMBURG (AP) \u{2014} {}", paragraphs[0]);
        paragraphs.insert(2, "Advertisement".into());
        let b = Fingerprint::of_body(&paragraphs.join("\n\n")).unwrap();
        assert!(a.copy_similarity(&b).is_some(), "{:?}", a.overlap(&b));
        assert!(a.band_keys().iter().any(|k| b.band_keys().contains(k)));
    }

    #[test]
    fn signatures_stay_as_stored() {
        // Signatures are stored: a change to the hashing must not pass
        // unnoticed (the values of the code before the one-pass reading).
        let fp = Fingerprint::of_body(&story()).unwrap();
        assert_eq!(fp.shingles, 79);
        assert_eq!(
            fp.signature[..4],
            [1_432_948_841, 3_540_875_029, 886_439_260, 2_476_205_350]
        );
        assert_eq!(fp.band_keys()[0], -5_056_304_970_370_219_153);
        let one_paragraph = Fingerprint::of_body(&story().replace("\n\n", "\n")).unwrap();
        assert_ne!(one_paragraph, fp);
    }

    #[test]
    fn short_bodies_are_not_fingerprinted() {
        assert_eq!(
            Fingerprint::of_body("Read more on our website today."),
            None
        );
    }

    #[test]
    fn stored_signatures_read_back() {
        let a = Fingerprint::of_body(&story()).unwrap();
        let back = Fingerprint::from_stored(i64::from(a.shingles), &a.signature_bytes());
        assert_eq!(back, Some(a));
        assert_eq!(Fingerprint::from_stored(3, &[1, 2, 3]), None);
    }
}
