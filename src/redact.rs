//! Credentials out of logs, metrics and status: feed URLs may carry a
//! `user:password@` or a token in the query (`?token=`, `?api_key=`,
//! `?sig=`...), and a URL reaches logs in many ways (our messages, the
//! HTTP client's errors, the feed name that defaults to its URL). So every
//! line written to the log passes through [`text`] (see
//! [`crate::cli`]), and what is shown or stored for display uses it too.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use url::Url;

/// What stands in for a secret.
const MASK: &str = "***";

/// The URL as it may be shown: userinfo and the values of query
/// parameters that look like credentials masked.
pub fn url(u: &Url) -> String {
    match redacted(u) {
        Some(r) => r,
        None => u.to_string(),
    }
}

/// `s` with every URL in it shown as [`url`] shows it; borrowed when
/// nothing needed masking.
pub fn text(s: &str) -> Cow<'_, str> {
    static URL_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
        // Known schemes only: a URL may follow a letter with no break in
        // between (after an ANSI colour code in the human log).
        Regex::new(
            r#"(?i)(?:https?|socks[45]h?|wss?|ftps?|postgres(?:ql)?)://[^\s\x00-\x1f\x7f"'<>\\`]+"#,
        )
        .expect("valid regex")
    });
    if !s.contains("://") {
        return Cow::Borrowed(s);
    }
    URL_IN_TEXT.replace_all(s, |c: &regex::Captures| {
        // Punctuation after a URL in prose is the prose's.
        let found = c[0].trim_end_matches([')', ']', '}', ',', '.', ';', ':', '!', '?']);
        let after = &c[0][found.len()..];
        match Url::parse(found).ok().and_then(|u| redacted(&u)) {
            Some(r) => format!("{r}{after}"),
            None => c[0].to_string(),
        }
    })
}

/// The masked form, or `None` when the URL holds nothing to mask.
fn redacted(u: &Url) -> Option<String> {
    let has_userinfo = !u.username().is_empty() || u.password().is_some();
    let query = u.query().map(mask_query);
    let query_changed = query
        .as_ref()
        .is_some_and(|q| Some(q.as_str()) != u.query());
    if !has_userinfo && !query_changed {
        return None;
    }
    let mut out = u.clone();
    out.set_query(query.as_deref());
    let mut shown = out.to_string();
    if has_userinfo {
        // The userinfo cannot be set to "***" through `Url` (it would be
        // a username); it is cut out of the serialisation instead.
        let start = out.scheme().len() + "://".len();
        let end = shown[start..].find('@').map(|i| start + i)?;
        shown.replace_range(start..end, MASK);
    }
    Some(shown)
}

/// The raw query with credential-looking values masked, every other byte
/// kept as it was.
fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !value.is_empty() && is_secret_name(name) => {
                format!("{name}={MASK}")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Parameter names that carry credentials by common convention.
fn is_secret_name(raw: &str) -> bool {
    let name: String = url::form_urlencoded::parse(raw.as_bytes())
        .next()
        .map(|(k, _)| k.to_ascii_lowercase())
        .unwrap_or_default();
    const EXACT: &[&str] = &[
        "sig", "auth", "pass", "pwd", "sid", "session", "hash", "hmac", "jwt", "otp",
    ];
    const PARTS: &[&str] = &[
        "token",
        "secret",
        "passw",
        "signature",
        "credential",
        "apikey",
        "api_key",
        "api-key",
        "sessionid",
        "authorization",
    ];
    EXACT.contains(&name.as_str())
        || name.ends_with("key")
        || PARTS.iter().any(|p| name.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> String {
        url(&Url::parse(s).unwrap())
    }

    #[test]
    fn userinfo_is_masked() {
        assert_eq!(
            shown("https://alice:s3cret@feeds.example.org/rss"),
            "https://***@feeds.example.org/rss"
        );
        assert_eq!(
            shown("https://ghp_TOKEN123@example.org/a.xml"),
            "https://***@example.org/a.xml"
        );
        assert_eq!(shown("http://:pw@example.org/"), "http://***@example.org/");
    }

    #[test]
    fn credential_parameters_are_masked_and_others_kept() {
        assert_eq!(
            shown("https://x.org/feed?token=abc&lang=en&api_key=k1&apikey=k2&key=k3"),
            "https://x.org/feed?token=***&lang=en&api_key=***&apikey=***&key=***"
        );
        assert_eq!(
            shown("https://x.org/f?access_token=a&sig=b&signature=c&password=d&X-Amz-Signature=e"),
            "https://x.org/f?access_token=***&sig=***&signature=***&password=***&X-Amz-Signature=***"
        );
        assert_eq!(
            shown("https://x.org/f?client_secret=a&auth=b&page=2&q=a%20b"),
            "https://x.org/f?client_secret=***&auth=***&page=2&q=a%20b"
        );
        assert_eq!(
            shown("https://u:p@x.org/f?Token=zz#frag"),
            "https://***@x.org/f?Token=***#frag"
        );
    }

    #[test]
    fn clean_urls_are_unchanged() {
        for u in [
            "https://example.org/rss?page=2&category=world",
            "http://127.0.0.1:8080/feed.xml",
            "https://example.org/a?token=",
        ] {
            assert_eq!(shown(u), u);
        }
    }

    #[test]
    fn urls_inside_text_are_masked() {
        let msg = "error sending request for url (https://bob:hunter2@x.org/rss?key=K9): \
                   connection refused; see https://x.org/help?id=1";
        assert_eq!(
            text(msg),
            "error sending request for url (https://***@x.org/rss?key=***): \
             connection refused; see https://x.org/help?id=1"
        );
        let json = r#"{"url":"http://u:p@h:1/f.xml?sig=abc","msg":"ok"}"#;
        assert_eq!(
            text(json),
            r#"{"url":"http://***@h:1/f.xml?sig=***","msg":"ok"}"#
        );
        assert!(matches!(text("no address here"), Cow::Borrowed(_)));
        let ansi = "\x1b[3murl\x1b[0m=\x1b[0mhttp://u:p@h/f?token=t\x1b[1m}\x1b[0m";
        assert_eq!(
            text(ansi),
            "\x1b[3murl\x1b[0m=\x1b[0mhttp://***@h/f?token=***\x1b[1m}\x1b[0m"
        );
        assert_eq!(
            text("fetched http://x.org/a?b=c."),
            "fetched http://x.org/a?b=c."
        );
    }
}
