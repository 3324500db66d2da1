"""The app's imports run in a child process (gkassist.isolation): the same result as in-process,
refusals passed on in Chinese, and a child that hangs, dies or runs out of memory is killed or
answered for, never the server's problem. A stand-in child (tests/stand_in_child.py) plays the
misbehaving ones through the real pipes."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.importers import ReportReadError, import_bytes
from gkassist.isolation import runner
from gkassist.limits import MB
from tests import hostile

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real"
EXAMPLE = ROOT / "gkassist" / "examples" / "example-2021.json"


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(runner, "CHILD_MODULE", "tests.stand_in_child")
    return monkeypatch


@pytest.mark.parametrize("name", ["201.html", "203.txt", "211.pdf"])
def test_the_child_reads_a_report_exactly_as_in_process(name: str) -> None:
    data = (REAL / name).read_bytes()
    assert runner.import_isolated(data, name) == import_bytes(data, name)


def test_a_refusal_comes_back_as_the_same_chinese_message() -> None:
    bomb = hostile.zip_bomb(300 * MB)
    with pytest.raises(ReportReadError) as direct:
        import_bytes(bomb, "bomb.docx")
    with pytest.raises(ReportReadError) as isolated:
        runner.import_isolated(bomb, "bomb.docx")
    assert str(isolated.value) == str(direct.value)


def test_an_upload_over_the_limit_starts_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "Child", lambda: pytest.fail("a child was started"))
    with pytest.raises(ReportReadError, match="超过了导入上限"):
        runner.import_isolated(b"x" * (20 * MB + 1), "big.txt")


def test_a_child_that_does_not_answer_is_killed_at_the_deadline(stand_in: pytest.MonkeyPatch) -> None:
    stand_in.setenv("GKASSIST_TEST_CHILD", "hang")
    stand_in.setattr(runner, "CHILD_GRACE", 1.0)
    stand_in.setattr(runner, "child_seconds", lambda: 1.0)
    started: list[runner.Child] = []
    real_child = runner.Child

    def tracked() -> runner.Child:
        started.append(real_child())
        return started[-1]

    stand_in.setattr(runner, "Child", tracked)
    with pytest.raises(ReportReadError, match="用时过长"):
        runner.import_isolated(EXAMPLE.read_bytes(), "a.json")
    assert started and started[0].proc.poll() is not None  # killed, not left running


def test_a_child_that_is_killed_mid_import_is_reported(stand_in: pytest.MonkeyPatch) -> None:
    stand_in.setenv("GKASSIST_TEST_CHILD", "die")
    with pytest.raises(ReportReadError, match="意外退出"):
        runner.import_isolated(EXAMPLE.read_bytes(), "a.json")


def test_the_childs_memory_cap_turns_a_runaway_import_into_a_message(stand_in: pytest.MonkeyPatch) -> None:
    stand_in.setenv("GKASSIST_TEST_CHILD", "hog")  # the import asks for 4 GB; the cap is 768 MB
    with pytest.raises(ReportReadError, match="内存超过了上限"):
        runner.import_isolated(EXAMPLE.read_bytes(), "a.json")


def test_an_audit_batch_goes_on_after_a_file_kills_its_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """One child for the batch; the file that takes it down gets a reason, the next file a new child."""
    real_child = runner.Child
    started: list[runner.Child] = []

    def next_child() -> runner.Child:
        started.append(real_child())
        return started[-1]

    def ask(self: runner.Child, task: str, name: str, data: bytes) -> dict[str, object]:
        if name == "killer.txt":
            self.kill()
            raise runner.IsolationError(runner.CHILD_DIED)
        return real_ask(self, task, name, data)

    real_ask = runner.Child.ask
    monkeypatch.setattr(runner, "Child", next_child)
    monkeypatch.setattr(real_child, "ask", ask)
    text = (REAL / "203.txt").read_bytes()
    results = runner.audit_isolated(
        [("a.txt", text), ("killer.txt", text), ("bomb.docx", hostile.zip_bomb(300 * MB)), ("b.txt", text),
         ("big.txt", b"x" * (20 * MB + 1))]
    )  # fmt: skip
    assert [r.readable for r in results] == [True, False, False, True, False]
    assert "意外退出" in results[1].reason and "64 MB" in results[2].reason and "20 MB" in results[4].reason
    assert len(started) == 2 and all(c.proc.poll() is not None for c in started)
