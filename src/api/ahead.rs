//! Loading every page of a list, a few requests in flight. When GitLab counts
//! the pages (`X-Total-Pages`) they are asked for up to the last. Above 10,000 records
//! GitLab sends no `X-Total` / `X-Total-Pages`, so the pages cannot be planned;
//! following `X-Next-Page` one at a time would take a round trip per page.
//! Instead the next pages are asked for ahead, up to `depth` in flight, until
//! the end is known: the first page that is empty, or that says no page follows.
//! Pages answered past the end are dropped, so at most one set of `depth`
//! answers is ever fetched in vain. How many are in flight depends on the
//! protocol: browsers open 6 connections per host over HTTP/1.1, while HTTP/2
//! and HTTP/3 carry many requests on one. A rate-limited page (429) halves it
//! and is asked again. Sans-IO: the loader asks which pages to request and
//! reports each answer.

/// Pages in flight over HTTP/1.1: the browser's 6 connections per host.
pub const HTTP1_DEPTH: usize = 6;
/// Pages in flight over HTTP/2 or HTTP/3, chosen by the bench (bench/RESULTS.md
/// measures 12, 16 and 24 on one sandbox).
pub const MULTIPLEXED_DEPTH: usize = 16;

/// How many pages to keep in flight for an API answering over `protocol`
/// (Resource Timing's `nextHopProtocol`; `None` or empty when the browser does
/// not say, as for another origin without `Timing-Allow-Origin`: then the safe 6).
pub fn depth_for(protocol: Option<&str>) -> usize {
    match protocol {
        Some("h2" | "h3") => MULTIPLEXED_DEPTH,
        _ => HTTP1_DEPTH,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadAhead {
    depth: usize,
    /// The next page number to ask for.
    next: u32,
    in_flight: usize,
    /// The last page with records, once an answer (or GitLab's count) has shown it.
    end: Option<u32>,
    /// Pages to ask for again (rate-limited), before any new one.
    again: Vec<u32>,
}

impl ReadAhead {
    /// After page 1 came back: `more` when it had records and did not say it
    /// was the last.
    pub fn after_first(more: bool, depth: usize) -> ReadAhead {
        ReadAhead {
            depth: depth.max(1),
            next: 2,
            in_flight: 0,
            end: (!more).then_some(1),
            again: vec![],
        }
    }

    /// After page 1, when GitLab counted `last` pages.
    pub fn planned(last: u32, depth: usize) -> ReadAhead {
        ReadAhead {
            end: Some(last.max(1)),
            ..ReadAhead::after_first(true, depth)
        }
    }

    /// The pages to request now; they count as in flight until answered.
    pub fn to_ask(&mut self) -> Vec<u32> {
        let mut pages = vec![];
        while self.in_flight < self.depth && !self.again.is_empty() {
            pages.push(self.again.remove(0));
            self.in_flight += 1;
        }
        while self.in_flight < self.depth && self.end.is_none_or(|end| self.next <= end) {
            pages.push(self.next);
            self.next += 1;
            self.in_flight += 1;
        }
        pages
    }

    /// Page `page` came back with `records` records; `has_next` is whether it
    /// says another page follows. Whether to keep its records.
    pub fn answered(&mut self, page: u32, records: usize, has_next: bool) -> bool {
        self.in_flight = self.in_flight.saturating_sub(1);
        if self.end.is_some_and(|end| page > end) {
            return false;
        }
        let last = if records == 0 {
            page - 1
        } else if has_next {
            return true;
        } else {
            page
        };
        self.end = Some(self.end.map_or(last, |end| end.min(last)));
        records > 0
    }

    /// GitLab asked to slow down (429): fewer in flight from now on.
    pub fn slow_down(&mut self) {
        self.depth = (self.depth / 2).max(1);
    }

    /// Page `page` was refused for now (rate limit): asked again later, slower.
    pub fn refused(&mut self, page: u32) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.again.push(page);
        self.slow_down();
    }

    /// Every page up to the end is in, and nothing is in flight.
    pub fn done(&self) -> bool {
        self.in_flight == 0 && self.again.is_empty() && self.end.is_some_and(|end| self.next > end)
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    pub fn depth(&self) -> usize {
        self.depth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the plan against a list of `pages` full pages, answering in the
    /// order `pick` chooses among those in flight; returns the pages kept and
    /// the pages asked for.
    fn run(pages: u32, depth: usize, pick: impl Fn(&[u32]) -> usize) -> (Vec<u32>, Vec<u32>) {
        let mut plan = ReadAhead::after_first(pages > 1, depth);
        let (mut kept, mut asked, mut flying) = (vec![1], vec![], vec![]);
        while !plan.done() {
            let new = plan.to_ask();
            asked.extend(&new);
            flying.extend(new);
            assert!(flying.len() <= depth, "never more than {depth} in flight");
            let p = flying.remove(pick(&flying));
            // GitLab's answer: full pages up to `pages`, then empty ones.
            let records = if p <= pages { 100 } else { 0 };
            if plan.answered(p, records, p < pages) {
                kept.push(p);
            }
        }
        kept.sort_unstable();
        (kept, asked)
    }

    #[test]
    fn keeps_every_page_once_in_any_answer_order() {
        for pick in [
            (|_: &[u32]| 0) as fn(&[u32]) -> usize,
            |f: &[u32]| f.len() - 1,
            |f: &[u32]| f.len() / 2,
        ] {
            let (kept, asked) = run(1000, 6, pick);
            assert_eq!(kept, (1..=1000).collect::<Vec<_>>());
            // Up to one set of six asked past the end, never more.
            assert!(asked.len() <= 999 + 6, "{}", asked.len());
            let mut unique = asked.clone();
            unique.dedup();
            assert_eq!(unique.len(), asked.len(), "no page asked twice");
        }
    }

    #[test]
    fn one_page_asks_for_nothing_more() {
        let mut plan = ReadAhead::after_first(false, 6);
        assert!(plan.to_ask().is_empty());
        assert!(plan.done());
    }

    #[test]
    fn six_are_asked_at_once_and_the_next_as_each_comes_back() {
        let mut plan = ReadAhead::after_first(true, 6);
        assert_eq!(plan.to_ask(), vec![2, 3, 4, 5, 6, 7]);
        assert!(plan.to_ask().is_empty());
        assert!(plan.answered(3, 100, true));
        assert_eq!(plan.to_ask(), vec![8]);
        assert_eq!(plan.in_flight(), 6);
    }

    #[test]
    fn an_empty_page_ends_the_list_and_later_answers_are_dropped() {
        // No X-Next-Page at all (a proxy stripped it): only an empty page ends it.
        let mut plan = ReadAhead::after_first(true, 3);
        assert_eq!(plan.to_ask(), vec![2, 3, 4]);
        assert!(!plan.answered(3, 0, false));
        assert!(plan.to_ask().is_empty(), "nothing past the end");
        assert!(!plan.answered(4, 0, false));
        assert!(!plan.done(), "page 2 is still on its way");
        assert!(plan.answered(2, 40, false));
        assert!(plan.done());
    }

    #[test]
    fn a_page_that_says_it_is_the_last_ends_the_list() {
        let mut plan = ReadAhead::after_first(true, 4);
        assert_eq!(plan.to_ask(), vec![2, 3, 4, 5]);
        assert!(plan.answered(2, 100, true));
        assert!(plan.answered(3, 57, false));
        assert!(plan.to_ask().is_empty());
        // Pages asked ahead of the end come back empty and are not kept.
        assert!(!plan.answered(5, 0, false));
        assert!(!plan.done());
        assert!(!plan.answered(4, 0, false));
        assert!(plan.done());
    }

    #[test]
    fn counted_pages_are_asked_up_to_the_last_and_no_further() {
        let mut plan = ReadAhead::planned(4, 6);
        assert_eq!(plan.to_ask(), vec![2, 3, 4]);
        for p in [4, 2, 3] {
            assert!(plan.answered(p, 100, p < 4));
        }
        assert!(plan.done());
        assert!(ReadAhead::planned(1, 6).done());
    }

    #[test]
    fn the_protocol_sets_how_many_are_in_flight() {
        assert_eq!(depth_for(Some("http/1.1")), 6);
        assert_eq!(depth_for(Some("h2")), MULTIPLEXED_DEPTH);
        assert_eq!(depth_for(Some("h3")), MULTIPLEXED_DEPTH);
        // Cross-origin without Timing-Allow-Origin the browser says nothing.
        assert_eq!(depth_for(Some("")), 6);
        assert_eq!(depth_for(None), 6);
        const { assert!(MULTIPLEXED_DEPTH > HTTP1_DEPTH) };
    }

    #[test]
    fn a_rate_limited_page_is_asked_again_with_fewer_in_flight() {
        let mut plan = ReadAhead::planned(20, 16);
        assert_eq!(plan.to_ask().len(), 16);
        plan.refused(5);
        assert_eq!(plan.depth(), 8);
        // 15 still in flight, more than the new depth: nothing new until they land.
        assert!(plan.to_ask().is_empty());
        for p in (2..=17).filter(|p| *p != 5) {
            assert!(plan.answered(p, 100, true));
        }
        // Page 5 first, then the rest, 8 at a time.
        assert_eq!(plan.to_ask(), vec![5, 18, 19, 20]);
        plan.refused(18);
        plan.refused(19);
        assert_eq!(plan.depth(), 2);
        for _ in 0..10 {
            plan.slow_down();
        }
        assert_eq!(plan.depth(), 1, "never below one");
        assert!(!plan.done());
    }
}
