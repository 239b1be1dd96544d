#![no_main]
//! Any page: extraction, tags and quotes finish without panicking, and the
//! quote offsets point into the body.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = newsflow::text::decode_html(data, None);
    let url = url::Url::parse("https://news.example.org/2021/11/30/story.html").unwrap();
    let extractor = newsflow::extract::Extractor::new();
    let event = newsflow::pipeline::event_from_html(&extractor, &html, Some(&url), "fuzz");
    let chars = event.body.chars().count();
    for q in &event.quotes {
        assert!(q.start <= q.end && q.end <= chars);
    }
});
