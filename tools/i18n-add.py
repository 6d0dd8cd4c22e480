#!/usr/bin/env python3
"""Adds or updates keys in all three catalogs at once, so they never drift apart.

A new key goes right after the existing key that sorts just before it; nothing else in the
file moves, so changes made side by side merge cleanly.

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
        entries = list(json.load(f).items())
    for k in range(0, len(args), 4):
        key, text = args[k], args[k + 1 + i]
        at = next((n for n, (existing, _) in enumerate(entries) if existing == key), None)
        if at is not None:
            entries[at] = (key, text)
            continue
        before = [n for n, (existing, _) in enumerate(entries) if existing < key]
        entries.insert(max(before, key=lambda n: entries[n][0]) + 1 if before else 0, (key, text))
    fd, tmp = tempfile.mkstemp(dir=root)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(dict(entries), f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, path)
