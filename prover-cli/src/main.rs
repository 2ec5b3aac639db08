//! The `zkpolicy` command-line tool; every command lives in its own module under `cli/`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
