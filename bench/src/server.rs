//! The server under test: the real `chronicle serve` binary as a child process, optionally
//! pinned to one CPU, with what /proc says about it.

use anyhow::{Context, bail};
use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub base: String,
    pub pid: u32,
    /// From spawning the process to the first `200` from `/healthz`.
    pub startup: Duration,
}

/// A free loopback port: bind port 0, note the port, let it go.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The CPUs this process may run on, in order.
pub fn allowed_cpus() -> Vec<usize> {
    // SAFETY: cpu_set_t is plain data; sched_getaffinity fills it for this process.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &set))
            .collect()
    }
}

/// Pins the calling thread (and the threads it starts later) to `cpu`.
pub fn pin_current_thread(cpu: usize) -> std::io::Result<()> {
    // SAFETY: as above; sched_setaffinity only reads the set.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Starts `command` pinned to `cpu` (when given), output to `log`.
pub fn spawn_pinned(mut command: Command, cpu: Option<usize>, log: &Path) -> anyhow::Result<Child> {
    let out = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    command
        .stdout(out.try_clone()?)
        .stderr(out)
        .stdin(Stdio::null());
    if let Some(cpu) = cpu {
        // SAFETY: between fork and exec only the async-signal-safe sched_setaffinity
        // syscall runs; nothing allocates.
        unsafe {
            command.pre_exec(move || pin_current_thread(cpu));
        }
    }
    command
        .spawn()
        .with_context(|| format!("starting {:?}", command.get_program()))
}

impl Server {
    /// Starts the server and waits until `/healthz` answers.
    pub async fn start(
        bin: &Path,
        db: &Path,
        questions: &Path,
        cpu: Option<usize>,
        log: &Path,
    ) -> anyhow::Result<Server> {
        if !bin.exists() {
            bail!(
                "no server binary at {} (build it with `cargo build --release`, or pass --server-bin)",
                bin.display()
            );
        }
        let port = free_port()?;
        let mut command = Command::new(bin);
        command
            .arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--db")
            .arg(db)
            .arg("--questions")
            .arg(questions);
        let t0 = Instant::now();
        let mut child = spawn_pinned(command, cpu, log)?;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        loop {
            if let Ok(r) = client.get(format!("{base}/healthz")).send().await
                && r.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                let log_text = std::fs::read_to_string(log).unwrap_or_default();
                bail!("the server exited with {status} before serving:\n{log_text}");
            }
            if t0.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                bail!("the server did not answer /healthz within 120 s");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let startup = t0.elapsed();
        Ok(Server {
            pid: child.id(),
            child,
            base,
            startup,
        })
    }

    /// Peak resident memory (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        peak_rss_kib(self.pid)
    }

    /// SIGTERM, then SIGKILL if it has not gone within five seconds.
    pub fn stop(mut self) {
        stop_child(&mut self.child);
    }
}

pub fn stop_child(child: &mut Child) {
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// utime + stime of a process from /proc/PID/stat.
pub fn process_cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; fields resume after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of stat(5), counted from the state field (3) onwards.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    Some(Duration::from_secs_f64(ticks as f64 / hz))
}

/// What the scheduler says about every thread of a process, from
/// `/proc/PID/task/*/schedstat` (nanoseconds, unlike `stat`'s 10 ms ticks, which are
/// coarser than one sync request).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sched {
    /// Time its threads ran on a CPU.
    pub ran: Duration,
    /// Time its threads were ready to run but waited for a CPU (another process had it).
    pub waited: Duration,
    /// Time the background WAL checkpointer thread (named `wal-checkpoint`) ran.
    pub checkpointer: Duration,
}

impl Sched {
    /// What happened between `self` and a later reading. A thread that ended in between takes
    /// its share with it (a few requests' worth at most), so each part is at least zero.
    pub fn until(&self, later: &Sched) -> Sched {
        Sched {
            ran: later.ran.saturating_sub(self.ran),
            waited: later.waited.saturating_sub(self.waited),
            checkpointer: later.checkpointer.saturating_sub(self.checkpointer),
        }
    }
}

/// The two first fields of a schedstat line: time on a CPU, time waiting for one (ns).
fn parse_schedstat(line: &str) -> Option<(u64, u64)> {
    let mut f = line.split_whitespace();
    Some((f.next()?.parse().ok()?, f.next()?.parse().ok()?))
}

/// [`Sched`] of process `pid` now: the sum over its threads.
pub fn sched(pid: u32) -> Option<Sched> {
    let mut out = Sched::default();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .ok()?
        .flatten()
    {
        let Some((ran, waited)) = std::fs::read_to_string(task.path().join("schedstat"))
            .ok()
            .as_deref()
            .and_then(parse_schedstat)
        else {
            continue; // the thread ended while we read
        };
        out.ran += Duration::from_nanos(ran);
        out.waited += Duration::from_nanos(waited);
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end() == "wal-checkpoint" {
            out.checkpointer += Duration::from_nanos(ran);
        }
    }
    Some(out)
}

/// CPU time of this process (the load generator) so far.
pub fn own_cpu_time() -> Option<Duration> {
    process_cpu_time(std::process::id())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_own_proc_entries() {
        let pid = std::process::id();
        assert!(super::peak_rss_kib(pid).unwrap() > 0);
        assert!(super::process_cpu_time(pid).is_some());
        assert!(!super::allowed_cpus().is_empty());
        let a = super::sched(pid).unwrap();
        // Spin a little so this thread's run time moves.
        let t = std::time::Instant::now();
        while t.elapsed() < std::time::Duration::from_millis(20) {}
        let b = super::sched(pid).unwrap();
        assert!(a.until(&b).ran > std::time::Duration::ZERO, "{a:?} {b:?}");
    }

    #[test]
    fn schedstat_lines_are_read() {
        assert_eq!(super::parse_schedstat("1234 567 89\n"), Some((1234, 567)));
        assert_eq!(super::parse_schedstat(""), None);
    }
}
