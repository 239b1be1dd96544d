use std::process::ExitCode;

/// Parsing a page allocates and frees hundreds of thousands of small
/// strings and tree nodes: glibc's malloc took 13-14% of `newsflow
/// extract`'s time on them, mimalloc about 8%. Its v2 (see Cargo.toml)
/// reuses freed pages sooner than v3, which spent a tenth of the time in
/// the kernel zeroing fresh huge pages.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    newsflow::cli::main()
}
