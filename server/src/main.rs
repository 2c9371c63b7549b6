use chronicle::cli;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Chronicle: learn history from a dataset of dated events, with spaced repetition.
#[derive(Parser)]
#[command(name = "chronicle", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check or export the event datasets in the questions folder.
    Questions {
        #[command(subcommand)]
        command: QuestionsCommand,
    },
}

#[derive(Subcommand)]
enum QuestionsCommand {
    /// Load and validate every deck; print counts, or every problem as file:line.
    Check {
        /// Folder holding the deck files (*.toml).
        #[arg(long, env = "CHRONICLE_QUESTIONS", default_value = "questions")]
        questions: PathBuf,
    },
    /// Print every event and one generated question per card.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Seed for drawing distractors and orders; the same seed gives the same export.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Folder holding the deck files (*.toml).
        #[arg(long, env = "CHRONICLE_QUESTIONS", default_value = "questions")]
        questions: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let ok = match cli.command {
        Some(Command::Questions { command }) => match command {
            QuestionsCommand::Check { questions } => cli::questions_check(&questions, &mut stdout)?,
            QuestionsCommand::Export {
                format: Format::Json,
                seed,
                questions,
            } => cli::questions_export(&questions, seed, &mut stdout)?,
        },
        None => true,
    };
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
