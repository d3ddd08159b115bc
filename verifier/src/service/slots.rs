//! A bound on the requests that build images at the same time (`/bake`,
//! `/certificate`).
//!
//! Each such request decodes a badge image and renders a card: tens of
//! megabytes for a moment (at most [`crate::render::IMAGE_MEMORY_BUDGET`] for
//! the decode) and a few milliseconds of CPU. Without a bound, memory grows
//! with the number of requests in flight; with it, a request that finds every
//! slot taken gets `503` and `Retry-After` at once instead of waiting in a
//! queue that would grow the same way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// How many images are built at once: the machine's cores are the real
/// bound on how fast they come out.
pub const MAX_CONCURRENT_BAKES: usize = 2;

/// The seconds a refused request is asked to wait (`Retry-After`).
pub const BAKE_RETRY_AFTER_SECONDS: u32 = 2;

/// Slots for image building, shared by every worker.
#[derive(Debug)]
pub struct BakeSlots {
    in_use: AtomicUsize,
    limit: usize,
}

/// A slot held until it is dropped.
#[derive(Debug)]
pub struct BakeSlot(Arc<BakeSlots>);

impl BakeSlots {
    /// `limit` slots, all free.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(BakeSlots {
            in_use: AtomicUsize::new(0),
            limit,
        })
    }

    /// A free slot, or `None` when all are taken.
    pub fn try_take(self: &Arc<Self>) -> Option<BakeSlot> {
        self.in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                (used < self.limit).then_some(used + 1)
            })
            .ok()
            .map(|_| BakeSlot(Arc::clone(self)))
    }
}

impl Drop for BakeSlot {
    fn drop(&mut self) {
        self.0.in_use.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_taken_up_to_the_limit_and_given_back_on_drop() {
        let slots = BakeSlots::new(2);
        let first = slots.try_take().expect("free");
        let _second = slots.try_take().expect("free");
        assert!(slots.try_take().is_none());
        drop(first);
        assert!(slots.try_take().is_some());
    }
}
