//! `perfmod man`: man pages generated from the command-line definition, one
//! per subcommand (perfmod-check(1), ...), as the top page's SEE ALSO promises.
use super::ExitStatus;
use crate::cli::{Cli, ManArgs};
use anyhow::{bail, Context};
use clap::CommandFactory;
use std::io::Write;

pub fn run_man(args: &ManArgs) -> anyhow::Result<ExitStatus> {
    // Built, so subcommands carry their full names ("perfmod check") into the pages.
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        clap_mangen::generate_to(command, dir).with_context(|| format!("writing man pages to {}", dir.display()))?;
        return Ok(ExitStatus::Success);
    }
    for name in &args.subcommand {
        command = match command.find_subcommand(name).filter(|c| !c.is_hide_set()) {
            Some(sub) => sub.clone(),
            None => bail!("no subcommand `{name}` (see `perfmod --help`)"),
        };
    }
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(command).render(&mut out)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
