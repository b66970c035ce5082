//! The reactive graph: one arena of nodes (signals, memos, effects, owners, stored
//! values), the edges between what was read and who read it, and the queue of
//! effects to run again.
//!
//! Everything here is non-generic: a value sits in its node as `Rc<dyn Any>`, and
//! the typed handles (`handles.rs`) only downcast it. That is the point of the module:
//! a reactive core whose code is compiled once, not once per value type.
//!
//! Updates are push-pull: a write marks direct readers dirty and their readers
//! "check"; memos recompute when read, and only a memo whose value changed makes its
//! readers run. Effects run in a batch after the current work (a microtask in the
//! browser), so several writes in one event handler cause one update.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// A node of the graph. Stale after the node is disposed: the slot's generation moves on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Id {
    index: u32,
    gen: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum State {
    Clean,
    /// A source further up may have changed: see whether a memo it reads did.
    Check,
    Dirty,
}

#[derive(Clone)]
pub enum Kind {
    /// A signal, a stored value or an owner: runs nothing.
    Plain,
    /// Recomputes its value; says whether it changed.
    Memo(Rc<dyn Fn() -> bool>),
    Effect(Rc<dyn Fn()>),
}

struct Node {
    gen: u32,
    alive: bool,
    kind: Kind,
    value: Option<Rc<dyn Any>>,
    state: State,
    sources: Vec<Id>,
    subscribers: Vec<Id>,
    parent: Option<Id>,
    children: Vec<Id>,
    cleanups: Vec<Box<dyn FnOnce()>>,
    contexts: Vec<(TypeId, Rc<dyn Any>)>,
}

#[derive(Default)]
struct Runtime {
    nodes: Vec<Node>,
    free: Vec<u32>,
    /// Who is reading now (a memo or effect running), to record as a subscriber.
    observer: Option<Id>,
    /// Who owns what is made now: new nodes become its children.
    owner: Option<Id>,
    queue: VecDeque<Id>,
    flush_scheduled: bool,
    flushing: bool,
}

thread_local! {
    static RUNTIME: RefCell<Runtime> = RefCell::new(Runtime::default());
}

/// In the browser a batch runs in a microtask: after the event handler or task that
/// wrote, before the page is painted.
#[cfg(target_arch = "wasm32")]
fn scheduler() -> Option<fn()> {
    Some(|| wasm_bindgen_futures::spawn_local(async { flush() }))
}

/// Natively (tests) nothing runs a batch by itself: tests call `flush`.
#[cfg(not(target_arch = "wasm32"))]
fn scheduler() -> Option<fn()> {
    None
}

fn with<R>(f: impl FnOnce(&mut Runtime) -> R) -> R {
    RUNTIME.with(|rt| f(&mut rt.borrow_mut()))
}

impl Runtime {
    fn node(&self, id: Id) -> Option<&Node> {
        self.nodes
            .get(id.index as usize)
            .filter(|n| n.alive && n.gen == id.gen)
    }

    fn node_mut(&mut self, id: Id) -> Option<&mut Node> {
        self.nodes
            .get_mut(id.index as usize)
            .filter(|n| n.alive && n.gen == id.gen)
    }

    /// Marks `id` at least `state`; effects reached are queued.
    fn mark(&mut self, id: Id, state: State) {
        let Some(node) = self.node_mut(id) else {
            return;
        };
        if node.state >= state {
            return;
        }
        let was_clean = node.state == State::Clean;
        node.state = state;
        if !was_clean {
            return;
        }
        match node.kind {
            Kind::Effect(_) => self.queue.push_back(id),
            Kind::Memo(_) => {
                for sub in node.subscribers.clone() {
                    self.mark(sub, State::Check);
                }
            }
            Kind::Plain => {}
        }
    }

    fn schedule(&mut self) -> Option<fn()> {
        if self.flush_scheduled || self.flushing || self.queue.is_empty() {
            return None;
        }
        self.flush_scheduled = true;
        scheduler()
    }
}

pub fn create(kind: Kind, value: Option<Rc<dyn Any>>) -> Id {
    with(|rt| {
        let parent = rt.owner;
        let state = match kind {
            Kind::Plain => State::Clean,
            _ => State::Dirty,
        };
        let fresh = |gen| Node {
            gen,
            alive: true,
            kind,
            value,
            state,
            sources: Vec::new(),
            subscribers: Vec::new(),
            parent,
            children: Vec::new(),
            cleanups: Vec::new(),
            contexts: Vec::new(),
        };
        let id = match rt.free.pop() {
            Some(index) => {
                let slot = &mut rt.nodes[index as usize];
                *slot = fresh(slot.gen);
                Id {
                    index,
                    gen: slot.gen,
                }
            }
            None => {
                rt.nodes.push(fresh(0));
                Id {
                    index: rt.nodes.len() as u32 - 1,
                    gen: 0,
                }
            }
        };
        if let Some(p) = parent.and_then(|p| rt.node_mut(p)) {
            p.children.push(id);
        }
        id
    })
}

pub fn is_alive(id: Id) -> bool {
    with(|rt| rt.node(id).is_some())
}

/// The node's value, untracked; `None` once it is disposed.
pub fn value(id: Id) -> Option<Rc<dyn Any>> {
    with(|rt| rt.node(id).and_then(|n| n.value.clone()))
}

/// The node's value, recorded as read by the running memo or effect; a memo is
/// brought up to date first.
pub fn read(id: Id) -> Option<Rc<dyn Any>> {
    update_if_needed(id);
    track(id);
    value(id)
}

/// Records `id` as read by the running memo or effect.
pub fn track(id: Id) {
    with(|rt| {
        let Some(observer) = rt.observer else {
            return;
        };
        if rt.node(id).is_none() {
            return;
        }
        let Some(o) = rt.node_mut(observer) else {
            return;
        };
        if o.sources.contains(&id) {
            return;
        }
        o.sources.push(id);
        if let Some(n) = rt.node_mut(id) {
            n.subscribers.push(observer);
        }
    })
}

/// After a write to `id`: its readers run again (effects in the next batch).
pub fn notify(id: Id) {
    let schedule = with(|rt| {
        for sub in rt.node(id)?.subscribers.clone() {
            rt.mark(sub, State::Dirty);
        }
        rt.schedule()
    });
    if let Some(schedule) = schedule {
        schedule();
    }
}

/// Brings a memo or effect up to date: runs it if a source changed.
fn update_if_needed(id: Id) {
    let Some((state, sources)) = with(|rt| {
        rt.node(id).and_then(|n| match n.kind {
            Kind::Plain => None,
            _ if n.state == State::Clean => None,
            _ => Some((n.state, n.sources.clone())),
        })
    }) else {
        return;
    };
    if state == State::Check {
        for source in sources {
            update_if_needed(source);
            if with(|rt| rt.node(id).map(|n| n.state)) == Some(State::Dirty) {
                break;
            }
        }
    }
    let state = with(|rt| {
        let n = rt.node_mut(id)?;
        let state = n.state;
        n.state = State::Clean;
        Some(state)
    });
    if state == Some(State::Dirty) {
        run(id);
    }
}

/// Runs a memo's or effect's closure as the observer and owner of what it makes,
/// after disposing what its last run made.
fn run(id: Id) {
    let Some(kind) = with(|rt| rt.node(id).map(|n| n.kind.clone())) else {
        return;
    };
    clear(id);
    let before = with(|rt| {
        let before = (rt.observer, rt.owner);
        rt.observer = Some(id);
        rt.owner = Some(id);
        before
    });
    let changed = match &kind {
        Kind::Memo(compute) => compute(),
        Kind::Effect(f) => {
            f();
            false
        }
        Kind::Plain => false,
    };
    with(|rt| (rt.observer, rt.owner) = before);
    if changed {
        notify(id);
    }
}

/// Runs a node's cleanups, disposes its children and forgets what it read.
fn clear(id: Id) {
    let Some((children, cleanups, contexts)) = with(|rt| {
        let n = rt.node_mut(id)?;
        let children = std::mem::take(&mut n.children);
        let cleanups = std::mem::take(&mut n.cleanups);
        let contexts = std::mem::take(&mut n.contexts);
        let sources = std::mem::take(&mut n.sources);
        for s in sources {
            if let Some(s) = rt.node_mut(s) {
                s.subscribers.retain(|sub| *sub != id);
            }
        }
        Some((children, cleanups, contexts))
    }) else {
        return;
    };
    // Untracked: what a cleanup reads must not become a source of whoever is
    // running now (an effect pulling a memo that re-runs, say).
    untrack(|| {
        // Cleanups first, while what they may read is still there.
        for cleanup in cleanups {
            cleanup();
        }
        for child in children.into_iter().rev() {
            dispose(child);
        }
    });
    // Dropped with the runtime free (a value's drop may touch the runtime).
    drop(contexts);
}

/// Ends a node: its children, its cleanups, its edges; its value is dropped.
pub fn dispose(id: Id) {
    if !is_alive(id) {
        return;
    }
    clear(id);
    let gone = with(|rt| {
        let parent = rt.node(id)?.parent;
        if let Some(p) = parent.and_then(|p| rt.node_mut(p)) {
            p.children.retain(|c| *c != id);
        }
        let n = rt.node_mut(id)?;
        n.alive = false;
        n.gen = n.gen.wrapping_add(1);
        let subscribers = std::mem::take(&mut n.subscribers);
        let gone = (n.value.take(), std::mem::replace(&mut n.kind, Kind::Plain));
        for sub in subscribers {
            if let Some(s) = rt.node_mut(sub) {
                s.sources.retain(|src| *src != id);
            }
        }
        rt.free.push(id.index);
        Some(gone)
    });
    // Dropped here, with the runtime free: a value's drop may touch other nodes.
    drop(gone);
}

/// Runs `f` now and again whenever what it read changes (`now`), or first in the
/// next batch, after the current work; it ends with its owner.
pub fn effect(f: Rc<dyn Fn()>, now: bool) -> Id {
    let id = create(Kind::Effect(f), None);
    if now {
        update_if_needed(id);
    } else {
        let schedule = with(|rt| {
            rt.queue.push_back(id);
            rt.schedule()
        });
        if let Some(schedule) = schedule {
            schedule();
        }
    }
    id
}

/// Runs the effects queued by writes since the last batch.
pub fn flush() {
    let started = with(|rt| {
        rt.flush_scheduled = false;
        !std::mem::replace(&mut rt.flushing, true)
    });
    if !started {
        return;
    }
    while let Some(id) = with(|rt| rt.queue.pop_front()) {
        // Owners first: a region about to rebuild (and so end this effect) runs
        // before it, so an effect never runs against state its owner has left.
        for ancestor in stale_ancestors(id) {
            update_if_needed(ancestor);
        }
        update_if_needed(id);
    }
    with(|rt| rt.flushing = false);
}

/// The memos and effects above `id` that are due to run, outermost first.
fn stale_ancestors(id: Id) -> Vec<Id> {
    with(|rt| {
        let mut stale = Vec::new();
        let mut at = rt.node(id).and_then(|n| n.parent);
        while let Some(a) = at {
            let Some(n) = rt.node(a) else { break };
            if !matches!(n.kind, Kind::Plain) && n.state != State::Clean {
                stale.push(a);
            }
            at = n.parent;
        }
        stale.reverse();
        stale
    })
}

/// Runs `f` with nothing recorded as read.
pub fn untrack<R>(f: impl FnOnce() -> R) -> R {
    let before = with(|rt| rt.observer.take());
    let out = f();
    with(|rt| rt.observer = before);
    out
}

/// Runs `f` with `owner` owning what it makes (and not tracking).
pub fn with_owner<R>(owner: Id, f: impl FnOnce() -> R) -> R {
    let before = with(|rt| {
        let before = (rt.observer, rt.owner);
        rt.observer = None;
        rt.owner = Some(owner);
        before
    });
    let out = f();
    with(|rt| (rt.observer, rt.owner) = before);
    out
}

pub fn current_owner() -> Option<Id> {
    with(|rt| rt.owner.filter(|o| rt.node(*o).is_some()))
}

/// Runs `f` when the current owner is disposed, or its memo or effect runs again.
/// Without an owner `f` never runs (nothing ends).
pub fn on_cleanup(f: impl FnOnce() + 'static) {
    let f: Box<dyn FnOnce()> = Box::new(f);
    let unowned = with(|rt| match rt.owner.and_then(|o| rt.node_mut(o)) {
        Some(n) => {
            n.cleanups.push(f);
            None
        }
        None => Some(f),
    });
    // Dropped with the runtime free.
    drop(unowned);
}

pub fn provide_context_value(ty: TypeId, value: Rc<dyn Any>) {
    let dropped = with(|rt| match rt.owner.and_then(|o| rt.node_mut(o)) {
        Some(n) => {
            let old = n.contexts.iter().position(|(t, _)| *t == ty);
            let old = old.map(|i| n.contexts.remove(i).1);
            n.contexts.push((ty, value));
            old
        }
        None => Some(value),
    });
    // Dropped with the runtime free.
    drop(dropped);
}

/// The nearest value of type `ty` provided by the current owner or one above it.
pub fn context_value(ty: TypeId) -> Option<Rc<dyn Any>> {
    with(|rt| {
        let mut at = rt.owner;
        while let Some(n) = at.and_then(|id| rt.node(id)) {
            if let Some((_, v)) = n.contexts.iter().find(|(t, _)| *t == ty) {
                return Some(v.clone());
            }
            at = n.parent;
        }
        None
    })
}

/// Nodes alive, for tests that check nothing leaks.
#[cfg(test)]
pub fn alive_count() -> usize {
    with(|rt| rt.nodes.iter().filter(|n| n.alive).count())
}
