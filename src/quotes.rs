//! Quotation and speaker extraction from an article body (plain text).

use serde::Serialize;

/// A full quoted statement, or a fragment woven into reported speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Partial,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The quoted words without the enclosing marks.
    pub text: String,
    /// Fullest name the article gives for the speaker.
    pub speaker: Option<String>,
    /// Attribution verb as written ("said", "told", "according to").
    pub cue: Option<String>,
    pub kind: QuoteKind,
    /// Outlet that relayed the quote ("as quoted by Interfax").
    pub source: Option<String>,
    /// Offsets of `text` in the body, in Unicode scalar values (code points).
    pub start: usize,
    pub end: usize,
}

/// Finds the quotations in `body` (paragraphs separated by blank lines).
pub fn extract_quotes(body: &str) -> Vec<Quote> {
    let _ = body;
    Vec::new()
}
