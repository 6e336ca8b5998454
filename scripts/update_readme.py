"""Regenerate the README's rule list from the shipped rule packs (`openlint rules --markdown`)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> int:
    table = subprocess.run([sys.executable, "-m", "openlint", "rules", "--markdown"], capture_output=True,
                           text=True, check=True).stdout
    text = README.read_text(encoding="utf-8")
    text = re.sub(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)", lambda m: m.group(1) + table + m.group(2),
                  text, flags=re.S)
    README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
