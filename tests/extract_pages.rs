//! The extractor on the realistic fixture pages in tests/fixtures/pages:
//! library calls, and golden runs of the real `newsflow extract` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use newsflow::extract::{Article, Extractor};
use url::Url;

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(pages_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn extract(name: &str, url: Option<&str>) -> Article {
    let url = url.map(|u| Url::parse(u).expect("test url"));
    Extractor::new().extract(&read(&format!("{name}.html")), url.as_ref())
}

fn expected_body(name: &str) -> String {
    read(&format!("{name}.txt")).trim_end().to_string()
}

#[test]
fn seed_page() {
    let a = extract(
        "seed",
        Some("https://worldwire.example/world/2021/10/12/kremlin-warns-decisive-steps?utm=x"),
    );
    assert_eq!(a.body, expected_body("seed"));
    assert!(!a.body.contains("Comments"));
    assert!(!a.body.contains("Kremlin, Peskov, NATO, Putin"));
    assert!(!a.body.contains("cookies"));
    assert_eq!(a.tags, ["Kremlin", "Peskov", "NATO", "Putin"]);
    assert_eq!(
        a.title.as_deref(),
        Some("Kremlin warns of ‘decisive steps’ if Ukraine joins NATO")
    );
    assert_eq!(a.authors, ["Anna Petrova"]);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2021-10-12T09:30:00+03:00"
    );
    assert_eq!(
        a.modified.unwrap().to_rfc3339(),
        "2021-10-12T11:05:00+03:00"
    );
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://worldwire.example/world/2021/10/12/kremlin-warns-decisive-steps")
    );
    assert_eq!(
        a.image.as_deref(),
        Some("https://worldwire.example/img/kremlin.jpg")
    );
    assert_eq!(a.site_name.as_deref(), Some("World Wire"));
}

#[test]
fn blog_with_sidebar_and_comments() {
    let a = extract("blog", None);
    assert_eq!(a.body, expected_body("blog"));
    for furniture in [
        "Recent Posts",
        "Leave a Reply",
        "Tomasz",
        "Skip to content",
        "Proudly powered",
    ] {
        assert!(
            !a.body.contains(furniture),
            "{furniture} leaked into the body"
        );
    }
    // The sidebar tag cloud (oak, Python, tools) and the menu are not the post's tags.
    assert_eq!(a.tags, ["Rust", "RSS", "self-hosting"]);
    assert_eq!(
        a.title.as_deref(),
        Some("Why I rewrote my feed reader in Rust")
    );
    assert_eq!(a.authors, ["Marta Kowalska"]);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2023-05-17T18:42:10+01:00"
    );
    assert_eq!(a.language.as_deref(), Some("en-GB"));
}

#[test]
fn long_read_keeps_sections_and_joins_split_paragraph() {
    let a = extract("longread", None);
    assert_eq!(a.body, expected_body("longread"));
    assert!(a.body.contains("\n\nThe permit problem\n\n"));
    assert!(
        a.body
            .contains("far from the industrial heartlands of the north")
    );
    for furniture in [
        "Read also",
        "Advertisement",
        "newsletter",
        "salt caverns",
        "Most read",
    ] {
        assert!(
            !a.body.contains(furniture),
            "{furniture} leaked into the body"
        );
    }
    assert_eq!(
        a.title.as_deref(),
        Some("The quiet rebuild of Europe's power grid")
    );
    assert_eq!(a.authors, ["Lena Brandt", "Tomás Ortega"]);
    // JSON-LD date without a zone is read as UTC.
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2023-03-04T08:15:00+00:00"
    );
    assert_eq!(a.language.as_deref(), Some("en-GB"));
    assert_eq!(a.tags, ["energy", "power grid", "Europe", "climate"]);
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://meridian.example/longread/power-grid")
    );
}

fn run_binary(args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(args)
        .output()
        .expect("run newsflow");
    assert!(
        out.status.success(),
        "newsflow failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn binary_golden_lines_in_input_order() {
    let dir = pages_dir();
    let files: Vec<String> = ["seed", "blog", "longread", "seed"]
        .iter()
        .map(|n| dir.join(format!("{n}.html")).display().to_string())
        .collect();
    let mut args = vec!["extract"];
    args.extend(files.iter().map(String::as_str));
    let events = run_binary(&args);
    assert_eq!(events.len(), 4);
    for (ev, name) in events.iter().zip(["seed", "blog", "longread", "seed"]) {
        assert_eq!(ev["type"], "article");
        assert_eq!(ev["body"], expected_body(name), "{name}");
        assert!(ev["feed"].is_null());
    }
    let seed = &events[0];
    assert_eq!(
        seed["tags"],
        serde_json::json!(["Kremlin", "Peskov", "NATO", "Putin"])
    );
    assert_eq!(
        seed["title"],
        "Kremlin warns of ‘decisive steps’ if Ukraine joins NATO"
    );
    assert_eq!(seed["authors"], serde_json::json!(["Anna Petrova"]));
    assert_eq!(seed["published"], "2021-10-12T09:30:00+03:00");
    assert_eq!(seed["language"], "en");
    assert_eq!(
        seed["url"],
        "https://worldwire.example/world/2021/10/12/kremlin-warns-decisive-steps"
    );
    // Same page, same id.
    assert_eq!(events[0]["id"], events[3]["id"]);
    assert_eq!(
        events[1]["tags"],
        serde_json::json!(["Rust", "RSS", "self-hosting"])
    );
    assert_eq!(
        events[2]["authors"],
        serde_json::json!(["Lena Brandt", "Tomás Ortega"])
    );
}

#[test]
fn binary_many_inputs_keep_order() {
    // More inputs than the worker window, so results arrive out of order
    // and must be put back in order.
    let dir = pages_dir();
    let names = ["seed", "blog", "longread"];
    let files: Vec<String> = (0..40)
        .map(|i| {
            dir.join(format!("{}.html", names[i % 3]))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["extract", "--url", "https://example.org/page"];
    args.extend(files.iter().map(String::as_str));
    let events = run_binary(&args);
    assert_eq!(events.len(), 40);
    for (i, ev) in events.iter().enumerate() {
        assert_eq!(ev["body"], expected_body(names[i % 3]), "line {i}");
    }
}

#[test]
fn binary_fails_on_missing_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["extract", "/nonexistent/page.html"])
        .output()
        .expect("run newsflow");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/page.html"));
}

#[test]
fn json_ld_article_body_overrules_a_wrong_pick() {
    // The story sits in a box whose name makes the scorer drop it; a longer
    // promotional text is the scorer's choice. The page's own articleBody
    // says which text is the article.
    let story = [
        "The river authority opened the northern floodgates on Tuesday night after three days of rain raised the water level by almost two metres.",
        "Residents of the low-lying districts were told to move cars and valuables to higher ground, and the ferry service was suspended until further notice.",
        "Engineers said the new gates, finished last spring, had worked exactly as designed and that the old town walls were not at risk.",
    ];
    let promo = "Discover our premium membership, with unlimited access to every archive, weekly puzzles, exclusive events, \
                 early tickets, a printed quarterly magazine, discounts with our partners, and much more, all for a small monthly fee, \
                 cancel at any time, no questions asked, the best value in local news today.";
    let ld = serde_json::json!({"@type": "NewsArticle", "headline": "Floodgates opened", "articleBody": story.join(" ")});
    let html = format!(
        "<html><head><script type=\"application/ld+json\">{ld}</script></head><body>\
         <div class=\"promo-text\"><p>{promo}</p><p>{promo}</p><p>{promo}</p></div>\
         <div class=\"comment-free-story\">{}</div></body></html>",
        story
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>()
    );
    let a = Extractor::new().extract(&html, None);
    assert_eq!(a.body, story.join("\n\n"));
}

#[test]
fn teaser_listing_is_not_taken_for_the_article() {
    // The story is short; the "you may also like" block below it holds more
    // text in total, each teaser an <article> with a long excerpt.
    let story = "The village council voted on Monday to keep the old stone bridge open to cyclists and walkers, \
                 after a survey found that nine in ten residents use it at least once a week, and asked the county \
                 to pay for new railings before the winter.";
    let teaser = |n: usize| {
        format!(
            "<article id=\"post-{n}\" class=\"post hentry\"><h3><a href=\"/p/{n}\">Teaser {n}</a></h3>\
             <p>Another long excerpt, number {n}, about a different story entirely, with enough words and commas, \
             clauses, asides and details, to look like a real paragraph of running text to any scorer.</p></article>"
        )
    };
    let html = format!(
        "<html><body><main><article class=\"story\"><h1>Bridge stays open</h1><p>{story}</p></article>\
         <section class=\"more-posts\"><h2>You may also like</h2>{}</section></main></body></html>",
        (1..=5).map(teaser).collect::<String>()
    );
    let a = Extractor::new().extract(&html, None);
    assert_eq!(
        a.body,
        story.split_whitespace().collect::<Vec<_>>().join(" ")
    );
}

#[test]
fn paragraphs_marked_paywall_are_the_story_but_a_paywall_notice_is_not() {
    // As on Condé Nast pages: after the free first paragraph every
    // paragraph is <p class="paywall">, with empty ad slots between them;
    // a short paywall notice box closes the story.
    let paras = [
        "On Sunday the harbour master gave the fishing fleet permission to leave port for the first time in three days, after the storm that had closed the coast moved north.",
        "The boats left before dawn, and by noon the first of them were back with full holds, which the market had not seen since the beginning of the month.",
        "Prices fell by almost half within an hour, a relief for the restaurants along the quay that had been serving frozen fish all week to their customers.",
        // Short, but between two long paragraphs.
        "The coast guard declined to comment on the forecast.",
        "The harbour master said the fleet would be watched closely for the next few days, as another front was expected to reach the coast by the weekend.",
    ];
    let html = format!(
        "<html><body><article><h1>Fleet back at sea</h1><div class=\"body\"><p>{}</p>\
         <p class=\"paywall\">{}</p><div class=\"ad-slot\"></div><p class=\"paywall\">{}</p>\
         <p class=\"paywall\">{}</p><p class=\"paywall\">{}</p>\
         <div class=\"paywall-notice\">Subscribe to keep reading.</div></div></article></body></html>",
        paras[0], paras[1], paras[2], paras[3], paras[4]
    );
    let a = Extractor::new().extract(&html, None);
    assert_eq!(a.body, paras.join("\n\n"));
}

#[test]
fn names_of_inline_elements_in_a_sentence_do_not_cut_them_out() {
    // <a class="meta-loc"> (a place link) and <span class="dateline"> sit
    // inside sentences; the "meta" and "dateline" names are for boxes.
    let html = "<html><body><div class=\"story-body\">\
        <p><span class=\"dateline\">LONDON —</span> After nearly twenty years of hostile relations, the government \
        plans to reverse its position on <a class=\"meta-loc\" href=\"/t/sudan\">Sudan</a> and lift trade sanctions, officials said.</p>\
        <p>In return, the country will improve access for aid groups, stop supporting rebels and cooperate with \
        investigators, according to the officials, who spoke on the condition of anonymity.</p>\
        <div class=\"byline-meta\">By A. Reporter</div></div></body></html>";
    let a = Extractor::new().extract(html, None);
    assert!(
        a.body
            .starts_with("LONDON — After nearly twenty years of hostile relations, the government plans to reverse its position on Sudan and lift"),
        "{}",
        a.body
    );
    assert!(!a.body.contains("A. Reporter"));
}

#[test]
fn subheadings_marked_h1_stay_but_the_headline_goes() {
    // Medium marks the article's section headings <h1> as well.
    let para = |n: usize| {
        format!(
            "<p>Paragraph {n} of the post explains, at some length and with examples, how the profiler samples \
             the call stack of a running process without stopping it.</p>"
        )
    };
    let html = format!(
        "<html><body><article><h1>Profiling in production</h1>{}{}{}<h1>Why sampling works</h1>{}</article></body></html>",
        para(1),
        para(2),
        para(3),
        para(4)
    );
    let a = Extractor::new().extract(&html, None);
    assert!(a.body.contains("\n\nWhy sampling works\n\n"), "{}", a.body);
    assert!(!a.body.contains("Profiling in production"));
}

#[test]
fn a_heading_named_subheader_is_a_heading_not_a_page_header() {
    let para = |n: usize| {
        format!(
            "<p class=\"paragraph\">Paragraph {n} of the report describes, with figures and quotes, what the witness \
             said on the stand and how the judge answered him.</p>"
        )
    };
    let html = format!(
        "<html><body><div class=\"article__content\">{}{}<h2 class=\"subheader\">The judge answers</h2>{}{}</div></body></html>",
        para(1),
        para(2),
        para(3),
        para(4)
    );
    let a = Extractor::new().extract(&html, None);
    assert!(a.body.contains("\n\nThe judge answers\n\n"), "{}", a.body);
}

#[test]
fn a_table_of_data_stays_though_its_first_column_is_links() {
    // Link density and length say nothing about a table of figures: one
    // marked up with header cells stays, while a small table of links
    // inside the story is still cleaned out.
    let para = |n: usize| {
        format!(
            "<p>Paragraph {n} of the release notes explains, at some length and with examples, which \
             packages changed in this release and why the maintainers chose to change them.</p>"
        )
    };
    let rows: String = ["openssl", "zlib", "curl", "sqlite"]
        .iter()
        .enumerate()
        .map(|(n, p)| {
            format!(
                "<tr><td><a href=\"/pkg/{p}\">{p}</a></td><td>1.{n}.2</td><td>1.{n}.3</td></tr>"
            )
        })
        .collect();
    let html = format!(
        "<html><body><article>{}{}<table><thead><tr><th>Package</th><th>Old</th><th>New</th></tr></thead>\
         <tbody>{rows}</tbody></table>{}\
         <table><tr><td><a href=\"/a\">Share on Facebook</a></td><td><a href=\"/b\">Share on X</a></td></tr></table>\
         </article></body></html>",
        para(1),
        para(2),
        para(3)
    );
    let a = Extractor::new().extract(&html, None);
    assert!(
        a.body.contains("openssl") && a.body.contains("1.3.3"),
        "{}",
        a.body
    );
    assert!(!a.body.contains("Share on"), "{}", a.body);
}

#[test]
fn a_feed_of_other_stories_near_the_story_does_not_widen_it() {
    // Widening to an ancestor that adds paragraphs is for stories split
    // into sections; a "happening now" feed a few levels up adds
    // paragraphs too, but held by another kind of box, so it stays out.
    let para = |n: usize| {
        format!(
            "<p>Paragraph {n}: the council debated the budget for the new tram line, weighing the \
             cost of the tunnel against the longer route along the river, and postponed the vote \
             until the engineers report in spring.</p>"
        )
    };
    let story: String = (1..=6).map(para).collect();
    let feed: String = (1..=8)
        .map(|n| {
            format!(
                "<div class=\"item\"><p>Feed story {n}: a storm closed the mountain pass overnight and \
                 the police asked drivers to wait until the snowploughs have cleared the road.</p></div>"
            )
        })
        .collect();
    let html = format!(
        "<html><body><div class=\"page\"><div class=\"left\"><div class=\"article\">\
         <div class=\"content\">{story}</div></div></div>\
         <div class=\"rail\"><div class=\"now\">{feed}</div></div></div></body></html>"
    );
    let a = Extractor::new().extract(&html, None);
    assert!(
        a.body.contains("Paragraph 1:") && a.body.contains("Paragraph 6:"),
        "{}",
        a.body
    );
    assert!(!a.body.contains("Feed story"), "{}", a.body);
}

#[test]
fn a_paragraph_box_cut_by_a_line_break_is_still_a_paragraph() {
    // A blog post (reconstructed from a Blogger page): the opening
    // paragraph is a <div> of text ending in <br>, beside the box that
    // holds the photos and the rest. A line break is phrasing, not a
    // block, so that <div> is a paragraph sibling like any other.
    let empty = "<div> <span><span> </span></span></div>";
    let text = |t: &str| format!("<div> <span><span>{t}</span></span></div>{empty}");
    let photos: String = (2..=5)
        .map(|n| format!("<div> <span><span><img alt=\"\" src=\"/photos/{n}.jpg\"></span></span></div>{empty}"))
        .collect();
    let html = format!(
        "<html><body><div id=\"main\"><div class=\"post-body post-content\"> <div> <span><span>Pictures \
         which were posted online this week and are shared widely, show the singer, Ada Obi, on stage \
         in a new costume. <br></span></span></div> <span><span> </span></span>\
         <div class=\"reader\">{empty}<div class=\"separator\"><a href=\"/photos/1.jpg\"><img src=\"/photos/1s.jpg\"></a></div>\
         {}{}{}{}{photos}</div></div></div></body></html>",
        text("<em><span>Ada Obi</span></em>"),
        text(
            "The singer, Ada Obi, who in 2015 won an award for the best new act, has taken to her page \
              to share some photos of herself on stage."
        ),
        text(
            "She wore a dress in the colours of the national flag. The 31 year old was one of the guests \
              at a concert in the capital."
        ),
        text("See more photos:"),
    );
    let a = Extractor::new().extract(&html, None);
    assert!(
        a.body.starts_with("Pictures which were posted online"),
        "{}",
        a.body
    );
}

#[test]
fn a_hover_card_of_links_inside_a_sentence_goes_but_the_name_stays() {
    // A politician's name in the text carries a hidden-until-hover card
    // (reconstructed from a news site): photo, name, latest headlines.
    let card = "<span class=\"rollover-people\"><a class=\"rollover-people-link\" href=\"/people/jane-doe\">Jane Doe</a>\
        <span class=\"rollover-people-block\"><span class=\"rollover-block\"><span><img src=\"/p/jd.jpg\" alt=\"\">\
        <a class=\"name\" href=\"/people/jane-doe\">Jane Doe</a>\
        <a class=\"people-articles\" href=\"/a/1\">Senators question the budget office over its forecast for next year</a> \
        <a class=\"people-articles\" href=\"/a/2\">Doe asks the court to show compassion in sentencing</a> \
        <a class=\"more\" href=\"/people/jane-doe\">MORE</a></span></span></span></span>";
    let para = |n: usize| {
        format!(
            "<p>Paragraph {n}: the court heard that the man had left several messages on the office \
             answering machine over two days, and the police traced the calls to his home.</p>"
        )
    };
    let html = format!(
        "<html><body><article><p>A man pleaded guilty on Monday to threatening to kill Rep. {card} \
         (D-Minn.), the U.S. Attorney's Office announced.</p>{}{}{}</article></body></html>",
        para(1),
        para(2),
        para(3)
    );
    let a = Extractor::new().extract(&html, None);
    assert!(
        a.body.starts_with(
            "A man pleaded guilty on Monday to threatening to kill Rep. Jane Doe (D-Minn.)"
        ),
        "{}",
        a.body
    );
    assert!(!a.body.contains("Senators question"), "{}", a.body);
}

#[test]
fn white_space_the_prescan_cuts_leaves_words_apart() {
    // React pages put empty comments between words, and indentation sits
    // between block tags (which the prescan drops) and between inline ones
    // (where one space must stay).
    let html = "<html>\n<body>\n  <article>\n    <p>When <!-- -->President<!-- --> <!-- -->Trump’s \
        advisers suggested that Beijing resume buying farm products as part of a trade deal, \
        he was not satisfied with the offer and asked for far more.</p>\r\n    <p>\n      \
        <a href=\"/a\">Negotiators</a> <b>met</b>\n      <i>again</i>\t<span>on Friday</span> in a \
        long session that ran late into the night, people familiar with the talks said.</p>\n  \
        </article>\n</body>\n</html>\n";
    let a = Extractor::new().extract(html, None);
    assert!(
        a.body.starts_with("When President Trump’s advisers"),
        "{}",
        a.body
    );
    assert!(
        a.body
            .contains("\n\nNegotiators met again on Friday in a long session"),
        "{}",
        a.body
    );
}
