"""Reference vectors shared by the server's and the standalone verifier's Merkle tests."""

from __future__ import annotations

import json
from pathlib import Path

_DATA = json.loads((Path(__file__).parent / "rfc6962.json").read_text())

#: The RFC 6962 reference leaves and the root of each tree size 1..8.
LEAVES = [bytes.fromhex(h) for h in _DATA["leaves"]]
ROOTS = [bytes.fromhex(h) for h in _DATA["roots"]]
#: Proofs as hex lists, by (leaf index, tree size) and by (old size, new size).
INCLUSION = {(p["index"], p["size"]): p["proof"] for p in _DATA["inclusion"]}
CONSISTENCY = {(p["old"], p["new"]): p["proof"] for p in _DATA["consistency"]}
