//! Waiting out a state store outage (its disk full or read-only, a
//! database restart). Work that needs the store waits and tries again
//! with backoff instead of failing: a failed poll would count against a
//! feed that did nothing wrong, and with SQLite could not even end its
//! lease, leaving the feed idle for the lease's ten minutes. While polls
//! wait, no new feed is leased, so work stops rather than piles up.
//!
//! However many tasks wait, the outage is logged once when it starts,
//! once per [`LOG_EVERY`] while it lasts and once when it ends.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use super::poll::PollError;

/// How often a lasting outage is logged again.
const LOG_EVERY: Duration = Duration::from_secs(30);
/// The first wait before trying again, doubled up to [`MAX_WAIT`].
const FIRST_WAIT: Duration = Duration::from_millis(250);
const MAX_WAIT: Duration = Duration::from_secs(5);

/// The outage in progress, if any, shared by every task using the store.
#[derive(Debug, Default)]
pub(super) struct StoreOutage(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    /// When the outage began; `None` while the store answers.
    down_since: Option<Instant>,
    /// The last warning, of this outage or one just before: a store that
    /// comes and goes is still logged once per [`LOG_EVERY`].
    warned: Option<Instant>,
}

impl StoreOutage {
    fn failed(&self, e: &anyhow::Error) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let since = *state.down_since.get_or_insert(now);
        if state.warned.is_some_and(|t| now - t < LOG_EVERY) {
            return;
        }
        state.warned = Some(now);
        let for_secs = (now - since).as_secs();
        warn!(
            for_secs,
            "state store unavailable, polls and deliveries wait until it is back: {e:#}"
        );
    }

    /// Called by a call that failed and then went through: reads keep
    /// working on a full disk, so any success would not do.
    fn recovered(&self) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(since) = state.down_since.take() {
            let after_secs = since.elapsed().as_secs_f64();
            info!(after_secs, "state store back, polls and deliveries resumed");
        }
    }

    /// Runs `op` until it succeeds, fails with an error `passes` does not
    /// accept ([`PollError::Store`]), or shutdown begins
    /// ([`PollError::Stopped`]; what was not recorded is redone after the
    /// restart).
    pub(super) async fn retry<T, F, Fut>(
        &self,
        shutdown: &CancellationToken,
        passes: impl Fn(&anyhow::Error) -> bool,
        mut op: F,
    ) -> Result<T, PollError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = anyhow::Result<T>>,
    {
        let mut wait = FIRST_WAIT;
        let mut failed = false;
        loop {
            match op().await {
                Ok(v) => {
                    if failed {
                        self.recovered();
                    }
                    return Ok(v);
                }
                Err(e) if passes(&e) => {
                    failed = true;
                    self.failed(&e);
                }
                Err(e) => return Err(PollError::Store(e)),
            }
            tokio::select! {
                _ = shutdown.cancelled() => return Err(PollError::Stopped),
                _ = tokio::time::sleep(wait) => {}
            }
            wait = (wait * 2).min(MAX_WAIT);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::store::{Unavailable, is_unavailable};

    fn unavailable() -> anyhow::Error {
        anyhow::Error::new(Unavailable {
            store: "/var/lib/newsflow/newsflow.db".into(),
            cause: "database or disk is full".into(),
        })
    }

    #[tokio::test]
    async fn an_outage_is_waited_out_and_other_errors_fail_at_once() {
        let outage = StoreOutage::default();
        let stop = CancellationToken::new();
        let calls = AtomicU32::new(0);
        let got = outage
            .retry(&stop, is_unavailable, || async {
                match calls.fetch_add(1, Ordering::Relaxed) {
                    0 | 1 => Err(unavailable()),
                    _ => Ok(7),
                }
            })
            .await;
        assert_eq!((got.unwrap(), calls.load(Ordering::Relaxed)), (7, 3));
        assert!(outage.0.lock().unwrap().down_since.is_none(), "it ended");

        let refused = outage
            .retry(&stop, is_unavailable, || async {
                Err::<(), _>(anyhow::anyhow!("UNIQUE constraint failed"))
            })
            .await;
        assert!(matches!(refused, Err(PollError::Store(_))), "{refused:?}");

        stop.cancel();
        let stopped = outage
            .retry(&stop, is_unavailable, || async {
                Err::<(), _>(unavailable())
            })
            .await;
        assert!(matches!(stopped, Err(PollError::Stopped)), "{stopped:?}");
    }
}
