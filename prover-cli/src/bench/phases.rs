//! Timing the named phases of one operation: the core reports where each phase
//! ends (it has no clock), and the observer here laps a stopwatch.

use serde::Serialize;
use std::time::Instant;

use super::stats::{ms_since, Sampling, Stopwatch, Summary};

/// One phase's name and its times.
#[derive(Clone, Debug, Serialize)]
pub struct PhaseTime {
    /// What the phase does.
    pub phase: &'static str,
    /// Its duration in milliseconds.
    pub ms: Summary,
}

/// An operation timed phase by phase.
#[derive(Clone, Debug, Serialize)]
pub struct PhaseTimes {
    /// The phases in the order they ran.
    pub phases: Vec<PhaseTime>,
    /// The whole operation.
    pub total_ms: Summary,
}

/// One run's phases and their milliseconds, in order.
type Laps = Vec<(&'static str, f64)>;

/// Runs `run` `sampling.warmup` times untimed, then `sampling.samples` times
/// (at least once), timing the phases it reports: `run` calls its argument with a
/// phase's name as that phase ends, and the phase lasted since the previous call
/// (or since the start). Every run must report the same phases, as the runs of
/// one successful operation do. Returns the phases' summaries and the last result.
pub fn time_phases<T, E>(
    sampling: Sampling,
    mut run: impl FnMut(&mut dyn FnMut(&'static str)) -> Result<T, E>,
) -> Result<(PhaseTimes, T), E> {
    for _ in 0..sampling.warmup {
        run(&mut |_| {})?;
    }
    let mut timed = || -> Result<(Laps, f64, T), E> {
        let mut laps = Vec::new();
        let start = Instant::now();
        let mut clock = Stopwatch::start();
        let value = run(&mut |phase| laps.push((phase, clock.lap())))?;
        Ok((laps, ms_since(start), value))
    };
    let (first, first_total, mut last) = timed()?;
    let mut rest = Vec::with_capacity(sampling.samples);
    for _ in 1..sampling.samples {
        let (laps, total, value) = timed()?;
        rest.push((laps, total));
        last = value;
    }
    let phases = first
        .iter()
        .enumerate()
        .map(|(i, &(phase, ms))| {
            let others: Vec<f64> =
                rest.iter().filter_map(|(laps, _)| laps.get(i).filter(|lap| lap.0 == phase)).map(|lap| lap.1).collect();
            PhaseTime { phase, ms: Summary::of_nonempty(ms, &others) }
        })
        .collect();
    let totals: Vec<f64> = rest.iter().map(|(_, total)| *total).collect();
    Ok((PhaseTimes { phases, total_ms: Summary::of_nonempty(first_total, &totals) }, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_timed_in_order_after_the_warmup() {
        let mut calls = 0;
        let (times, last) = time_phases::<_, ()>(Sampling { warmup: 1, samples: 3 }, |phase| {
            calls += 1;
            phase("first");
            std::thread::sleep(std::time::Duration::from_millis(2));
            phase("second");
            Ok(calls)
        })
        .unwrap();
        assert_eq!((calls, last), (4, 4));
        let names: Vec<_> = times.phases.iter().map(|p| (p.phase, p.ms.n)).collect();
        assert_eq!(names, [("first", 3), ("second", 3)]);
        assert!(times.phases[1].ms.min >= 2.0 && times.total_ms.min >= 2.0);
        assert!(time_phases::<(), _>(Sampling { warmup: 0, samples: 2 }, |_| Err("boom")).is_err());
    }
}
