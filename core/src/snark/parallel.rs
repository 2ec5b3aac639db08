//! Optional parallelism: with the `parallel` feature, independent steps run on
//! two rayon threads; without it (the wasm build) they run one after the other.

/// Runs two independent closures, in parallel with the `parallel` feature.
pub(crate) fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    return rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    (a(), b())
}
