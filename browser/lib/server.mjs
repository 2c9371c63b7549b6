// Starts the already-built `target/debug/chronicle` on a free loopback port with a fresh
// temporary database and the shipped decks, and waits until /healthz answers.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The binary to run: CHRONICLE_BIN, or the debug build in this repository. */
export function binaryPath() {
  return process.env.CHRONICLE_BIN || join(repoRoot, "target", "debug", "chronicle");
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a server. Returns { url, dbPath, stop, down, up }: `down` ends the process and keeps
 * the database, `up` starts it again on the same port (a network that is really gone, which
 * Playwright's offline emulation does not give a service worker that Chromium restarted).
 * Throws if the binary is missing or the server does not answer within `timeoutMs` (90 s, or
 * CHRONICLE_START_TIMEOUT_MS: a debug build loading the decks on a busy 2-core machine took
 * 21 s).
 */
export async function startServer({ timeoutMs = Number(process.env.CHRONICLE_START_TIMEOUT_MS) || 90_000 } = {}) {
  const bin = binaryPath();
  if (!existsSync(bin)) {
    throw new Error(`${bin} does not exist: run \`cargo build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), "chronicle-browser-"));
  const dbPath = join(dir, "chronicle.db");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child = null;
  let exited = null;
  let stderr = "";

  // Ends the process, keeping the database.
  const down = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  const stop = async () => {
    await down();
    rmSync(dir, { recursive: true, force: true });
  };

  // Starts the process on the same port and database, and waits until it answers.
  const up = async () => {
    child = spawn(
      bin,
      ["serve", "--bind", `127.0.0.1:${port}`, "--db", dbPath, "--questions", join(repoRoot, "questions")],
      { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
    );
    stderr = "";
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const running = child;
    exited = new Promise((resolveExit) => running.on("exit", resolveExit));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (running.exitCode !== null) {
        await stop();
        throw new Error(`chronicle exited with ${running.exitCode} before answering:\n${stderr}`);
      }
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`chronicle did not answer /healthz within ${timeoutMs} ms:\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  await up();
  return { url, dbPath, stop, down, up };
}
