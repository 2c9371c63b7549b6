use chronicle::app::Application;
use chronicle::cli;
use chronicle::config::{ServeArgs, Settings};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Chronicle: learn history from a dataset of dated events, with spaced repetition.
#[derive(Parser)]
#[command(name = "chronicle", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default when no command is given).
    Serve(ServeArgs),
    /// Copy the database, consistently, to PATH while the server may be running.
    Backup {
        /// Where to write the copy; must not exist yet.
        path: PathBuf,
        /// The database to copy.
        #[arg(long, env = "CHRONICLE_DB", default_value = "data/chronicle.db")]
        db: PathBuf,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check or export the event datasets in the questions folder.
    Questions {
        #[command(subcommand)]
        command: QuestionsCommand,
    },
}

#[derive(Subcommand)]
enum QuestionsCommand {
    /// Load, validate and lint every deck; print counts per kind, cards suppressed by which
    /// fairness rule, and every problem as file:line (rule). Fails on any problem.
    Check {
        /// Folder holding the deck files (*.toml).
        #[arg(long, env = "CHRONICLE_QUESTIONS", default_value = "questions")]
        questions: PathBuf,
        /// Also list every suppressed card with its rule and reason.
        #[arg(long)]
        verbose: bool,
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

#[derive(Subcommand)]
enum UserCommand {
    /// Print a one-time password reset link for an account (valid for a day; using it signs
    /// the account out everywhere).
    ResetPassword {
        /// The account's username.
        name: String,
        /// The database.
        #[arg(long, env = "CHRONICLE_DB", default_value = "data/chronicle.db")]
        db: PathBuf,
        /// The address people open Chronicle at, to begin the link with.
        #[arg(
            long,
            env = "CHRONICLE_BASE_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        base_url: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    // Locked only by the one-shot commands: the server logs to stdout from its workers.
    let stdout = || std::io::stdout().lock();
    let ok = match cli.command {
        None => serve(cli.serve)?,
        Some(Command::Serve(args)) => serve(args)?,
        Some(Command::Backup { path, db }) => cli::backup(&db, &path, &mut stdout())?,
        Some(Command::User {
            command: UserCommand::ResetPassword { name, db, base_url },
        }) => cli::reset_password(&db, &name, &base_url, &mut stdout())?,
        Some(Command::Questions { command }) => match command {
            QuestionsCommand::Check { questions, verbose } => {
                cli::questions_check(&questions, verbose, &mut stdout())?
            }
            QuestionsCommand::Export {
                format: Format::Json,
                seed,
                questions,
            } => cli::questions_export(&questions, seed, &mut stdout())?,
        },
    };
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn serve(args: ServeArgs) -> anyhow::Result<bool> {
    chronicle::alloc::return_large_blocks_to_the_system();
    chronicle::telemetry::init();
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(Settings::from(args)).await?;
        app.run_until_stopped().await?;
        Ok(true)
    })
}
