//! Feed parsing on small representative documents (tests/fixtures/feeds).

use std::path::Path;

use chrono::{TimeZone, Utc};
use newsflow::feed::{self, Feed, FeedError};
use url::Url;

fn load(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feeds")
            .join(name),
    )
    .unwrap()
}

fn parse(name: &str, feed_url: &str, content_type: Option<&str>) -> Result<Feed, FeedError> {
    feed::parse(&load(name), &Url::parse(feed_url).unwrap(), content_type)
}

fn links(feed: &Feed) -> Vec<String> {
    feed.items
        .iter()
        .map(|i| i.link.as_ref().map(Url::to_string).unwrap_or_default())
        .collect()
}

#[test]
fn versionless_rss_with_entities_relative_link_and_permalink_guid() {
    let feed = parse(
        "rss_no_version.xml",
        "http://noversion.example/feed",
        Some("text/xml"),
    )
    .unwrap();
    assert_eq!(feed.title.as_deref(), Some("No version"));
    assert_eq!(feed.items.len(), 2);
    let first = &feed.items[0];
    assert_eq!(first.title.as_deref(), Some("First\u{a0}post"));
    assert_eq!(first.summary.as_deref(), Some("Hello & welcome"));
    assert_eq!(first.guid, None);
    assert_eq!(
        first.published,
        Some(Utc.with_ymd_and_hms(2003, 6, 3, 9, 39, 21).unwrap())
    );
    assert_eq!(
        links(&feed),
        [
            "http://noversion.example/posts/1",
            "http://noversion.example/posts/2"
        ]
    );
    assert_eq!(
        feed.items[1].guid.as_deref(),
        Some("http://noversion.example/posts/2")
    );
}

#[test]
fn atom03_entries_with_text_links() {
    let feed = parse("atom03_link_priority.xml", "http://example.org/atom", None).unwrap();
    assert_eq!(
        links(&feed),
        [
            "http://www.example.com/alternate",
            "http://www.example.com/alternate"
        ]
    );
}

#[test]
fn json_feed_with_http_version_bom_numeric_id_and_string_tags() {
    let feed = parse(
        "jsonfeed_v1_http.json",
        "https://json.example.org/feed.json",
        Some("application/feed+json"),
    )
    .unwrap();
    assert_eq!(feed.items.len(), 2);
    let (a, b) = (&feed.items[0], &feed.items[1]);
    assert_eq!(a.guid.as_deref(), Some("1001"));
    assert_eq!(
        a.link.as_ref().unwrap().as_str(),
        "https://json.example.org/posts/1001"
    );
    assert_eq!(a.categories, ["news"]);
    assert_eq!(a.authors, ["Feed Author"]);
    assert_eq!(a.content.as_deref(), Some("<p>Hi</p>"));
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2020, 5, 1, 8, 0, 0).unwrap())
    );
    assert_eq!(
        b.link.as_ref().unwrap().as_str(),
        "https://elsewhere.example.com/x"
    );
    assert_eq!(b.categories, ["a", "b"]);
    assert_eq!(b.authors, ["Item Author"]);
}

#[test]
fn xml_base_and_relative_links() {
    let feed = parse(
        "rss_relative_links.xml",
        "http://ignored.example/feed.xml",
        None,
    )
    .unwrap();
    assert_eq!(
        links(&feed),
        [
            "http://synthetic.example/blog/posts/1.html",
            "http://synthetic.example/posts/2.html",
            "http://cdn.synthetic.example/posts/3.html",
            "http://synthetic.example/up/4.html?q=a&b=c#frag",
            "http://other.synthetic.example/dir/5.html",
        ]
    );
    let guids: Vec<_> = feed.items.iter().map(|i| i.guid.clone().unwrap()).collect();
    assert_eq!(guids, ["p1", "p2", "p3", "p4", "p5"]);
}

#[test]
fn content_location_is_the_base() {
    // The caller passes Content-Location as the feed URL.
    let feed = parse(
        "rss_content_location_base.xml",
        "http://example.com/",
        Some("text/xml"),
    )
    .unwrap();
    assert_eq!(links(&feed), ["http://example.com/relative/uri"]);
}

#[test]
fn cdf_channel_base_and_item_href() {
    let feed = parse("cdf_xml_base.xml", "http://example.org/cdf", None).unwrap();
    assert_eq!(feed.items.len(), 1);
    assert_eq!(feed.items[0].title.as_deref(), Some("item title"));
    assert_eq!(feed.items[0].summary.as_deref(), Some("item abstract"));
    assert_eq!(links(&feed), ["http://base.example.org/item/1"]);
    assert!(feed.items[0].published.is_some());
}

#[test]
fn rss11_items() {
    let feed = parse("rss11.xml", "http://rss11.example/feed", None).unwrap();
    assert_eq!(
        links(&feed),
        ["http://rss11.example/a", "http://rss11.example/b"]
    );
    assert_eq!(feed.items[0].title.as_deref(), Some("Item A"));
}

#[test]
fn windows_1251_by_declaration_and_by_http_charset() {
    for ct in [None, Some("application/rss+xml; charset=windows-1251")] {
        let feed = parse("rss_windows1251.xml", "http://news.example.ru/rss", ct).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Новости"));
        let item = &feed.items[0];
        assert_eq!(item.title.as_deref(), Some("Привет, мир"));
        assert_eq!(item.categories, ["Политика"]);
        assert_eq!(item.guid.as_deref(), Some("ru-1"));
    }
}

#[test]
fn http_charset_overrides_declaration_even_when_wrong_for_the_text() {
    // RFC 3023: a charset in the Content-Type wins over the declaration.
    let feed = parse(
        "rss_windows1251.xml",
        "http://news.example.ru/rss",
        Some("text/xml; charset=koi8-r"),
    )
    .unwrap();
    // The windows-1251 bytes read as KOI8-R, exactly as the header says.
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Привет, мир");
    let (as_koi8, _, _) = encoding_rs::KOI8_R.decode(&bytes);
    assert_eq!(feed.items[0].title.as_deref(), Some(&*as_koi8));
}

#[test]
fn utf8_declaration_on_latin1_bytes() {
    let feed = parse(
        "rss_declared_utf8_is_latin1.xml",
        "http://synthetic.example/",
        None,
    )
    .unwrap();
    assert_eq!(feed.items[0].title.as_deref(), Some("Café crème brûlée"));
    assert_eq!(feed.items[0].summary.as_deref(), Some("naïve © ½"));
}

#[test]
fn undeclared_html_entities() {
    let feed = parse(
        "rss_undeclared_html_entities.xml",
        "http://synthetic.example/",
        None,
    )
    .unwrap();
    assert_eq!(feed.items.len(), 2);
    assert_eq!(feed.items[0].title.as_deref(), Some("café & crème"));
    assert_eq!(
        feed.items[1].title.as_deref(),
        Some("second \u{2019}item\u{2019}")
    );
}

#[test]
fn truncated_feed_keeps_what_it_has() {
    let feed = parse("rss_truncated.xml", "http://synthetic.example/", None).unwrap();
    // Two whole items and the third, cut inside its <link>, by its title.
    assert_eq!(feed.items.len(), 3);
    assert_eq!(
        feed.items[1].link.as_ref().unwrap().as_str(),
        "http://synthetic.example/t1"
    );
    assert_eq!(feed.items[2].title.as_deref(), Some("item 2"));
}

#[test]
fn html_page_is_not_a_feed() {
    let err = parse(
        "html_not_a_feed.html",
        "http://synthetic.example/",
        Some("text/html"),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "not a feed: HTML page");
}

fn parse_str(doc: &str) -> Feed {
    feed::parse(
        doc.as_bytes(),
        &Url::parse("http://example.com/feed.xml").unwrap(),
        None,
    )
    .unwrap()
}

#[test]
fn rss2_links_guids_and_dublin_core() {
    let feed = parse_str(
        r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title><ttl>30</ttl>
        <item><title>comments only</title><comments>http://example.com/c</comments><guid isPermaLink="false">x1</guid></item>
        <item><guid>  http://example.com/permalink  </guid><dc:title>DC title</dc:title><dc:date>2004-01-02T03:04:05Z</dc:date></item>
        <item><link>/relative</link><guid isPermaLink="false">http://example.com/not-a-link</guid></item>
        </channel></rss>"#,
    );
    assert_eq!(feed.ttl_minutes, Some(30));
    assert_eq!(feed.items.len(), 3);
    assert_eq!(feed.items[0].link, None);
    assert_eq!(
        feed.items[1].guid.as_deref(),
        Some("http://example.com/permalink")
    );
    assert_eq!(
        feed.items[1].link.as_ref().unwrap().as_str(),
        "http://example.com/permalink"
    );
    assert_eq!(feed.items[1].title.as_deref(), Some("DC title"));
    assert_eq!(
        feed.items[1].published,
        Some(Utc.with_ymd_and_hms(2004, 1, 2, 3, 4, 5).unwrap())
    );
    assert_eq!(
        feed.items[2].link.as_ref().unwrap().as_str(),
        "http://example.com/relative"
    );
}

#[test]
fn atom_prefers_html_alternate_and_keeps_ids_verbatim() {
    let feed = parse_str(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://base.example/a/"><title type="html">&lt;b&gt;Feed&lt;/b&gt;</title>
        <entry><id> tag:example.com,2004:1 </id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Hello <b>world</b></div></title>
        <link rel="self" href="/self"/><link rel="alternate" type="application/pdf" href="doc.pdf"/><link href="page.html"/>
        <author><name>Ann</name><email>ann@example.com</email></author><category term="t1"/><category term="t1"/></entry>
        <entry><id>2</id><link rel="edit" href="/edit"/></entry></feed>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Feed"));
    let e = &feed.items[0];
    assert_eq!(e.guid.as_deref(), Some("tag:example.com,2004:1"));
    assert_eq!(e.title.as_deref(), Some("Hello world"));
    assert_eq!(
        e.link.as_ref().unwrap().as_str(),
        "http://base.example/a/page.html"
    );
    assert_eq!(e.authors, ["Ann"]);
    assert_eq!(e.categories, ["t1"]);
    assert_eq!(feed.items[1].link, None);
}
