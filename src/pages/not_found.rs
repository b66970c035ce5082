use crate::dom::{el, El};
use crate::links;

pub fn not_found_page() -> El {
    el("section")
        .class("empty")
        .child(el("h1").text("Page not found"))
        .child(el("p").text("This address is not a page of the console."))
        .child(
            el("p").child(
                el("a")
                    .attr("href", &links::href(links::RUNNERS))
                    .text("Go to the runners"),
            ),
        )
}
