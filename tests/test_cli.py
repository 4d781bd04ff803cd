"""The command line: every command documented, and the README in agreement with it."""

import importlib
import pkgutil
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import warta.commands
from warta.cli import COMMAND_MODULES, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def all_commands(group=main, path=("warta",)):
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*path, name))


COMMANDS = list(all_commands())


def test_the_cli_has_the_expected_commands():
    names = {" ".join(path[1:]) for path, _ in COMMANDS}
    assert {"crawl", "demo"} <= names


def test_every_command_of_every_module_is_reachable_by_its_name():
    listed = {}
    for module in pkgutil.iter_modules(warta.commands.__path__):
        for command in getattr(importlib.import_module(f"warta.commands.{module.name}"),
                               "COMMANDS", ()):
            listed[command.name] = module.name
    assert listed == COMMAND_MODULES
    assert CliRunner().invoke(main, ["nosuch"]).exit_code == 2


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_takes_config_and_db(path, command):
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    # the demo writes its own config, so it offers no --config to be ignored
    assert ({"--db"} if path[1:] == ("demo",) else {"--config", "--db"}) <= options
    assert path[1:] != ("demo",) or "--config" not in options
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help text"
    result = CliRunner().invoke(main, [*path[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def readme_commands(program: str) -> list[list[str]]:
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", README, flags=re.DOTALL)
    lines = [
        re.split(r"\s[#|>]", line)[0].strip() for block in blocks for line in block.splitlines()
    ]
    return [shlex.split(line) for line in lines if line.startswith(program + " ")]


def test_quick_start_is_exactly_two_make_commands_that_exist():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, flags=re.DOTALL).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        recipe = re.search(rf"^{target}: (.*)$", makefile, flags=re.MULTILINE)
        assert recipe and "$(STAMP)" in recipe.group(1), f"make {target} must set up .venv first"
    assert "-m venv" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("words", readme_commands("warta"), ids=lambda w: " ".join(w))
def test_readme_warta_commands_parse(words):
    command, args, name = main, words[1:], "warta"
    while isinstance(command, click.Group) and args and \
            args[0] in command.list_commands(click.Context(command)):
        name, command, args = args[0], command.get_command(click.Context(command), args[0]), args[1:]
    assert command is not main, f"README names an unknown command: {' '.join(words)}"
    command.make_context(name, list(args))  # raises on an unknown option or a bad value


def test_readme_mentions_every_top_level_command():
    for name in COMMAND_MODULES:
        assert f"warta {name}" in README, f"README does not mention `warta {name}`"


def test_scrapy_sees_the_project_from_the_root():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["news"]


def test_crawl_refuses_an_unknown_source_or_a_bad_database_before_crawling(tmp_path):
    config = tmp_path / "warta.toml"
    config.write_text(
        f'database = "{tmp_path / "warta.db"}"\n[watch]\nterms = ["Kemenham"]\n'
        '[[sources]]\nname = "contoh"\nfeeds = ["http://127.0.0.1:9/rss"]\n',
        encoding="utf-8",
    )
    unknown = CliRunner().invoke(main, ["crawl", "--config", str(config), "--source", "lain"])
    assert unknown.exit_code == 1 and "no source named 'lain'" in unknown.output
    not_sqlite = tmp_path / "catatan.db"
    not_sqlite.write_text("bukan database", encoding="utf-8")
    bad = CliRunner().invoke(main, ["crawl", "--config", str(config), "--db", str(not_sqlite)])
    assert bad.exit_code == 1 and "not a SQLite database" in bad.output
    bare = tmp_path / "bare.toml"
    bare.write_text(f'database = "{tmp_path / "warta.db"}"\n[watch]\nterms = ["Kemenham"]\n',
                    encoding="utf-8")
    nothing = CliRunner().invoke(main, ["crawl", "--config", str(bare)])
    assert nothing.exit_code == 1 and "no [[sources]] to crawl" in nothing.output
    assert not (tmp_path / "warta.db").exists()  # nothing was started


def test_without_a_config_a_command_points_to_the_demo_config_where_the_demo_ran(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    before = runner.invoke(main, ["status"])
    digest_before = runner.invoke(main, ["digest"])
    demo_config = tmp_path / "data" / "demo" / "warta-demo.toml"
    demo_config.parent.mkdir(parents=True)
    demo_config.write_text('database = "data/demo/warta.db"\n', encoding="utf-8")
    after = runner.invoke(main, ["status"])
    digest_after = runner.invoke(main, ["digest"])
    elsewhere = runner.invoke(main, ["status", "--config", "mine.toml"])

    hint = "add --config data/demo/warta-demo.toml"
    assert before.exit_code == after.exit_code == 1
    assert "warta.toml: file not found" in after.output and hint in after.output
    assert hint not in before.output and hint not in digest_before.output
    assert "no database at data/warta.db" in digest_after.output and hint in digest_after.output
    assert hint not in elsewhere.output
