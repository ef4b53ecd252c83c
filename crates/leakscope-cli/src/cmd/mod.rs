//! One module per verb. Each defines `Args` (clap) and `run(Args) -> anyhow::Result<i32>`
//! returning the exit code (see `exit.rs`).

pub mod accuracy;
pub mod bench;
pub mod bench_cost;
pub mod bench_wide;
pub mod case;
pub mod claim;
pub mod claim_render;
pub mod corpus;
pub mod db_args;
pub mod demo;
pub mod demo_cases;
pub mod demo_web;
pub mod detect;
pub mod exposure;
pub mod generate;
pub mod index;
pub mod init;
pub mod inspect;
pub mod obligations;
pub mod read_args;
pub mod scan;
pub mod serve;
pub mod user;
pub mod verify;
pub mod watch;
