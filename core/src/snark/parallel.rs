//! Optional parallelism: with the `parallel` feature, independent steps run on
//! two rayon threads; without it (the wasm build) they run one after the other.

/// Runs two independent closures, in parallel with the `parallel` feature.
pub(crate) fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    return rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    (a(), b())
}

/// Whether a second thread can take work here: the `parallel` feature and a rayon
/// pool of more than one thread (a prover service runs each proof on one).
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
pub(crate) fn two_threads() -> bool {
    #[cfg(feature = "parallel")]
    return rayon::current_num_threads() > 1;
    #[cfg(not(feature = "parallel"))]
    false
}

/// [`join`] if `worth_it` and [`two_threads`], else the two closures one after the
/// other on this thread: handing work to a sleeping thread costs tens of microseconds,
/// more than a small step takes. (Compiled where `poly::sparse::CsrMatrix` is: with
/// the prover, or natively.)
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
pub(crate) fn join_if<A: Send, B: Send>(
    worth_it: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if worth_it && two_threads() {
        join(a, b)
    } else {
        (a(), b())
    }
}

/// `f` over `0..n` in two halves, on two threads ([`join_if`]) once `n ≥ min`.
#[cfg(feature = "prover")]
pub(crate) fn on_halves<T: Send>(n: usize, min: usize, f: impl Fn(core::ops::Range<usize>) -> T + Sync) -> (T, T) {
    join_if(n >= min, || f(0..n / 2), || f(n / 2..n))
}

/// Runs `f` on a pool of two threads (with the `parallel` feature), so that the tests
/// take the two-thread paths on any machine.
#[cfg(test)]
pub(crate) fn on_two_threads<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    #[cfg(feature = "parallel")]
    return rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a pool of two threads").install(f);
    #[cfg(not(feature = "parallel"))]
    f()
}
