//! What this instance did, minute by minute, over the last hours: events
//! delivered and polls by outcome, for the plots of the status page.
//!
//! Kept in memory only (a restart starts an empty history) and per
//! instance: on a shared store every instance plots its own work.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

/// Minutes kept: the plots show the last six hours.
pub const MINUTES: usize = 360;

/// How a poll ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollOutcome {
    /// The feed sent a document.
    Ok,
    /// The feed answered 304.
    NotModified,
    /// The poll failed (the feed or the state store).
    Failed,
}

/// One minute's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Minute {
    /// Unix minutes.
    at: i64,
    events: u64,
    ok: u64,
    not_modified: u64,
    failed: u64,
}

/// The per-minute ring; gaps (minutes with nothing) are not stored.
#[derive(Debug, Default)]
pub struct Activity {
    minutes: Mutex<VecDeque<Minute>>,
}

/// Dense per-minute series, oldest first, ending with the current minute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// Unix milliseconds of the first minute's start.
    pub start: i64,
    pub events: Vec<u64>,
    pub polls_ok: Vec<u64>,
    pub polls_not_modified: Vec<u64>,
    pub polls_failed: Vec<u64>,
}

fn minute_now() -> i64 {
    chrono::Utc::now().timestamp() / 60
}

impl Activity {
    /// Counts `n` events written to the sink.
    pub fn delivered(&self, n: usize) {
        self.add_at(minute_now(), |m| m.events += n as u64);
    }

    pub fn polled(&self, outcome: PollOutcome) {
        self.add_at(minute_now(), |m| match outcome {
            PollOutcome::Ok => m.ok += 1,
            PollOutcome::NotModified => m.not_modified += 1,
            PollOutcome::Failed => m.failed += 1,
        });
    }

    fn add_at(&self, at: i64, add: impl FnOnce(&mut Minute)) {
        let mut minutes = self.minutes.lock().unwrap_or_else(|p| p.into_inner());
        // A clock stepped back adds to the newest minute rather than
        // breaking the order the series relies on.
        if minutes.back().is_none_or(|m| m.at < at) {
            minutes.push_back(Minute {
                at,
                ..Minute::default()
            });
        }
        while minutes.front().is_some_and(|m| m.at <= at - MINUTES as i64) {
            minutes.pop_front();
        }
        if let Some(m) = minutes.back_mut() {
            add(m);
        }
    }

    /// The last [`MINUTES`] minutes up to now.
    pub fn series(&self) -> Series {
        self.series_at(minute_now())
    }

    fn series_at(&self, now: i64) -> Series {
        let first = now - MINUTES as i64 + 1;
        let mut s = Series {
            start: first * 60_000,
            events: vec![0; MINUTES],
            polls_ok: vec![0; MINUTES],
            polls_not_modified: vec![0; MINUTES],
            polls_failed: vec![0; MINUTES],
        };
        let minutes = self.minutes.lock().unwrap_or_else(|p| p.into_inner());
        for m in minutes.iter().filter(|m| m.at >= first && m.at <= now) {
            let i = (m.at - first) as usize;
            s.events[i] += m.events;
            s.polls_ok[i] += m.ok;
            s.polls_not_modified[i] += m.not_modified;
            s.polls_failed[i] += m.failed;
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_land_in_their_minute_and_gaps_are_zero() {
        let a = Activity::default();
        a.add_at(1000, |m| m.events += 3);
        a.add_at(1000, |m| m.ok += 1);
        a.add_at(1002, |m| m.failed += 2);
        let s = a.series_at(1002);
        assert_eq!(s.events.len(), MINUTES);
        assert_eq!(s.start, (1002 - MINUTES as i64 + 1) * 60_000);
        assert_eq!(&s.events[MINUTES - 3..], &[3, 0, 0]);
        assert_eq!(&s.polls_ok[MINUTES - 3..], &[1, 0, 0]);
        assert_eq!(&s.polls_failed[MINUTES - 3..], &[0, 0, 2]);
    }

    #[test]
    fn old_minutes_fall_out_and_a_clock_step_back_counts_in_the_newest() {
        let a = Activity::default();
        a.add_at(10, |m| m.events += 1);
        a.add_at(10 + MINUTES as i64, |m| m.events += 5);
        a.add_at(12, |m| m.events += 1);
        assert_eq!(a.minutes.lock().unwrap().len(), 1);
        let s = a.series_at(10 + MINUTES as i64);
        assert_eq!(s.events.iter().sum::<u64>(), 6);
        assert_eq!(s.events[MINUTES - 1], 6);
    }
}
