"""``gkassist user …`` and ``gkassist agency …``: Chinese messages, exit codes, passwords never in argv."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gkassist.cli import main
from gkassist.storage.accounts import AccountStore
from tests.account_db import BACKENDS, database_url
from tests.actors import admin

AGENCY = "某某市生态环境局"
PASSWORD = "Correct-Horse-9"  # a test password, hashed by the code under test
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The commands use the app's database: GKASSIST_DATABASE_URL."""
    for url in database_url(request, tmp_path):
        monkeypatch.setenv("GKASSIST_DATABASE_URL", url)
        yield url


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_first_administrator_then_agency_and_clerk(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(monkeypatch, capsys, "user", "list")
    assert code == 0 and "还没有账号" in out and "管理员" in out
    code, out, _ = run(monkeypatch, capsys, "user", "add", "admin", "--role", "管理员", "--password-stdin",
                       stdin=PASSWORD + "\n")
    assert (code, out.strip()) == (0, "已新增管理员账号“admin”。")
    assert run(monkeypatch, capsys, "agency", "add", AGENCY)[:2] == (0, f"已新增单位“{AGENCY}”。\n")
    code, out, _ = run(monkeypatch, capsys, "user", "add", "zhang", "--role", "填报人", "--agency", AGENCY,
                       "--display-name", "张三", "--password-stdin", stdin=PASSWORD + "\r\n")
    assert code == 0 and f"所属单位：{AGENCY}" in out
    code, out, _ = run(monkeypatch, capsys, "user", "list")
    assert code == 0 and f"zhang\t张三\t填报人\t{AGENCY}\t正常" in out
    code, out, _ = run(monkeypatch, capsys, "agency", "list")
    assert (code, out) == (0, AGENCY + "\n")
    store = AccountStore(db_url)
    assert store.verify_password("zhang", PASSWORD).ok  # the line ending is not part of the password
    actions = [(e.action, e.actor.startswith("命令行"), e.source.startswith("命令行@")) for e in store.audit_entries(actor=admin())]
    assert actions[:3] == [("user_added", True, True), ("agency_added", True, True), ("user_added", True, True)]
    store.engine.dispose()


def test_disable_and_passwd(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run(monkeypatch, capsys, "user", "add", "admin", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    code, out, _ = run(monkeypatch, capsys, "user", "passwd", "admin", "--password-stdin", stdin="New-Password-8\n")
    assert (code, out.strip()) == (0, "已修改账号“admin”的密码。")
    code, out, _ = run(monkeypatch, capsys, "user", "disable", "admin")
    assert code == 0 and "不能再登录" in out
    code, out, _ = run(monkeypatch, capsys, "user", "list")
    assert "已停用" in out
    store = AccountStore(db_url)
    assert not store.verify_password("admin", PASSWORD).ok
    result = store.verify_password("admin", "New-Password-8")
    assert not result.ok and "已停用" in result.message_zh
    store.engine.dispose()


@pytest.mark.parametrize(
    ("argv", "stdin", "says"),
    [
        (("user", "add", "li", "--role", "超级用户", "--password-stdin"), PASSWORD, "没有“超级用户”这个角色。可选的角色：填报人、审核人、管理员"),
        (("user", "add", "li", "--role", "填报人", "--password-stdin"), PASSWORD, "至少需要一个所属单位"),
        (("user", "add", "li", "--role", "填报人", "--agency", "不存在的局", "--password-stdin"), PASSWORD, "请先用 gkassist agency add 添加"),
        (("user", "add", "li", "--role", "管理员", "--password-stdin"), "", "标准输入中没有密码"),
        (("user", "add", "li", "--role", "管理员", "--password-stdin"), "x" * 9000, "密码过长"),
        (("user", "add", "li", "--role", "管理员", "--password-stdin"), "short\n", "密码太短"),
        (("user", "add", "li", "--role", "管理员"), "", "没有可以输入密码的终端"),
        (("user", "passwd", "nobody", "--password-stdin"), PASSWORD, "找不到账号“nobody”"),
        (("user", "disable", "nobody"), "", "找不到账号“nobody”"),
        (("agency", "add", "局"), "", "单位名称不符合要求"),
        (("user", "add", "li", "--role", "管理员", "--password", PASSWORD), "", "无法识别的参数"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                                                  stdin: str, says: str) -> None:
    code, out, err = run(monkeypatch, capsys, *argv, stdin=stdin)
    assert code == 2 and says in err and "Traceback" not in err + out
    if "--password" not in argv:  # argparse repeats an unknown argument, as typed
        assert PASSWORD not in err + out


def test_prompted_password_is_asked_twice(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter([PASSWORD, "Something-Else-1"])
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(answers))
    monkeypatch.setattr(sys, "stdin", _Terminal())
    code = main(["user", "add", "admin", "--role", "管理员"])
    assert code == 2 and "两次输入的密码不一致" in capsys.readouterr().err
    code = main(["user", "add", "li", "--role", "填报人", "--agency", "不存在的局"])
    assert code == 2 and "不存在" in capsys.readouterr().err
    assert len(prompts) == 2  # a wrong agency is said before the password is asked
    assert prompts == ["请输入密码（输入时不显示）：", "请再次输入密码："]
    answers = iter([PASSWORD, PASSWORD])
    assert main(["user", "add", "admin", "--role", "管理员"]) == 0
    store = AccountStore(db_url)
    assert store.verify_password("admin", PASSWORD).ok
    store.engine.dispose()


def test_an_unreachable_database_is_said_in_chinese(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setenv("GKASSIST_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'folder' / 'gk.db'}")
    code, _, err = run(monkeypatch, capsys, "agency", "list")
    assert code == 2 and "失败：" in err and "Traceback" not in err


def test_the_installed_command_reads_the_password_from_stdin(tmp_path: Path) -> None:
    env = {**os.environ, "GKASSIST_DATABASE_URL": f"sqlite:///{tmp_path / 'gk.db'}", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "gkassist", "user", "add", "admin", "--role", "管理员", "--password-stdin"],
                          input=PASSWORD + "\n", capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "已新增管理员账号“admin”。", "")
    data = (tmp_path / "gk.db").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("gk.db-*"))
    assert PASSWORD.encode() not in data and b"$argon2id$" in data


def test_account_commands_do_not_slow_the_others() -> None:
    code = ("import sys; from gkassist.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('sqlalchemy', 'argon2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False).stdout
    assert out.strip() == "[]"


def test_single_sign_on_identities_are_linked_from_the_command_line(
        db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from gkassist.storage.identities import IdentityStore

    assert run(monkeypatch, capsys, "agency", "add", AGENCY)[0] == 0
    code, out, _ = run(monkeypatch, capsys, "user", "add", "zhang", "--role", "填报人", "--agency", AGENCY,
                       "--email", "Zhang@Example.gov.cn", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0 and "已将电子邮箱“zhang@example.gov.cn”关联到账号“zhang”" in out
    code, _, err = run(monkeypatch, capsys, "user", "add", "li", "--role", "填报人", "--agency", AGENCY,
                       "--email", "zhang@example.gov.cn", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2 and "已关联到另一个账号" in err  # refused before the account is made
    code, _, err = run(monkeypatch, capsys, "user", "link", "zhang", "--email", "not-an-email")
    assert code == 2 and "格式不正确" in err
    code, _, err = run(monkeypatch, capsys, "user", "link", "zhang")
    assert code == 2 and "--email" in err
    code, out, _ = run(monkeypatch, capsys, "user", "link", "zhang", "--oidc-subject", "sub-42")
    assert code == 0 and "sub" in out
    store = AccountStore(db_url)
    assert [a.username for a in store.list_users(actor=admin())] == ["zhang"]
    assert IdentityStore(store).of("zhang") == [("email", "zhang@example.gov.cn"), ("subject", "sub-42")]
    assert [e.action for e in store.audit_entries(actor=admin())][-1] == "identity_linked"
    store.engine.dispose()
