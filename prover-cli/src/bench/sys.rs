//! What the benchmark reads from Linux: peak memory and the machine description.

use serde::Serialize;

/// A field of `/proc/self/status` in kB (`VmHWM` is the peak resident set
/// size, `VmRSS` the current one); `None` off Linux.
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The CPU time this process has used so far, all its threads together, in
/// milliseconds (`CLOCK_PROCESS_CPUTIME_ID`); `None` off Unix.
pub fn process_cpu_ms() -> Option<f64> {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        Some(t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6)
    }
    #[cfg(not(unix))]
    None
}

/// The machine the numbers were measured on.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// Logical CPUs available to the process.
    pub cpus: usize,
    /// CPU model name from `/proc/cpuinfo`.
    pub cpu_model: Option<String>,
    /// Total memory (`MemTotal` of `/proc/meminfo`) in kB.
    pub memory_kb: Option<u64>,
    /// `/proc/loadavg` (1, 5 and 15 minutes) when the benchmark started.
    pub load_start: Option<[f64; 3]>,
    /// `/proc/loadavg` when it ended.
    pub load_end: Option<[f64; 3]>,
    /// The Cargo profile of this binary: `release` or `dev`.
    pub profile: &'static str,
    /// The operating system.
    pub os: &'static str,
}

impl Machine {
    /// Describes this machine now (`load_end` is filled by [`Machine::finish`]).
    pub fn now() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name")?.split_once(':').map(|(_, v)| v.trim().to_string()));
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kb = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:")?.trim().trim_end_matches("kB").trim().parse().ok());
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            memory_kb,
            load_start: load_average(),
            load_end: None,
            profile: if cfg!(debug_assertions) { "dev" } else { "release" },
            os: std::env::consts::OS,
        }
    }

    /// Records the load average at the end of the run.
    pub fn finish(&mut self) {
        self.load_end = load_average();
    }
}

/// The 1, 5 and 15 minute load averages.
fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_peak_rss_on_linux() {
        if cfg!(target_os = "linux") {
            // Other test threads allocate concurrently: read the current size first,
            // the peak can only have grown since.
            let rss = proc_status_kb("VmRSS").unwrap();
            let peak = proc_status_kb("VmHWM").unwrap();
            assert!(rss > 0 && peak >= rss);
        }
        if cfg!(unix) {
            // Spin until the clock moves: CPU time is spent, so it grows.
            let start = process_cpu_ms().unwrap();
            let mut x = 0u64;
            while process_cpu_ms().unwrap() <= start {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
    }
}
