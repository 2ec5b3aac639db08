//! Sample statistics and the timing loop.

use serde::Serialize;
use std::time::Instant;

/// Median and spread of a set of samples (milliseconds).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Number of timed samples (warm-up runs excluded).
    pub n: usize,
    /// The median.
    pub median: f64,
    /// 25th percentile (linear interpolation).
    pub p25: f64,
    /// 75th percentile (linear interpolation).
    pub p75: f64,
    /// Fastest sample.
    pub min: f64,
    /// Slowest sample.
    pub max: f64,
}

impl Summary {
    /// Summarizes samples; `None` when there are none.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        samples.split_first().map(|(first, rest)| Summary::of_nonempty(*first, rest))
    }

    /// Summarizes `first` and `rest`.
    pub(super) fn of_nonempty(first: f64, rest: &[f64]) -> Summary {
        let mut s = Vec::with_capacity(rest.len() + 1);
        s.push(first);
        s.extend_from_slice(rest);
        s.sort_by(f64::total_cmp);
        let quantile = |q: f64| {
            let pos = q * (s.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            s[lo] + (s[hi] - s[lo]) * (pos - lo as f64)
        };
        Summary {
            n: s.len(),
            median: quantile(0.5),
            p25: quantile(0.25),
            p75: quantile(0.75),
            min: s[0],
            max: s[s.len() - 1],
        }
    }
}

/// How many times each measured operation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Sampling {
    /// Untimed runs before the samples.
    pub warmup: usize,
    /// Timed runs (at least 1).
    pub samples: usize,
}

/// Times consecutive steps: each [`Stopwatch::lap`] returns the milliseconds since
/// the previous one (or since [`Stopwatch::start`]).
#[derive(Clone, Copy, Debug)]
pub struct Stopwatch(Instant);

impl Stopwatch {
    /// Starts timing.
    pub fn start() -> Self {
        Stopwatch(Instant::now())
    }

    /// Milliseconds since the last lap, restarting the lap.
    pub fn lap(&mut self) -> f64 {
        let ms = ms_since(self.0);
        self.0 = Instant::now();
        ms
    }
}

/// Milliseconds elapsed since `start`.
pub fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

/// Runs `f` `sampling.warmup` times untimed, then `sampling.samples` times
/// timed (at least once); returns the summary and the last result.
pub fn time_ms<T, E>(sampling: Sampling, mut f: impl FnMut() -> Result<T, E>) -> Result<(Summary, T), E> {
    for _ in 0..sampling.warmup {
        f()?;
    }
    let mut run = || -> Result<(f64, T), E> {
        let start = Instant::now();
        let value = f()?;
        Ok((ms_since(start), value))
    };
    let (first, mut last) = run()?;
    let mut rest = Vec::with_capacity(sampling.samples);
    for _ in 1..sampling.samples {
        let (t, value) = run()?;
        rest.push(t);
        last = value;
    }
    Ok((Summary::of_nonempty(first, &rest), last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_odd_and_even_sets() {
        let s = Summary::of(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!((s.n, s.median, s.min, s.max, s.p25, s.p75), (3, 3.0, 1.0, 5.0, 2.0, 4.0));
        let s = Summary::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.median, 2.5);
        assert_eq!(Summary::of(&[]), None);
    }

    #[test]
    fn time_ms_runs_warmup_and_samples() {
        let mut calls = 0;
        let (s, last) = time_ms::<_, ()>(Sampling { warmup: 2, samples: 3 }, || {
            calls += 1;
            Ok(calls)
        })
        .unwrap();
        assert_eq!((calls, last, s.n), (5, 5, 3));
        let failed = time_ms::<(), _>(Sampling { warmup: 0, samples: 3 }, || Err("boom"));
        assert_eq!(failed, Err("boom"));
    }
}
