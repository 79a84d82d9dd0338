"""`<requires>` resolved the way Kodi 20/21 resolves it when an add-on is installed from a zip.

Facts from Kodi's sources (xbmc/addons/AddonVersion.cpp, addoninfo/AddonInfo.h/.cpp,
addoninfo/AddonInfoBuilder.cpp, AddonInstaller.cpp), re-expressed here:

- A version is `[epoch:]upstream[-revision]`, lower-cased, compared Debian-style: runs of digits as
  numbers, other characters by code, `~` before anything (so `1.0~beta1` < `1.0`), and a longer
  version after its prefix (`1.0` < `1.0.0`, but `1.0` == `1.00`). An empty version is `0.0.0`.
- `<import addon=ID version=V minversion=M optional=...>`: without `minversion`, M is V. An
  installed dependency D satisfies the import when `D.version >= M` and `V >= D.abi`, where D.abi
  is D's `<backwards-compatibility abi=...>` (`0.0.0` when absent).
- Installing from a zip checks each import: an installed dependency that does not satisfy it
  (optional or not), or a required one that is not installed (Kodi then looks in its repositories;
  the fake has none), refuses the install. Kodi logs at DEBUG
  `CAddonInstallJob[<id>]: requires <dep> version <V> which is not available` and at ERROR
  `CAddonInstallJob[<id>]: The dependency on <dep> version <V> could not be satisfied.`
  (string 24142 of Kodi's language add-on). Dependencies that are present are checked in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import total_ordering

PROVIDED_BY_KODI = ("xbmc.", "kodi.")
_VALID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.+_@~")


def _compare_part(a: str, b: str) -> int:
    """-1, 0 or 1: one upstream (or revision) string against another, Debian's way."""
    i = j = 0
    while i < len(a) and j < len(b):
        # Non-digit runs compare character by character; '~' sorts before everything.
        while i < len(a) and j < len(b) and not a[i].isdigit() and not b[j].isdigit():
            if a[i] != b[j]:
                if a[i] == "~":
                    return -1
                if b[j] == "~":
                    return 1
                return -1 if a[i] < b[j] else 1
            i += 1
            j += 1
        if i < len(a) and j < len(b) and (not a[i].isdigit() or not b[j].isdigit()):
            if a[i] == "~":
                return -1
            if b[j] == "~":
                return 1
            return -1 if a[i].isdigit() else 1
        start_a, start_b = i, j
        while i < len(a) and a[i].isdigit():
            i += 1
        while j < len(b) and b[j].isdigit():
            j += 1
        num_a = int(a[start_a:i] or 0)
        num_b = int(b[start_b:j] or 0)
        if num_a != num_b:
            return -1 if num_a < num_b else 1
    if i >= len(a) and j >= len(b):
        return 0
    if i < len(a):
        return -1 if a[i] == "~" else 1
    return 1 if b[j] == "~" else -1


@total_ordering
@dataclass(frozen=True, eq=False)
class AddonVersion:
    """An add-on version as Kodi compares it (`AddonVersion("2.22.0") < AddonVersion("2.31.0")`)."""

    text: str

    @property
    def _parts(self) -> tuple[int, str, str]:
        text = (self.text or "0.0.0").lower()
        epoch = 0
        if ":" in text:
            head, _, text = text.partition(":")
            epoch = int(head) if head.isdigit() else 0
        upstream, _, revision = text.partition("-")
        if not set(revision) <= _VALID_CHARS:
            revision = ""
        if not set(upstream) <= _VALID_CHARS:
            upstream = "0.0.0"  # Kodi logs "is not a valid version" and uses 0.0.0
        return epoch, upstream, revision

    def __str__(self) -> str:
        epoch, upstream, revision = self._parts
        return (f"{epoch}:" if epoch else "") + upstream + (f"-{revision}" if revision else "")

    def _cmp(self, other: AddonVersion) -> int:
        (e1, u1, r1), (e2, u2, r2) = self._parts, other._parts
        if e1 != e2:
            return -1 if e1 < e2 else 1
        return _compare_part(u1, u2) or _compare_part(r1, r2)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AddonVersion) and self._cmp(other) == 0

    def __lt__(self, other: AddonVersion) -> bool:
        return self._cmp(other) < 0

    def __hash__(self) -> int:
        return hash(str(self))


def is_provided_by_kodi(addon_id: str) -> bool:
    """xbmc.* and kodi.* add-ons come with Kodi itself (checked against the emulated Kodi elsewhere)."""
    return addon_id.startswith(PROVIDED_BY_KODI)


def meets_version(have: str, abi: str | None, version: str, min_version: str = "") -> bool:
    """Kodi's MeetsVersion: does an installed `have` (with backwards-compatibility `abi`) satisfy an import?"""
    minimum = AddonVersion(min_version or version)
    return not (minimum > AddonVersion(have) or AddonVersion(version) < AddonVersion(abi or ""))


@dataclass(frozen=True)
class Unsatisfied:
    """The first import of `addon_id` that cannot be satisfied, with Kodi's log lines for it."""

    addon_id: str
    dependency: str
    version: str

    @property
    def detail(self) -> str:
        """Kodi's string 24142, as CAddonInstallJob reports it."""
        return f"The dependency on {self.dependency} version {self.version} could not be satisfied."

    @property
    def error_line(self) -> str:
        return f"CAddonInstallJob[{self.addon_id}]: {self.detail}"

    @property
    def debug_line(self) -> str:
        return f"CAddonInstallJob[{self.addon_id}]: requires {self.dependency} version {self.version} which is not available"


class Available:
    """What an install can resolve against: id -> (version, abi, its own requirements)."""

    def __init__(self, entries: Mapping[str, tuple[str, str | None, list]]):
        self.entries = dict(entries)

    def get(self, addon_id: str) -> tuple[str, str | None, list] | None:
        return self.entries.get(addon_id)


def first_unsatisfied(addon_id: str, requires: Iterable, available: Available) -> Unsatisfied | None:
    """Walk the imports as CAddonInstaller::CheckDependencies does; None when all are satisfied.

    `requires` holds Requirement-like objects (id, version, min_version, optional); xbmc.* and
    kodi.* imports are left to the emulated Kodi's own check.
    """
    checked = [addon_id]

    def walk(owner: str, imports: Iterable) -> Unsatisfied | None:
        for req in imports:
            if is_provided_by_kodi(req.id):
                continue
            dep = available.get(req.id)
            if dep is None and req.optional:
                continue
            if dep is None or not meets_version(dep[0], dep[1], req.version, req.min_version):
                return Unsatisfied(owner, req.id, str(AddonVersion(req.version)))
            if req.id not in checked:
                checked.append(req.id)
                failed = walk(req.id, dep[2])
                if failed is not None:
                    return failed
        return None

    return walk(addon_id, requires)


def install_order(ids: list[str], requires_of: Callable[[str], Iterable[str]]) -> list[str]:
    """`ids` ordered so each comes after the ones among them it requires (a cycle keeps given order)."""
    ordered: list[str] = []
    visiting: set[str] = set()
    wanted = set(ids)

    def visit(addon_id: str) -> None:
        if addon_id in ordered or addon_id in visiting:
            return
        visiting.add(addon_id)
        for dep in requires_of(addon_id):
            if dep in wanted:
                visit(dep)
        visiting.discard(addon_id)
        ordered.append(addon_id)

    for addon_id in ids:
        visit(addon_id)
    return ordered
