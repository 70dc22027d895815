//! The allocator: mimalloc, and how it gives memory back.

/// The process allocates and frees many small values per workload (map entries, keys,
/// short strings): mimalloc does it in about two thirds of glibc's time (BENCHMARKS.md,
/// "Allocator and threads for lists").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` (`include/mimalloc.h`
/// of mimalloc v3, which libmimalloc-sys 0.1.49 builds; the crate names no constant for
/// it). `tests` below checks it against the option's default there, 1,000 ms (the
/// `purge_delay` row of `src/options.c`).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed is given back to the system at once instead of a second later: a large
/// workload's values are freed just before the next one's are made, and with the delay
/// both were counted in the peak (a 1.3 MB one-line flow list peaked at 50 MiB, 40 MiB
/// with glibc; 38 MiB now).
pub fn give_memory_back_at_once() {
    // mimalloc reads its options' variables whatever their case, and this one under its
    // older name too (`mi_option_reset_delay`).
    let set_by_user = std::env::vars_os().any(|(name, _)| {
        name.to_str().is_some_and(|n| {
            n.eq_ignore_ascii_case("MIMALLOC_PURGE_DELAY")
                || n.eq_ignore_ascii_case("MIMALLOC_RESET_DELAY")
        })
    });
    if set_by_user {
        return; // mimalloc read the user's own setting
    }
    // SAFETY: `mi_option_set` stores one option value; any thread may call it at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reading and storing one option value.
        let (before, after) = unsafe {
            let before = libmimalloc_sys::mi_option_get(PURGE_DELAY);
            give_memory_back_at_once();
            (before, libmimalloc_sys::mi_option_get(PURGE_DELAY))
        };
        assert_eq!((before, after), (1000, 0));
    }
}
