//! `GET /`: the status page, one self-contained HTML document (inline
//! style, inline SVG, a few lines of inline script to refresh it). The
//! feed table is cut into pages of [`PAGE_SIZE`] so the page stays small
//! with any number of feeds; the summary counts all of them.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use super::plot;
use super::report::{FeedRow, Report};

/// Feeds per page of the table.
pub const PAGE_SIZE: usize = 100;
/// Longest error message shown in the table (the JSON has it whole).
const ERROR_CHARS: usize = 300;

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.4em;margin:0}h2{font-size:1.1em}.meta,.note{color:#666}\
.summary span{margin-right:1em}.plots{display:flex;flex-wrap:wrap;gap:2em}\
figure{margin:0;flex:1 1 360px;max-width:760px}figcaption{font-weight:600}\
svg .axis{stroke:#999}svg text{font-size:10px;fill:#666}svg .events{fill:#3566c9}\
svg .ok{fill:#3a9a4a}svg .not-modified{fill:#a9b4c2}svg .failed{fill:#d23c3c}\
.legend i{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3em .5em;\
border-bottom:1px solid #e4e4e4;vertical-align:top}td.n{text-align:right}\
.url{color:#666;font-size:.85em;word-break:break-all}.state{font-weight:600}\
.s-ok{color:#2d7a3a}.s-failing,.s-backing-off{color:#c42b2b}.s-new{color:#666}\
tr.failing td,tr.backing-off td{background:#fff4f4}.old{color:#999}nav a{margin-right:.5em}";

/// Replaces the page's content with a fresh copy every few seconds
/// (keeps the scroll position, unlike a reload).
const SCRIPT: &str = "setInterval(async()=>{try{const r=await fetch(location.href,\
{cache:'no-store'});if(!r.ok)return;const d=new DOMParser().parseFromString(await r.text(),\
'text/html');const m=d.getElementById('status');if(m)document.getElementById('status')\
.replaceWith(m);}catch(e){}},5000);";

/// Page `page` (1-based) of `total` feeds, clamped to the pages there
/// are: the page, how many there are, and the feeds it shows.
fn paged(page: usize, total: usize) -> (usize, usize, Range<usize>) {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let first = (page - 1) * PAGE_SIZE;
    (page, pages, first..(first + PAGE_SIZE).min(total))
}

/// The feeds page `page` shows, for [`Report::build_window`].
pub fn window(page: usize) -> impl FnOnce(usize) -> Range<usize> {
    move |total| paged(page, total).2
}

/// The page showing page `page` of the feed table, from a report built
/// with that page's [`window`].
pub fn render(r: &Report, page: usize) -> String {
    let total = r.summary.feeds;
    let (page, pages, shown) = paged(page, total);
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    out.push_str("<title>newsflow status</title>");
    out.push_str("<noscript><meta http-equiv=\"refresh\" content=\"10\"></noscript>");
    let _ = write!(
        out,
        "<style>{STYLE}</style></head><body><main id=\"status\">"
    );
    header(&mut out, r);
    plots(&mut out, r);
    let _ = write!(out, "<section><h2>Feeds</h2>");
    let _ = write!(
        out,
        "<p class=\"note\">Feeds {}–{} of {}, failing first, {PAGE_SIZE} a page. \
         Every feed, as JSON: <a href=\"/status.json\">/status.json</a>.</p>",
        (shown.start + 1).min(total),
        shown.end,
        total
    );
    nav(&mut out, page, pages);
    table(&mut out, &r.feeds);
    nav(&mut out, page, pages);
    let _ = write!(
        out,
        "</section></main><script>{SCRIPT}</script></body></html>"
    );
    out
}

fn header(out: &mut String, r: &Report) {
    let s = &r.summary;
    let _ = write!(
        out,
        "<header><h1>newsflow status</h1><p class=\"meta\">instance {} · {} UTC · \
         refreshes every 5 s</p></header><p class=\"summary\"><span>{} feeds</span>\
         <span class=\"s-failing\">{} failing</span><span class=\"s-backing-off\">{} backing off</span>\
         <span class=\"s-new\">{} new</span><span class=\"s-ok\">{} ok</span><span>{} items emitted</span>",
        esc(&r.instance),
        shown_time(&r.generated_at),
        s.feeds,
        s.failing,
        s.backing_off,
        s.new,
        s.ok,
        s.emitted,
    );
    if !s.instances.is_empty() {
        let names: Vec<Cow<str>> = s.instances.iter().map(|i| esc(i)).collect();
        let _ = write!(out, "<span>polled by {}</span>", names.join(", "));
    }
    out.push_str("</p>");
}

fn plots(out: &mut String, r: &Report) {
    let _ = write!(
        out,
        "<section class=\"plots\"><figure><figcaption>Events per minute, last 6 hours \
         (this instance)</figcaption>{}</figure><figure><figcaption>Poll outcomes per 10 minutes\
         </figcaption>{}<div class=\"legend\"><i style=\"background:#3a9a4a\"></i>ok\
         <i style=\"background:#a9b4c2\"></i>not modified<i style=\"background:#d23c3c\"></i>failed\
         </div></figure></section>",
        plot::events(&r.series),
        plot::outcomes(&r.series),
    );
}

fn nav(out: &mut String, page: usize, pages: usize) {
    if pages == 1 {
        return;
    }
    out.push_str("<nav>");
    if page > 1 {
        let _ = write!(out, "<a href=\"?page={}\">← previous</a>", page - 1);
    }
    let _ = write!(out, "page {page} of {pages} ");
    if page < pages {
        let _ = write!(out, "<a href=\"?page={}\">next →</a>", page + 1);
    }
    out.push_str("</nav>");
}

fn table(out: &mut String, feeds: &[FeedRow]) {
    out.push_str(
        "<table><thead><tr><th>Feed</th><th>State</th><th>Emitted</th><th>Last success</th>\
         <th>Next poll</th><th>Last error</th><th>Polled by</th></tr></thead><tbody>",
    );
    for f in feeds {
        let class = f.state.label().replace(' ', "-");
        let _ = write!(out, "<tr class=\"{class}\"><td>{}", esc(&f.name));
        if f.name != f.url {
            let _ = write!(out, "<div class=\"url\">{}</div>", esc(&f.url));
        }
        let _ = write!(
            out,
            "</td><td class=\"state s-{class}\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td>",
            f.state.label(),
            f.emitted,
            f.last_success.as_deref().map_or("never".into(), shown_time),
            f.next_poll.as_deref().map_or("-".into(), shown_time),
        );
        error_cell(out, f);
        let _ = write!(
            out,
            "<td>{}</td></tr>",
            esc(f.polled_by.as_deref().unwrap_or("-"))
        );
    }
    out.push_str("</tbody></table>");
}

/// The last error, its HTTP status first; an error the feed has recovered
/// from is greyed.
fn error_cell(out: &mut String, f: &FeedRow) {
    let Some(message) = &f.last_error else {
        out.push_str("<td></td>");
        return;
    };
    let class = if f.state.is_failing() {
        ""
    } else {
        " class=\"old\""
    };
    out.push_str(&format!("<td{class}>"));
    // Fetch errors start with the feed's URL, which the row shows already.
    let mut message = message
        .strip_prefix(f.url.as_str())
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(message);
    if let Some(status) = f.http_status {
        let lead = format!("HTTP {status}");
        message = message.strip_prefix(&lead).unwrap_or(message).trim_start();
        let _ = write!(out, "<b>{lead}</b> ");
    }
    let short: String = message.chars().take(ERROR_CHARS).collect();
    let _ = write!(out, "{}", esc(&short));
    if f.error_streak > 1 {
        let _ = write!(out, " ({} in a row)", f.error_streak);
    }
    if let Some(at) = &f.last_error_at {
        let _ = write!(out, "<div class=\"url\">{}</div>", shown_time(at));
    }
    out.push_str("</td>");
}

/// RFC 3339 as `YYYY-MM-DD HH:MM:SS` (the page says it is UTC).
fn shown_time(rfc3339: &str) -> String {
    rfc3339
        .replacen('T', " ", 1)
        .trim_end_matches('Z')
        .to_string()
}

/// Text for HTML content and attribute values.
fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::store::FeedStatus;

    /// Page `page` of `n` feeds, every tenth failing, with long names and
    /// errors: what a big installation's page has to carry.
    fn report(n: usize, page: usize) -> Report {
        let rows = (0..n)
            .map(|i| {
                let failing = i % 10 == 0;
                let url = format!("https://user:pw@feeds-{i}.example.org/news/rss.xml?token=t{i}");
                FeedStatus {
                    title: Some(format!("The Example Daily {i}: world, politics & <more>")),
                    last_success: Some(1_700_000_000_000),
                    last_error: failing.then(|| {
                        format!("{url}: HTTP 503 Service Unavailable {}", "x".repeat(400))
                    }),
                    last_error_at: failing.then_some(1_700_000_000_000),
                    next_poll: Some(1_700_000_900_000),
                    items_emitted: i as i64,
                    error_streak: u32::from(failing),
                    polled_by: Some("host:file:/var/log/newsflow/events.ndjson".into()),
                    active: true,
                    url,
                }
            })
            .collect();
        let series = crate::activity::Activity::default().series();
        let now = 1_700_000_000_000;
        Report::build_window(rows, &HashMap::new(), "here", series, now, window(page))
    }

    #[test]
    fn ten_thousand_feeds_make_a_page_under_a_megabyte() {
        let html = render(&report(10_000, 1), 1);
        assert!(html.len() < 1_000_000, "{} bytes", html.len());
        assert_eq!(html.matches("<tr class=").count(), PAGE_SIZE);
        assert!(html.contains("Feeds 1–100 of 10000, failing first"));
        assert!(html.contains("page 1 of 100"));
        assert!(html.contains("<span class=\"s-failing\">1000 failing</span>"));
        // The first page is all failing feeds.
        assert_eq!(html.matches("<tr class=\"failing\">").count(), PAGE_SIZE);
        let last = render(&report(10_000, 1_000), 1_000);
        assert!(
            last.contains("Feeds 9901–10000 of 10000"),
            "clamped to the last page"
        );
        assert!(last.len() < 1_000_000);
    }

    #[test]
    fn markup_from_feeds_is_escaped_and_credentials_masked() {
        let html = render(&report(20, 1), 1);
        assert!(html.contains("world, politics &amp; &lt;more&gt;"));
        assert!(!html.contains("<more>"));
        assert!(
            !html.contains("pw@") && !html.contains("token=t1"),
            "{html}"
        );
        assert!(html.contains("https://***@feeds-0.example.org/news/rss.xml?token=***"));
        assert!(
            html.contains("<b>HTTP 503</b> Service Unavailable xxx"),
            "{html}"
        );
    }

    #[test]
    fn nothing_is_loaded_from_elsewhere() {
        let html = render(&report(3, 1), 1);
        for external in ["<link", " src=", "@import", "url(", "href=\"http"] {
            assert!(!html.contains(external), "{external}");
        }
        assert!(html.contains("<svg") && html.contains("<script>"));
    }
}
