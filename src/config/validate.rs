//! Value checks: each turns a raw value into a typed one or records a
//! problem at its place.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;
use url::Url;

use super::raw::RawSize;
use super::{ConfigError, ConfigErrors};

/// Collects problems with their places while values are checked; each
/// check returns a usable value (the default) so checking goes on.
pub(super) struct Validator<'a> {
    file: PathBuf,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl<'a> Validator<'a> {
    pub(super) fn new(file: &Path, text: &'a str) -> Self {
        Validator {
            file: file.to_path_buf(),
            text,
            errors: Vec::new(),
        }
    }

    pub(super) fn into_errors(self) -> ConfigErrors {
        ConfigErrors(self.errors)
    }

    /// `value` when no problem was found.
    pub(super) fn finish<T>(self, value: T) -> Result<T, ConfigErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(ConfigErrors(self.errors))
        }
    }

    pub(super) fn error(&mut self, offset: Option<usize>, message: String) {
        let (line, column) = match offset {
            Some(off) => {
                let before = &self.text[..off.min(self.text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (line, column)
            }
            None => (0, 0),
        };
        self.errors.push(ConfigError {
            file: self.file.clone(),
            line,
            column,
            message,
        });
    }

    pub(super) fn duration(
        &mut self,
        raw: &Option<Spanned<String>>,
        key: &str,
        default: Duration,
    ) -> Duration {
        let Some(s) = raw else { return default };
        match humantime::parse_duration(s.get_ref().trim()) {
            Ok(d) => d,
            Err(e) => {
                self.error(
                    Some(s.span().start),
                    format!(
                        "{key} {:?}: {e} (expected a duration like \"250ms\", \"30s\", \"15m\")",
                        s.get_ref()
                    ),
                );
                default
            }
        }
    }

    pub(super) fn count(&mut self, raw: &Option<Spanned<i64>>, key: &str, default: usize) -> usize {
        match raw {
            None => default,
            Some(n) if *n.get_ref() >= 1 => *n.get_ref() as usize,
            Some(n) => {
                self.error(
                    Some(n.span().start),
                    format!("{key} must be at least 1, not {}", n.get_ref()),
                );
                default
            }
        }
    }

    pub(super) fn size(&mut self, raw: &Option<Spanned<RawSize>>, key: &str, default: u64) -> u64 {
        let Some(s) = raw else { return default };
        let parsed = match s.get_ref() {
            RawSize::Bytes(n) if *n > 0 => Some(*n as u64),
            RawSize::Bytes(_) => None,
            RawSize::Text(t) => parse_size(t),
        };
        parsed.unwrap_or_else(|| {
            self.error(
                Some(s.span().start),
                format!("{key}: expected a positive size like 1048576, \"512KiB\" or \"8MB\""),
            );
            default
        })
    }

    pub(super) fn http_url(&mut self, raw: &Spanned<String>, what: &str) -> Option<Url> {
        match Url::parse(raw.get_ref().trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u),
            Ok(u) => {
                self.error(
                    Some(raw.span().start),
                    format!("{what} {u}: only http and https are supported"),
                );
                None
            }
            Err(e) => {
                self.error(
                    Some(raw.span().start),
                    format!("{what} {:?}: {e}", raw.get_ref()),
                );
                None
            }
        }
    }

    pub(super) fn proxy_url(&mut self, raw: &Spanned<String>) -> Option<Url> {
        match Url::parse(raw.get_ref()) {
            Ok(u) if matches!(u.scheme(), "http" | "https" | "socks5" | "socks5h") => Some(u),
            _ => {
                self.error(
                    Some(raw.span().start),
                    format!(
                        "proxy {:?}: expected http://, https:// or socks5:// URL",
                        raw.get_ref()
                    ),
                );
                None
            }
        }
    }
}

/// Parses "8MiB", "500kB", "1048576", "2 GB" (decimal and binary units).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1024,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1024 * 1024,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1024 * 1024 * 1024,
        _ => return None,
    };
    n.checked_mul(mult).filter(|&b| b > 0)
}
