//! Bytes to UTF-8 text, following RFC 3023 the way feedparser does, with the
//! recoveries real feeds need (lying declarations, stray BOMs, control
//! characters), and normalised so the XML readers never see a declaration.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// A feed document as UTF-8 text, ready for a parser.
pub(crate) struct Decoded<'a> {
    /// Borrowed from the input when it already was clean UTF-8.
    pub text: Cow<'a, str>,
    /// Name of the encoding the bytes were read with.
    pub encoding: &'static str,
}

/// Where the charset we used came from; a lie is more likely from some
/// sources than from others, which decides how hard we second-guess it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Http,
    Bom,
    Declaration,
    Default,
}

pub(crate) fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    let http = content_type.and_then(http_charset);
    let (unicode, bom_len) = sniff_unicode(bytes);

    // UTF-32 is not in the WHATWG set that encoding_rs implements.
    if let Some(wide @ (Wide::Utf32Le | Wide::Utf32Be)) = unicode {
        let text = decode_utf32(&bytes[bom_len..], wide == Wide::Utf32Be);
        let name = if wide == Wide::Utf32Be {
            "UTF-32BE"
        } else {
            "UTF-32LE"
        };
        return finish(Cow::Owned(text), name);
    }

    let (encoding, source) = choose(bytes, http, unicode, bom_len);
    let body = if source == Source::Bom || unicode.is_some() {
        &bytes[bom_len..]
    } else {
        bytes
    };
    let (text, used) = decode_with(body, encoding, source);
    finish(text, used.name())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Wide {
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

/// BOMs and the RFC 3023 / XML appendix F autodetection of `<?` in wide
/// encodings. Returns the family and the number of BOM bytes to skip.
fn sniff_unicode(b: &[u8]) -> (Option<Wide>, usize) {
    match b {
        [0x00, 0x00, 0xFE, 0xFF, ..] => (Some(Wide::Utf32Be), 4),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Some(Wide::Utf32Le), 4),
        [0xEF, 0xBB, 0xBF, ..] => (Some(Wide::Utf8Bom), 3),
        [0xFE, 0xFF, ..] => (Some(Wide::Utf16Be), 2),
        [0xFF, 0xFE, ..] => (Some(Wide::Utf16Le), 2),
        [0x00, 0x00, 0x00, 0x3C, ..] => (Some(Wide::Utf32Be), 0),
        [0x3C, 0x00, 0x00, 0x00, ..] => (Some(Wide::Utf32Le), 0),
        [0x00, 0x3C, 0x00, 0x3F, ..] => (Some(Wide::Utf16Be), 0),
        [0x3C, 0x00, 0x3F, 0x00, ..] => (Some(Wide::Utf16Le), 0),
        _ => (None, 0),
    }
}

fn choose(
    bytes: &[u8],
    http: Option<&'static Encoding>,
    unicode: Option<Wide>,
    bom_len: usize,
) -> (&'static Encoding, Source) {
    let wide = match unicode {
        Some(Wide::Utf16Le) => Some(encoding_rs::UTF_16LE),
        Some(Wide::Utf16Be) => Some(encoding_rs::UTF_16BE),
        Some(Wide::Utf8Bom) => Some(UTF_8),
        _ => None,
    };
    // A BOM is physical evidence; an HTTP charset naming a different
    // family than the BOM is a server default, not a statement about
    // these bytes (feedparser agrees for UTF-16/UTF-8 BOMs).
    if let Some(w) = wide
        && (bom_len > 0 || http.is_none_or(|h| h != w))
    {
        return (w, Source::Bom);
    }
    // A UTF-16 charset on bytes with neither BOM nor UTF-16 shape is a
    // mislabel (the declaration or the default will do better).
    if let Some(h) = http
        && !(h == encoding_rs::UTF_16LE || h == encoding_rs::UTF_16BE)
    {
        return (h, Source::Http);
    }
    if let Some(d) = declared_encoding(bytes) {
        return (d, Source::Declaration);
    }
    (UTF_8, Source::Default)
}

/// Decodes, second-guessing labels that the bytes contradict: a UTF-8
/// label on bytes that are not UTF-8 (usually windows-1252), or a
/// single-byte label on bytes that are valid, non-ASCII UTF-8.
fn decode_with<'a>(
    body: &'a [u8],
    encoding: &'static Encoding,
    source: Source,
) -> (Cow<'a, str>, &'static Encoding) {
    if encoding == UTF_8 {
        return match std::str::from_utf8(body) {
            Ok(s) => (Cow::Borrowed(s), UTF_8),
            Err(_) => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
                // Mostly-UTF-8 with a few stray bytes (a truncated or
                // concatenated document) reads better as UTF-8 with
                // replacement characters than as all-mojibake.
                if mostly_utf8(body) {
                    (String::from_utf8_lossy(body), UTF_8)
                } else {
                    (text, WINDOWS_1252)
                }
            }
        };
    }
    // A declaration is often copied from a template, and a server's
    // latin-1/us-ascii charset is often just its default; an HTTP charset
    // naming any other encoding is taken at its word (RFC 3023).
    let doubtful = match source {
        Source::Declaration | Source::Default => true,
        Source::Http => encoding == WINDOWS_1252,
        Source::Bom => false,
    };
    if doubtful && !body.is_ascii() && std::str::from_utf8(body).is_ok() {
        // Valid multi-byte UTF-8 is vanishingly unlikely in text really
        // written in a legacy encoding, so the label is the lie.
        return (
            Cow::Borrowed(std::str::from_utf8(body).unwrap_or_default()),
            UTF_8,
        );
    }
    let (text, _) = encoding.decode_without_bom_handling(body);
    (text, encoding)
}

fn mostly_utf8(body: &[u8]) -> bool {
    let lossy = String::from_utf8_lossy(body);
    let bad = lossy.matches('\u{FFFD}').count();
    let non_ascii = body.iter().filter(|b| !b.is_ascii()).count();
    bad * 4 < non_ascii
}

fn decode_utf32(b: &[u8], big_endian: bool) -> String {
    b.chunks_exact(4)
        .map(|c| {
            let n = if big_endian {
                u32::from_be_bytes([c[0], c[1], c[2], c[3]])
            } else {
                u32::from_le_bytes([c[0], c[1], c[2], c[3]])
            };
            char::from_u32(n).unwrap_or('\u{FFFD}')
        })
        .collect()
}

/// The `charset` parameter of a Content-Type (`text/html; charset=latin1`),
/// when it names an encoding we know, with the labels real servers use
/// beyond the WHATWG set. Feeds and article pages both read it here.
/// feedparser's test suite quotes it in every style, so be liberal.
pub fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        encoding_for_label(v)
    })
}

fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    // encoding_rs follows WHATWG, which lacks a few names feeds use.
    let label = match label.to_ascii_lowercase().as_str() {
        "utf8" => "utf-8",
        "utf-32" | "utf-32le" | "utf-32be" | "ucs-4" => return None,
        "latin1" | "latin-1" => "iso-8859-1",
        "cp1251" => "windows-1251",
        "cp1252" => "windows-1252",
        "x-sjis" => "shift_jis",
        _ => return Encoding::for_label(label.as_bytes()),
    };
    Encoding::for_label(label.as_bytes())
}

/// The `encoding` pseudo-attribute of a leading XML declaration (after
/// optional whitespace), read as ASCII.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &bytes[start..bytes.len().min(start + 512)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    match encoding_for_label(value.trim()) {
        // A declaration cannot truthfully say UTF-16 for bytes in which we
        // could read it as ASCII: the BOM/autodetect would have caught it.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => Some(UTF_8),
        other => other,
    }
}

/// Strips what precedes the document and every XML declaration (we are
/// UTF-8 now, and feed-rs panics on a non-UTF-8 declaration it meets after
/// its first buffer), and drops characters XML 1.0 forbids.
fn finish<'a>(mut text: Cow<'a, str>, encoding: &'static str) -> Decoded<'a> {
    if has_forbidden_controls(text.as_bytes()) {
        text.to_mut()
            .retain(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'));
    }
    let lead = text
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace() && c != '\u{FEFF}')
        .map_or(text.len(), |(i, _)| i);
    let mut start = lead;
    if text[lead..].starts_with("<?xml")
        && text[lead + 5..].starts_with(|c: char| c.is_whitespace() || c == '?')
    {
        start = text[lead..].find("?>").map_or(lead, |e| lead + e + 2);
    }
    if start > 0 {
        text = match text {
            Cow::Borrowed(s) => Cow::Borrowed(&s[start..]),
            Cow::Owned(mut s) => {
                s.drain(..start);
                Cow::Owned(s)
            }
        };
    }
    if memchr::memmem::find(text.as_bytes(), b"<?xml").is_some() {
        text = Cow::Owned(remove_late_declarations(&text));
    }
    Decoded { text, encoding }
}

fn has_forbidden_controls(b: &[u8]) -> bool {
    // Branch-free per chunk so the compiler vectorises it; this runs over
    // every byte of every feed.
    b.chunks(256).any(|chunk| {
        chunk.iter().fold(false, |acc, &c| {
            acc | (c < 0x20 && c != b'\t' && c != b'\n' && c != b'\r')
        })
    })
}

/// Concatenated documents carry declarations mid-stream; they are junk to
/// every reader once the text is UTF-8.
fn remove_late_declarations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<?xml") {
        let after = &rest[at + 5..];
        if after.starts_with(|c: char| c.is_whitespace() || c == '?') {
            let Some(end) = after.find("?>") else {
                // No later declaration can be closed either; searching
                // again for each would be quadratic.
                break;
            };
            out.push_str(&rest[..at]);
            rest = &after[end + 2..];
            continue;
        }
        out.push_str(&rest[..at + 5]);
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_charset_overrides_declaration() {
        let doc = "<?xml version='1.0' encoding='utf-8'?><rss>caf\u{e9}</rss>";
        let bytes = WINDOWS_1252.encode(doc).0;
        let d = decode(&bytes, Some("text/xml; charset=\"windows-1252\""));
        assert_eq!(d.text, "<rss>caf\u{e9}</rss>");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn declared_utf8_that_is_latin1_is_recovered() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>caf".to_vec();
        bytes.extend_from_slice(&[0xE9]);
        bytes.extend_from_slice(b"</rss>");
        assert_eq!(decode(&bytes, None).text, "<rss>caf\u{e9}</rss>");
    }

    #[test]
    fn declared_latin1_that_is_utf8_is_recovered() {
        let doc = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss>caf\u{e9}</rss>";
        assert_eq!(decode(doc.as_bytes(), None).text, "<rss>caf\u{e9}</rss>");
    }

    #[test]
    fn utf16_and_utf32_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss>\u{444}</rss>";
        let le: Vec<u8> = doc.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le, None).text, "<rss>\u{444}</rss>");
        let mut be = vec![0xFE, 0xFF];
        be.extend(doc.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be, None).text, "<rss>\u{444}</rss>");
        let u32be: Vec<u8> = doc.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        assert_eq!(decode(&u32be, None).text, "<rss>\u{444}</rss>");
    }

    #[test]
    fn windows_1251_declaration() {
        let doc =
            "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss>\u{41f}\u{440}\u{438}</rss>";
        let bytes = encoding_rs::WINDOWS_1251.encode(doc).0;
        assert_eq!(
            decode(&bytes, None).text,
            "<rss>\u{41f}\u{440}\u{438}</rss>"
        );
    }

    #[test]
    fn strips_leading_whitespace_bom_controls_and_late_declarations() {
        let doc = "\u{feff}  \n<?xml version=\"1.0\"?><a>x\u{0}y</a><?xml version=\"1.0\" encoding=\"koi8-r\"?><b/>";
        assert_eq!(decode(doc.as_bytes(), None).text, "<a>xy</a><b/>");
    }
}
