#!/usr/bin/env python3
"""The length of every function in Kehä's C++ sources, without compiling anything.

A function's length is counted as clang-tidy's readability-function-size counts it: the line
of the body's closing brace minus the line of its opening brace. Lambdas and local classes
count towards the function they are written in.

  tools/function-sizes.py                      # every function, longest first
  tools/function-sizes.py --top 20 server      # the 20 longest under server/
  tools/function-sizes.py --check              # fail when one is over its directory's limit

The limits (docs/architecture.md): 80 lines in server/ and shared/, 120 in client/.
--allow FILE names functions still over their limit ("path function lines" a line; # starts a
comment). Such a function may not grow past the lines written there, and no function joins the
list without someone writing it in; a line for one that is back within its limit, or gone, is
reported (take it off), but does not fail the check, so that whoever shortens a function is not
stopped by it.
"""
import argparse
import os
import re
import sys

LIMITS = {"server": 80, "shared": 80, "client": 120}
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".cc")

# What may follow a function's parameter list before its body.
_TRAILER = re.compile(
    r"\)\s*(?:(?:const|volatile|noexcept(?:\s*\([^()]*\))?|override|final|mutable|&&|&|try)\s*)*"
    r"(?:->\s*[^;{}]+?)?\s*(?:requires\s+[^;{}]+)?$")
# A constructor's member initialisers: `) : a_(x), b_{y}` (brace initialisers are folded to {}).
_INITIALISERS = re.compile(r"\)\s*(?:noexcept\s*)?:\s*[\w:<>]+\s*[({]")
_TYPE_KEYWORD = re.compile(r"\b(class|struct|union|enum)\b")
_NAME = re.compile(r"((?:[A-Za-z_]\w*(?:<[^()]*>)?::)*(?:~?[A-Za-z_]\w*|operator\s*(?:[^\w\s(]+|\w+)))\s*$")


def blank_out(text):
    """The text with comments, string and character literals and preprocessor lines replaced
    by spaces (newlines kept, so line numbers stay)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            # A preprocessor line, with its backslash continuations.
            j = i
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c == "\n":
            line_start = True
            out.append(c)
            i += 1
            continue
        if not c.isspace():
            line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and i + 1 < n and text[i + 1] == '"' and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
                                                                 or text[i - 1] in "uUL8"):
            open_paren = text.find("(", i + 2)
            delimiter = text[i + 2:open_paren]
            close = text.find(")" + delimiter + '"', open_paren)
            j = n if close < 0 else close + len(delimiter) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum() and i + 1 < n and text[i + 1].isalnum()
                                            and re.match(r"[0-9a-fA-F]", text[i - 1]) and _in_number(text, i))):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _in_number(text, i):
    """Whether the ' at i is a digit separator (10'000), not a character literal."""
    j = i - 1
    while j >= 0 and (text[j].isalnum() or text[j] in "'."):
        j -= 1
    return text[j + 1].isdigit()


def strip_template_heads(header):
    """The header without its leading `template <...>` clauses."""
    while True:
        m = re.match(r"\s*template\s*<", header)
        if not m:
            return header
        depth, i = 1, m.end()
        while i < len(header) and depth:
            depth += {"<": 1, ">": -1}.get(header[i], 0)
            i += 1
        header = header[i:]


def function_name(header):
    """The name in a function header: the identifier before its parameter list."""
    depth = 0
    for i, c in enumerate(header):
        if c == "(":
            if depth == 0:
                m = _NAME.search(header[:i])
                if m and not header[:i].rstrip().endswith("operator"):
                    return re.sub(r"\s+", "", m.group(1))
                if header[:i].rstrip().endswith("operator") and header[i:i + 2] == "()":
                    return "operator()"
            depth += 1
        elif c == ")":
            depth -= 1
    return "?"


def classify(header):
    """What a `{` opens, from the text since the previous `;`, `{` or `}` at its level."""
    h = strip_template_heads(header).strip()
    if re.search(r"\bnamespace\b", h) or re.match(r'extern\s*""', h):
        return "namespace"
    if _TYPE_KEYWORD.search(h) and "(" not in h.split(":")[0]:
        name = re.search(r"\b(?:class|struct|union|enum(?:\s+class)?)\s+(?:\[\[[^\]]*\]\]\s*)?(\w+)", h)
        return ("type", name.group(1) if name else "")
    if h.endswith("=") or h.endswith(",") or not h:
        return "initialiser"
    if _TRAILER.search(h) or _INITIALISERS.search(h):
        return "function"
    return "initialiser"


def functions(path):
    """(first line, name, lines) of each function defined in the file."""
    with open(path, encoding="utf-8") as f:
        text = blank_out(f.read())
    found = []
    scopes = []   # ("namespace" | "type" | "initialiser", name) of each open brace
    header = []   # the text since the last ; { } at namespace or class scope
    line = 1
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        if c == "{":
            kind = classify("".join(header))
            if kind == "function":
                start, depth = line, 1
                j = i + 1
                while j < n and depth:
                    if text[j] == "{":
                        depth += 1
                    elif text[j] == "}":
                        depth -= 1
                    elif text[j] == "\n":
                        line += 1
                    j += 1
                prefix = "::".join(name for kind, name in scopes if kind == "type" and name)
                name = function_name(strip_template_heads("".join(header)))
                found.append((start, (prefix + "::" if prefix else "") + name, line - start))
                header = []
                i = j
                continue
            if kind == "initialiser":
                # Skip to the matching brace; the header goes on (a member initialiser list,
                # `int x{0};`, `T a[] = {...};`).
                depth, j = 1, i + 1
                while j < n and depth:
                    if text[j] == "{":
                        depth += 1
                    elif text[j] == "}":
                        depth -= 1
                    elif text[j] == "\n":
                        line += 1
                    j += 1
                header.append("{}")
                i = j
                continue
            scopes.append(kind if isinstance(kind, tuple) else (kind, ""))
            header = []
        elif c == "}":
            if scopes:
                scopes.pop()
            header = []
        elif c == ";":
            header = []
        elif c == ":" and scopes and scopes[-1][0] == "type" and re.search(
                r"\b(public|private|protected)\s*$", "".join(header)):
            header = []
        else:
            header.append(c)
        i += 1
    return found


def sources(root, paths):
    for top in paths:
        full = os.path.join(root, top)
        if os.path.isfile(full):
            yield top
            continue
        for directory, subdirs, files in os.walk(full):
            subdirs[:] = sorted(d for d in subdirs if d not in ("build", "node_modules", ".git"))
            for name in sorted(files):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.relpath(os.path.join(directory, name), root)


def limit_for(path):
    return LIMITS.get(path.split(os.sep)[0])


def read_allow_list(path):
    allowed = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            entry = raw.split("#", 1)[0].split()
            if not entry:
                continue
            if len(entry) != 3 or not entry[2].isdigit():
                sys.exit(f"{path}:{number}: expected 'path function lines'")
            allowed[(entry[0], entry[1])] = int(entry[2])
    return allowed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["server", "shared", "client"],
                        help="files or directories, relative to the repository (default: server shared client)")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="the repository (default: this script's)")
    parser.add_argument("--top", type=int, help="only the N longest")
    parser.add_argument("--check", action="store_true", help="fail when a function is over its limit")
    parser.add_argument("--allow", help="a list of functions still over their limit (see above)")
    args = parser.parse_args()

    rows = []
    for path in sources(args.root, args.paths):
        for line, name, lines in functions(os.path.join(args.root, path)):
            rows.append((lines, path, line, name))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))

    if not args.check:
        for lines, path, line, name in rows[:args.top]:
            print(f"{lines:5d}  {path}:{line}  {name}")
        return 0

    allowed = read_allow_list(args.allow) if args.allow else {}
    failures, stale, seen = [], [], set()
    for lines, path, line, name in rows:
        limit = limit_for(path)
        key = (path, name)
        if key in allowed:
            seen.add(key)
            if lines > allowed[key]:
                failures.append(f"{path}:{line}: {name} is {lines} lines, more than the {allowed[key]} its allow-list line says")
            elif limit is not None and lines <= limit:
                stale.append(f"{path}:{line}: {name} is {lines} lines, within {limit}: take it off the allow-list")
        elif limit is not None and lines > limit:
            failures.append(f"{path}:{line}: {name} is {lines} lines; the limit in {path.split(os.sep)[0]}/ is {limit}")
    for key in sorted(set(allowed) - seen):
        stale.append(f"{key[0]}: {key[1]} is on the allow-list but no longer there: take it off")
    for note in stale:
        print(note)
    for failure in failures:
        print(failure)
    if failures:
        print(f"{len(failures)} function(s) to shorten (or allow-list lines to remove); limits: "
              + ", ".join(f"{d}/ {n}" for d, n in LIMITS.items()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
