"""TaskRunner: results on the GUI thread with their key and generation, priorities, time
limits that give up on a thread, cancelling, the idle signal, and shutting down."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from viewer.errors import DecodeError, TimeLimitError
from viewer.ui.tasks import TaskResult, TaskRunner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    tasks = TaskRunner(max_threads=1)
    yield tasks
    assert tasks.shutdown(5_000), "a test left a task running"


def test_results_arrive_on_the_gui_thread_with_key_and_generation(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    got: list[tuple[TaskResult, QThread]] = []
    with qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.submit(lambda r: got.append((r, QThread.currentThread())), "k", 7, pow, 2, 10)
    ((result, thread),) = got
    assert (result.key, result.generation, result.value, result.error) == ("k", 7, 1024, None)
    app = QApplication.instance()
    assert app is not None and thread is app.thread()


def test_errors_come_back_and_bugs_are_logged(
    qtbot: QtBot, runner: TaskRunner, expected_logs: list[str]
) -> None:
    expected_logs.append(r"unexpected error in a worker \(bug\)")
    got: list[TaskResult] = []

    def damaged() -> None:
        raise DecodeError(__import__("pathlib").Path("x.jpg"), "damaged")

    with qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.submit(got.append, "ours", 0, damaged)
        runner.submit(got.append, "bug", 0, lambda: 1 / 0)
    errors = {result.key: result.error for result in got}
    assert isinstance(errors["ours"], DecodeError)
    assert isinstance(errors["bug"], ZeroDivisionError)


def test_higher_priority_leaves_the_queue_first(qtbot: QtBot, runner: TaskRunner) -> None:
    gate = threading.Event()
    order: list[str] = []
    runner.submit(lambda _r: None, "gate", 0, gate.wait, 5)
    for name, priority in (("low", -1), ("high", 3), ("mid", 1)):
        runner.submit(lambda r: order.append(r.key), name, 0, str, name, priority=priority)
    with qtbot.waitSignal(runner.idle, timeout=5_000):
        gate.set()
    assert order == ["high", "mid", "low"]


def test_a_queued_task_can_be_cancelled(qtbot: QtBot, runner: TaskRunner) -> None:
    gate = threading.Event()
    delivered: list[str] = []
    runner.submit(lambda _r: None, "gate", 0, gate.wait, 5)
    queued = runner.submit(lambda r: delivered.append(r.key), "queued", 0, str, "x")
    assert runner.cancel(queued)
    with qtbot.waitSignal(runner.idle, timeout=5_000):
        gate.set()
    assert delivered == []


def test_a_task_over_its_time_limit_is_given_up_on(
    qtbot: QtBot, runner: TaskRunner, expected_logs: list[str]
) -> None:
    """The caller hears at once; the pool gets a thread so the queue moves on; the late
    result is dropped."""
    expected_logs.append("gave up waiting for slow")
    release = threading.Event()
    got: list[TaskResult] = []
    runner.submit(got.append, "slow", 0, release.wait, 30, time_limit=0.05)
    runner.submit(got.append, "quick", 0, str, "done")
    qtbot.waitUntil(lambda: {r.key for r in got} == {"slow", "quick"}, timeout=5_000)
    slow = next(r for r in got if r.key == "slow")
    assert isinstance(slow.error, TimeLimitError)
    assert runner.abandoned_count() == 1
    with qtbot.waitSignal(runner.idle, timeout=5_000):
        release.set()
    assert [r.key for r in got].count("slow") == 1, "the late result was dropped"


def test_shutdown_says_when_a_thread_is_still_stuck(qapp: QApplication) -> None:
    stuck = TaskRunner(max_threads=1)
    release = threading.Event()
    stuck.submit(lambda _r: None, "stuck", 0, release.wait, 30)
    try:
        assert not stuck.shutdown(50), "a thread blocked on something is reported"
    finally:
        release.set()
        assert stuck.shutdown(5_000)
