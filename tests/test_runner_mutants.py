"""The isolated query process's details that the end-to-end attacks
(tests/hostile/test_query_attacks.py) leave open, each guarding a mutant of
nkrel/sparql/runner.py (issue 20): the bounds of --timeout and --memory, the memory limit
counted from what the child already maps, the child's signal handlers and the parent's put
back, what the child prints kept off the terminal yet read for the memory messages, the
answer's size limit, a child that dies or closes its pipes early still waited for, and
every way a forged answer can be malformed."""

from __future__ import annotations

import decimal
import inspect
import os
import resource
import signal
import time

import pytest

from nkrel.sparql import runner
from nkrel.sparql.runner import RunError, check_memory, check_timeout, run_isolated

STOP = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class First(Exception):
    pass


class Second(Exception):
    pass


@pytest.fixture
def forked(monkeypatch) -> list[int]:
    """The ids of the children run_isolated forks, so that a test can check they were reaped."""
    real_fork, children = os.fork, []

    def fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return children


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


# ---- the options' bounds ------------------------------------------------------------------


@pytest.mark.parametrize("value", [86400, 86400.0, 0.001, 1, 30.5])
def test_timeouts_up_to_a_day_are_taken_as_seconds(value):
    assert check_timeout(value) == value and type(check_timeout(value)) is float


@pytest.mark.parametrize("value", [0, -0.0, -1, 86400.5, float("nan"), float("inf"), "5", None])
def test_timeouts_outside_a_day_or_not_numbers_are_refused(value):
    with pytest.raises(ValueError, match="above 0 and at most 86400"):
        check_timeout(value)


@pytest.mark.parametrize("value", [64, 65, 2048, 1 << 20])
def test_memory_from_64_mib_to_a_tib_is_taken(value):
    assert check_memory(value) == value


@pytest.mark.parametrize("value", [63, (1 << 20) + 1, 64.0, "64", None])
def test_memory_outside_its_bounds_or_not_whole_mib_is_refused(value):
    with pytest.raises(ValueError, match="from 64 to 1048576"):
        check_memory(value)


def test_the_defaults_are_those_of_nkrel_query():
    """`nkrel ask` leaves the memory limit to run_isolated's default."""
    from nkrel.cli.query import query

    options = {p.name: p.default for p in query.params}
    defaults = inspect.signature(run_isolated).parameters
    assert (defaults["timeout"].default, defaults["memory_mb"].default) == (options["timeout"], options["memory"])


# ---- the memory limit -----------------------------------------------------------------------


def test_the_memory_limit_is_counted_from_what_the_child_already_maps():
    # 56 of the 64 MiB: more than an absolute limit of 64 MiB would leave (Python maps some already)
    assert run_isolated(lambda: len(bytearray(56 << 20)), memory_mb=64) == 56 << 20
    with pytest.raises(RunError) as e:
        run_isolated(lambda: len(bytearray(256 << 20)), memory_mb=64)
    assert str(e.value) == "the query needed more than the 64 MiB memory limit and was stopped (--memory)"


def test_the_work_runs_when_proc_status_cannot_be_read(monkeypatch):
    def unreadable(*args, **kwargs):
        raise PermissionError("/proc/self/status")

    monkeypatch.setattr(runner, "open", unreadable, raising=False)  # the module's open, not the builtin
    assert run_isolated(lambda: 1, memory_mb=1 << 20) == 1


@pytest.mark.parametrize("error", [ValueError, OSError])
def test_the_work_runs_when_the_limit_cannot_be_set(monkeypatch, error):
    def refuse(*args):
        raise error("not permitted")

    monkeypatch.setattr(resource, "setrlimit", refuse)
    assert run_isolated(lambda: 1) == 1


def test_an_answer_larger_than_the_memory_limit_is_refused(monkeypatch):
    """The parent stops reading at the limit, to the byte, whatever the child sends: the child's
    own limit is lifted here, as a child subverted by a flaw in the store could."""
    monkeypatch.setattr(runner, "_limit_memory", lambda extra_mb: None)
    n = (64 << 20) - len(runner.encode(("ok", "")))  # the text that makes an answer of 64 MiB
    assert len(run_isolated(lambda: "a" * n, memory_mb=64)) == n
    with pytest.raises(RunError, match="answer is larger than the 64 MiB memory limit"):
        run_isolated(lambda: "a" * (n + 1), memory_mb=64)


# ---- signals ------------------------------------------------------------------------------


def test_the_child_has_the_default_handlers_and_the_callers_signal_mask():
    mask = sorted(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    def inside():
        handlers = [signal.getsignal(sig) == signal.SIG_DFL for sig in STOP]
        return handlers, sorted(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    assert run_isolated(inside) == ([True, True, True], mask)


def own_handlers() -> list:
    """Handlers of the caller's own for the stop signals, set now: a run must leave these, not
    whatever an earlier test left (the caller puts its previous ones back)."""
    handlers = [lambda signum, frame: None for _ in STOP]
    for sig, handler in zip(STOP, handlers, strict=True):
        signal.signal(sig, handler)
    return handlers


def test_the_parents_handlers_and_mask_are_put_back_after_a_run():
    previous = [signal.getsignal(sig) for sig in STOP]
    try:
        handlers, mask = own_handlers(), signal.pthread_sigmask(signal.SIG_BLOCK, [])
        assert run_isolated(lambda: 1) == 1
        assert [signal.getsignal(sig) for sig in STOP] == handlers
        assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask
    finally:
        for sig, handler in zip(STOP, previous, strict=True):
            signal.signal(sig, handler)


def test_a_fork_that_fails_puts_back_the_handlers_and_the_mask(monkeypatch):
    def no_fork():
        raise BlockingIOError("fork: Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    previous = [signal.getsignal(sig) for sig in STOP]
    try:
        handlers, mask = own_handlers(), signal.pthread_sigmask(signal.SIG_BLOCK, [])
        with pytest.raises(BlockingIOError):
            run_isolated(lambda: 1)
        assert [signal.getsignal(sig) for sig in STOP] == handlers
        assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask
    finally:
        for sig, handler in zip(STOP, previous, strict=True):
            signal.signal(sig, handler)


# ---- what the child prints, and how it ends --------------------------------------------------


def test_what_the_child_prints_never_reaches_the_terminal(capfd):
    def noisy():
        os.write(2, b"noise " * 40_000)  # 240 KB, past the 64 KiB kept
        return "x" * (1 << 20)  # an answer of many reads

    assert run_isolated(noisy) == "x" * (1 << 20)
    assert capfd.readouterr().err == ""


def test_a_memory_message_printed_after_the_answer_pipe_closed_is_still_read():
    def dies_of_memory():
        os.closerange(3, 1024)  # the answer's pipe closes first; stderr (fd 2) stays open
        time.sleep(0.3)
        os.write(2, b"memory allocation of 4096 bytes failed\n")
        os._exit(3)

    with pytest.raises(RunError) as e:
        run_isolated(dies_of_memory, memory_mb=256)
    assert str(e.value) == "the query needed more than the 256 MiB memory limit and was stopped (--memory)"


@pytest.mark.parametrize(("noise_kib", "read"), [(40, True), (100, False)])
def test_only_the_first_64_kib_the_child_prints_are_read_for_a_memory_message(noise_kib, read):
    """A child cannot make the parent hold more than 64 KiB of its stderr (and a chunk)."""

    def noisy_then_out_of_memory():
        os.write(2, b"." * (noise_kib << 10))
        time.sleep(0.3)  # the message comes in a read of its own
        os.write(2, b"out of memory\n")
        os._exit(3)

    with pytest.raises(RunError) as e:
        run_isolated(noisy_then_out_of_memory, memory_mb=256)
    assert ("memory limit" in str(e.value)) is read, str(e.value)


@pytest.mark.parametrize(
    ("work", "message"),
    [
        (lambda: os._exit(3), "the probe process died (exit 3)"),
        (lambda: os.kill(os.getpid(), signal.SIGKILL), "the probe process died (signal SIGKILL)"),
        (lambda: os.kill(os.getpid(), signal.SIGTERM), "the probe process died (signal SIGTERM)"),
    ],
)
def test_a_child_that_dies_without_saying_why_is_not_said_to_be_out_of_memory(work, message):
    with pytest.raises(RunError) as e:
        run_isolated(work, what="probe")
    assert str(e.value) == message


def _raise(error):
    raise error


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RunError("over its budget"), "over its budget"),
        (ValueError("boom"), "probe failed: boom"),
        (MemoryError(), "the probe needed more than the 2048 MiB memory limit and was stopped (--memory)"),
    ],
)
def test_errors_of_the_work_come_back_as_one_line(error, message):
    with pytest.raises(RunError) as e:
        run_isolated(lambda: _raise(error), what="probe")
    assert type(e.value) is RunError and str(e.value) == message


def test_a_child_that_closes_its_pipes_early_is_still_waited_for(forked):
    def closes_early():
        os.closerange(2, 1024)
        time.sleep(1)

    with pytest.raises(RunError, match="process died"):
        run_isolated(closes_early)
    assert reaped(forked[0]), "the query process was left running (or a zombie)"


def test_a_timed_out_child_is_killed_and_reaped(forked):
    with pytest.raises(RunError, match="ran longer than the 1 s timeout"):
        run_isolated(lambda: time.sleep(30), timeout=1)
    assert reaped(forked[0])


def test_an_answer_in_the_last_second_before_the_deadline_is_taken():
    assert run_isolated(lambda: time.sleep(2) or "in time", timeout=2.8) == "in time"


def test_an_answer_half_a_second_after_the_deadline_is_not_taken():
    with pytest.raises(RunError, match="ran longer than the 1 s timeout"):
        run_isolated(lambda: time.sleep(1.5) or "late", timeout=1)


# ---- the answer's data ----------------------------------------------------------------------


def test_text_beyond_ascii_comes_back_whole():
    assert run_isolated(lambda: ["é", "北朝鮮", "🐢"]) == ["é", "北朝鮮", "🐢"]


@pytest.mark.parametrize("value", [{1: "a"}, {"k": {2.5: "a"}}, {"k": object()}, {"a", "b"}])
def test_mappings_without_text_keys_and_other_types_are_not_data(value):
    with pytest.raises(RunError, match="its answer is not data"):
        run_isolated(lambda: value)


def forge(monkeypatch, data: bytes) -> None:
    """The child sends these bytes as its answer, as a subverted child could."""
    monkeypatch.setattr(runner, "encode", lambda payload: data)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b'["reported",[0,"m"]]', First),
        (b'["reported",[1,"m"]]', Second),
    ],
)
def test_a_reported_error_names_its_class_by_its_place(monkeypatch, data, error):
    forge(monkeypatch, data)
    with pytest.raises(error) as e:
        run_isolated(lambda: 1, reported=(First, Second))
    assert type(e.value) is error and str(e.value) == "m"


@pytest.mark.parametrize(
    "data",
    [
        # a reported error naming no listed class, or without a message
        b'["reported",[2,"m"]]',
        b'["reported",[-1,"m"]]',
        b'["reported",["0","m"]]',
        b'["reported",[true,"m"]]',
        b'["reported",[0.0,"m"]]',
        b'["reported",[0,5]]',
        b'["reported",[0,null]]',
        # not a (kind, value) pair of a known kind
        b"5",
        b'["ok"]',
        b'{"m":{}}',
        b'["what",1]',
        b'["error",5]',
        b"[" * 100_000 + b"]" * 100_000,
        # tags that are unknown or badly formed
        b'["ok",{"d":"abc"}]',
        b'["ok",{"b":"!!!!"}]',
        b'["ok",{"x":{}}]',
        b'["ok",{"m":[1]}]',
        b'["ok",{"b":"QQ==","d":"1"}]',
        b'["ok",{}]',
    ],
)
def test_a_forged_answer_that_is_not_well_formed_is_refused(monkeypatch, data):
    forge(monkeypatch, data)
    with pytest.raises(RunError, match="gave an answer that is not well-formed data"):
        run_isolated(lambda: 1, reported=(First, Second))


def test_a_forged_answer_of_tagged_values_is_read_back(monkeypatch):
    forge(monkeypatch, b'["ok",{"m":{"k":{"t":[1,{"b":"QQ=="},{"d":"1.50"}]}}}]')
    assert run_isolated(lambda: None) == {"k": (1, b"A", decimal.Decimal("1.50"))}
