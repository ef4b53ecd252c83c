//! Order-preserving parallel map: one thread produces work items, `threads` workers process
//! them, and the results are consumed in production order (with at most two items per worker
//! in flight, so memory stays bounded).

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel};
use std::sync::Mutex;

/// Maps every item `produce` yields through `work` on `threads` threads (1: on this thread)
/// and hands the results to `consume` in order; stops early when `consume` returns false.
pub(crate) fn map<T: Send, U: Send>(
    threads: usize,
    produce: &mut dyn FnMut() -> Option<T>,
    work: impl Fn(T) -> U + Sync,
    mut consume: impl FnMut(U) -> bool,
) {
    if threads <= 1 {
        while let Some(item) = produce() {
            if !consume(work(item)) {
                return;
            }
        }
        return;
    }
    let window = (threads * 2) as u64;
    let (job_tx, job_rx) = sync_channel::<(u64, T)>(threads * 2);
    let (done_tx, done_rx) = channel::<(u64, U)>();
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let (job_rx, work) = (&job_rx, &work);
            scope.spawn(move || loop {
                let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((seq, item)) = job else { return };
                if done_tx.send((seq, work(item))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let (mut sent, mut next) = (0u64, 0u64);
        let mut ready = BTreeMap::new();
        let mut producing = true;
        let mut going = true;
        loop {
            while going && producing && sent - next < window {
                match produce() {
                    Some(item) => {
                        if job_tx.send((sent, item)).is_err() {
                            producing = false;
                        }
                        sent += 1;
                    }
                    None => producing = false,
                }
            }
            if next == sent {
                break;
            }
            let Ok((seq, out)) = done_rx.recv() else {
                break;
            };
            ready.insert(seq, out);
            while let Some(out) = ready.remove(&next) {
                next += 1;
                if going && !consume(out) {
                    going = false;
                }
            }
        }
        drop(job_tx);
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn order_is_kept_and_early_stop_works() {
        for threads in [1, 2, 5] {
            let mut i = 0;
            let mut produce = || {
                i += 1;
                (i <= 1000).then_some(i)
            };
            let mut got = Vec::new();
            super::map(
                threads,
                &mut produce,
                |x: u64| x * 2,
                |y| {
                    got.push(y);
                    true
                },
            );
            assert_eq!(got, (1..=1000).map(|x| x * 2).collect::<Vec<_>>());
            let mut j = 0;
            let mut produce = || {
                j += 1;
                (j <= 1000).then_some(j)
            };
            let mut n = 0;
            super::map(
                threads,
                &mut produce,
                |x: u64| x,
                |_| {
                    n += 1;
                    n < 10
                },
            );
            assert_eq!(n, 10);
        }
    }
}
