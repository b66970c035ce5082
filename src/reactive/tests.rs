//! The reactive core's rules, checked natively (batches run by calling `flush`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::runtime::alive_count;
use super::*;

fn counter() -> (Rc<Cell<u32>>, impl Fn() -> u32) {
    let runs = Rc::new(Cell::new(0));
    let seen = runs.clone();
    (runs, move || seen.get())
}

#[test]
fn an_effect_runs_once_per_batch_of_writes() {
    let owner = Owner::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let a = owner.with(|| {
        let a = RwSignal::new(1);
        let b = RwSignal::new(10);
        let log = seen.clone();
        render_effect(move || log.borrow_mut().push(a.get() + b.get()));
        a.set(2);
        b.set(20);
        a
    });
    assert_eq!(
        *seen.borrow(),
        vec![11],
        "runs at once, then waits for the batch"
    );
    flush();
    assert_eq!(*seen.borrow(), vec![11, 22], "two writes, one run");
    a.update(|v| *v += 1);
    flush();
    assert_eq!(*seen.borrow(), vec![11, 22, 23]);
}

#[test]
fn a_memo_passes_a_change_on_only_when_its_value_differs() {
    let owner = Owner::new();
    let (runs, count) = counter();
    let n = owner.with(|| {
        let n = RwSignal::new(3);
        let even = Memo::new(move |_| n.get() % 2 == 0);
        render_effect(move || {
            even.track();
            runs.set(runs.get() + 1);
        });
        n
    });
    assert_eq!(count(), 1);
    n.set(5);
    flush();
    assert_eq!(count(), 1, "still odd: the effect does not run");
    n.set(6);
    flush();
    assert_eq!(count(), 2);
}

#[test]
fn a_memo_is_computed_when_read_and_is_current_before_the_batch_runs() {
    let owner = Owner::new();
    let (runs, count) = counter();
    let (n, double) = owner.with(|| {
        let n = RwSignal::new(1);
        let double = Memo::new(move |_| {
            runs.set(runs.get() + 1);
            n.get() * 2
        });
        (n, double)
    });
    assert_eq!(count(), 0, "not computed before it is read");
    assert_eq!(double.get_untracked(), 2);
    n.set(4);
    assert_eq!(
        double.get_untracked(),
        8,
        "read after a write sees the write"
    );
    assert_eq!(double.get_untracked(), 8);
    assert_eq!(count(), 2, "computed once per change");
}

#[test]
fn a_memo_gets_its_previous_value() {
    let owner = Owner::new();
    let (n, total) = owner.with(|| {
        let n = RwSignal::new(1);
        let total = Memo::new(move |prev: Option<&i32>| prev.copied().unwrap_or(0) + n.get());
        (n, total)
    });
    assert_eq!(total.get_untracked(), 1);
    n.set(2);
    assert_eq!(total.get_untracked(), 3);
}

#[test]
fn a_diamond_updates_its_effect_once_with_both_sides_current() {
    let owner = Owner::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let n = owner.with(|| {
        let n = RwSignal::new(1);
        let plus = Memo::new(move |_| n.get() + 1);
        let times = Memo::new(move |_| n.get() * 10);
        let log = seen.clone();
        render_effect(move || log.borrow_mut().push((plus.get(), times.get())));
        n
    });
    n.set(2);
    flush();
    assert_eq!(*seen.borrow(), vec![(2, 10), (3, 20)]);
}

#[test]
fn an_effect_ends_what_its_last_run_made_before_running_again() {
    let owner = Owner::new();
    let cleaned = Rc::new(Cell::new(0));
    let (inner_runs, inner_count) = counter();
    let (outer, inner_signal) = owner.with(|| {
        let outer = RwSignal::new(0);
        let inner_signal = RwSignal::new(0);
        let cleaned = cleaned.clone();
        render_effect(move || {
            outer.track();
            let cleaned = cleaned.clone();
            on_cleanup(move || cleaned.set(cleaned.get() + 1));
            let runs = inner_runs.clone();
            render_effect(move || {
                inner_signal.track();
                runs.set(runs.get() + 1);
            });
        });
        (outer, inner_signal)
    });
    assert_eq!(inner_count(), 1);
    outer.set(1);
    flush();
    assert_eq!(cleaned.get(), 1, "the first run's cleanup ran");
    assert_eq!(inner_count(), 2, "a new inner effect was made");
    inner_signal.set(1);
    flush();
    assert_eq!(
        inner_count(),
        3,
        "only the newest inner effect is left to run"
    );
}

#[test]
fn dropping_an_owner_ends_everything_made_under_it() {
    let before = alive_count();
    let cleaned = Rc::new(Cell::new(false));
    let (runs, count) = counter();
    let owner = Owner::new();
    let (signal, stored) = owner.with(|| {
        let signal = RwSignal::new(String::from("a"));
        let memo = Memo::new(move |_| signal.get().len());
        let cleaned = cleaned.clone();
        on_cleanup(move || cleaned.set(true));
        render_effect(move || {
            memo.track();
            runs.set(runs.get() + 1);
        });
        (signal, StoredValue::new(5))
    });
    drop(owner);
    assert!(cleaned.get());
    assert_eq!(alive_count(), before, "no node is left");
    assert_eq!(signal.try_get_untracked(), None);
    assert_eq!(
        signal.try_set("b".into()),
        Some("b".into()),
        "a late write is handed back"
    );
    signal.set("c".into());
    assert_eq!(stored.try_get_value(), None);
    flush();
    assert_eq!(count(), 1, "the ended effect never runs again");
}

#[test]
fn context_is_found_through_the_owners_above() {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(7u32);
        assert_eq!(use_context::<u32>(), Some(7));
        assert_eq!(use_context::<String>(), None);
        let inner = Owner::new();
        inner.with(|| {
            assert_eq!(expect_context::<u32>(), 7);
            provide_context(8u32);
            assert_eq!(use_context::<u32>(), Some(8), "the nearest wins");
        });
        assert_eq!(use_context::<u32>(), Some(7));
    });
}

#[test]
fn what_is_read_untracked_does_not_run_the_effect_again() {
    let owner = Owner::new();
    let (runs, count) = counter();
    let (tracked, untracked_signal) = owner.with(|| {
        let tracked = RwSignal::new(0);
        let other = RwSignal::new(0);
        render_effect(move || {
            tracked.track();
            untrack(|| other.get());
            let _ = other.get_untracked();
            runs.set(runs.get() + 1);
        });
        (tracked, other)
    });
    untracked_signal.set(1);
    flush();
    assert_eq!(count(), 1);
    tracked.set(1);
    flush();
    assert_eq!(count(), 2);
}

#[test]
fn effect_after_first_runs_in_the_batch() {
    let owner = Owner::new();
    let (runs, count) = counter();
    owner.with(|| effect_after(move || runs.set(runs.get() + 1)));
    assert_eq!(count(), 0, "not during the current work");
    flush();
    assert_eq!(count(), 1);
}

#[test]
fn a_write_from_an_effect_runs_its_readers_in_the_same_batch() {
    let owner = Owner::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let source = owner.with(|| {
        let source = RwSignal::new(1);
        let copy = RwSignal::new(0);
        render_effect(move || copy.set(source.get() * 100));
        let log = seen.clone();
        render_effect(move || log.borrow_mut().push(copy.get()));
        source
    });
    source.set(2);
    flush();
    assert_eq!(*seen.borrow(), vec![100, 200]);
}

#[test]
fn signals_callbacks_and_derived_signals_read_alike() {
    let owner = Owner::new();
    owner.with(|| {
        let n = RwSignal::new(2);
        let memo = Memo::new(move |_| n.get() + 1);
        let derived = Signal::derive(move || n.get() * 3);
        let all: [Signal<i32>; 3] = [n.into(), memo.into(), derived];
        assert_eq!(all.map(Signal::get_untracked), [2, 3, 6]);
        let add = Callback::new(move |k: i32| n.get_untracked() + k);
        assert_eq!(add.run(5), 7);
    });
}

#[test]
fn a_cleanup_can_still_read_what_its_owner_made() {
    let seen = Rc::new(Cell::new(0));
    let owner = Owner::new();
    owner.with(|| {
        let kept = StoredValue::new(3);
        let signal = RwSignal::new(4);
        let seen = seen.clone();
        on_cleanup(move || seen.set(kept.get_value() + signal.get_untracked()));
    });
    drop(owner);
    assert_eq!(seen.get(), 7);
}

#[test]
fn an_owner_due_to_run_runs_before_the_effects_it_would_end() {
    let owner = Owner::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = owner.with(|| {
        let a = RwSignal::new(Some(1));
        let b = RwSignal::new(0);
        let log = seen.clone();
        // Like a `show`: the inner effect exists only while `a` holds a value.
        render_effect(move || {
            if a.with(Option::is_some) {
                let log = log.clone();
                render_effect(move || {
                    let value = a.get().expect("only built while `a` holds a value");
                    log.borrow_mut().push(value + b.get());
                });
            }
        });
        (a, b)
    });
    // The inner effect is queued first (it reads `b`), its owner second.
    b.set(10);
    a.set(None);
    flush();
    assert_eq!(
        *seen.borrow(),
        vec![1],
        "the inner effect ended before it ran"
    );
}

#[test]
fn what_a_cleanup_reads_is_not_a_source_of_the_running_effect() {
    let owner = Owner::new();
    let (runs, count) = counter();
    let (n, other) = owner.with(|| {
        let n = RwSignal::new(0);
        let other = RwSignal::new(0);
        let memo = Memo::new(move |_| {
            on_cleanup(move || {
                let _ = other.get();
            });
            n.get()
        });
        // Reads `n` itself first, so it is running (the observer) when the memo
        // recomputes and its last cleanup runs.
        render_effect(move || {
            n.track();
            memo.track();
            runs.set(runs.get() + 1);
        });
        (n, other)
    });
    n.set(1);
    flush();
    assert_eq!(count(), 2);
    other.set(1);
    flush();
    assert_eq!(count(), 2, "`other` was read only by a cleanup");
}
