//! Precomputations kept ready per policy: the witness-independent part of a proof
//! (its randomness and the commitments that depend on it alone,
//! [`Precomputed`]), made at start and then by a worker once it has answered a
//! request and no other request waits, so that a request does only the rest.
//!
//! Each precomputation serves one proof: [`Ready::take`] moves it out of the pool.
//! Until then it holds secret randomness in the service's memory; it is zeroed
//! when dropped.

use std::sync::{Mutex, MutexGuard, PoisonError};

use zkpolicy_core::policy::ProvingKey;
use zkpolicy_core::snark::spartan::Precomputed;

/// The ready precomputations of one policy, at most `target` of them.
pub(super) struct Ready {
    items: Mutex<Vec<Precomputed>>,
    target: usize,
}

impl Ready {
    /// `target` precomputations for `pk`, made now.
    pub(super) fn filled(pk: &ProvingKey, target: usize) -> Self {
        Ready { items: Mutex::new((0..target).map(|_| pk.precompute()).collect()), target }
    }

    /// A ready precomputation, taken out of the pool, if there is one.
    pub(super) fn take(&self) -> Option<Precomputed> {
        self.lock().pop()
    }

    /// Whether the pool holds fewer than its target.
    pub(super) fn wants_more(&self) -> bool {
        self.lock().len() < self.target
    }

    /// Adds `precomputed` unless the pool is full (two workers may top it up at once).
    pub(super) fn put(&self, precomputed: Precomputed) {
        let mut items = self.lock();
        if items.len() < self.target {
            items.push(precomputed);
        }
    }

    /// The items; a thread that panicked while holding the lock left a whole vector.
    fn lock(&self) -> MutexGuard<'_, Vec<Precomputed>> {
        self.items.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
