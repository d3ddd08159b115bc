//! Limits on the work canonicalisation may do on the current thread, for callers that
//! verify documents from anyone (the verifier service).
//!
//! - [`direct_path_only`]: the general path (JSON-LD expansion, then RDFC-1.0 that may
//!   need its N-degree step) is refused inside; the caller learns it was needed and
//!   runs the work again where a slow request holds nothing up. The direct path is
//!   linear in the document, so an async worker can afford it.
//! - [`shared_budget`]: every canonicalisation inside (proofs, proof sets,
//!   endorsements) draws on one budget of N-degree work instead of one budget each, so
//!   a document cannot multiply [`super::WORK_BUDGET`] by its number of proofs.
//!
//! Both are scoped to a closure on one thread: verification is synchronous.

use std::cell::Cell;

/// The limits in force on this thread, when a caller set any.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// The general path is refused (and `general_path_needed` is set when it would run).
    direct_only: bool,
    general_path_needed: bool,
    /// N-degree work left for every canonicalisation of the scope.
    shared_work: Option<u64>,
}

thread_local! {
    static LIMITS: Cell<Option<Limits>> = const { Cell::new(None) };
}

/// Restores the limits that were in force before a scope, even when its work panics,
/// keeping the record that the general path was needed for an enclosing
/// [`direct_path_only`].
struct Restore(Option<Limits>);

impl Drop for Restore {
    fn drop(&mut self) {
        LIMITS.with(|cell| {
            let needed = cell.get().is_some_and(|inner| inner.general_path_needed);
            let mut outer = self.0;
            if let Some(outer) = outer.as_mut() {
                outer.general_path_needed |= needed;
            }
            cell.set(outer);
        });
    }
}

fn scoped<R>(change: impl FnOnce(&mut Limits), work: impl FnOnce() -> R) -> (R, Limits) {
    let before = LIMITS.with(Cell::get);
    let restore = Restore(before);
    let mut limits = before.unwrap_or(Limits {
        direct_only: false,
        general_path_needed: false,
        shared_work: None,
    });
    change(&mut limits);
    LIMITS.with(|cell| cell.set(Some(limits)));
    let value = work();
    let after = LIMITS.with(Cell::get).unwrap_or(limits);
    drop(restore);
    (value, after)
}

/// Runs `work` with the general canonicalisation path refused
/// ([`super::DataIntegrityError::GeneralPathDeferred`]); the flag says whether any
/// canonicalisation needed it, in which case the result must be thrown away and the
/// work done again outside this scope.
pub fn direct_path_only<R>(work: impl FnOnce() -> R) -> (R, bool) {
    let (value, limits) = scoped(
        |limits| {
            limits.direct_only = true;
            limits.general_path_needed = false;
        },
        work,
    );
    (value, limits.general_path_needed)
}

/// Runs `work` with every canonicalisation inside drawing on one budget of `units` of
/// N-degree work (see [`super::WORK_BUDGET`] for the unit).
pub fn shared_budget<R>(units: u64, work: impl FnOnce() -> R) -> R {
    scoped(|limits| limits.shared_work = Some(units), work).0
}

/// Whether the general path may run here; records that it was needed when it may not.
pub(crate) fn general_path_allowed() -> bool {
    LIMITS.with(|cell| match cell.get() {
        Some(mut limits) if limits.direct_only => {
            limits.general_path_needed = true;
            cell.set(Some(limits));
            false
        }
        _ => true,
    })
}

/// The N-degree work one canonicalisation may do: the scope's shared budget when there
/// is one, at most [`super::WORK_BUDGET`].
pub(crate) fn work_allowed() -> u64 {
    let shared = LIMITS.with(|cell| cell.get().and_then(|limits| limits.shared_work));
    shared.map_or(super::WORK_BUDGET, |left| left.min(super::WORK_BUDGET))
}

/// Records `units` of N-degree work done against the scope's shared budget.
pub(crate) fn spend(units: u64) {
    LIMITS.with(|cell| {
        if let Some(mut limits) = cell.get() {
            if let Some(left) = limits.shared_work.as_mut() {
                *left = left.saturating_sub(units);
                cell.set(Some(limits));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_nest_and_restore() {
        assert!(general_path_allowed());
        let ((), needed) = direct_path_only(|| {
            shared_budget(10, || {
                assert!(!general_path_allowed(), "the outer scope still holds");
                assert_eq!(work_allowed(), 10);
                spend(4);
                assert_eq!(work_allowed(), 6);
            });
            assert_eq!(work_allowed(), super::super::WORK_BUDGET);
        });
        assert!(
            needed,
            "recorded inside the inner scope, seen by the outer one"
        );
        assert!(general_path_allowed());
        let ((), needed) = direct_path_only(|| ());
        assert!(!needed);
    }

    #[test]
    fn a_panic_inside_a_scope_does_not_leave_it_in_force() {
        let unwound = std::panic::catch_unwind(|| direct_path_only(|| panic!("inside")));
        assert!(unwound.is_err());
        assert!(general_path_allowed());
    }
}
