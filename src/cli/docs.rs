//! Shell completions and man pages, generated from the clap definitions. The committed copies
//! in `completions/` and `man/` are checked against these by `tests/generated_docs.rs`.

use clap_complete::Shell;

use super::args::Cli;

/// (file name, contents) of every completion script.
pub fn completions() -> Vec<(String, Vec<u8>)> {
    let shells = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ];
    shells
        .iter()
        .map(|&shell| {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "tracediag", &mut buf);
            let name = match shell {
                Shell::Bash => "tracediag.bash".to_string(),
                Shell::Zsh => "_tracediag".to_string(),
                Shell::Fish => "tracediag.fish".to_string(),
                Shell::PowerShell => "_tracediag.ps1".to_string(),
                Shell::Elvish => "tracediag.elv".to_string(),
                _ => format!("tracediag.{shell}"),
            };
            (name, buf)
        })
        .collect()
}

/// (file name, contents) of the man pages: `tracediag.1` and one `tracediag-<sub>.1` per
/// subcommand.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut pages = Vec::new();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    pages.push(("tracediag.1".to_string(), buf));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("tracediag-{}", sub.get_name());
        let page_cmd = sub
            .clone()
            .name(name.clone())
            .version(cmd.get_version().unwrap_or_default().to_string());
        let mut buf = Vec::new();
        clap_mangen::Man::new(page_cmd).render(&mut buf)?;
        pages.push((format!("{name}.1"), buf));
    }
    Ok(pages)
}
