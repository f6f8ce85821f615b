use clap::Parser;
use phi_redact::cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Redact(args) => phi_redact::app::redact(args),
        Command::Check(args) => phi_redact::app::check(args),
        Command::CheckText(args) => phi_redact::app::check_text(args),
        Command::Eval(args) => phi_redact::app::eval(args),
        Command::Apply(args) => phi_redact::app::apply(args),
        Command::Serve(args) => phi_redact::app::serve(args),
        Command::MergeReports(args) => phi_redact::app::merge_reports(args),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("phi-redact: error: {error:#}");
        phi_redact::app::EXIT_FATAL.into()
    })
}
