//! Memory allocator settings for the server process.

/// Makes glibc's malloc hand large blocks straight back to the system.
///
/// Every password check (argon2id, m = 19 MiB) allocates and frees a 19 MiB block on a
/// blocking thread. By default glibc raises its mmap threshold after the first such free and
/// from then on serves these blocks from per-thread arenas that keep up to ~57 MiB each after
/// the threads are gone: 200 logins left the server at 1.5 GiB resident. A fixed threshold
/// turns off that adjustment, so blocks of 4 MiB and more are mmap-ed and unmapped on free.
/// (Since then argon2 reuses its memory (`auth::password`): a fresh mapping cost each hash
/// 11 ms of page faults and zeroing. The threshold still keeps other large blocks, such as a
/// sync batch's, from staying in the arenas.)
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called once, before threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}
