"""The window as a screen reader (Orca) sees it: the accessible tree over AT-SPI.

The real app runs on a virtual X display (Xvfb, Qt's xcb platform: the offscreen one has
no accessibility bridge) with a private session bus and the AT-SPI bus launcher started
before it. A separate /usr/bin/python3 process, with the system's pyatspi, walks the whole
tree from outside, as Orca would, and prints it as JSON: as the window opens; with Find
open and a letter typed (so that the field's clear button shows); with the Info panel
open too; with the thumbnails moved to the left (the main splitter's other handle shows).
The menu items are chosen through their AT-SPI actions, as a screen reader user would.

Recipe, in this order:
  1. ``Xvfb -displayfd FD -nolisten tcp``: the display number is read from FD once ready.
  2. ``dbus-daemon --session --nofork --print-address``: a private session bus.
  3. ``/usr/libexec/at-spi-bus-launcher --launch-immediately`` with DISPLAY and that bus;
     wait until it owns ``org.a11y.Bus`` on the session bus.
  4. The app with ``QT_QPA_PLATFORM=xcb`` and ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` (Qt
     registers with the AT-SPI bus only when asked: nothing turns accessibility on here).
  5. The walker polls (with a deadline) until the app's tree is there and has settled.
Each is a process group of its own, killed at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from viewer.model import load_manifest
from viewer.resources import bundled_gallery_path

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
STARTUP_SECONDS = 10.0  # Xvfb, the session bus, the AT-SPI bus: each well under a second
WALK_SECONDS = 20.0  # the walker's own deadline: the app's tree, then Find open
TYPED = "z"  # typed into Find: the clear button shows once the field holds text

Node = dict[str, Any]

# Roles a person interacts with or reads: each, when it is on screen, needs a name.
# Qt's splitter handles and size grips (QAccessible::Grip) have no AT-SPI role of their
# own and arrive as "unknown". Scroll bars are left out: they are announced by role and
# value, and toolkits leave them unnamed.
NAMED_ROLES = frozenset(
    {
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "text",
        "entry",
        "password text",
        "label",
        "list",
        "list box",
        "list item",
        "table",
        "table cell",
        "tree",
        "tree table",
        "tree item",
        "image",
        "icon",
        "menu item",
        "check menu item",
        "radio menu item",
        "page tab",
        "slider",
        "spin button",
        "combo box",
        "link",
        "progress bar",
        "separator",
        "unknown",
    }
)
# Containers need a name when a person can reach them: focusable themselves, or holding
# something focusable (a screen reader announces the container as the focus enters it).
CONTAINER_ROLES = frozenset(
    {
        "panel",
        "filler",
        "scroll pane",
        "split pane",
        "grouping",
        "section",
        "page tab list",
        "tool bar",
        "status bar",
        "menu bar",
        "frame",
        "window",
        "dialog",
        "viewport",
        "layered pane",
        "internal frame",
    }
)

# Runs under /usr/bin/python3 with the system's pyatspi. argv: the app's pid, seconds
# allowed, the text to type into Find. Prints one JSON object: "trees", each walk's flat
# tree by its moment (depth first, each node with its parents' "role 'name'" and its
# child index path), and "problems" (what could not be done, in words).
WALKER = r"""
import json
import sys
import time

import pyatspi
from gi.repository import Atspi

PID, DEADLINE, TYPED = int(sys.argv[1]), time.monotonic() + float(sys.argv[2]), sys.argv[3]


class Gone(Exception):
    pass


def alive():
    try:
        with open("/proc/%d/stat" % PID) as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def application():
    if not alive():
        raise Gone()
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.get_process_id() == PID:
            app.set_cache_mask(Atspi.Cache.NONE)  # every read asks the app itself
            app.clear_cache()
            return app
    return None


def states_of(node):
    return sorted(pyatspi.stateToString(s) for s in node.getState().getStates())


def walk(node, parents, index, out):
    try:
        entry = {
            "role": node.getRoleName(),
            "name": node.name or "",
            "description": node.description or "",
            "states": states_of(node),
            "children": node.childCount,
            "parents": parents,
            "index": index,
        }
    except Exception as error:
        out.append({"error": repr(error), "parents": parents, "index": index})
        return
    out.append(entry)
    label = "%s %r" % (entry["role"], entry["name"])
    for i in range(entry["children"]):
        try:
            child = node.getChildAtIndex(i)
        except Exception as error:
            out.append({"error": repr(error), "parents": parents + [label], "index": index + [i]})
            continue
        if child is not None:
            walk(child, parents + [label], index + [i], out)


def snapshot():
    try:
        app = application()
    except Gone:
        raise
    except Exception:
        return None
    if app is None:
        return None
    out = []
    walk(app, [], [], out)
    return out


def shown(node, role, *states):
    return node.get("role") == role and {"showing", "visible", *states} <= set(node["states"])


def settled(ready):
    # The same tree twice in a row, and ready(tree): None when the deadline passes first.
    previous = None
    while time.monotonic() < DEADLINE:
        tree = snapshot()
        if tree and not any("error" in n for n in tree) and ready(tree):
            if tree == previous:
                return tree
            previous = tree
        else:
            previous = None
        time.sleep(0.15)
    return None


def poll(get):
    while time.monotonic() < DEADLINE:
        try:
            value = get()
        except Gone:
            raise
        except Exception:
            value = None
        if value is not None:
            return value
        time.sleep(0.05)
    return None


def find(node, wanted):
    if wanted(node):
        return node
    for i in range(node.childCount):
        found = find(node.getChildAtIndex(i), wanted)
        if found is not None:
            return found
    return None


def press(name):
    # A menu item's action, as a screen reader user would choose it from the menu.
    def once():
        item = find(application(), lambda n: n.getRoleName() == "menu item" and n.name == name)
        return item is not None and item.queryAction().doAction(0)
    if not poll(once):
        problems.append("no menu item named %r could be chosen" % name)
        return False
    return True


def find_field():
    def wanted(n):
        return n.getRoleName() == "text" and {"editable", "showing"} <= set(states_of(n))
    return find(application(), wanted)


def clear_button(field):
    for i in range(field.childCount):
        child = field.getChildAtIndex(i)
        if child.getRoleName() == "push button" and "showing" in states_of(child):
            return child
    return None


def type_into_find():
    field = poll(find_field)
    if field is None:
        problems.append("Find did not open: no editable text showed after Edit > Find…")
        return False
    if not field.queryEditableText().setTextContents(TYPED):
        problems.append("the Find field refused the text typed into it")
        return False
    if poll(lambda: clear_button(field)) is None:
        problems.append("no push button (the clear button) showed in the Find field")
    return True


def step(label, menu_item, before, then=None):
    # Choose the menu item (then do more), and walk the tree once it has changed and settled.
    if not press(menu_item) or (then is not None and not then()):
        return None
    tree = settled(lambda tree: tree != before)
    if tree is None:
        problems.append("the tree did not change and settle after %r" % menu_item)
    else:
        trees[label] = tree
    return tree


problems = []
trees = {}
try:
    window = settled(
        lambda tree: any(shown(n, "frame") for n in tree)
        and any(shown(n, "list item", "selected") for n in tree)
    )
    if window is None:
        problems.append("the window's tree did not appear and settle (a frame, a selected "
                        "thumbnail) within the time allowed")
    else:
        trees["window"] = window
        tree = step("with Find open", "Find…", window, type_into_find)
        tree = tree and step("with the Info panel open", "Info Panel", tree)
        tree = tree and step("with the thumbnails on the left", "On the Left", tree)
except Gone:
    problems.append("the app exited")
print(json.dumps({"trees": trees, "problems": problems}))
"""


def _missing_tools() -> str | None:
    """What this test needs and this machine lacks, in words; None when all is there."""
    for tool in ("Xvfb", "dbus-daemon", "dbus-send"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: xvfb, dbus)"
    if not Path(BUS_LAUNCHER).is_file():
        return f"{BUS_LAUNCHER} is missing (Debian: at-spi2-core)"
    if not Path(SYSTEM_PYTHON).is_file():
        return f"{SYSTEM_PYTHON} is missing (it runs the pyatspi walker)"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-I", "-c", "import pyatspi"],
        capture_output=True,
        check=False,
        timeout=30,
    )
    if probe.returncode != 0:
        return f"{SYSTEM_PYTHON} has no pyatspi (Debian: python3-pyatspi)"
    return None


MISSING = "needs Linux" if sys.platform != "linux" else _missing_tools()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"AT-SPI tree not checked: {MISSING}")


def _read_line(fd: int, deadline: float, what: str) -> str:
    """One line from a pipe, waiting no later than ``deadline``."""
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"{what} did not start within {STARTUP_SECONDS} s")
        chunk = os.read(fd, 256)
        if not chunk:
            raise AssertionError(f"{what} exited while starting")
        data += chunk
    return data.decode().strip()


class Session:
    """The processes of one run, each in a process group of its own."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"WAYLAND_DISPLAY", "AT_SPI_BUS_ADDRESS", "SESSION_MANAGER"}
        }

    def start(self, args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            args, env=self.env, start_new_session=True, stdin=subprocess.DEVNULL, **kwargs
        )
        self.processes.append(process)
        return process

    def start_display(self, deadline: float) -> None:
        read_end, write_end = os.pipe()
        try:
            self.start(
                [
                    *("Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24"),
                    *("-nolisten", "tcp", "-noreset"),
                ],
                pass_fds=(write_end,),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            os.close(write_end)
            self.env["DISPLAY"] = ":" + _read_line(read_end, deadline, "Xvfb")
        finally:
            os.close(read_end)

    def start_session_bus(self, deadline: float) -> None:
        bus = self.start(
            [
                *("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"),
                f"--address=unix:dir={self.workdir}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert bus.stdout is not None
        try:
            self.env["DBUS_SESSION_BUS_ADDRESS"] = _read_line(
                bus.stdout.fileno(), deadline, "dbus-daemon"
            )
        finally:
            bus.stdout.close()

    def start_accessibility_bus(self, deadline: float) -> None:
        self.env["GSETTINGS_BACKEND"] = "memory"  # the launcher reads its settings only
        self.start(
            [BUS_LAUNCHER, "--launch-immediately"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ask = ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus"]
        ask += ["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner"]
        ask += ["string:org.a11y.Bus"]
        while time.monotonic() < deadline:
            reply = subprocess.run(
                ask, env=self.env, capture_output=True, text=True, timeout=5, check=False
            )
            if "boolean true" in reply.stdout:
                return
            time.sleep(0.05)
        raise AssertionError(f"at-spi-bus-launcher did not own org.a11y.Bus in {STARTUP_SECONDS} s")

    def start_app(self, log: Path) -> subprocess.Popen[bytes]:
        self.env.update(QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
        with log.open("wb") as output:
            return self.start(
                [sys.executable, str(ROOT / "main.py"), "--appearance", "light"],
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def walk(self, app_pid: int) -> dict[str, Any]:
        result = subprocess.run(
            [SYSTEM_PYTHON, "-I", "-c", WALKER, str(app_pid), str(WALK_SECONDS), TYPED],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=WALK_SECONDS + 10,
            check=False,
        )
        assert result.returncode == 0, f"the pyatspi walker failed:\n{result.stderr[-3000:]}"
        walked: dict[str, Any] = json.loads(result.stdout)
        return walked

    def stop(self) -> None:
        """Every process group, newest first: TERM, and KILL for what is left once its
        leader has exited (or not, 3 s later). A leader is reaped only after that, so
        that its group id cannot have gone to another process in between."""
        for process in reversed(self.processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and _running(process.pid):
                time.sleep(0.02)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # a bus daemon, the app's workers
            process.wait(timeout=10)


def _running(pid: int) -> bool:
    """Not exited yet; the process is left unreaped either way."""
    try:
        exited = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return False
    return exited is None


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The app's accessible tree as walked from outside: ``trees`` by the moment each was
    walked ("window" as it opens, "with Find open" with a letter typed, ...), ``problems``
    met on the way, in words, and ``log``, the end of the app's output."""
    home = tmp_path_factory.mktemp("atspi-home")
    # Sockets live here: a short path under /tmp keeps them within the 108-byte limit.
    workdir = Path(tempfile.mkdtemp(prefix="atspi-"))
    session = Session(workdir)
    session.env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_RUNTIME_DIR=str(workdir),
    )
    log = home / "app.log"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        session.start_display(deadline)
        session.start_session_bus(deadline)
        session.start_accessibility_bus(deadline)
        app = session.start_app(log)
        walked = session.walk(app.pid)
    finally:
        session.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    walked["log"] = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    walked["dump"] = home / "atspi-tree.txt"
    walked["dump"].write_text(_dump(walked["trees"]), encoding="utf-8")
    return walked


def _dump(trees: dict[str, list[Node]]) -> str:
    """Every node of every tree walked, indented: role, name, description, states, children."""
    lines = []
    for when, nodes in trees.items():
        lines.append(f"== {when}")
        for node in nodes:
            indent = "  " * len(node["parents"])
            if "error" in node:
                lines.append(f"{indent}(error: {node['error']})")
                continue
            lines.append(
                f"{indent}{node['role']} {node['name']!r} {node['description']!r} "
                f"[{', '.join(node['states'])}] {node['children']} children"
            )
    return "\n".join(lines) + "\n"


def _describe(node: Node) -> str:
    text = f"{node['role']} {node['name']!r}"
    if node.get("description"):
        text += f" (description {node['description'][:60]!r})"
    return text + " in " + (" > ".join(node["parents"]) or "the desktop")


def _shown(node: Node) -> bool:
    return {"showing", "visible"} <= set(node.get("states", ()))


def _needs_name(node: Node, tree: list[Node]) -> bool:
    if not _shown(node):
        return False
    if node["role"] in NAMED_ROLES:
        return True
    if node["role"] not in CONTAINER_ROLES:
        return False
    if "focusable" in node["states"]:
        return True
    depth = len(node["index"])
    return any(
        other["index"][:depth] == node["index"]
        and len(other["index"]) > depth
        and _shown(other)
        and "focusable" in other["states"]
        for other in tree
        if "index" in other and "states" in other
    )


def _unnamed(walked: dict[str, Any]) -> list[str]:
    """Each node on screen that needs a name and has none, once, with where it was seen."""
    found: dict[tuple[str, ...], list[str]] = {}
    for when, nodes in walked["trees"].items():
        for node in nodes:
            if "role" in node and not node["name"].strip() and _needs_name(node, nodes):
                key = (node["role"], *node["parents"], str(node["index"][-1:]))
                found.setdefault(key, [_describe(node)]).append(when)
    return [f"{text}  [{', '.join(whens)}]" for text, *whens in found.values()]


def _walked(walked: dict[str, Any]) -> None:
    if walked["problems"]:
        pytest.fail(
            "walking the tree went wrong: "
            + "; ".join(walked["problems"])
            + f"\napp output:\n{walked['log']}"
        )


def test_every_node_a_person_can_reach_or_see_has_a_name(tree: dict[str, Any]) -> None:
    _walked(tree)
    unnamed = _unnamed(tree)
    if unnamed:
        pytest.fail(
            f"{len(unnamed)} node(s) on screen have no accessible name (role, name, parents):\n"
            + "\n".join(f"  {line}" for line in unnamed)
            + f"\nEvery node walked: {tree['dump']}"
        )


def test_the_photo_is_an_image_described_by_its_alt_text(tree: dict[str, Any]) -> None:
    _walked(tree)
    alt = load_manifest(bundled_gallery_path()).photos[0].alt_text
    window: list[Node] = tree["trees"]["window"]
    images = [n for n in window if n.get("role") == "image" and _shown(n)]
    if any(n["description"] == alt for n in images):
        return
    carriers = [n for n in window if n.get("description") == alt and n.get("role") != "list item"]
    pytest.fail(
        "no image on screen has the first photo's alt text as its description.\n"
        "The alt text is carried by: "
        + ("; ".join(_describe(n) for n in carriers) or "nothing")
        + "\nImages: "
        + ("; ".join(_describe(n) for n in images) or "none")
    )


def test_find_clear_button_has_a_name(tree: dict[str, Any]) -> None:
    _walked(tree)
    nodes: list[Node] = tree["trees"]["with Find open"]
    fields = [n for n in nodes if n.get("role") == "text" and "editable" in n["states"]]
    assert fields, "Find's field is not in the tree with Find open"
    depth = len(fields[0]["index"])
    buttons = [
        n
        for n in nodes
        if n.get("role") == "push button"
        and n["index"][:depth] == fields[0]["index"]
        and len(n["index"]) == depth + 1
        and _shown(n)
    ]
    assert buttons, f"no clear button shows in {_describe(fields[0])} once text is typed"
    unnamed = [_describe(n) for n in buttons if not n["name"].strip()]
    if unnamed:
        pytest.fail("Find's clear button has no accessible name: " + "; ".join(unnamed))
