//! Ctrl-C (or a kill) during a verified apply must not leave the work tree
//! half-written or in a half-reverted trial state. While the guard lives,
//! SIGINT and SIGTERM only raise a flag (a handler, unlike an ignored signal,
//! is not inherited by the test command); the writes and the bisection check
//! it after each step and restore the files, and a running test command (in
//! its own process group, so the terminal's Ctrl-C does not reach it) is
//! killed with its group.
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

const SIGNALS: [libc::c_int; 2] = [libc::SIGINT, libc::SIGTERM];

extern "C" fn raise_flag(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Catches SIGINT and SIGTERM until dropped.
pub struct Guard {
    previous: [libc::sighandler_t; 2],
}

impl Guard {
    pub fn install() -> Guard {
        INTERRUPTED.store(false, Ordering::SeqCst);
        let handler = raise_flag as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let previous = SIGNALS.map(|signal| unsafe { libc::signal(signal, handler) });
        Guard { previous }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        for (signal, previous) in SIGNALS.iter().zip(self.previous) {
            // SAFETY: puts back the disposition `install` replaced.
            unsafe { libc::signal(*signal, previous) };
        }
    }
}

/// Whether a signal arrived since the guard was installed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
