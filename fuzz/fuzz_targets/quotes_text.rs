#![no_main]
//! Any text: quote extraction finishes, and every quote's offsets select
//! exactly its text from the body.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for q in newsflow::quotes::extract_quotes(text) {
        assert!(q.start <= q.end);
        let got: String = text.chars().skip(q.start).take(q.end - q.start).collect();
        assert_eq!(got, q.text);
    }
});
