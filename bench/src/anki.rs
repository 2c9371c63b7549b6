//! The peer to beat: Anki's own sync server (`python -m anki.syncserver`, from the `anki`
//! package on PyPI, in a venv under `target/`) and a client script that times an incremental
//! sync of the same shape as Chronicle's batch. Anki is AGPL; it is installed and run as a
//! separate program at benchmark time, never linked or shipped.

use crate::server::{free_port, spawn_pinned, stop_child};
use anyhow::{Context, bail};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The version the comparison was written against; pinned so runs compare like with like.
pub const ANKI_VERSION: &str = "26.9.3";

pub struct AnkiRun {
    pub version: String,
    pub incremental: Vec<Duration>,
    pub noop: Vec<Duration>,
    pub server_peak_rss_kib: Option<u64>,
}

/// The venv's python, creating the venv and installing `anki` on first use.
fn venv_python(root: &Path, python: &str) -> anyhow::Result<PathBuf> {
    let venv = root.join("target/bench-venv");
    let bin = venv.join("bin/python");
    let installed = Command::new(&bin)
        .args(["-c", "import anki.buildinfo, sys; sys.exit(0)"])
        .output()
        .is_ok_and(|o| o.status.success());
    if installed {
        return Ok(bin);
    }
    eprintln!(
        "setting up {} (pip install anki=={ANKI_VERSION}) ...",
        venv.display()
    );
    let ok = Command::new(python)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .with_context(|| format!("running {python} -m venv"))?
        .success();
    if !ok {
        bail!("{python} -m venv failed");
    }
    let out = Command::new(&bin)
        .args(["-m", "pip", "install", "--quiet"])
        .arg(format!("anki=={ANKI_VERSION}"))
        .output()
        .context("running pip")?;
    if !out.status.success() {
        bail!(
            "pip install anki failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    Ok(bin)
}

fn durations(v: &[f64]) -> Vec<Duration> {
    v.iter().map(|&s| Duration::from_secs_f64(s)).collect()
}

/// Runs Anki's sync server pinned to `server_cpu` and the client script (which inherits this
/// process's CPU), `reps` times over `cards` cards with `per_card` reviews each.
pub fn run(
    root: &Path,
    python: &str,
    work: &Path,
    server_cpu: Option<usize>,
    cards: usize,
    per_card: usize,
    reps: usize,
) -> anyhow::Result<AnkiRun> {
    let python = venv_python(root, python)?;
    let base = work.join("anki-server");
    std::fs::create_dir_all(&base)?;
    let port = free_port()?;
    let (user, password) = ("bench", "bench-password");
    let mut command = Command::new(&python);
    command
        .args(["-m", "anki.syncserver"])
        .env("SYNC_USER1", format!("{user}:{password}"))
        .env("SYNC_BASE", &base)
        .env("SYNC_HOST", "127.0.0.1")
        .env("SYNC_PORT", port.to_string());
    let mut child = spawn_pinned(command, server_cpu, &work.join("anki-server.log"))?;
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.try_wait()? {
            bail!("anki.syncserver exited with {status}");
        }
        if t0.elapsed() > Duration::from_secs(60) {
            stop_child(&mut child);
            bail!("anki.syncserver did not listen within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = Command::new(&python)
        .arg(root.join("bench/anki/anki_sync.py"))
        .arg(format!("http://127.0.0.1:{port}/"))
        .args([user, password])
        .arg(work.join("anki-client"))
        .args([cards.to_string(), per_card.to_string(), reps.to_string()])
        .output();
    let server_peak_rss_kib = crate::server::peak_rss_kib(child.id());
    stop_child(&mut child);
    let out = out.context("running anki_sync.py")?;
    if !out.status.success() {
        bail!(
            "anki_sync.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("reading anki_sync.py's JSON")?;
    let series = |key: &str| -> anyhow::Result<Vec<Duration>> {
        let secs = v["runs"]
            .as_array()
            .context("no runs")?
            .iter()
            .map(|r| r[key].as_f64().with_context(|| format!("no {key}")))
            .collect::<anyhow::Result<Vec<f64>>>()?;
        Ok(durations(&secs))
    };
    Ok(AnkiRun {
        version: v["anki_version"].as_str().unwrap_or("?").to_string(),
        incremental: series("incremental_s")?,
        noop: series("noop_s")?,
        server_peak_rss_kib,
    })
}
