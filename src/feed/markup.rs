//! Text helpers shared by the feed readers: entity decoding (XML plus the
//! HTML named entities that feeds use without declaring), escaping, tag
//! stripping and the date formats found in the wild.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Decodes character references and XML/HTML named entities; anything that
/// is not a known entity is kept literally.
pub(crate) fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .char_indices()
            .take(40)
            .find(|&(_, c)| c == ';' || c == '&' || c.is_whitespace() || c == '<')
            .map(|(i, c)| (i + 1, c));
        if let Some((semi, ';')) = end
            && let Some(decoded) = entity(&rest[1..semi])
        {
            out.push_str(&decoded);
            rest = &rest[semi + 1..];
            continue;
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        // Feeds written on Windows put cp1252 punctuation in numeric
        // references (&#146;); browsers and feedparser map them.
        let c = if (0x80..0xA0).contains(&n) {
            let byte = [n as u8];
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&byte)
                .0
                .chars()
                .next()?
        } else {
            char::from_u32(n).filter(|&c| c != '\0')?
        };
        return Some(c.to_string());
    }
    match name {
        "lt" => return Some("<".into()),
        "gt" => return Some(">".into()),
        "amp" => return Some("&".into()),
        "quot" => return Some("\"".into()),
        "apos" => return Some("'".into()),
        _ => {}
    }
    let key = format!("{name};");
    let (a, b) = *web_atoms::NAMED_ENTITIES.get(key.as_str())?;
    if a == 0 {
        return None;
    }
    let mut s = String::new();
    s.push(char::from_u32(a)?);
    if b != 0 {
        s.push(char::from_u32(b)?);
    }
    Some(s)
}

pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// Expands the simple internal entities a DOCTYPE declares
/// (`<!ENTITY id "tag:example.com,">`), which no XML reader we use
/// resolves. Only literal values without references or markup are taken,
/// so an entity bomb expands nothing, and external entities are never
/// read. `None` when there is nothing to expand.
pub(crate) fn expand_internal_entities(text: &str) -> Option<String> {
    const MAX_ENTITIES: usize = 64;
    const MAX_VALUE: usize = 1024;
    let doctype_at = text.find("<!DOCTYPE")?;
    let subset_end = text[doctype_at..].find("]>").map(|e| doctype_at + e + 2)?;
    let subset = &text[doctype_at..subset_end];
    let mut entities: Vec<(&str, &str)> = Vec::new();
    let mut rest = subset;
    while let Some(at) = rest.find("<!ENTITY") {
        rest = &rest[at + 8..];
        let decl = rest.trim_start();
        if decl.starts_with('%') {
            continue;
        }
        let name_end = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
        let (name, after) = decl.split_at(name_end);
        let after = after.trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(value) = after[1..].split(quote).next() else {
            continue;
        };
        if value.len() <= MAX_VALUE
            && !value.contains(['&', '<', '%'])
            && entities.len() < MAX_ENTITIES
        {
            entities.push((name, value));
        }
    }
    if entities.is_empty() {
        return None;
    }
    let body = &text[subset_end..];
    // Expansion may at most double the document (1 MiB at least), so many
    // references to a long value cannot be used to exhaust memory.
    let mut budget = text.len().max(1 << 20);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..subset_end]);
    let mut rest = body;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        // Look for the `;` nearby only: a far one would make this quadratic.
        let near = &rest.as_bytes()[..rest.len().min(65)];
        let hit = near.iter().position(|&b| b == b';').and_then(|semi| {
            entities
                .iter()
                .find(|(n, _)| *n == &rest[..semi])
                .map(|(_, v)| (semi, *v))
        });
        match hit {
            Some((semi, value)) if value.len() <= budget => {
                budget -= value.len();
                out.push_str(value);
                rest = &rest[semi + 1..];
            }
            _ => out.push('&'),
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The words of an HTML fragment: comments, scripts and styles dropped,
/// tags removed, entities decoded, white space collapsed.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let lower_head = rest
            .get(..8)
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let skip_to = if rest.starts_with("<!--") {
            rest.find("-->").map(|e| e + 3)
        } else if lower_head.starts_with("<script") || lower_head.starts_with("<style") {
            let close = if lower_head.starts_with("<script") {
                "</script"
            } else {
                "</style"
            };
            find_ascii_ci(rest, close)
                .map(|e| rest[e..].find('>').map_or(rest.len(), |g| e + g + 1))
        } else if rest[1..]
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?')
        {
            rest.find('>').map(|e| e + 1)
        } else {
            // A literal '<' in text.
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        match skip_to {
            Some(n) => {
                out.push(' ');
                rest = &rest[n..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = unescape(&out);
    let mut text = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// Decodes standard base64 (Atom 0.3 `mode="base64"`), ignoring white
/// space; `None` when it is not valid base64 or not UTF-8.
pub(crate) fn base64_text(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Parses RFC 822/2822 (with the usual deviations), RFC 3339 and the ISO
/// 8601 / W3C-DTF subsets feeds use. Times without a zone are taken as UTC.
pub(crate) fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    rfc822_loose(s).or_else(|| iso_loose(s))
}

fn rfc822_loose(s: &str) -> Option<DateTime<Utc>> {
    // Drop the weekday (often misspelt or wrong) and normalise spacing.
    let s = s.split_once(',').map_or(s, |(_, rest)| rest).trim();
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() < 4 {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month = month(parts[1])?;
    let mut year: i32 = parts[2].parse().ok()?;
    if year < 100 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let mut hms = parts[3].split(':').map(|p| p.parse::<u32>().ok());
    let (h, m) = (hms.next()??, hms.next()??);
    let sec = hms.next().flatten().unwrap_or(0);
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(h, m, sec.min(59))?;
    let offset = parts.get(4).map_or(Some(0), |z| zone(z))?;
    FixedOffset::east_opt(offset)?
        .from_local_datetime(&naive)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

fn month(m: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = m.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|x| *x == m).map(|i| i as u32 + 1)
}

fn zone(z: &str) -> Option<i32> {
    let named = match z.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => Some(0),
        "EST" => Some(-5),
        "EDT" => Some(-4),
        "CST" => Some(-6),
        "CDT" => Some(-5),
        "MST" => Some(-7),
        "MDT" => Some(-6),
        "PST" => Some(-8),
        "PDT" => Some(-7),
        _ => None,
    };
    if let Some(h) = named {
        return Some(h * 3600);
    }
    let (sign, digits) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    if digits.len() != 4 {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    Some(sign * (h * 3600 + m * 60))
}

fn iso_loose(s: &str) -> Option<DateTime<Utc>> {
    let s = s.replace(' ', "T");
    // Split a trailing zone off: Z, +hh:mm, +hhmm, +hh.
    let (body, offset) = if let Some(b) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        (b.to_owned(), 0)
    } else if let Some(pos) = s.rfind(['+', '-']).filter(|&p| p > 10) {
        let z = &s[pos..];
        let z = if z.len() == 3 {
            format!("{z}00")
        } else {
            z.to_owned()
        };
        (s[..pos].to_owned(), zone(&z)?)
    } else {
        (s.clone(), 0)
    };
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y%m%dT%H%M%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&body, f).ok())
        .or_else(|| {
            ["%Y-%m-%d", "%Y%m%d", "%Y-%m"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(&body, f).ok())
                .or_else(|| NaiveDate::parse_from_str(&format!("{body}-01"), "%Y-%m-%d").ok())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    FixedOffset::east_opt(offset)?
        .from_local_datetime(&naive)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_xml_html_and_numeric_entities() {
        assert_eq!(
            unescape("a&amp;b &lt;i&gt; &nbsp;&eacute;&#233;&#xE9;&#146;"),
            "a&b <i> \u{a0}\u{e9}\u{e9}\u{e9}\u{2019}"
        );
        assert_eq!(unescape("AT&T &unknown; & x"), "AT&T &unknown; & x");
    }

    #[test]
    fn html_to_text_drops_scripts_comments_and_tags() {
        let html = "<div>Crazy <b>HTML</b> <!-- <b>no</b> --><script>alert('x')</script>&amp; more</div> a < b";
        assert_eq!(html_to_text(html), "Crazy HTML & more a < b");
    }

    #[test]
    fn expands_only_safe_internal_entities() {
        let doc = "<!DOCTYPE rss [<!ENTITY id \"tag:x,\"><!ENTITY lol \"&id;&id;\"><!ENTITY ext SYSTEM \"file:///etc/passwd\">]><rss>&id;1 &lol; &ext; &amp;</rss>";
        let out = expand_internal_entities(doc).unwrap();
        assert!(
            out.ends_with("<rss>tag:x,1 &lol; &ext; &amp;</rss>"),
            "{out}"
        );
        assert_eq!(expand_internal_entities("<rss/>"), None);
    }

    #[test]
    fn decodes_base64() {
        assert_eq!(
            base64_text("RXhhbXBsZSA8Yj5BdG9tPC9iPg==").as_deref(),
            Some("Example <b>Atom</b>")
        );
        assert_eq!(base64_text("not base64!"), None);
    }

    #[test]
    fn parses_common_date_shapes() {
        let want = Utc.with_ymd_and_hms(2004, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(parse_date("Fri, 02 Jan 2004 03:04:05 GMT"), Some(want));
        assert_eq!(parse_date("Fri, 2 Jan 04 03:04:05 +0000"), Some(want));
        assert_eq!(parse_date("Thu, 02 Jan 2004 04:04:05 +01:00"), Some(want));
        assert_eq!(parse_date("2004-01-02T03:04:05Z"), Some(want));
        assert_eq!(parse_date("2004-01-02T05:04:05+02:00"), Some(want));
        assert_eq!(parse_date("2004-01-02 03:04:05"), Some(want));
        assert_eq!(
            parse_date("2004-01-02").map(|d| d.date_naive()),
            Some(want.date_naive())
        );
        assert_eq!(parse_date("not a date"), None);
    }
}
