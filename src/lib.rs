//! newsflow: a streaming news-feed processor.
//!
//! The pipeline reads one way: a [`feed`] document yields items, each item's
//! page is fetched ([`fetch`]), the page becomes an [`extract::Article`]
//! (body, metadata, [`tags`]), [`quotes`] are mined from its body, the result
//! is serialised as an [`event`] and handed to a [`sink`]. The [`store`]
//! remembers what was emitted so nothing is emitted twice, and the
//! [`daemon`] drives it all on a [`schedule`] read from the [`config`].
//! An emitted article that changes later is emitted again as its next
//! [`revision`]; fetched pages can be kept in an [`archive`], which
//! [`reextract`] runs today's extraction over.

pub mod activity;
pub mod archive;
pub mod batch;
pub mod cli;
pub mod config;
pub mod daemon;
pub mod dedup;
pub mod discover;
pub mod event;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod guard;
pub mod identity;
pub mod metrics;
pub mod opml;
pub mod pipeline;
pub mod quotes;
pub mod redact;
pub mod reextract;
pub mod revision;
pub mod robots;
pub mod schedule;
pub mod sink;
pub mod status;
pub mod store;
pub mod tags;
pub mod text;
