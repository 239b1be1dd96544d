#![no_main]
//! Any bytes, with or without a charset in the Content-Type: the feed reader
//! returns items or an error, never panics or hangs; every item gets its
//! identity keys.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let base = url::Url::parse("http://example.org/feeds/a/feed.xml").unwrap();
    let (ctype, body) = match data.split_first() {
        Some((b, rest)) if b % 3 == 0 => (Some("application/rss+xml; charset=windows-1251"), rest),
        Some((b, rest)) if b % 3 == 1 => (Some("application/json"), rest),
        Some((_, rest)) => (None, rest),
        None => (None, data),
    };
    if let Ok(feed) = newsflow::feed::parse(body, &base, ctype) {
        let keys = newsflow::identity::document_keys(&base, &feed.items);
        assert_eq!(keys.len(), feed.items.len());
    }
});
