//! The allocator of the programs that generate (`oagen`, `cargo xtask`): `mimalloc`, which
//! serves the pipeline's many small allocations faster than the system allocator, set up to
//! give memory back to the system soon after it is freed.
//!
//! The pipeline's stages hand over from one large structure to the next (the JSON tree, the
//! parsed document, the IR, the emitted text), freeing each as the next is built. The
//! `mimalloc` 3 that the `mimalloc` crate builds keeps freed pages for a second before it
//! returns them (2.x: 10 ms), long enough for the next stage to map fresh pages while the
//! last stage's are still held. Measured on the largest specs of the APIs.guru directory,
//! peak resident memory with a 1 ms delay: `microsoft.com/graph.json` 480 → 335 MB,
//! `graph-beta.json` 857 → 667 MB, CPU time within the runs' noise (see
//! docs/performance-log.md, "The largest specs: Microsoft Graph").

use std::ffi::c_long;

/// `mi_option_purge_delay`: the same index in `mimalloc` 2.x and 3.x.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay's documented default for a major version of `mimalloc`, read back to
/// check that [`PURGE_DELAY`] names that option.
fn default_purge_delay(major: i32) -> Option<c_long> {
    match major {
        2 => Some(10),
        3 => Some(1000),
        _ => None,
    }
}

/// The linked `mimalloc`'s major version (its version is `major * 10000 + minor * 100 +
/// patch`).
fn major_version() -> i32 {
    // SAFETY: reads a constant of the library.
    unsafe { libmimalloc_sys::mi_version() / 10000 }
}

/// Sets `mimalloc`'s purge delay to 1 ms. Changes nothing unless the linked `mimalloc` is a
/// 2.x or 3.x whose purge delay option holds that version's default, so another version
/// is never misconfigured.
pub fn return_freed_memory_promptly() {
    let Some(default) = default_purge_delay(major_version()) else {
        return;
    };
    // SAFETY: both functions only read or write an option's value, at an index within the
    // 2.x and 3.x enumerations (checked by the test below).
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == default {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option set is the purge delay: the linked `mimalloc` is a version whose default
    /// is known, the option at that index holds it, and afterwards holds 1 ms. (The test
    /// binary allocates with the system allocator, but the library's options are the same.)
    #[test]
    fn the_option_set_is_the_purge_delay_of_the_linked_mimalloc() {
        let major = major_version();
        let default = default_purge_delay(major).expect("mimalloc 2.x or 3.x");
        let before = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(before, default, "mimalloc {major}.x");
        return_freed_memory_promptly();
        let after = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(after, 1);
    }
}
