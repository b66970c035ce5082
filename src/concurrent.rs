//! Futures run side by side within one task: at most N at a time, all together,
//! and a one-shot hand-over between tasks. What the console used of the `futures`
//! crate, in plain `std::future` (every future here is boxed, so none of it is
//! compiled again per use).

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Futures taken from `source` and run at most `limit` at a time; their outputs come
/// in the order they finish. A future is taken only when a place is free, so a
/// source that stops (a cancel) starts nothing more.
pub struct Bounded<'a, T> {
    source: Box<dyn Iterator<Item = LocalFuture<'a, T>> + 'a>,
    running: Vec<LocalFuture<'a, T>>,
    limit: usize,
}

impl<'a, T> Bounded<'a, T> {
    pub fn new(source: impl Iterator<Item = LocalFuture<'a, T>> + 'a, limit: usize) -> Self {
        Bounded {
            source: Box::new(source),
            running: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// The next output; `None` when the source is used up and all have finished.
    pub async fn next(&mut self) -> Option<T> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        while self.running.len() < self.limit {
            match self.source.next() {
                Some(f) => self.running.push(f),
                None => break,
            }
        }
        if self.running.is_empty() {
            return Poll::Ready(None);
        }
        for i in 0..self.running.len() {
            if let Poll::Ready(out) = self.running[i].as_mut().poll(cx) {
                drop(self.running.swap_remove(i));
                return Poll::Ready(Some(out));
            }
        }
        Poll::Pending
    }
}

/// Runs all of `futures` together; their outputs in the order given.
pub async fn join_all<'a, T: 'a>(futures: Vec<LocalFuture<'a, T>>) -> Vec<T> {
    let count = futures.len();
    let numbered = futures.into_iter().enumerate().map(|(i, f)| {
        let f: LocalFuture<'a, (usize, T)> = Box::pin(async move { (i, f.await) });
        f
    });
    let mut all = Bounded::new(numbered, count);
    let mut out: Vec<Option<T>> = (0..count).map(|_| None).collect();
    while let Some((i, v)) = all.next().await {
        out[i] = Some(v);
    }
    out.into_iter().flatten().collect()
}

struct Slot<T> {
    value: Option<T>,
    sender_gone: bool,
    waiting: Option<Waker>,
}

/// Hands one value to the task awaiting the `Receiver`.
pub struct Sender<T>(Rc<RefCell<Slot<T>>>);

/// Gives the sent value, or `None` when the sender went away without sending.
pub struct Receiver<T>(Rc<RefCell<Slot<T>>>);

pub fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    let slot = Rc::new(RefCell::new(Slot {
        value: None,
        sender_gone: false,
        waiting: None,
    }));
    (Sender(slot.clone()), Receiver(slot))
}

impl<T> Sender<T> {
    pub fn send(self, value: T) {
        self.0.borrow_mut().value = Some(value);
        // Drop wakes the receiver.
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waiting = {
            let mut slot = self.0.borrow_mut();
            slot.sender_gone = true;
            slot.waiting.take()
        };
        if let Some(w) = waiting {
            w.wake();
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut slot = self.0.borrow_mut();
        if let Some(v) = slot.value.take() {
            return Poll::Ready(Some(v));
        }
        if slot.sender_gone {
            return Poll::Ready(None);
        }
        slot.waiting = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Polls `f` to the end, as a browser's task loop would (every wake is honoured
    /// by polling again).
    fn block_on<T>(f: impl Future<Output = T>) -> T {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        for _ in 0..10_000 {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
        panic!("never finished");
    }

    /// Pending `polls` times, then `value`; counts how many run at once.
    fn job<'a>(
        value: u32,
        polls: u32,
        running: &'a Cell<u32>,
        most: &'a Cell<u32>,
    ) -> LocalFuture<'a, u32> {
        Box::pin(async move {
            running.set(running.get() + 1);
            most.set(most.get().max(running.get()));
            let mut left = polls;
            poll_fn(|_| match left {
                0 => Poll::Ready(()),
                _ => {
                    left -= 1;
                    Poll::Pending
                }
            })
            .await;
            running.set(running.get() - 1);
            value
        })
    }

    #[test]
    fn bounded_runs_at_most_its_limit_and_gives_every_output() {
        let (running, most) = (Cell::new(0), Cell::new(0));
        let jobs = (0..10).map(|i| job(i, (i * 7) % 5, &running, &most));
        let mut outputs = block_on(async {
            let mut b = Bounded::new(jobs, 3);
            let mut out = Vec::new();
            while let Some(v) = b.next().await {
                out.push(v);
            }
            out
        });
        assert_eq!(most.get(), 3);
        outputs.sort();
        assert_eq!(outputs, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn bounded_starts_nothing_once_its_source_stops() {
        let (running, most) = (Cell::new(0), Cell::new(0));
        let stop = Cell::new(false);
        let taken = Cell::new(0);
        let jobs = (0..10)
            .take_while(|_| !stop.get())
            .inspect(|_| taken.set(taken.get() + 1))
            .map(|i| job(i, 1, &running, &most));
        let first = block_on(async {
            let mut b = Bounded::new(jobs, 2);
            let first = b.next().await;
            stop.set(true);
            while b.next().await.is_some() {}
            first
        });
        assert!(first.is_some());
        assert_eq!(taken.get(), 2, "only the first two were started");
    }

    #[test]
    fn join_all_keeps_the_order_given() {
        let (running, most) = (Cell::new(0), Cell::new(0));
        let jobs: Vec<_> = [4, 1, 2]
            .into_iter()
            .map(|p| job(p, p, &running, &most))
            .collect();
        assert_eq!(block_on(join_all(jobs)), vec![4, 1, 2]);
        assert_eq!(most.get(), 3, "all at once");
    }

    #[test]
    fn oneshot_hands_over_a_value_or_says_the_sender_left() {
        let (tx, rx) = oneshot();
        tx.send(5);
        assert_eq!(block_on(rx), Some(5));
        let (tx, rx) = oneshot::<u8>();
        drop(tx);
        assert_eq!(block_on(rx), None);
    }
}
