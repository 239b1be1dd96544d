use std::process::ExitCode;

/// Parsing a page allocates and frees hundreds of thousands of small
/// strings and tree nodes; glibc's malloc spent about a tenth of
/// `newsflow extract`'s time on them, mimalloc's thread-local free lists
/// a fraction of that.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    newsflow::cli::main()
}
