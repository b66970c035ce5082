//! A horizontal bar chart drawn as SVG: each bar has its words and number
//! written beside it, so it reads without colour; the page puts the same
//! numbers in a table for screen readers and copying.

use leptos::prelude::*;

/// One bar: its label, its length (any unit) and the number written for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

#[component]
pub fn BarChart(
    /// Said to assistive technology; "the numbers are in the table below" is added.
    title: String,
    bars: Vec<Bar>,
) -> impl IntoView {
    const ROW: f64 = 28.0;
    const LABEL: f64 = 300.0;
    const WIDTH: f64 = 300.0;
    let height = ROW * bars.len().max(1) as f64;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let title_id = format!("chart-{}", crate::components::confirm_dialog::next_id());
    let labelled_by = title_id.clone();
    view! {
        <svg class="bar-chart" role="img" aria-labelledby=labelled_by viewBox=format!("0 0 {} {height}", LABEL + WIDTH) width="100%" height=height.to_string()>
            <title id=title_id>{format!("{title}; the numbers are in the table below")}</title>
            {bars.into_iter().enumerate().map(|(i, b)| {
                let y = i as f64 * ROW;
                let width = if max > 0.0 { b.value / max * WIDTH } else { 0.0 };
                view! {
                    <g class="bar">
                        <text x="0" y=(y + 18.0).to_string()>{format!("{} {}", b.label, b.text)}</text>
                        <rect x=LABEL.to_string() y=(y + 6.0).to_string() height="16" width=format!("{width:.1}")></rect>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
