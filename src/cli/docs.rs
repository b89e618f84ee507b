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

/// (file name, contents) of the man pages: `tracediag.1`, one `tracediag-<sub>.1` per
/// subcommand, and one `tracediag-<sub>-<subsub>.1` per nested subcommand (`profile trigger`).
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command();
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let mut pages = Vec::new();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    pages.push(("tracediag.1".to_string(), buf));
    sub_pages(&cmd, "tracediag", &version, &mut pages)?;
    Ok(pages)
}

/// The pages of `cmd`'s subcommands and theirs, named `<prefix>-<name>.1`.
fn sub_pages(
    cmd: &clap::Command,
    prefix: &str,
    version: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("{prefix}-{}", sub.get_name());
        let page_cmd = sub.clone().name(name.clone()).version(version.to_string());
        let mut buf = Vec::new();
        clap_mangen::Man::new(page_cmd).render(&mut buf)?;
        pages.push((format!("{name}.1"), buf));
        sub_pages(sub, &name, version, pages)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{man_pages, Cli};

    /// Every command a user can type, nested ones included, as `tracediag-a-b`.
    fn command_paths(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{prefix}-{}", sub.get_name());
            command_paths(sub, &name, out);
            out.push(name);
        }
    }

    #[test]
    fn every_subcommand_has_a_man_page() {
        let pages: Vec<String> = man_pages()
            .expect("pages")
            .into_iter()
            .map(|p| p.0)
            .collect();
        let mut paths = Vec::new();
        command_paths(&Cli::command(), "tracediag", &mut paths);
        assert!(paths.contains(&"tracediag-profile-trigger".to_string()));
        assert!(paths.contains(&"tracediag-profile-compare".to_string()));
        for path in paths {
            assert!(
                pages.contains(&format!("{path}.1")),
                "no man page for {path}"
            );
        }
    }
}
