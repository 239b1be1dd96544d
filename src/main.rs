use std::process::ExitCode;

fn main() -> ExitCode {
    newsflow::cli::main()
}
