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
        match end {
            Some((semi, ';')) => {
                if let Some(decoded) = entity(&rest[1..semi]) {
                    out.push_str(&decoded);
                    rest = &rest[semi + 1..];
                    continue;
                }
            }
            _ => {}
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
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte).0.chars().next()?
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

/// Drops tags, keeping the text between them (still escaped).
pub(crate) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
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
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
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
        let z = if z.len() == 3 { format!("{z}00") } else { z.to_owned() };
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
        assert_eq!(unescape("a&amp;b &lt;i&gt; &nbsp;&eacute;&#233;&#xE9;&#146;"), "a&b <i> \u{a0}\u{e9}\u{e9}\u{e9}\u{2019}");
        assert_eq!(unescape("AT&T &unknown; & x"), "AT&T &unknown; & x");
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
        assert_eq!(parse_date("2004-01-02").map(|d| d.date_naive()), Some(want.date_naive()));
        assert_eq!(parse_date("not a date"), None);
    }
}
