"""pyproject.toml and the locks in requirements/ agree (docs/dependencies.md).

pyproject.toml says what the project needs and within which bounds; each lock pins one exact,
hashed version of everything an install of it gets. A dependency added to pyproject.toml but
not to the locks, a pin outside pyproject's bounds, a dependency dropped from pyproject.toml but
left pinned, an unhashed line, or two locks that pin a package differently all fail here,
with the fix: ``make lock`` (``make lock LOCK_UPGRADE=`` to change nothing else).
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
BUILD_IN = ROOT / "requirements" / "build.in"
FIX = "run `make lock` (or `make lock LOCK_UPGRADE=` to keep the other pins)"
# The machines the locks are made for (Makefile: --python-version, --python-platform).
TARGET = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}
# Which extras of pyproject.toml each lock installs, on top of the runtime dependencies.
LOCKS = {
    "lock.txt": ("s3",),
    "dev.lock.txt": ("s3", "dev"),
    "load.lock.txt": ("s3", "dev", "load"),
}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")
FROM_PYPROJECT = "thidua (pyproject.toml)"


@dataclass
class Pin:
    version: Version
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def read_lock(path: Path) -> dict[str, Pin]:
    """Package name → its pin, hashes and the "via" notes uv writes under it."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if match := PIN.match(raw):
            current = Pin(Version(match["version"]))
            name = canonicalize_name(match["name"])
            assert name not in pins, f"{path.name}:{number}: {name} pinned twice"
            pins[name] = current
        elif line.startswith("--hash=") and current is not None:
            current.hashes.append(line.removeprefix("--hash=").rstrip(" \\"))
        elif line.startswith("#"):
            note = line.lstrip("#").strip()
            if current is not None and note not in ("", "via"):
                current.via.append(note.removeprefix("via ").strip())
        else:
            pytest.fail(f"{path.name}:{number}: not an exact, hashed pin: {raw!r}")
    return pins


def wanted(extras: tuple[str, ...]) -> list[Requirement]:
    """What pyproject.toml asks for in an install with these extras, and the build tools."""
    project = PYPROJECT["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    lines += PYPROJECT["build-system"]["requires"]
    lines += [
        line.split("#", 1)[0].strip()
        for line in BUILD_IN.read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    ]
    return [Requirement(line) for line in lines]


@pytest.fixture(scope="module")
def locks() -> dict[str, dict[str, Pin]]:
    return {name: read_lock(ROOT / "requirements" / name) for name in LOCKS}


@pytest.mark.parametrize("lock_name", list(LOCKS))
def test_every_dependency_is_pinned_within_its_bounds(
    locks: dict[str, dict[str, Pin]], lock_name: str
) -> None:
    pins = locks[lock_name]
    problems = []
    for requirement in wanted(LOCKS[lock_name]):
        name = canonicalize_name(requirement.name)
        if requirement.marker is not None and not requirement.marker.evaluate(TARGET):
            continue
        if name not in pins:
            problems.append(f"{requirement} is in pyproject.toml but not in {lock_name}")
        elif not requirement.specifier.contains(pins[name].version, prereleases=True):
            problems.append(f"{lock_name} pins {name}=={pins[name].version}, outside {requirement}")
    assert not problems, "\n".join([*problems, FIX])


@pytest.mark.parametrize("lock_name", list(LOCKS))
def test_nothing_is_pinned_for_a_dependency_pyproject_no_longer_has(
    locks: dict[str, dict[str, Pin]], lock_name: str
) -> None:
    declared = {canonicalize_name(item.name) for item in wanted(LOCKS[lock_name])}
    stale = [
        f"{lock_name} pins {name} for pyproject.toml, which no longer asks for it"
        for name, pin in locks[lock_name].items()
        if FROM_PYPROJECT in pin.via and name not in declared
    ]
    orphans = [
        f"{lock_name} pins {name}, which nothing needs"
        for name, pin in locks[lock_name].items()
        if not pin.via
    ]
    assert not stale + orphans, "\n".join([*stale, *orphans, FIX])


@pytest.mark.parametrize("lock_name", list(LOCKS))
def test_every_pin_has_sha256_hashes(locks: dict[str, dict[str, Pin]], lock_name: str) -> None:
    unhashed = [name for name, pin in locks[lock_name].items() if not pin.hashes]
    assert not unhashed, f"{lock_name}: pins without a hash: {unhashed}; {FIX}"
    for name, pin in locks[lock_name].items():
        for digest in pin.hashes:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest), f"{lock_name}: {name} {digest}"


def test_the_locks_pin_shared_packages_alike(locks: dict[str, dict[str, Pin]]) -> None:
    """The tests run on the versions production installs; make load adds to the dev set."""
    runtime, dev, load = (locks[name] for name in LOCKS)
    for smaller, larger, names in ((runtime, dev, "lock/dev"), (dev, load, "dev/load")):
        differ = {
            name: (str(pin.version), str(larger[name].version))
            for name, pin in smaller.items()
            if name in larger and larger[name].version != pin.version
        }
        missing = sorted(set(smaller) - set(larger))
        assert not differ and not missing, f"{names}: differ {differ}, missing {missing}; {FIX}"


def test_extras_bring_what_their_packages_declare(locks: dict[str, dict[str, Pin]]) -> None:
    """psycopg[binary], django-storages[s3], moto[server], …: what each extra pulls in is in the
    lock too (read from the installed package's metadata, when the lock's version is the one
    installed, as it is in a venv made by `make`)."""
    problems = []
    for lock_name, extras in LOCKS.items():
        pins = locks[lock_name]
        for requirement in wanted(extras):
            name = canonicalize_name(requirement.name)
            if not requirement.extras or name not in pins:
                continue
            try:
                installed = importlib.metadata.distribution(name)
            except importlib.metadata.PackageNotFoundError:
                continue
            if Version(installed.version) != pins[name].version:
                continue
            for line in installed.requires or []:
                needed = Requirement(line)
                if needed.marker is None or not any(
                    needed.marker.evaluate({**TARGET, "extra": extra})
                    for extra in requirement.extras
                ):
                    continue
                if Marker(str(needed.marker)).evaluate({**TARGET, "extra": ""}):
                    continue  # not from the extra: an ordinary dependency, checked by uv
                if canonicalize_name(needed.name) not in pins:
                    problems.append(f"{lock_name}: {requirement} needs {needed.name}")
    assert not problems, "\n".join([*problems, FIX])


def test_the_build_backend_bound_is_the_one_of_pyproject() -> None:
    """requirements/build.in repeats [build-system] requires, which pip does not read when
    the project is installed with --no-build-isolation."""
    build_in = {
        canonicalize_name(item.name): str(item.specifier)
        for item in (
            Requirement(line.split("#", 1)[0].strip())
            for line in BUILD_IN.read_text(encoding="utf-8").splitlines()
            if line.split("#", 1)[0].strip()
        )
    }
    for line in PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(line)
        assert build_in.get(canonicalize_name(requirement.name)) == str(requirement.specifier), (
            f"requirements/build.in should say {requirement} like pyproject.toml"
        )
