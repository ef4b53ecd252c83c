//! The database option of every verb that keeps records in the data directory's database
//! (`claim`, `watch`, `case`, `user`, `exposure`): one definition, one help text.

/// Where the records live: the data directory's SQLite database, or a team's PostgreSQL.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DbArgs {
    /// PostgreSQL URL (`postgres://…`) instead of the data directory's SQLite database.
    #[arg(long, global = true, value_name = "URL")]
    pub database: Option<String>,
}
