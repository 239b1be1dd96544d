//! An ordered parallel map for batch commands: items are processed on all
//! cores but their results are consumed in input order, and no worker runs
//! more than a fixed window ahead of the consumer, so memory is bounded by
//! the window, not by the batch.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use anyhow::{Result, anyhow};

/// Runs `work` on every item with up to `workers` threads and hands each
/// result to `consume` in input order. The first error (from `work`, a
/// panic in it, or `consume`) stops the batch and is returned.
pub fn for_each_ordered<T, R, W, C>(
    items: &[T],
    workers: usize,
    work: W,
    mut consume: C,
) -> Result<()>
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> Result<R> + Sync,
    C: FnMut(R) -> Result<()>,
{
    // A panic becomes that item's error, so the consumer never waits for a
    // result that will not come.
    let run = |item: &T| {
        catch_unwind(AssertUnwindSafe(|| work(item)))
            .unwrap_or_else(|p| Err(anyhow!("internal error: {}", panic_message(p.as_ref()))))
    };
    let workers = workers.max(1).min(items.len());
    if workers <= 1 {
        return items.iter().try_for_each(|item| consume(run(item)?));
    }
    let window = workers * 4;
    let next = AtomicUsize::new(0);
    let abort = AtomicBool::new(false);
    let consumed = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel::<(usize, Result<R>)>();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, abort, consumed, run) = (&next, &abort, &consumed, &run);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    {
                        let (lock, cv) = consumed;
                        let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *done + window && !abort.load(Ordering::Relaxed) {
                            done = cv.wait(done).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    if abort.load(Ordering::Relaxed) || tx.send((i, run(&items[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut ready: BTreeMap<usize, Result<R>> = BTreeMap::new();
        let mut expected = 0usize;
        let result = (|| -> Result<()> {
            for (i, r) in rx.iter() {
                ready.insert(i, r);
                while let Some(r) = ready.remove(&expected) {
                    consume(r?)?;
                    expected += 1;
                    let (lock, cv) = &consumed;
                    *lock.lock().unwrap_or_else(|e| e.into_inner()) = expected;
                    cv.notify_all();
                }
            }
            Ok(())
        })();
        if result.is_err() {
            abort.store(true, Ordering::Relaxed);
            consumed.1.notify_all();
            // Drain so no worker blocks; their results are dropped.
            for _ in rx.iter() {}
        }
        result
    })
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order() {
        let items: Vec<u64> = (0..500).collect();
        let mut got = Vec::new();
        for_each_ordered(
            &items,
            4,
            |&i| {
                // Uneven work so results finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                Ok(i * 2)
            },
            |r| {
                got.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(got, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_is_an_error_not_a_hang() {
        let items: Vec<u32> = (0..100).collect();
        let mut seen = 0;
        let err = for_each_ordered(
            &items,
            3,
            |&i| {
                if i == 37 {
                    panic!("boom at {i}");
                }
                Ok(i)
            },
            |_| {
                seen += 1;
                Ok(())
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("boom at 37"), "{err}");
        assert_eq!(seen, 37);
    }

    #[test]
    fn a_consumer_error_stops_the_batch() {
        let items: Vec<u32> = (0..1000).collect();
        let err = for_each_ordered(
            &items,
            2,
            |&i| Ok(i),
            |i| if i == 5 { Err(anyhow!("full")) } else { Ok(()) },
        );
        assert_eq!(err.unwrap_err().to_string(), "full");
    }
}
