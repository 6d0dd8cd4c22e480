#!/usr/bin/env python3
"""Adds or updates keys in all three catalogs at once, so they never drift apart.

usage: tools/i18n-add.py KEY FI SV EN [KEY FI SV EN ...]
"""
import json, os, sys, tempfile

args = sys.argv[1:]
if not args or len(args) % 4:
    sys.exit(__doc__)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "i18n")
for i, lang in enumerate(("fi", "sv", "en")):
    path = os.path.join(root, f"{lang}.json")
    with open(path, encoding="utf-8") as f:
        catalog = json.load(f)
    for k in range(0, len(args), 4):
        catalog[args[k]] = args[k + 1 + i]
    fd, tmp = tempfile.mkstemp(dir=root)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(catalog, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)
