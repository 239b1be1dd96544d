//! Small text helpers shared by the extractors.

use std::borrow::Cow;

/// Trims and folds every run of Unicode white space into one space.
///
/// Byte by byte rather than by `split_whitespace`, which decodes every
/// character: only the lead bytes 0xC2, 0xE1, 0xE2 and 0xE3 can start a
/// white-space character outside ASCII, so only those are decoded. Words
/// with one plain space between them (most of a text) are copied as one
/// run, not a word at a time. Pages pass through here several times.
pub fn collapse_whitespace(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let width = space_width(s, i);
        if width > 0 {
            i += width;
            continue;
        }
        let end = run_end(s, i);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[i..end]);
        i = end;
    }
    out
}

/// Where the run of words from `i` ends: at white space other than one
/// plain space between two words, or at the end of `s`.
fn run_end(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() {
        if !may_start_space(b[i]) {
            i += 1;
        } else if b[i] == b' ' && b.get(i + 1).is_some_and(|&c| !may_start_space(c)) {
            i += 2;
        } else if space_width(s, i) == 0 {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Whether a white-space character may start at this byte: a table, one
/// load a byte where the ten comparisons cost several.
fn may_start_space(c: u8) -> bool {
    const LEADS: [u8; 256] = byte_table([0; 256], b" \t\n\x0b\x0c\r\xC2\xE1\xE2\xE3", 1);
    LEADS[c as usize] != 0
}

/// `table` with `value` at each of `bytes`: byte-class tables, built at
/// compile time.
pub const fn byte_table(mut table: [u8; 256], bytes: &[u8], value: u8) -> [u8; 256] {
    let mut k = 0;
    while k < bytes.len() {
        table[bytes[k] as usize] = value;
        k += 1;
    }
    table
}

/// The length in bytes of the white-space character at byte `i`, or 0.
/// `i` may fall inside a character (a continuation byte): never space.
fn space_width(s: &str, i: usize) -> usize {
    match s.as_bytes()[i] {
        b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => 1,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => s[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

/// `pattern` with each `\d` read as a digit of the scripts news is written
/// in: ASCII, Arabic-Indic, Persian, Devanagari, Bengali and Thai. Every
/// script's digits (Unicode `\d`) made a date pattern three times dearer to
/// compile, a cost each process pays before its first page.
pub fn news_digits(pattern: &str) -> String {
    pattern.replace(
        r"\d",
        "[0-9\u{660}-\u{669}\u{6f0}-\u{6f9}\u{966}-\u{96f}\u{9e6}-\u{9ef}\u{e50}-\u{e59}]",
    )
}

/// `char::is_alphanumeric`, without its table search for the letters of
/// the scripts most non-Latin pages are written in ([`quick_lower`]). The
/// search costs some 300 instructions a character.
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        quick_lower(c).is_some() || !quick_non_letter(c) && c.is_alphanumeric()
    }
}

/// `str::to_lowercase`, without its Unicode tables for the common scripts
/// ([`lower_char`]; a Cyrillic word cost the tables some 600 instructions).
/// Any other character (Greek's final sigma among them) leaves the word to
/// std.
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut low = String::with_capacity(s.len());
    for c in s.chars() {
        match lower_char(c) {
            Some(l) => low.push(l),
            None => return s.to_lowercase(),
        }
    }
    low
}

/// Calls `f` with each character of `c`'s lower case: [`lower_char`]'s
/// answer where it has one, std's tables otherwise.
pub fn each_lower(c: char, mut f: impl FnMut(char)) {
    match lower_char(c) {
        Some(l) => f(l),
        None => c.to_lowercase().for_each(f),
    }
}

/// `char::to_lowercase` where it is one character and no table is needed:
/// ASCII, the letters of [`quick_lower`], and the caseless signs of
/// [`quick_non_letter`]; `None` for the rest.
pub fn lower_char(c: char) -> Option<char> {
    if c.is_ascii() {
        Some(c.to_ascii_lowercase())
    } else {
        quick_lower(c).or_else(|| quick_non_letter(c).then_some(c))
    }
}

/// Common characters outside ASCII that are neither letters nor digits:
/// the signs of Latin-1 (no-break space, guillemets, degree), General
/// Punctuation (curly quotes, dashes, ellipsis, spaces), currency signs,
/// arrows, mathematical operators, box drawing, and the CJK full stops,
/// commas and brackets. The Unicode table lookup they would otherwise take
/// costs some 1,400 instructions a character.
fn quick_non_letter(c: char) -> bool {
    matches!(
        c,
        '\u{0080}'..='\u{00A9}'
            | '\u{00AB}'..='\u{00B1}'
            | '\u{00B4}'
            | '\u{00B6}'..='\u{00B8}'
            | '\u{00BB}'
            | '\u{00BF}'
            | '\u{00D7}'
            | '\u{00F7}'
            | '\u{2000}'..='\u{206F}'
            | '\u{20A0}'..='\u{20CF}'
            | '\u{2190}'..='\u{23FF}'
            | '\u{2500}'..='\u{257F}'
            | '\u{3000}'..='\u{3004}'
            | '\u{3008}'..='\u{3020}'
            | '\u{FF01}'..='\u{FF0F}'
            | '\u{FF1A}'..='\u{FF20}'
    )
}

/// The lower case of a Latin-1 letter (accented Latin), of a Cyrillic
/// letter of the basic Russian alphabet (with the Ukrainian, Belarusian and
/// Serbian letters beside it), or of a letter with no case (Arabic, Thai
/// and Myanmar consonants, Han ideographs, kana, Hangul syllables), which
/// is the letter itself; `None` for every other character, letter or not.
/// Of the non-ASCII letters in the dev sets' article bodies, these ranges
/// hold 97%: Cyrillic 68%, Han, kana and Hangul 24%, Latin-1 and Arabic 2%
/// each.
pub fn quick_lower(c: char) -> Option<char> {
    let offset = match c {
        '\u{00C0}'..='\u{00D6}' | '\u{00D8}'..='\u{00DE}' => 0x20,
        '\u{0400}'..='\u{040F}' => 0x50,
        '\u{0410}'..='\u{042F}' => 0x20,
        '\u{00DF}'..='\u{00F6}'
        | '\u{00F8}'..='\u{00FF}'
        | '\u{0430}'..='\u{045F}'
        | '\u{0621}'..='\u{063A}'
        | '\u{0641}'..='\u{064A}'
        | '\u{0E01}'..='\u{0E30}'
        | '\u{1000}'..='\u{102A}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FA}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}' => 0,
        _ => return None,
    };
    char::from_u32(c as u32 + offset)
}

/// Decodes an HTML page: a byte-order mark wins, then the charset from the
/// HTTP header ([`crate::feed::http_charset`] reads it), then a `<meta
/// charset>` in the first 1 KiB unless the bytes are plainly UTF-8, then
/// UTF-8 (with invalid bytes replaced, never an error). A valid UTF-8 page
/// (nearly every page) is borrowed, not copied; encoding_rs validates it
/// with SIMD, several times faster than `std::str::from_utf8`.
pub fn decode_html<'a>(
    bytes: &'a [u8],
    header_charset: Option<&'static encoding_rs::Encoding>,
) -> Cow<'a, str> {
    let (enc, bom_len) = page_encoding(bytes, header_charset);
    enc.decode_without_bom_handling(&bytes[bom_len..]).0
}

/// The page's encoding and the length of its byte-order mark.
fn page_encoding(
    bytes: &[u8],
    header_charset: Option<&'static encoding_rs::Encoding>,
) -> (&'static encoding_rs::Encoding, usize) {
    use encoding_rs::Encoding;
    if let Some(found) = Encoding::for_bom(bytes) {
        return found;
    }
    let enc = header_charset
        .or_else(|| {
            meta_charset(&bytes[..bytes.len().min(1024)])
                .filter(|&e| e == encoding_rs::UTF_8 || !plainly_utf8(bytes))
        })
        .unwrap_or(encoding_rs::UTF_8);
    // A page that claims UTF-16 in a meta tag is ASCII-compatible bytes by
    // construction, so the claim is wrong: fall back to UTF-8.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        (encoding_rs::UTF_8, 0)
    } else {
        (enc, 0)
    }
}

/// Non-ASCII text that is valid UTF-8 throughout. Text in a legacy
/// multi-byte or 8-bit encoding almost never is, so such a page was
/// re-encoded (by a proxy, a CMS migration, an archive) and its `<meta>`
/// charset is stale. Pure ASCII says nothing (ISO-2022-JP is ASCII bytes).
fn plainly_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && encoding_rs::Encoding::utf8_valid_up_to(bytes) == bytes.len()
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

/// The language of a plain text as a BCP 47 primary tag, when the
/// detector is confident; for text that comes with no page to declare it.
pub fn detect_language(text: &str) -> Option<&'static str> {
    // A few thousand characters decide as well as the whole article.
    let sample = match text.char_indices().nth(4000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let info = whatlang::detect(sample).filter(whatlang::Info::is_reliable)?;
    ISO_639_1
        .iter()
        .find(|(three, _)| *three == info.lang().code())
        .map(|(_, two)| *two)
}

/// whatlang's ISO 639-3 codes and their two-letter tags, for the languages
/// that have one.
const ISO_639_1: &[(&str, &str)] = &[
    ("eng", "en"),
    ("deu", "de"),
    ("fra", "fr"),
    ("spa", "es"),
    ("por", "pt"),
    ("ita", "it"),
    ("nld", "nl"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("pol", "pl"),
    ("ces", "cs"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("hrv", "hr"),
    ("srp", "sr"),
    ("bul", "bg"),
    ("ron", "ro"),
    ("hun", "hu"),
    ("fin", "fi"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nob", "nb"),
    ("est", "et"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("ell", "el"),
    ("tur", "tr"),
    ("ara", "ar"),
    ("heb", "he"),
    ("pes", "fa"),
    ("hin", "hi"),
    ("ben", "bn"),
    ("urd", "ur"),
    ("cmn", "zh"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("vie", "vi"),
    ("tha", "th"),
    ("ind", "id"),
    ("cat", "ca"),
    ("epo", "eo"),
    ("afr", "af"),
    ("aze", "az"),
    ("bel", "be"),
    ("kat", "ka"),
    ("tgl", "tl"),
    ("mal", "ml"),
    ("tam", "ta"),
    ("tel", "te"),
    ("mar", "mr"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_digits_reads_the_digits_of_other_scripts() {
        let date = regex::Regex::new(&news_digits(r"^\d{1,2}/\d{1,2}/\d{4}$")).unwrap();
        for d in [
            "12/03/2024",
            "١٢/٠٣/٢٠٢٤",
            "۱۲/۰۳/۲۰۲۴",
            "१२/०३/२०२४",
            "১২/০৩/২০২৪",
            "๑๒/๐๓/๒๕๖๗",
        ] {
            assert!(date.is_match(d), "{d}");
        }
        assert!(!date.is_match("ab/cd/efgh"));
    }

    #[test]
    fn quick_answers_are_std_s() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            if let Some(l) = lower_char(c) {
                assert!(c.to_lowercase().eq([l]), "{c:?}");
            }
        }
    }

    #[test]
    fn lowercase_is_str_to_lowercase() {
        for s in [
            "Ёлка В Москве",
            "ÉCOLE Straße ÀÞ",
            "ΟΔΟΣ Σ",
            "İSTANBUL",
            "東京 タワー ㄱ",
            "مرحبا Abc",
            "ไทย МИР",
            "ǅemal",
            "“Don’t” — ÀB 20 €",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn collapse_whitespace_is_split_whitespace_joined() {
        let old = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let spaces: Vec<char> = (0..0x3001)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        for sp in spaces {
            for s in [
                format!("{sp}a{sp}{sp}bé{sp}"),
                format!("x{sp}\u{a0}–\u{2003}y"),
                format!("{sp}"),
                format!("日本{sp}語\u{85}z"),
                format!("one two{sp}“three” four’s  five {sp}six"),
                format!("a b{sp}c d {sp}"),
            ] {
                assert_eq!(collapse_whitespace(&s), old(&s), "{s:?}");
            }
        }
        assert_eq!(collapse_whitespace(""), "");
    }

    #[test]
    fn collapses_runs_and_trims() {
        assert_eq!(collapse_whitespace("  a \n\t b\u{a0}c  "), "a b c");
        assert_eq!(collapse_whitespace(" \n "), "");
        assert_eq!(collapse_whitespace("a b  c ”d” \u{2003}e "), "a b c ”d” e");
    }

    #[test]
    fn valid_utf8_is_borrowed_and_everything_else_decoded() {
        use std::borrow::Cow::Borrowed;
        let gbk = encoding_rs::GBK
            .encode("<meta charset=gbk><p>谷歌</p>")
            .0
            .into_owned();
        let long = "<p>naïve café</p>".repeat(10);
        let cases: [(&[u8], &str, bool); 7] = [
            ("<p>naïve café</p>".as_bytes(), "<p>naïve café</p>", true),
            // Past 64 bytes the SIMD validator takes over.
            (long.as_bytes(), &long, true),
            (b"\xef\xbb\xbf<p>bom</p>", "<p>bom</p>", true),
            (
                b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>",
                "<meta charset=\"iso-8859-1\"><p>café</p>",
                false,
            ),
            (
                b"<p>broken \xff\xfe utf-8</p>",
                "<p>broken \u{fffd}\u{fffd} utf-8</p>",
                false,
            ),
            (&gbk, "<meta charset=gbk><p>谷歌</p>", false),
            (b"\xff\xfe<\x00p\x00>\x00", "<p>", false),
        ];
        for (page, text, borrowed) in cases {
            let decoded = decode_html(page, None);
            assert_eq!(decoded, text);
            assert_eq!(matches!(decoded, Borrowed(_)), borrowed, "{text}");
        }
    }

    #[test]
    fn a_stale_meta_charset_loses_to_valid_utf8() {
        let page = "<meta charset=\"gb2312\"><p>谷歌在2014年收购的人工智能公司</p>";
        assert_eq!(decode_html(page.as_bytes(), None), page);
        // Real GB2312 bytes still follow the meta tag.
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        assert_eq!(decode_html(&gbk, None), page);
        let latin = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        assert_eq!(
            decode_html(latin, None),
            "<meta charset=\"iso-8859-1\"><p>caf\u{e9}</p>"
        );
        // The HTTP header is not second-guessed.
        assert_ne!(decode_html(page.as_bytes(), Some(encoding_rs::GBK)), page);
    }

    #[test]
    fn language_is_detected_only_when_the_detector_is_sure() {
        let de = "Die Bundesregierung hat am Montag neue Regeln beschlossen. \
                  Der Minister sagte, man werde die Folgen genau prüfen.";
        assert_eq!(detect_language(de), Some("de"));
        let en = "The government adopted new rules on Monday. The minister \
                  said the effects would be watched closely.";
        assert_eq!(detect_language(en), Some("en"));
        assert_eq!(detect_language("42"), None);
    }
}
