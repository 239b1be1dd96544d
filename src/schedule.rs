//! When each feed is polled next: its interval with jitter after a
//! success, exponential backoff with jitter after failures (never giving a
//! feed up), and the server's own wishes (Retry-After, max-age, `<ttl>`)
//! as lower bounds.

use std::time::Duration;

/// Delay until the next poll after a successful one. `server_hint` is the
/// longest of the feed's `<ttl>` and Cache-Control max-age, honoured up to
/// a day so a misconfigured feed cannot silence itself for weeks.
pub fn after_success(interval: Duration, jitter: f64, server_hint: Option<Duration>) -> Duration {
    let base = match server_hint {
        Some(hint) => interval.max(hint.min(Duration::from_secs(24 * 3600))),
        None => interval,
    };
    with_jitter(base, jitter)
}

/// Delay after the `streak`-th failure in a row (1 for the first): the
/// interval's 1/8 doubled per failure, capped at `max_backoff`, and never
/// earlier than the server's Retry-After.
pub fn after_failure(
    interval: Duration,
    streak: u32,
    max_backoff: Duration,
    retry_after: Option<Duration>,
) -> Duration {
    let base = (interval / 8).max(Duration::from_secs(5));
    let exp = 1u32 << streak.saturating_sub(1).min(20);
    let delay = base.saturating_mul(exp).min(max_backoff);
    let delay = with_jitter(delay, 0.2);
    match retry_after {
        Some(ra) => delay.max(ra),
        None => delay,
    }
}

/// Adds up to `fraction` of `d`, at random, so feeds spread out.
pub fn with_jitter(d: Duration, fraction: f64) -> Duration {
    if fraction <= 0.0 {
        return d;
    }
    d + d.mul_f64(fraction * rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let i = Duration::from_secs(800);
        let cap = Duration::from_secs(3600);
        let d1 = after_failure(i, 1, cap, None);
        let d3 = after_failure(i, 3, cap, None);
        assert!(
            d1 >= Duration::from_secs(100) && d1 <= Duration::from_secs(120),
            "{d1:?}"
        );
        assert!(
            d3 >= Duration::from_secs(400) && d3 <= Duration::from_secs(480),
            "{d3:?}"
        );
        assert!(after_failure(i, 30, cap, None) <= cap.mul_f64(1.2));
    }

    #[test]
    fn retry_after_is_a_lower_bound() {
        let d = after_failure(
            Duration::from_secs(60),
            1,
            Duration::from_secs(3600),
            Some(Duration::from_secs(90)),
        );
        assert!(d >= Duration::from_secs(90));
    }

    #[test]
    fn server_hint_lengthens_but_is_capped() {
        let i = Duration::from_secs(60);
        assert!(after_success(i, 0.0, Some(Duration::from_secs(600))) == Duration::from_secs(600));
        assert_eq!(after_success(i, 0.0, Some(Duration::from_secs(10))), i);
        assert_eq!(
            after_success(i, 0.0, Some(Duration::from_secs(9_999_999))),
            Duration::from_secs(86_400)
        );
        let j = after_success(i, 0.5, None);
        assert!(j >= i && j <= Duration::from_secs(90));
    }
}
