//! Typed, `Copy` handles to nodes of the graph. Each method is a downcast around a
//! non-generic runtime call, so a new value type costs a few small functions.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::marker::PhantomData;
use std::rc::Rc;

use super::runtime::{self, Id, Kind};

const DISPOSED: &str = "a reactive value read after its owner ended";

fn cell<T: 'static>(value: Option<Rc<dyn Any>>) -> Option<Rc<RefCell<T>>> {
    value.and_then(|v| v.downcast::<RefCell<T>>().ok())
}

fn plain<T: 'static>(value: T) -> Id {
    runtime::create(Kind::Plain, Some(Rc::new(RefCell::new(value))))
}

/// Reading a signal, a memo or a derived signal: tracked (`with`, `get`) or not.
pub trait Read<T>: Copy {
    fn with<U>(self, f: impl FnOnce(&T) -> U) -> U;

    fn with_untracked<U>(self, f: impl FnOnce(&T) -> U) -> U;

    fn get(self) -> T
    where
        T: Clone,
    {
        self.with(T::clone)
    }

    fn get_untracked(self) -> T
    where
        T: Clone,
    {
        self.with_untracked(T::clone)
    }
}

macro_rules! copy_handle {
    ($name:ident) => {
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<T> Copy for $name<T> {}
    };
}

/// A value that can be read (tracked) and written.
pub struct RwSignal<T> {
    id: Id,
    ty: PhantomData<fn() -> T>,
}
copy_handle!(RwSignal);

impl<T: 'static> Read<T> for RwSignal<T> {
    fn with<U>(self, f: impl FnOnce(&T) -> U) -> U {
        f(&cell::<T>(runtime::read(self.id)).expect(DISPOSED).borrow())
    }

    fn with_untracked<U>(self, f: impl FnOnce(&T) -> U) -> U {
        self.try_with_untracked(f).expect(DISPOSED)
    }
}

impl<T: 'static> RwSignal<T> {
    pub fn new(value: T) -> Self {
        RwSignal {
            id: plain(value),
            ty: PhantomData,
        }
    }

    pub fn try_with_untracked<U>(self, f: impl FnOnce(&T) -> U) -> Option<U> {
        cell::<T>(runtime::value(self.id)).map(|c| f(&c.borrow()))
    }

    pub fn try_get_untracked(self) -> Option<T>
    where
        T: Clone,
    {
        self.try_with_untracked(T::clone)
    }

    /// Records the signal as read without reading it.
    pub fn track(self) {
        runtime::track(self.id);
    }

    /// Changes the value in place; `None` (nothing done) once the signal is gone.
    pub fn try_update<U>(self, f: impl FnOnce(&mut T) -> U) -> Option<U> {
        let c = cell::<T>(runtime::value(self.id))?;
        let out = f(&mut c.borrow_mut());
        runtime::notify(self.id);
        Some(out)
    }

    pub fn update(self, f: impl FnOnce(&mut T)) {
        self.try_update(f);
    }

    /// Gives the value back when the signal is gone.
    pub fn try_set(self, value: T) -> Option<T> {
        let Some(c) = cell::<T>(runtime::value(self.id)) else {
            return Some(value);
        };
        let old = c.replace(value);
        runtime::notify(self.id);
        drop(old);
        None
    }

    /// Does nothing once the signal is gone (a late answer for a page left).
    pub fn set(self, value: T) {
        self.try_set(value);
    }
}

/// A value computed from signals, computed again only when one of them changes
/// (and then only when read), and passing the change on only when it differs.
pub struct Memo<T> {
    id: Id,
    ty: PhantomData<fn() -> T>,
}
copy_handle!(Memo);

impl<T: PartialEq + 'static> Memo<T> {
    /// `f` gets the previous value (`None` the first time).
    pub fn new(f: impl Fn(Option<&T>) -> T + 'static) -> Self {
        let value: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
        let held = value.clone();
        let compute = Rc::new(move || {
            let new = f(held.borrow().as_ref());
            let mut slot = held.borrow_mut();
            let changed = slot.as_ref() != Some(&new);
            if changed {
                *slot = Some(new);
            }
            changed
        });
        Memo {
            id: runtime::create(Kind::Memo(compute), Some(value)),
            ty: PhantomData,
        }
    }
}

impl<T: 'static> Read<T> for Memo<T> {
    fn with<U>(self, f: impl FnOnce(&T) -> U) -> U {
        Self::read_with(runtime::read(self.id), f).expect(DISPOSED)
    }

    /// Brought up to date, but not recorded as read.
    fn with_untracked<U>(self, f: impl FnOnce(&T) -> U) -> U {
        runtime::untrack(|| self.with(f))
    }
}

impl<T: 'static> Memo<T> {
    fn read_with<U>(value: Option<Rc<dyn Any>>, f: impl FnOnce(&T) -> U) -> Option<U> {
        let c = cell::<Option<T>>(value)?;
        let v = c.borrow();
        v.as_ref().map(f)
    }

    pub fn try_get_untracked(self) -> Option<T>
    where
        T: Clone,
    {
        runtime::is_alive(self.id).then(|| self.get_untracked())
    }

    pub fn track(self) {
        let _ = runtime::read(self.id);
    }
}

/// Something readable: a signal, a memo, or a closure over them.
pub enum Signal<T> {
    Rw(RwSignal<T>),
    Memo(Memo<T>),
    Derived(StoredValue<Rc<dyn Fn() -> T>>),
}
copy_handle!(Signal);

impl<T: 'static> Read<T> for Signal<T> {
    fn with<U>(self, f: impl FnOnce(&T) -> U) -> U {
        match self {
            Signal::Rw(s) => s.with(f),
            Signal::Memo(m) => m.with(f),
            Signal::Derived(d) => f(&(d.get_value())()),
        }
    }

    fn with_untracked<U>(self, f: impl FnOnce(&T) -> U) -> U {
        runtime::untrack(|| self.with(f))
    }
}

impl<T: 'static> Signal<T> {
    pub fn derive(f: impl Fn() -> T + 'static) -> Self {
        let f: Rc<dyn Fn() -> T> = Rc::new(f);
        Signal::Derived(StoredValue::new(f))
    }

    /// `None` once what it reads is gone.
    pub fn try_get_untracked(self) -> Option<T>
    where
        T: Clone,
    {
        match self {
            Signal::Rw(s) => s.try_get_untracked(),
            Signal::Memo(m) => m.try_get_untracked(),
            Signal::Derived(d) => d.try_get_value().map(|f| runtime::untrack(|| f())),
        }
    }
}

impl<T> From<RwSignal<T>> for Signal<T> {
    fn from(s: RwSignal<T>) -> Self {
        Signal::Rw(s)
    }
}

impl<T> From<Memo<T>> for Signal<T> {
    fn from(m: Memo<T>) -> Self {
        Signal::Memo(m)
    }
}

/// A value kept as long as its owner, not tracked.
pub struct StoredValue<T> {
    id: Id,
    ty: PhantomData<fn() -> T>,
}
copy_handle!(StoredValue);

impl<T: 'static> StoredValue<T> {
    pub fn new(value: T) -> Self {
        StoredValue {
            id: plain(value),
            ty: PhantomData,
        }
    }

    pub fn try_with_value<U>(self, f: impl FnOnce(&T) -> U) -> Option<U> {
        cell::<T>(runtime::value(self.id)).map(|c| f(&c.borrow()))
    }

    pub fn with_value<U>(self, f: impl FnOnce(&T) -> U) -> U {
        self.try_with_value(f).expect(DISPOSED)
    }

    pub fn try_get_value(self) -> Option<T>
    where
        T: Clone,
    {
        self.try_with_value(T::clone)
    }

    pub fn get_value(self) -> T
    where
        T: Clone,
    {
        self.with_value(T::clone)
    }

    /// Does nothing once the value is gone.
    pub fn update_value(self, f: impl FnOnce(&mut T)) {
        if let Some(c) = cell::<T>(runtime::value(self.id)) {
            f(&mut c.borrow_mut());
        }
    }

    pub fn set_value(self, value: T) {
        self.try_set_value(value);
    }

    /// Gives the value back when the stored value is gone.
    pub fn try_set_value(self, value: T) -> Option<T> {
        match cell::<T>(runtime::value(self.id)) {
            Some(c) => {
                c.replace(value);
                None
            }
            None => Some(value),
        }
    }
}

/// A closure to hand to components; `Copy`, kept as long as its owner.
pub struct Callback<A: 'static, R: 'static = ()>(StoredValue<Rc<dyn Fn(A) -> R>>);

impl<A, R> Clone for Callback<A, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A, R> Copy for Callback<A, R> {}

impl<A: 'static, R: 'static> Callback<A, R> {
    pub fn new(f: impl Fn(A) -> R + 'static) -> Self {
        let f: Rc<dyn Fn(A) -> R> = Rc::new(f);
        Callback(StoredValue::new(f))
    }

    pub fn run(self, arg: A) -> R {
        // Cloned out first: the callback may touch other values while it runs.
        (self.0.get_value())(arg)
    }
}

/// A scope that owns what is made in it, and ends it all when dropped.
pub struct Owner(Id);

impl Owner {
    pub fn new() -> Self {
        Owner(runtime::create(Kind::Plain, None))
    }

    pub fn with<R>(&self, f: impl FnOnce() -> R) -> R {
        runtime::with_owner(self.0, f)
    }
}

impl Default for Owner {
    fn default() -> Self {
        Owner::new()
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        runtime::dispose(self.0);
    }
}

/// Whether something is there to own what is made now.
pub fn has_owner() -> bool {
    runtime::current_owner().is_some()
}

/// Makes `value` available to `use_context` below the current owner.
pub fn provide_context<T: 'static>(value: T) {
    runtime::provide_context_value(TypeId::of::<T>(), Rc::new(value));
}

pub fn use_context<T: Clone + 'static>() -> Option<T> {
    runtime::context_value(TypeId::of::<T>()).and_then(|v| v.downcast_ref::<T>().cloned())
}

pub fn expect_context<T: Clone + 'static>() -> T {
    use_context().expect("a context provided by the app")
}

/// Runs `f` now, and again whenever what it read changes, until its owner ends.
pub fn render_effect(f: impl Fn() + 'static) {
    runtime::effect(Rc::new(f), true);
}

/// Like `render_effect`, but the first run waits for the current work to finish.
pub fn effect_after(f: impl Fn() + 'static) {
    runtime::effect(Rc::new(f), false);
}
