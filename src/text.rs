//! Small text helpers shared by the extractors.

/// Trims and folds every run of Unicode white space into one space.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Decodes an HTML page: a byte-order mark wins, then the charset from the
/// HTTP header ([`crate::feed::http_charset`] reads it), then a `<meta
/// charset>` in the first 1 KiB, then UTF-8 (with invalid bytes replaced,
/// never an error).
pub fn decode_html(bytes: &[u8], header_charset: Option<&'static encoding_rs::Encoding>) -> String {
    use encoding_rs::Encoding;
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let enc = header_charset
        .or_else(|| meta_charset(&bytes[..bytes.len().min(1024)]))
        .unwrap_or(encoding_rs::UTF_8);
    // A page that claims UTF-16 in a meta tag is ASCII-compatible bytes by
    // construction, so the claim is wrong: fall back to UTF-8.
    let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        enc
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Finds `charset=` in a `<meta>` tag (either form) of the page's head.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(pos) = rest.find("<meta") {
        let tag_end = rest[pos..].find('>').map_or(rest.len(), |e| pos + e);
        let tag = &rest[pos..tag_end];
        if let Some(c) = tag.find("charset=") {
            let value: String = tag[c + 8..]
                .trim_start_matches(['"', '\'', ' '])
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | ':' | '.'))
                .collect();
            if let Some(enc) = encoding_rs::Encoding::for_label(value.as_bytes()) {
                return Some(enc);
            }
        }
        rest = &rest[tag_end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_runs_and_trims() {
        assert_eq!(collapse_whitespace("  a \n\t b\u{a0}c  "), "a b c");
        assert_eq!(collapse_whitespace(" \n "), "");
    }
}
