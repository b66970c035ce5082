//! Views built as DOM nodes by hand: an element builder whose live parts (text,
//! attributes, properties, regions) are render effects of the reactive core.
//!
//! Why not `view!`: Leptos compiles every view into a typed tree with its own
//! build/rebuild/mount code per call site, which made most of the console's wasm.
//! Here every live part goes through one boxed, non-generic function, so a page
//! costs little more than its own logic. An owner's cleanup stops the effects and
//! removes the event listeners made under it.

use std::cell::RefCell;

use crate::reactive::{has_owner, on_cleanup, render_effect, untrack, Memo, Read, RwSignal};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, EventTarget, Node};

thread_local! {
    static DOCUMENT: Document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
}

pub fn document() -> Document {
    DOCUMENT.with(Document::clone)
}

/// An element being built.
#[must_use]
pub struct El(Element);

/// The elements a region shows: one or several.
pub struct Els(Vec<El>);

impl Els {
    pub fn into_vec(self) -> Vec<El> {
        self.0
    }
}

impl From<El> for Els {
    fn from(e: El) -> Els {
        Els(vec![e])
    }
}

impl From<Vec<El>> for Els {
    fn from(v: Vec<El>) -> Els {
        Els(v)
    }
}

/// A new `<tag>` element.
pub fn el(tag: &str) -> El {
    // The error (a JsValue) is not formatted, which keeps the JS value printer out of
    // the build. Tags here are the console's own literals.
    El(document()
        .create_element(tag)
        .unwrap_or_else(|_| panic!("not a tag name")))
}

/// A `<button type="button">` (a plain button, never a form's submit).
pub fn button() -> El {
    el("button").attr("type", "button")
}

/// A `<label>` for the control with id `for_id`.
pub fn label_for(for_id: &str, text: &str) -> El {
    el("label").attr("for", for_id).text(text)
}

/// An `<option>`.
pub fn option(value: &str, text: &str) -> El {
    el("option").attr("value", value).text(text)
}

/// Runs `f` now, and again whenever a signal it read changes, until the current
/// owner is cleaned up (the page or region it belongs to goes away).
pub fn effect(f: impl Fn() + 'static) {
    effect_boxed(Box::new(f))
}

/// Runs `f` once the current work is done (after the view is in the document),
/// and again whenever a signal it read changes, until the current owner is
/// cleaned up, through one boxed closure for every use.
pub fn effect_after(f: impl Fn() + 'static) {
    effect_after_boxed(Box::new(f))
}

fn effect_after_boxed(f: Box<dyn Fn()>) {
    crate::reactive::effect_after(f);
}

fn effect_boxed(f: Box<dyn Fn()>) {
    // Without an owner nothing would end the effect: it would run for the page's life.
    debug_assert!(has_owner(), "an effect outside any owner");
    render_effect(f);
}

/// Calls `f` on each `event` at `target` until the current owner is cleaned up.
pub fn listen(target: &EventTarget, event: &'static str, f: impl FnMut(Event) + 'static) {
    listen_boxed(target, event, Box::new(f))
}

fn listen_boxed(target: &EventTarget, event: &'static str, f: Box<dyn FnMut(Event)>) {
    debug_assert!(has_owner(), "a listener outside any owner");
    let callback = Closure::wrap(f);
    let _ = target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    if !has_owner() {
        // Nothing would end it: it listens for the page's life (not freed under it).
        callback.forget();
        return;
    }
    let target = target.clone();
    on_cleanup(move || {
        let _ =
            target.remove_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    });
}

impl El {
    /// The element itself, e.g. to focus it later.
    pub fn element(&self) -> Element {
        self.0.clone()
    }

    pub fn into_element(self) -> Element {
        self.0
    }

    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    pub fn class(self, value: &str) -> Self {
        self.attr("class", value)
    }

    pub fn id(self, value: &str) -> Self {
        self.attr("id", value)
    }

    /// A text node (never parsed as HTML).
    pub fn text(self, text: &str) -> Self {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: El) -> Self {
        let _ = self.0.append_child(&child.0);
        self
    }

    pub fn maybe(self, child: Option<El>) -> Self {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    pub fn children(self, children: impl IntoIterator<Item = El>) -> Self {
        children.into_iter().fold(self, El::child)
    }

    /// Text that follows signals.
    pub fn text_dyn(self, f: impl Fn() -> String + 'static) -> Self {
        self.text_dyn_boxed(Box::new(f))
    }

    fn text_dyn_boxed(self, f: Box<dyn Fn() -> String>) -> Self {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        effect(move || node.set_data(&f()));
        self
    }

    /// An attribute that follows signals; absent while `f` gives `None`.
    pub fn attr_dyn(self, name: &'static str, f: impl Fn() -> Option<String> + 'static) -> Self {
        self.attr_dyn_boxed(name, Box::new(f))
    }

    fn attr_dyn_boxed(self, name: &'static str, f: Box<dyn Fn() -> Option<String>>) -> Self {
        let element = self.0.clone();
        effect(move || {
            let _ = match f() {
                Some(v) => element.set_attribute(name, &v),
                None => element.remove_attribute(name),
            };
        });
        self
    }

    /// Disabled while `f` is true (a control whose work is running). Chromium moves
    /// focus to the page when a focused control is disabled; it comes back when
    /// the control is enabled again, or to its rebuilt self (see `LOST_FOCUS`).
    pub fn disabled_while(self, f: impl Fn() -> bool + 'static) -> Self {
        self.disabled_while_boxed(Box::new(f))
    }

    fn disabled_while_boxed(self, f: Box<dyn Fn() -> bool>) -> Self {
        let element = self.0.clone();
        effect(move || {
            if f() {
                remember_focus(&element);
                let _ = element.set_attribute("disabled", "");
            } else {
                let _ = element.remove_attribute("disabled");
                give_back_focus(&element);
            }
        });
        self
    }

    /// A property (`value`, `checked`…) that follows signals.
    pub fn prop_dyn(self, name: &'static str, f: impl Fn() -> JsValue + 'static) -> Self {
        self.prop_dyn_boxed(name, Box::new(f))
    }

    fn prop_dyn_boxed(self, name: &'static str, f: Box<dyn Fn() -> JsValue>) -> Self {
        let element = self.0.clone();
        let name = JsValue::from_str(name);
        effect(move || {
            let value = f();
            // Writing an unchanged `value` would move the caret of a field being typed in.
            if js_sys::Reflect::get(&element, &name).ok().as_ref() != Some(&value) {
                let _ = js_sys::Reflect::set(&element, &name, &value);
            }
        });
        self
    }

    /// A CSS property, set through the CSSOM: a Content-Security-Policy without
    /// 'unsafe-inline' styles allows that, unlike a `style` attribute.
    pub fn style(self, property: &str, value: &str) -> Self {
        set_style(&self.0, property, value);
        self
    }

    /// A CSS property (see `style`) that follows signals.
    pub fn style_dyn(self, property: &'static str, f: impl Fn() -> String + 'static) -> Self {
        self.style_dyn_boxed(property, Box::new(f))
    }

    fn style_dyn_boxed(self, property: &'static str, f: Box<dyn Fn() -> String>) -> Self {
        let element = self.0.clone();
        effect(move || set_style(&element, property, &f()));
        self
    }

    /// A text field (or select, or textarea) that shows and sets `value`.
    pub fn bind_value(self, value: RwSignal<String>) -> Self {
        self.prop_dyn("value", move || JsValue::from_str(&value.get()))
            .on("input", move |ev| value.set(value_of(&ev)))
    }

    /// A checkbox that shows and sets `checked`.
    pub fn bind_checked(self, checked: RwSignal<bool>) -> Self {
        self.prop_dyn("checked", move || JsValue::from_bool(checked.get()))
            .on("change", move |ev| checked.set(checked_of(&ev)))
    }

    pub fn on(self, event: &'static str, f: impl FnMut(Event) + 'static) -> Self {
        listen_boxed(&self.0, event, Box::new(f));
        self
    }

    /// Nodes that follow signals: built again, in place, whenever a signal read
    /// while building them changes. Effects made while building belong to this
    /// region and stop when it is built again.
    pub fn dyn_nodes(self, f: impl Fn() -> Vec<El> + 'static) -> Self {
        self.region(Box::new(f))
    }

    /// One element, or none, that follows signals (see `dyn_nodes`).
    pub fn dyn_child(self, f: impl Fn() -> Option<El> + 'static) -> Self {
        self.region(Box::new(move || f().into_iter().collect()))
    }

    /// `body` (one element or several) while `cond` holds; built again only when
    /// `cond` changes.
    pub fn show<B: Into<Els>>(
        self,
        cond: impl Fn() -> bool + 'static,
        body: impl Fn() -> B + 'static,
    ) -> Self {
        self.show_boxed(Box::new(cond), Box::new(move || body().into().0))
    }

    // Boxed, so every `show` shares one memo and one `untrack` instantiation.
    fn show_boxed(self, cond: Box<dyn Fn() -> bool>, body: Box<dyn Fn() -> Vec<El>>) -> Self {
        let on = Memo::new(move |_| cond());
        // Untracked: what `body` reads while building must not rebuild it.
        self.region(Box::new(move || match on.get() {
            true => untrack(&body),
            false => Vec::new(),
        }))
    }

    fn region(self, f: Box<dyn Fn() -> Vec<El>>) -> Self {
        let end: Node = document().create_comment("").into();
        let _ = self.0.append_child(&end);
        let parent = self.0.clone();
        let shown = RefCell::new(Vec::<Element>::new());
        effect(move || {
            let new: Vec<Element> = f().into_iter().map(El::into_element).collect();
            let focused = focus_key(&shown.borrow());
            for old in shown.borrow().iter() {
                old.remove();
            }
            for node in &new {
                let _ = parent.insert_before(node, Some(&end));
            }
            match focused {
                Some(selector) => {
                    refocus(&new, &selector);
                }
                None => give_back_focus_within(&new),
            }
            *shown.borrow_mut() = new;
        });
        self
    }
}

/// Marks a control so that focus comes back to it when the region holding it is
/// built again (ids do the same), as a view patched in place would keep it.
pub const FOCUS_KEY: &str = "data-focus-key";

/// A selector for the focused element, if it is within `nodes` and has an id or
/// a focus key.
fn focus_key(nodes: &[Element]) -> Option<String> {
    let active = document().active_element()?;
    if !nodes.iter().any(|n| n.contains(Some(&active))) {
        return None;
    }
    let (name, value) = match active.get_attribute(FOCUS_KEY) {
        Some(key) => (FOCUS_KEY, key),
        None => (
            "id",
            active.get_attribute("id").filter(|id| !id.is_empty())?,
        ),
    };
    // Keys and ids are the console's own words, never API text, but quote them anyway.
    Some(format!("[{name}=\"{}\"]", value.replace(['"', '\\'], "")))
}

thread_local! {
    /// The control that had focus when it was disabled for the work it started,
    /// and its selector: the browser moves focus to the page then, and it comes
    /// back when the control (or its rebuilt self) shows the outcome.
    static LOST_FOCUS: RefCell<Option<(Element, Option<String>)>> = const { RefCell::new(None) };
}

fn nothing_focused() -> bool {
    let doc = document();
    match doc.active_element() {
        None => true,
        Some(e) => doc.body().is_some_and(|b| *b == e),
    }
}

fn remember_focus(element: &Element) {
    if document().active_element().as_ref() == Some(element) {
        let selector = focus_key(std::slice::from_ref(element));
        LOST_FOCUS.with(|l| *l.borrow_mut() = Some((element.clone(), selector)));
    }
}

fn give_back_focus(element: &Element) {
    let lost = LOST_FOCUS.with(|l| l.borrow_mut().take_if(|(e, _)| e == element));
    if lost.is_some() && nothing_focused() && element.is_connected() {
        if let Some(e) = element.dyn_ref::<web_sys::HtmlElement>() {
            let _ = e.focus();
        }
    }
}

fn give_back_focus_within(nodes: &[Element]) {
    let Some(selector) = LOST_FOCUS.with(|l| l.borrow().as_ref().and_then(|(_, s)| s.clone()))
    else {
        return;
    };
    if nothing_focused() && refocus(nodes, &selector) {
        LOST_FOCUS.with(|l| *l.borrow_mut() = None);
    }
}

/// Focuses the element `selector` names within `nodes`; whether there was one.
fn refocus(nodes: &[Element], selector: &str) -> bool {
    let found = nodes.iter().find_map(|n| {
        if n.matches(selector).unwrap_or(false) {
            Some(n.clone())
        } else {
            n.query_selector(selector).ok().flatten()
        }
    });
    match found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(e) => e.focus().is_ok(),
        None => false,
    }
}

fn set_style(element: &Element, property: &str, value: &str) {
    if let Some(e) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = e.style().set_property(property, value);
    }
}

/// A text input's (or select's, or textarea's) value.
pub fn value_of(ev: &Event) -> String {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// A checkbox's state.
pub fn checked_of(ev: &Event) -> bool {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("checked")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
