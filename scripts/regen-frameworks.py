#!/usr/bin/env python3
"""Regenerate tenet's framework catalogs (criteria id + title) from registry packages:
prowler's compliance files (PyPI, Apache-2.0), grc-lake's framework packs (PyPI,
Apache-2.0: every SOC 2 criterion and every ISO/IEC 27001:2022 Annex A control, which
prowler lists only in part) and NIST's OSCAL catalog of SP 800-53 rev. 5 in the
nist-controls npm package. Nothing is typed in by hand: a criterion
the source lacks is absent, and the catalog says how complete it is. Run through
scripts/regen-frameworks, which downloads the packages.

Inputs
  --prowler PATH        the prowler wheel (prowler-X.Y.Z-py3-none-any.whl), a directory
                        holding it, an unpacked wheel (has prowler/compliance/), or a
                        compliance directory itself (has aws/, github/, ...).
  --grc-lake PATH       the grc-lake wheel (grc_lake-X.Y.Z-py3-none-any.whl) or a directory
                        holding it: the ids of every criterion of SOC 2 and ISO 27001,
                        with its title where prowler has none.
  --nist-controls PATH  the nist-controls npm package: its unpacked directory (package/),
                        the .tgz, a directory holding the .tgz, or the OSCAL catalog JSON.
  --out DIR             where soc2.json, iso27001-2022.json, nist-800-53-r5.json,
                        cis-aws.json and cis-github.json are written.

Each output is {"framework", "version", "source", "criteria": [{"id", "title"}, ...]},
criteria in the framework's natural order. Python 3.11, standard library only.

  python3 scripts/regen-frameworks.py --prowler DL/ --nist-controls NPM/package --out crates/rules/frameworks
"""
from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

CIS_GITHUB_VERSION = "1.2.0"
CIS_AWS_TOPICS = ("Identity and Access Management", "Storage", "Logging", "Monitoring", "Networking")

# ---------------------------------------------------------------- ordering

def natural_key(s: str):
    """'A.8.10' after 'A.8.9'; 'AC-2' before 'AC-10'; 'IA-2(1)' after 'IA-2'."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.findall(r"\d+|[A-Za-z]+", s)]


SOC2_SERIES = {"CC": 0, "A": 1, "C": 2, "PI": 3, "P": 4}


def soc2_key(s: str):
    m = re.match(r"([A-Z]+)(\d+)\.(\d+)$", s)
    return (SOC2_SERIES.get(m.group(1), 9), int(m.group(2)), int(m.group(3)))


def version_key(v: str):
    return tuple(int(x) for x in re.findall(r"\d+", v))


# ---------------------------------------------------------------- prowler source

class Prowler:
    """Reads prowler/compliance/<provider>/<file>.json from a wheel or a directory."""

    def __init__(self, path: Path, version: str | None):
        self.zip = None
        self.root = None
        self.version = version
        if path.is_dir():
            wheels = sorted(path.glob("prowler-*.whl"), key=lambda p: version_key(p.name))
            if wheels:
                path = wheels[-1]
        if path.is_file() and path.suffix == ".whl":
            self.zip = zipfile.ZipFile(path)
            m = re.match(r"prowler-([0-9][^-]*)-", path.name)
            self.version = self.version or (m.group(1) if m else None)
        elif (path / "prowler" / "compliance").is_dir():
            self.root = path / "prowler" / "compliance"
            for meta in path.glob("prowler-*.dist-info/METADATA"):
                m = re.search(r"^Version: (\S+)", meta.read_text(), re.M)
                self.version = self.version or (m.group(1) if m else None)
        elif (path / "aws").is_dir():
            self.root = path
            for part in path.resolve().parts[::-1]:
                m = re.match(r"prowler-(\d+\.\d+\.\d+)$", part)
                if m:
                    self.version = self.version or m.group(1)
                    break
        else:
            sys.exit(f"--prowler: no prowler wheel or compliance directory at {path}")
        if not self.version:
            sys.exit("--prowler: cannot tell prowler's version; pass --prowler-version")

    def files(self, provider: str) -> list[str]:
        if self.zip:
            pre = f"prowler/compliance/{provider}/"
            return sorted(n[len(pre):] for n in self.zip.namelist()
                          if n.startswith(pre) and n.endswith(".json") and "/" not in n[len(pre):])
        d = self.root / provider
        return sorted(p.name for p in d.glob("*.json")) if d.is_dir() else []

    def load(self, provider: str, name: str) -> dict:
        if self.zip:
            return json.loads(self.zip.read(f"prowler/compliance/{provider}/{name}"))
        return json.loads((self.root / provider / name).read_text(encoding="utf-8"))

    def source(self, *rel: str) -> str:
        return f"prowler {self.version} " + ", ".join(f"prowler/compliance/{r}" for r in rel) + " (Apache-2.0)"


def clean(s: str) -> str:
    return " ".join(s.split())


# ---------------------------------------------------------------- frameworks

class GrcLake:
    """Reads grc-lake's framework packs (frameworks/packs/data/*.json) from its wheel."""

    DATA = "grc_lake-{version}.data/data/frameworks/packs/data/"

    def __init__(self, path: Path):
        if path.is_dir():
            wheels = sorted(path.glob("grc_lake-*.whl"), key=lambda p: version_key(p.name))
            if not wheels:
                sys.exit(f"--grc-lake: no grc_lake wheel in {path}")
            path = wheels[-1]
        m = re.match(r"grc_lake-([0-9][^-]*)-", path.name)
        if not (path.is_file() and m):
            sys.exit(f"--grc-lake: not a grc_lake wheel: {path}")
        self.version = m.group(1)
        self.zip = zipfile.ZipFile(path)

    def load(self, name: str) -> dict:
        return json.loads(self.zip.read(self.DATA.format(version=self.version) + name))

    def source(self, name: str) -> str:
        return f"grc-lake {self.version} {self.DATA.format(version=self.version)}{name} (Apache-2.0)"


def every_criterion(ids_titles: list[tuple[str, str]], named: dict[str, str], what: str,
                    pattern: str, count: int, key) -> list[dict]:
    """Every criterion of grc-lake's full list (`count` ids, each matching `pattern`),
    in the framework's order (`key`), titled as prowler titles it where it does."""
    for cid, _ in ids_titles:
        if not re.fullmatch(pattern, cid):
            sys.exit(f"{what}: grc-lake lists {cid!r}, not an id of the framework")
    if len(ids_titles) != count:
        sys.exit(f"{what}: grc-lake lists {len(ids_titles)} criteria, not the framework's {count}")
    seen = set()
    out = []
    for cid, title in sorted(ids_titles, key=lambda c: key(c[0])):
        if cid in seen:
            sys.exit(f"{what}: {cid} twice in grc-lake's list")
        seen.add(cid)
        out.append({"id": cid, "title": named.get(cid) or clean(title)})
    extra = sorted(set(named) - seen)
    if extra:
        sys.exit(f"{what}: prowler lists {extra}, which grc-lake's full list lacks")
    return out


def soc2(pw: Prowler, grc: GrcLake) -> dict:
    crit: dict[str, str] = {}
    used = []
    for provider in ("aws", "azure", "gcp"):      # aws first: its titles win
        for name in pw.files(provider):
            if not re.match(r"soc2_[a-z0-9]+\.json$", name):
                continue
            used.append(f"{provider}/{name}")
            for r in pw.load(provider, name)["Requirements"]:
                tok, _, rest = clean(r["Name"]).partition(" ")
                if not re.fullmatch(r"(CC|A|C|PI|P)\d+\.\d+", tok):
                    sys.exit(f"soc2: cannot read a TSC id from {r['Id']!r} Name {r['Name'][:40]!r}")
                crit.setdefault(tok, rest)
    if not crit:
        sys.exit("soc2: no prowler soc2_*.json found")
    pack = grc.load("soc2.json")
    full = [(c["id"], c["title"]) for c in pack["common_criteria"] + pack["tsc_extension"]]
    criteria = every_criterion(full, crit, "soc2", r"(CC|A|C|PI|P)\d+\.\d+", 61, soc2_key)
    src = (grc.source("soc2.json") + " for the ids; titles from " + pw.source(*used)
           + " where it has them (ids from each Name's leading token), else grc-lake's")
    return {"framework": "SOC 2 (2017 TSC)", "version": "2017", "complete": True,
            "coverage": "every criterion of the 2017 TSC (61)",
            "source": src, "criteria": criteria}


def iso27001(pw: Prowler, grc: GrcLake) -> dict:
    name = "iso27001_2022_aws.json"
    d = pw.load("aws", name)
    crit = {}
    for r in d["Requirements"]:
        if not re.fullmatch(r"A\.\d+\.\d+", r["Id"]):
            sys.exit(f"iso27001: unexpected id {r['Id']!r}")
        crit[r["Id"]] = clean(r.get("Name") or r["Attributes"][0].get("Objetive_Name", ""))
    rows = grc.load("iso_27001_2022.json")["rows"]
    full = [(r["id"], r["title"]) for r in rows]
    criteria = every_criterion(full, crit, "iso27001", r"A\.\d+\.\d+", 93, natural_key)
    src = (grc.source("iso_27001_2022.json") + " for the ids; titles from "
           + pw.source(f"aws/{name}") + " where it has them, else grc-lake's")
    return {"framework": "ISO/IEC 27001:2022 Annex A", "version": "2022",
            "complete": True, "coverage": "every Annex A control (93)",
            "source": src, "criteria": criteria}


def cis_structure(reqs: list[dict]) -> dict:
    """Sections, and gaps in the numbering (a missing recommendation or subsection)."""
    children: dict[str, set[int]] = {}
    for r in reqs:
        parts = r["Id"].split(".")
        for i in range(len(parts)):
            children.setdefault(".".join(parts[:i]), set()).add(int(parts[i]))
    gaps = []
    for parent, nums in children.items():
        lo = min(nums) if parent == "" else 1      # top-level may start at 2 (v6+ has no section 1)
        missing = sorted(set(range(lo, max(nums) + 1)) - nums)
        gaps += [f"{parent + '.' if parent else ''}{n}" for n in missing]
    sections: dict[str, int] = {}
    for r in reqs:
        s = clean(r["Attributes"][0].get("Section", ""))
        sections[s] = sections.get(s, 0) + 1
    missing_topics = [t for t in CIS_AWS_TOPICS if not any(t in s for s in sections)]
    return {"sections": sections, "gaps": sorted(gaps, key=natural_key),
            "missing_topics": missing_topics,
            "complete": not gaps and not missing_topics}


def cis_version(d: dict) -> str:
    m = re.search(r"v(\d+(?:\.\d+)+)\s*$", d.get("Name", ""))
    return m.group(1) if m else d["Version"]


def cis_aws(pw: Prowler, want: str | None, log) -> dict:
    versions = []
    for name in pw.files("aws"):
        if re.fullmatch(r"cis_[0-9.]+_aws\.json", name):
            d = pw.load("aws", name)
            st = cis_structure(d["Requirements"])
            versions.append((cis_version(d), name, d, st))
    versions.sort(key=lambda v: version_key(v[0]))
    log("CIS AWS Foundations versions in prowler:")
    for ver, name, d, st in versions:
        secs = "; ".join(f"{s} ({n})" for s, n in st["sections"].items())
        flag = "complete" if st["complete"] else f"INCOMPLETE gaps={st['gaps']} missing={st['missing_topics']}"
        log(f"  v{ver:<7} {name:<18} {len(d['Requirements']):>3} recs  {flag}  | {secs}")
    if want:
        pick = [v for v in versions if v[0] == want or v[0].startswith(want + ".")]
        if not pick:
            sys.exit(f"cis-aws: no version {want}")
    else:
        pick = [v for v in versions if v[3]["complete"]]
        if not pick:
            sys.exit("cis-aws: no complete version")
    ver, name, d, st = pick[-1]
    log(f"  chosen: v{ver} ({name})")
    crit = [{"id": r["Id"], "title": clean(r["Description"])} for r in d["Requirements"]]
    return {"framework": f"CIS AWS Foundations Benchmark v{ver}", "version": ver,
            "complete": True, "coverage": "every recommendation",
            "source": pw.source(f"aws/{name}"),
            "criteria": sorted(crit, key=lambda c: natural_key(c["id"]))}


def cis_github(pw: Prowler) -> dict:
    name = next((n for n in pw.files("github") if n == f"cis_{CIS_GITHUB_VERSION}_github.json"), None)
    if not name:
        sys.exit(f"cis-github: prowler has no cis_{CIS_GITHUB_VERSION}_github.json")
    d = pw.load("github", name)
    ver = cis_version(d)
    crit = [{"id": r["Id"], "title": clean(r["Description"])} for r in d["Requirements"]]
    return {"framework": f"CIS GitHub Benchmark v{ver}", "version": ver,
            "complete": True, "coverage": "every recommendation",
            "source": pw.source(f"github/{name}") + "; titles are prowler's Description (the benchmark's titles are not in it)",
            "criteria": sorted(crit, key=lambda c: natural_key(c["id"]))}


# ---------------------------------------------------------------- NIST

CATALOG_REL = "frameworks/SP80053/source-data/NIST_SP-800-53_rev5_catalog-min.json"


def load_nist(path: Path) -> tuple[dict, str]:
    """Returns (OSCAL catalog, description of where it came from)."""
    pkg_version = None

    def from_tgz(tgz: Path):
        nonlocal pkg_version
        with tarfile.open(tgz) as t:
            pj = json.load(t.extractfile("package/package.json"))
            pkg_version = pj.get("version")
            return json.load(t.extractfile("package/" + CATALOG_REL)), pj.get("license", "?")

    if path.is_file() and path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8")), f"{path.name}"
    if path.is_dir() and not (path / "package.json").exists():
        tgzs = sorted(path.glob("nist-controls-*.tgz"), key=lambda p: version_key(p.name))
        if tgzs:
            path = tgzs[-1]
        elif (path / "package" / "package.json").exists():
            path = path / "package"
    if path.is_file() and path.name.endswith(".tgz"):
        cat, lic = from_tgz(path)
    elif (path / "package.json").exists():
        pj = json.loads((path / "package.json").read_text())
        pkg_version, lic = pj.get("version"), pj.get("license", "?")
        cat = json.loads((path / CATALOG_REL).read_text(encoding="utf-8"))
    else:
        sys.exit(f"--nist-controls: no nist-controls package at {path}")
    return cat, f"nist-controls {pkg_version} (npm, {lic}) {CATALOG_REL}"


def prop(ctl: dict, name: str, cls=None):
    for p in ctl.get("props", []):
        if p["name"] == name and p.get("class") == cls:
            return p["value"]
    return None


def withdrawn(ctl: dict) -> bool:
    return any(p["name"] == "status" and p["value"] == "withdrawn" for p in ctl.get("props", []))


def nist_controls(cat: dict, enhancements: bool):
    """Yields (label, title, is_enhancement) for every control that is not withdrawn."""
    for g in cat["catalog"]["groups"]:
        for c in g.get("controls", []):
            if withdrawn(c):
                continue
            yield prop(c, "label"), clean(c["title"]), False
            if enhancements:
                for e in c.get("controls", []):
                    if not withdrawn(e):
                        yield prop(e, "label"), clean(e["title"]), True


def nist(path: Path, enhancements: bool) -> dict:
    cat, where = load_nist(path)
    md = cat["catalog"]["metadata"]
    crit = [{"id": l, "title": t} for l, t, _ in nist_controls(cat, enhancements)]
    if any(c["id"] is None for c in crit):
        sys.exit("nist: a control without a label prop")
    kind = "base controls and enhancements" if enhancements else "base controls"
    return {"framework": "NIST SP 800-53 rev. 5", "version": md.get("version", "5"),
            "complete": True, "coverage": f"every one of its {kind} that is not withdrawn",
            "source": f"{where}: NIST OSCAL catalog SP 800-53 Rev. 5 {md.get('version', '')} "
                      f"(public domain), {kind}, withdrawn ones left out",
            "criteria": sorted(crit, key=lambda c: natural_key(c["id"]))}


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prowler", type=Path, required=True)
    ap.add_argument("--prowler-version")
    ap.add_argument("--grc-lake", type=Path, required=True)
    ap.add_argument("--nist-controls", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cis-aws-version", help="e.g. 7.0; default: the newest complete one")
    a = ap.parse_args()

    log = lambda s: print(s, file=sys.stderr)
    pw = Prowler(a.prowler, a.prowler_version)
    grc = GrcLake(a.grc_lake)
    out = {
        "soc2.json": soc2(pw, grc),
        "iso27001-2022.json": iso27001(pw, grc),
        "nist-800-53-r5.json": nist(a.nist_controls, True),
        "cis-aws.json": cis_aws(pw, a.cis_aws_version, log),
        "cis-github.json": cis_github(pw),
    }
    a.out.mkdir(parents=True, exist_ok=True)
    for fname, fw in out.items():
        ids = [c["id"] for c in fw["criteria"]]
        if len(ids) != len(set(ids)):
            sys.exit(f"{fname}: duplicate ids")
        (a.out / fname).write_text(json.dumps(fw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"{fname:<22} {len(ids):>4} criteria  {fw['framework']}")


if __name__ == "__main__":
    main()
