//! The independent cross-check: `wrk` (a load tool nobody here wrote, from Debian) against
//! healthz, a signed-in `GET /study` and `GET /`, with a small Lua script that sends the
//! session cookie and counts every reply that is not a 200.

use crate::report::{Row, ms, yes_no};
use crate::scenarios::CpuUse;
use crate::server::{Server, process_cpu_time};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The script: one cookie for every request; `done` prints one machine-readable line.
/// `response` makes wrk read each status (it costs wrk some CPU, on its own core).
const SCRIPT: &str = r#"-- Written by chronicle-bench: send the session cookie, count non-200 replies.
local cookie = os.getenv("CHRONICLE_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format("CHRONICLE-WRK requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d not_200=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, bad_total, e.connect + e.read + e.write + e.timeout))
end
"#;

/// `wrk` on the PATH, if there is one.
pub fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("wrk"))
        .find(|p| p.is_file())
}

/// What one wrk run reported, and the CPU both sides used meanwhile.
pub struct WrkRun {
    pub requests: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Replies other than 200 plus socket errors (connect, read, write, timeout).
    pub errors: u64,
    pub cpu: CpuUse,
}

impl WrkRun {
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    pub fn server_ms_per_request(&self) -> Option<f64> {
        let rate = self.rate();
        (rate > 0.0).then_some(self.cpu.server? * 1e3 / rate)
    }
}

fn parse(out: &str) -> Option<(u64, f64, f64, f64, f64, u64)> {
    let line = out.lines().find(|l| l.starts_with("CHRONICLE-WRK "))?;
    let field = |name: &str| -> Option<u64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))?
            .parse()
            .ok()
    };
    let ms = |us: u64| us as f64 / 1e3;
    Some((
        field("requests")?,
        field("duration_us")? as f64 / 1e6,
        ms(field("p50_us")?),
        ms(field("p99_us")?),
        ms(field("max_us")?),
        field("not_200")? + field("socket_errors")?,
    ))
}

/// Runs wrk (one thread, `connections` connections, on this process's CPU) against `path`
/// for `duration`, sending `cookie` when given. The Lua script is written into `work`.
#[allow(clippy::too_many_arguments)]
pub fn run(
    wrk: &Path,
    work: &Path,
    base: &str,
    server_pid: u32,
    path: &str,
    cookie: Option<&str>,
    connections: usize,
    duration: Duration,
) -> Result<WrkRun, String> {
    let script = work.join("chronicle-wrk.lua");
    std::fs::write(&script, SCRIPT).map_err(|e| format!("writing {}: {e}", script.display()))?;
    let secs = duration.as_secs().max(1);
    let s0 = process_cpu_time(server_pid);
    let c0 = children_cpu();
    let t0 = Instant::now();
    // wrk is a child of this process, so it inherits the load generator's CPU.
    let out = Command::new(wrk)
        .args(["-t1", &format!("-c{connections}"), &format!("-d{secs}s")])
        .args(["--timeout", "30s", "-s"])
        .arg(&script)
        .arg(format!("{base}{path}"))
        .env("CHRONICLE_COOKIE", cookie.unwrap_or(""))
        .output()
        .map_err(|e| format!("running {}: {e}", wrk.display()))?;
    let wall = t0.elapsed().as_secs_f64();
    let s1 = process_cpu_time(server_pid);
    let c1 = children_cpu();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "wrk exited with {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let (requests, seconds, p50_ms, p99_ms, max_ms, errors) =
        parse(&stdout).ok_or_else(|| format!("no summary line in wrk's output: {stdout}"))?;
    let server_share = match (s0, s1) {
        (Some(a), Some(b)) => b.checked_sub(a).map(|d| d.as_secs_f64() / wall),
        _ => None,
    };
    // wrk's own CPU is a waited-for child's, not this process's: the rusage of children.
    let wrk_share = match (c0, c1) {
        (Some(a), Some(b)) => b.checked_sub(a).map(|d| d.as_secs_f64() / wall),
        _ => None,
    };
    Ok(WrkRun {
        requests,
        seconds,
        p50_ms,
        p99_ms,
        max_ms,
        errors,
        cpu: CpuUse {
            server: server_share,
            bench: wrk_share,
        },
    })
}

/// CPU used so far by this process's children that have been waited for.
fn children_cpu() -> Option<Duration> {
    // SAFETY: getrusage fills a plain struct.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) != 0 {
            return None;
        }
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        Some(tv(u.ru_utime) + tv(u.ru_stime))
    }
}

/// The three wrk runs of the cross-check, each with its path, or why none ran.
pub struct CrossCheck {
    pub runs: Vec<(String, Result<WrkRun, String>)>,
}

/// healthz, then `study_path` and `/` with a learner's session cookie, one after another.
pub async fn cross_check(
    server: &Server,
    work: &Path,
    cookie: Result<String, String>,
    study_path: String,
    connections: usize,
    duration: Duration,
) -> Result<CrossCheck, String> {
    let wrk = find().ok_or("wrk is not installed (apt-get install wrk): rows skipped")?;
    let cookie = cookie.map_err(|e| format!("no session for wrk ({e}): rows skipped"))?;
    let mut runs = Vec::new();
    for (path, cookie) in [
        ("/healthz".to_string(), None),
        (study_path, Some(cookie.clone())),
        ("/".to_string(), Some(cookie)),
    ] {
        let (wrk, work, base, pid) = (
            wrk.clone(),
            work.to_path_buf(),
            server.base.clone(),
            server.pid,
        );
        let p = path.clone();
        let run = tokio::task::spawn_blocking(move || {
            run(
                &wrk,
                &work,
                &base,
                pid,
                &p,
                cookie.as_deref(),
                connections,
                duration,
            )
        })
        .await
        .unwrap_or_else(|e| Err(format!("wrk task failed: {e}")));
        runs.push((path, run));
    }
    Ok(CrossCheck { runs })
}

impl CrossCheck {
    /// Requests that failed (non-200 or socket errors), and runs that did not run at all.
    pub fn failed(&self) -> u64 {
        self.runs
            .iter()
            .map(|(_, r)| r.as_ref().map_or(1, |w| w.errors))
            .sum()
    }

    /// The rows: healthz, then each page as a ratio to wrk's own healthz; `targets` gives the
    /// ratio a path must reach, if any.
    pub fn rows(&self, targets: &[(&str, f64)]) -> Vec<Row> {
        let health = self
            .runs
            .first()
            .and_then(|(_, r)| r.as_ref().ok())
            .map(WrkRun::rate);
        self.runs
            .iter()
            .enumerate()
            .map(|(i, (path, run))| {
                let scenario = if i == 0 {
                    format!("wrk: GET {path} (wrk's baseline)")
                } else {
                    format!("wrk: GET {path} (signed in)")
                };
                match run {
                    Err(e) => Row {
                        scenario,
                        errors: format!("not run: {}", e.replace('|', "/")),
                        ..Row::default()
                    },
                    Ok(w) => {
                        let ratio = health.map(|h| w.rate() / h);
                        let target = targets.iter().find(|(p, _)| *p == path).map(|(_, t)| *t);
                        Row {
                            scenario,
                            throughput: format!("{:.0} req/s", w.rate()),
                            median: ms(Some(w.p50_ms)),
                            p99: ms(Some(w.p99_ms)),
                            max: ms(Some(w.max_ms)),
                            errors: w.errors.to_string(),
                            cpu: w.cpu.describe(),
                            compared: match (i, ratio) {
                                (0, _) | (_, None) => format!(
                                    "server CPU {} per request",
                                    ms(w.server_ms_per_request())
                                ),
                                (_, Some(r)) => format!(
                                    "{r:.2}× wrk's healthz req/s; server CPU {} per request",
                                    ms(w.server_ms_per_request())
                                ),
                            },
                            target: target.map_or(String::new(), |t| format!("ratio ≥ {t}")),
                            met: match (target, ratio) {
                                (Some(t), Some(r)) => yes_no(r >= t),
                                _ => String::new(),
                            },
                        }
                    }
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_line() {
        let out = "Running 1s test\nCHRONICLE-WRK requests=1200 duration_us=1000000 p50_us=1500 \
                   p99_us=9000 max_us=12000 not_200=2 socket_errors=1\n";
        let (n, s, p50, p99, max, errors) = parse(out).unwrap();
        assert_eq!((n, errors), (1200, 3));
        assert_eq!((s, p50, p99, max), (1.0, 1.5, 9.0, 12.0));
        assert!(parse("nothing").is_none());
    }
}
