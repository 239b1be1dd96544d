//! The page's plots as inline SVG, drawn on the server: they show without
//! scripts, and their size is bounded by the series length, not the
//! number of feeds.

use std::fmt::Write as _;

use crate::activity::Series;

const WIDTH: usize = 720;
const HEIGHT: usize = 140;
/// Room under the bars for the time axis.
const AXIS: usize = 16;
/// Minutes per bar of the poll outcome plot.
const OUTCOME_BUCKET: usize = 10;

/// Events written per minute, one bar per minute.
pub fn events(s: &Series) -> String {
    let n = s.events.len().max(1);
    let max = s.events.iter().copied().max().unwrap_or(0);
    let mut out = open("events per minute", max);
    let width = WIDTH as f64 / n as f64;
    for (i, &v) in s.events.iter().enumerate().filter(|(_, v)| **v > 0) {
        let h = scaled(v, max);
        let _ = write!(
            out,
            r#"<rect class="events" x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}"><title>{} min ago: {v} events</title></rect>"#,
            i as f64 * width,
            plot_height() - h,
            width.max(1.0),
            n - 1 - i,
        );
    }
    close(out, n)
}

/// Polls by outcome, stacked, one bar per [`OUTCOME_BUCKET`] minutes.
pub fn outcomes(s: &Series) -> String {
    let buckets: Vec<[u64; 3]> = (0..s.polls_ok.len().div_ceil(OUTCOME_BUCKET))
        .map(|b| {
            let range = b * OUTCOME_BUCKET..((b + 1) * OUTCOME_BUCKET).min(s.polls_ok.len());
            let sum = |v: &[u64]| v[range.clone()].iter().sum::<u64>();
            [
                sum(&s.polls_ok),
                sum(&s.polls_not_modified),
                sum(&s.polls_failed),
            ]
        })
        .collect();
    let max = buckets.iter().map(|b| b.iter().sum()).max().unwrap_or(0);
    let n = s.polls_ok.len().max(1);
    let mut out = open("polls per 10 minutes by outcome", max);
    let width = WIDTH as f64 / buckets.len().max(1) as f64;
    for (b, counts) in buckets.iter().enumerate() {
        let mut top = plot_height();
        for (class, v) in ["ok", "not-modified", "failed"].iter().zip(counts) {
            if *v == 0 {
                continue;
            }
            let h = scaled(*v, max);
            top -= h;
            let _ = write!(
                out,
                r#"<rect class="{class}" x="{:.1}" y="{top:.1}" width="{:.1}" height="{h:.1}"><title>{v} {}</title></rect>"#,
                b as f64 * width + 1.0,
                width - 2.0,
                class.replace('-', " "),
            );
        }
    }
    close(out, n)
}

fn plot_height() -> f64 {
    (HEIGHT - AXIS) as f64
}

/// `v` as a bar height, the largest value filling the plot.
fn scaled(v: u64, max: u64) -> f64 {
    if max == 0 {
        return 0.0;
    }
    (v as f64 / max as f64 * (plot_height() - 12.0)).max(1.0)
}

/// The `<svg>` start, its baseline and the scale's top value.
fn open(label: &str, max: u64) -> String {
    let base = plot_height();
    let mut out = format!(
        r#"<svg class="plot" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">"#
    );
    let _ = write!(
        out,
        r#"<line class="axis" x1="0" y1="{base}" x2="{WIDTH}" y2="{base}"/><text class="scale" x="2" y="10">max {max}</text>"#
    );
    out
}

/// The time axis (hours ago) and the `</svg>`.
fn close(mut out: String, minutes: usize) -> String {
    let y = HEIGHT - 3;
    let hours = minutes / 60;
    for h in (0..=hours).rev() {
        let x = WIDTH as f64 * (1.0 - h as f64 * 60.0 / minutes as f64);
        let (anchor, label) = match h {
            0 => ("end", "now".to_string()),
            h if h == hours => ("start", format!("{h} h ago")),
            h => ("middle", format!("{h} h")),
        };
        let _ = write!(
            out,
            r#"<text class="tick" x="{x:.1}" y="{y}" text-anchor="{anchor}">{label}</text>"#
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::MINUTES;

    fn series() -> Series {
        let mut s = Series {
            start: 0,
            events: vec![0; MINUTES],
            polls_ok: vec![0; MINUTES],
            polls_not_modified: vec![0; MINUTES],
            polls_failed: vec![0; MINUTES],
        };
        s.events[MINUTES - 1] = 7;
        s.events[MINUTES - 2] = 14;
        s.polls_ok[MINUTES - 1] = 3;
        s.polls_failed[MINUTES - 5] = 1;
        s
    }

    #[test]
    fn a_bar_per_busy_minute_scaled_to_the_busiest() {
        let svg = events(&series());
        assert_eq!(svg.matches("<rect class=\"events\"").count(), 2);
        assert!(svg.contains("max 14"), "{svg}");
        assert!(svg.contains("0 min ago: 7 events"), "{svg}");
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn outcomes_stack_per_bucket() {
        let svg = outcomes(&series());
        assert_eq!(svg.matches("<rect class=\"ok\"").count(), 1);
        assert_eq!(svg.matches("<rect class=\"failed\"").count(), 1);
        assert!(svg.contains("max 4"), "{svg}");
        assert!(svg.contains(">6 h ago<") && svg.contains(">now<"), "{svg}");
    }
}
