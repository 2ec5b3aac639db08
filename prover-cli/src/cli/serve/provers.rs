//! The proving threads of `zkpolicy serve`: one single-threaded rayon pool per
//! worker, handed out by a semaphore.
//!
//! A proof runs entirely on its worker's thread. The proof system's parallel steps
//! (`rayon::join`) then run their two halves in turn on that thread, so a proof never
//! waits for work another thread took, and a thread never starts a second proof while
//! it waits. With one pool of all the workers' threads, a thread waiting in a join
//! would take the next admitted proof meanwhile and answer the first only after it.
//! Under load, when every core has a proof, the joins gained nothing either: they only
//! cost CPU (BENCHMARKS.md, "Prover service, one thread per proof").

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

/// The workers: their threads, which of them are idle, and a permit per idle one.
pub(super) struct Provers {
    pools: Vec<rayon::ThreadPool>,
    /// The indices of the idle pools; a holder of a permit always finds one here.
    idle: Mutex<Vec<usize>>,
    permits: Arc<Semaphore>,
}

impl Provers {
    /// `workers` threads named `zkpolicy-prover-{i}`, with `on_panic` called when a job
    /// panics (the job's worker is released all the same).
    pub(super) fn new(
        workers: usize,
        on_panic: impl Fn() + Send + Sync + Clone + 'static,
    ) -> Result<Self, rayon::ThreadPoolBuildError> {
        let pools = (0..workers)
            .map(|i| {
                let on_panic = on_panic.clone();
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .thread_name(move |_| format!("zkpolicy-prover-{i}"))
                    .panic_handler(move |_| on_panic())
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Provers {
            idle: Mutex::new((0..workers).rev().collect()),
            permits: Arc::new(Semaphore::new(workers)),
            pools,
        })
    }

    /// Waits for an idle worker and takes it.
    pub(super) async fn acquire(self: &Arc<Self>) -> Result<Worker, AcquireError> {
        let permit = self.permits.clone().acquire_owned().await?;
        let index = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let index = index.expect("a permit holder finds an idle worker");
        Ok(Worker { provers: self.clone(), index, _permit: permit })
    }

    /// The number of workers with a job.
    pub(super) fn busy(&self) -> usize {
        self.pools.len().saturating_sub(self.permits.available_permits())
    }
}

/// A worker taken by [`Provers::acquire`]; it is idle again when dropped.
pub(super) struct Worker {
    provers: Arc<Provers>,
    index: usize,
    /// Released after [`Drop::drop`] has put the worker back among the idle ones.
    _permit: OwnedSemaphorePermit,
}

impl Worker {
    /// Runs `job` on this worker's thread, handing it the worker: the worker is idle
    /// again when `job` drops it, or returns, or panics.
    pub(super) fn spawn(self, job: impl FnOnce(Worker) + Send + 'static) {
        let provers = self.provers.clone();
        provers.pools[self.index].spawn(move || job(self));
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.provers.idle.lock().unwrap_or_else(PoisonError::into_inner).push(self.index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Each running job has a thread of its own, at most `workers` run at once, and a
    /// worker whose job panicked is handed out again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn workers_run_one_job_each_and_come_back() {
        let panics = Arc::new(AtomicUsize::new(0));
        let counted = panics.clone();
        let provers = Arc::new(
            Provers::new(2, move || {
                counted.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap(),
        );
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        for job in 0..8 {
            let worker = provers.acquire().await.unwrap();
            assert!(provers.busy() >= 1 && provers.busy() <= 2);
            let (running, most, tx) = (running.clone(), most.clone(), tx.clone());
            worker.spawn(move |_worker| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let name = std::thread::current().name().map(str::to_owned);
                std::thread::sleep(Duration::from_millis(30));
                running.fetch_sub(1, Ordering::SeqCst);
                tx.send(name).unwrap();
                assert!(job % 3 != 1, "job {job} panics on purpose");
            });
        }
        drop(tx);
        let mut names = Vec::new();
        while let Some(name) = rx.recv().await {
            names.push(name.expect("prover threads are named"));
        }
        names.sort();
        names.dedup();
        assert_eq!(names, ["zkpolicy-prover-0", "zkpolicy-prover-1"]);
        assert!(most.load(Ordering::SeqCst) <= 2, "more jobs at once than workers");
        // Every worker is idle again, panics or not (the panic handler runs after the
        // job's captures, its sender and its worker, are dropped).
        let settled = || (provers.busy(), panics.load(Ordering::SeqCst));
        for _ in 0..200 {
            if settled() == (0, 3) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(settled(), (0, 3));
    }
}
