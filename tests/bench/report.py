#!/usr/bin/env python3
"""The figures of `make bench`: medians over repetitions, ratios to the peers, the targets of
docs/performance.md, and simple SVG plots.

  report.py RESULTS.json [--callgrind ANNOTATE.txt WORKLOAD.json] [--doc docs/performance.md]
            [--projector PROJECTOR.txt]

RESULTS.json is what keha-bench wrote. Without --doc it prints the tables only.
"""
import argparse
import json
import os
import re
import statistics
import sys

COLORS = {"keha": "#b03a2e", "keha-unit": "#e67e22", "keha-pg": "#7d3c98", "ws-relay": "#2471a3", "ws-relay-sqlite": "#229954"}
TARGET_ORDER = ["keha", "keha-unit", "keha-pg", "ws-relay", "ws-relay-sqlite"]
LABELS = {"keha": "keha-server (SQLite)", "keha-unit": "keha-server (SQLite), the unit's LimitNOFILE=65536",
          "keha-pg": "keha-server (PostgreSQL)",
          "ws-relay": "ws relay, persists nothing", "ws-relay-sqlite": "ws relay + SQLite group commit"}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0, unit=""):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def ratio(a, b):
    return a / b if a is not None and b else None


class Results:
    def __init__(self, data):
        self.data = data
        self.targets = [t for t in TARGET_ORDER if any(r["target"] == t for r in data.get("runs", []))]

    def runs(self, scenario, target):
        return [r["result"] for r in self.data.get("runs", [])
                if r["scenario"] == scenario and r["target"] == target and "result" in r]

    def reps(self, scenario):
        return max([r["rep"] + 1 for r in self.data.get("runs", []) if r["scenario"] == scenario] or [0])

    def one_room(self, target):
        runs = self.runs("one_room", target)
        if not runs:
            return None
        by_rate = {}
        for run in runs:
            for step in run["steps"]:
                by_rate.setdefault(step["offered"], []).append(step)

        def saturation(run):  # the step with the most acked commands a second
            return max(run["steps"], key=lambda s: s["acked_per_s"])

        return {
            "sustained": median([r["sustained"] for r in runs]),
            "full": median([r.get("answered_in_full") for r in runs]),
            "peak": median([r["peak"] for r in runs]),
            "held": median([r["overload"]["held_of_peak"] for r in runs]),
            "overload_offered": median([r["overload"]["offered"] for r in runs]),
            "overload_acked": median([r["overload"]["acked_per_s"] for r in runs]),
            "cpu_us": median([saturation(r)["server_cpu_us_per_delivery"] for r in runs]),
            "gen_us": median([saturation(r)["generator_cpu_us_per_delivery"] for r in runs]),
            "gen_cores": median([saturation(r)["generator_cores"] for r in runs]),
            "server_cores": median([saturation(r)["server_cores"] for r in runs]),
            "gen_syscalls": median([saturation(r)["generator_syscalls_per_delivery"] for r in runs]),
            "curve": sorted((rate, median([s["acked_per_s"] for s in steps]),
                             median([s["delivery_p99_ms"] for s in steps]), len(steps))
                            for rate, steps in by_rate.items()),
        }

    def curve(self, scenario, target, key):
        runs = self.runs(scenario, target)
        points = {}
        for run in runs:
            for p in run["points"]:
                points.setdefault(p[key], []).append(p)
        return sorted((x, {
            "p99": median([p["delivery_p99_ms"] for p in ps]),
            "ack_p99": median([p["ack_p99_ms"] for p in ps]),
            "delivered": median([p["delivered_per_s"] for p in ps]),
            "acked": median([p["acked_per_s"] for p in ps]),
            "offered": median([p["offered"] for p in ps]),
            "cpu_us": median([p["server_cpu_us_per_delivery"] for p in ps]),
            "pages": median([p.get("pages_per_commit") for p in ps]),
            "per_commit": median([p.get("commands_per_commit") for p in ps]),
            "drained": sum(1 for p in ps if p["drained"]) * 2 > len(ps),
            "n": len(ps)}) for x, ps in points.items())

    def rooms_facts(self, target):
        runs = self.runs("rooms", target)
        if not runs:
            return None
        welcomes = [r["welcome"] for r in runs if r.get("welcome")]
        return {
            "wanted": runs[0]["wanted"],
            "connected": median([r["connected"] for r in runs]),
            "kib": median([r["kib_per_member"] for r in runs]),
            "join_s": median([r["join_s"] for r in runs]),
            "welcome_p50": median([w["p50_ms"] for w in welcomes if w["samples"]]),
            "welcome_p99": median([w["p99_ms"] for w in welcomes if w["samples"]]),
            "welcome_rooms": welcomes[0]["rooms"] if welcomes else None,
            "welcome_items": welcomes[0]["items"] if welcomes else None,
            "welcome_samples": sum(w["samples"] for w in welcomes),
            "welcome_asked": sum(w["asked"] for w in welcomes),
            "per_member": self.per_member(runs),
        }

    @staticmethod
    def per_member(runs):
        """The rooms point at 1 cmd/s from every member (keha-bench's last point of the rooms curve)."""
        ps = [r["per_member"] for r in runs if r.get("per_member")]
        if not ps:
            return None
        return {"rooms": ps[0]["rooms"], "offered": median([p["offered"] for p in ps]),
                "acked": median([p["acked_per_s"] for p in ps]), "p99": median([p["delivery_p99_ms"] for p in ps]),
                "cpu_us": median([p["server_cpu_us_per_delivery"] for p in ps]),
                "server_cores": median([p["server_cores"] for p in ps]),
                "gen_cores": median([p["generator_cores"] for p in ps])}


def breaks(curve, limit_ms):
    """The first x whose median p99 is over the limit, or whose commands were not all answered."""
    for x, p in curve:
        if p["p99"] is None or p["p99"] >= limit_ms or not p["drained"] or p["acked"] < 0.9 * p["offered"]:
            return x
    return None


# --- SVG -------------------------------------------------------------------------------

def svg_plot(title, series, x_label, y_label, log_x=False, log_y=False, limit=None):
    """series: {target: [(x, y), ...]}. Simple polylines on a 640x360 canvas."""
    import math
    w, h, left, right, top, bottom = 640, 360, 70, 190, 40, 50
    xs = [x for pts in series.values() for x, y in pts if y is not None]
    ys = [y for pts in series.values() for x, y in pts if y is not None]
    if limit is not None:
        ys.append(limit)
    if not xs or not ys:
        return None
    fx = (lambda v: math.log10(max(v, 1e-9))) if log_x else (lambda v: v)
    fy = (lambda v: math.log10(max(v, 1e-3))) if log_y else (lambda v: v)
    x0, x1 = fx(min(xs)), fx(max(xs))
    y0, y1 = (fy(max(min(ys), 1e-3)), fy(max(ys))) if log_y else (0, max(ys) * 1.05)
    x1 = x1 if x1 > x0 else x0 + 1
    y1 = y1 if y1 > y0 else y0 + 1

    def px(v):
        return left + (fx(v) - x0) / (x1 - x0) * (w - left - right)

    def py(v):
        return h - bottom - (fy(v) - y0) / (y1 - y0) * (h - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14" font-weight="bold">{title}</text>',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>',
           f'<text x="{(left + w - right) / 2}" y="{h - 12}" text-anchor="middle">{x_label}</text>',
           f'<text x="16" y="{(top + h - bottom) / 2}" text-anchor="middle" '
           f'transform="rotate(-90 16 {(top + h - bottom) / 2})">{y_label}</text>']
    for tick in ticks(min(xs), max(xs), log_x):
        out.append(f'<line x1="{px(tick):.1f}" y1="{h - bottom}" x2="{px(tick):.1f}" y2="{h - bottom + 5}" stroke="black"/>')
        out.append(f'<text x="{px(tick):.1f}" y="{h - bottom + 18}" text-anchor="middle">{tick:g}</text>')
    for tick in ticks(10 ** y0 if log_y else 0, 10 ** y1 if log_y else y1, log_y):
        out.append(f'<line x1="{left}" y1="{py(tick):.1f}" x2="{w - right}" y2="{py(tick):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
    if limit is not None:
        out.append(f'<line x1="{left}" y1="{py(limit):.1f}" x2="{w - right}" y2="{py(limit):.1f}" '
                   f'stroke="#888" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{w - right - 4}" y="{py(limit) - 5:.1f}" text-anchor="end" fill="#555">{limit:g}</text>')
    for i, (target, pts) in enumerate(series.items()):
        pts = [(x, y) for x, y in pts if y is not None]
        color = COLORS.get(target, "black")
        if pts:
            line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
            out.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
            out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}"/>' for x, y in pts]
        ly = top + 14 + 18 * i
        out.append(f'<line x1="{w - right + 10}" y1="{ly - 4}" x2="{w - right + 30}" y2="{ly - 4}" '
                   f'stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{w - right + 35}" y="{ly}">{target}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def ticks(lo, hi, log):
    import math
    if hi <= lo:
        return [lo]
    if log:
        decades = range(math.floor(math.log10(max(lo, 1e-3))), math.ceil(math.log10(hi)) + 1)
        marks = [1] if len(decades) > 3 else [1, 2, 5]
        return [m * 10 ** e for e in decades for m in marks if lo * 0.999 <= m * 10 ** e <= hi * 1.001] or [lo, hi]
    raw = (hi - lo) / 5
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= step * m:
            step *= m
            break
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 1)]


# --- Tables ----------------------------------------------------------------------------

def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def one_room_section(res, plots):
    facts = {t: res.one_room(t) for t in res.targets}
    facts = {t: f for t, f in facts.items() if f}
    if not facts:
        return "", {}
    rows = []
    for t, f in facts.items():
        rows.append([LABELS[t], fmt(f["sustained"]), fmt(f["full"]), fmt(f["peak"]),
                     f'{fmt(f["overload_acked"])} of {fmt(f["overload_offered"])} = {fmt(100 * f["held"] if f["held"] is not None else None)} %',
                     fmt(f["cpu_us"], 2), fmt(f["server_cores"], 2),
                     f'{fmt(f["gen_us"], 2)} ({fmt(f["gen_cores"], 2)} cores, {fmt(f["gen_syscalls"], 3)} syscalls)'])
    text = ["## One room of 40 members", "",
            f"Offered-rate steps of `item.edit` (each member edits its own item, round robin), medians of "
            f"{res.reps('one_room')} repetitions. **Sustained**: the highest step answered in full with delivery "
            "p99 < 50 ms (acked ≥ 90 % of offered within the step, every ack and delivery in before the drain "
            "timeout). **In full**: the highest step answered in full, whatever its latency. **Peak**: the most "
            "commands acknowledged a second in any step. **Overload**: twice the in-full rate, the acknowledged "
            "rate as a share of the peak. CPU per delivery at the step of the "
            "peak, from `/proc/PID/stat` (all the server's threads) and `getrusage` (the generator).", "",
            table(["target", "sustained cmd/s", "in full cmd/s", "peak acked/s", "overload 2×: acked/s", "server µs/delivery",
                   "server cores", "generator µs/delivery"], rows), ""]
    base = facts.get("keha")
    if base:
        ratios = []
        for t in facts:
            if t == "keha":
                continue
            f = facts[t]
            ratios.append([f"keha ÷ {t}", fmt(ratio(base["sustained"], f["sustained"]), 2),
                           fmt(ratio(base["peak"], f["peak"]), 2), fmt(ratio(base["cpu_us"], f["cpu_us"]), 2)])
        text += [table(["ratio", "sustained", "peak", "CPU per delivery"], ratios), ""]
    plots["one-room-acked.svg"] = svg_plot(
        "One room of 40: acknowledged vs offered", {t: [(r, a) for r, a, p, n in f["curve"]] for t, f in facts.items()},
        "offered cmd/s", "acked cmd/s")
    plots["one-room-p99.svg"] = svg_plot(
        "One room of 40: delivery p99", {t: [(r, p) for r, a, p, n in f["curve"]] for t, f in facts.items()},
        "offered cmd/s", "p99 ms (log)", log_y=True, limit=50)
    text += ["![acknowledged vs offered](performance/one-room-acked.svg)",
             "![delivery p99 vs offered](performance/one-room-p99.svg)", ""]
    steps = sorted({r for f in facts.values() for r, *_ in f["curve"]})
    rows = []
    for rate in steps:
        row = [fmt(rate)]
        for t, f in facts.items():
            hit = [c for c in f["curve"] if c[0] == rate]
            row.append(f"{fmt(hit[0][1])} / {fmt(hit[0][2], 1)} ms" if hit else "—")
        rows.append(row)
    text += ["Each step, acked/s and delivery p99 (medians; a step missing where the target broke before it):", "",
             table(["offered"] + list(facts), rows), ""]
    return "\n".join(text), facts


def curve_section(res, scenario, key, title, limit, plots, name, x_label, intro):
    curves = {t: res.curve(scenario, t, key) for t in res.targets}
    curves = {t: c for t, c in curves.items() if c}
    if not curves:
        return "", {}
    xs = sorted({x for c in curves.values() for x, _ in c})
    rows = []
    for x in xs:
        row = [fmt(x)]
        for t, c in curves.items():
            hit = [p for px_, p in c if px_ == x]
            row.append(f'{fmt(hit[0]["p99"], 2)} ms, {fmt(hit[0]["delivered"])} dl/s, {fmt(hit[0]["cpu_us"], 2)} µs'
                       if hit else "—")
        rows.append(row)
    broke = {t: breaks(c, limit) for t, c in curves.items()}
    plots[name] = svg_plot(title, {t: [(x, p["p99"]) for x, p in c] for t, c in curves.items()},
                           x_label, "delivery p99 ms (log)", log_x=True, log_y=True, limit=limit)
    text = [intro, "", table([key] + list(curves), rows), "",
            "Where each breaks (first point with p99 ≥ " + f"{limit:g} ms or commands left unanswered): " +
            "; ".join(f"{t}: {fmt(b) if b else 'not within the curve'}" for t, b in broke.items()) + ".", "",
            f"![{title}](performance/{name})", ""]
    return "\n".join(text), {"curves": curves, "breaks": broke}


def rooms_extra(res):
    facts = {t: res.rooms_facts(t) for t in res.targets}
    facts = {t: f for t, f in facts.items() if f}
    if not facts:
        return "", {}
    rows = [[LABELS[t], f'{fmt(f["connected"])} of {fmt(f["wanted"])}', fmt(f["join_s"], 1), fmt(f["kib"], 2),
             f'{fmt(f["welcome_p50"], 2)} / {fmt(f["welcome_p99"], 2)} ms ({f["welcome_samples"]} of {f["welcome_asked"]})']
            for t, f in facts.items()]
    any_f = next(iter(facts.values()))
    text = ["### Idle members and a big room's welcome", "",
            "The members of the rooms curve, joined before any command: the server's resident memory grows by "
            "this much per member. Then, during the "
            f"{fmt(any_f['welcome_rooms'])}-room point, new members join a room of {fmt(any_f['welcome_items'])} "
            "items at an even pace: hello → welcome.", "",
            table(["target", "members joined", "join time s", "KiB per idle member", "welcome p50 / p99"], rows), ""]
    pm = {t: f["per_member"] for t, f in facts.items() if f.get("per_member")}
    if pm:
        rows = [[LABELS[t], f'{fmt(m["acked"])} of {fmt(m["offered"])}', fmt(m["p99"], 2) + " ms", fmt(m["cpu_us"], 2),
                 fmt(m["server_cores"], 2), fmt(m["gen_cores"], 2)] for t, m in pm.items()]
        text += ["### One command a second from every member", "",
                 f"The last point of the rooms curve: {fmt(next(iter(pm.values()))['rooms'])} rooms, every member "
                 "sending one `item.add` a second (the target's \"1 cmd/s each\" read per member), medians.", "",
                 table(["target", "acked/s of offered", "delivery p99", "server µs/delivery", "server cores",
                        "generator cores"], rows), ""]
    return "\n".join(text), facts


def layout_section(data):
    """The op log's page writes per commit, before schema 5 and now (tests/bench/layout.hpp)."""
    layout = data.get("layout")
    if not layout:
        return "", None
    rows = [[fmt(b["ops_per_commit"]), fmt(b["pages_per_commit"], 2), fmt(n["pages_per_commit"], 2),
             fmt(ratio(b["pages_per_commit"], n["pages_per_commit"]), 2) + "×"]
            for b, n in zip(layout["before"], layout["now"])]
    text = ["## Page writes per commit", "",
            f"The op log's layout alone: {fmt(layout['rooms'])} rooms with {layout['ops_per_room_before']} ops each, "
            "then 300 commits each carrying ops of different rooms, drawn at random, into the `ops` table as it was "
            "before schema version 5 (keyed by room and seq: every room's next op goes into the middle of the "
            "table) and as keha-server makes it now (the ops in the order they were written, (room, seq) a unique "
            "index beside them). Pages written per commit as SQLite counts them (`SQLITE_DBSTATUS_CACHE_WRITE`), "
            "so the figure does not depend on the machine's load.", "",
            table(["ops a commit", "pages a commit before", "now", "before ÷ now"], rows), ""]
    return "\n".join(text), layout


def commits_table(rooms):
    """keha-server's own commits in the rooms curve (from its /metrics)."""
    curves = rooms.get("curves", {}) if rooms else {}
    rows = []
    for target in ("keha", "keha-unit"):
        for x, p in curves.get(target, []):
            if p.get("pages") is not None:
                rows.append([LABELS[target], fmt(x), fmt(p["per_commit"], 1), fmt(p["pages"], 2),
                             fmt(ratio(p["pages"], p["per_commit"]), 2)])
    if not rows:
        return ""
    return "\n".join([
        "Under load, keha-server's own commits at each point of the rooms curve (its `keha_store_commits_total`, "
        "`keha_store_pages_written_total` and `keha_commands_applied_total`; medians):", "",
        table(["target", "rooms", "commands a commit", "pages a commit", "pages a command"], rows), ""])


# (what, the function names that stand for it: the first found counts). Inclusive counts, so
# a function's callees are in its figure.
CALLGRIND_FUNCTIONS = [
    ("reducer (apply_command)", [r"keha::apply_command\(", r"keha::\(anonymous namespace\)::Reducer::dispatch\("]),
    ("a command, read to commit (Room::do_command)", [r"keha::server::Room::do_command\("]),
    ("broadcast: a patch to every member's queue (Room::broadcast)", [r"keha::server::Room::broadcast\("]),
    ("delivery after the commit (Room::on_committed)", [r"keha::server::Room::on_committed\("]),
    ("members' writes (Websocket_session::do_write)", [r"keha::server::Websocket_session::do_write\("]),
    ("members' reads (Websocket_session::on_read)", [r"keha::server::Websocket_session::on_read\("]),
    ("the store's writer thread (Store_writer::loop)", [r"keha::server::Store_writer::loop\("]),
]


def inclusive_counts(text):
    """{function: Ir} from `callgrind_annotate --inclusive=yes` (file:function [object])."""
    counts = {}
    for m in re.finditer(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+([^:\s]*):(.*?)(?: \[[^\]]*\])?$", text, re.M):
        ir = int(m.group(1).replace(",", ""))
        counts[m.group(3)] = max(ir, counts.get(m.group(3), 0))
    return counts


def callgrind_section(annotate_path, workload_path):
    if not annotate_path or not os.path.exists(annotate_path):
        return ""
    text = open(annotate_path, encoding="utf-8", errors="replace").read()
    workload = json.load(open(workload_path))["fixed_workload"] if workload_path else {}
    edits = workload.get("edits") or 1
    total = re.search(r"^\s*([\d,]+)\s.*PROGRAM TOTALS", text, re.M)
    counts = inclusive_counts(text)
    rows = [["the whole server, start to stop (all threads)", total.group(1) if total else "—", "—"]]
    for label, patterns in CALLGRIND_FUNCTIONS:
        ir = None
        for pattern in patterns:
            found = [n for f, n in counts.items() if re.match(pattern, f)]
            if found:
                ir = max(found)
                break
        rows.append([label, fmt(ir), fmt(ir / edits if ir is not None else None)])
    return "\n".join([
        "## Instruction counts (callgrind)", "",
        f"keha-server under `valgrind --tool=callgrind` for one fixed workload: one room of "
        f"{workload.get('members', '?')} members, each adds an item, then {edits} `item.edit`s in rounds (every member "
        f"once a round, the next round after every ack) — {workload.get('deliveries', '?')} deliveries. Inclusive "
        "instruction counts (Ir) do not depend on the machine's load, so a change in them is a change in the code.", "",
        table(["what", "Ir in the workload", "Ir per edit"], rows), ""])


def room_figures(target, rooms, extra):
    """The many-room figures of one target: {what: (text, holds)}."""
    curve = rooms.get("curves", {}).get(target) if rooms else None
    facts = extra.get(target) if extra else None
    if not curve or not facts:
        return {}
    out = {}
    p500 = [p for x, p in curve if x == 500]
    if p500:
        short = facts["connected"] < facts["wanted"]
        out["500"] = (fmt(p500[0]["p99"], 2) + " ms" + (f' (only {fmt(facts["connected"])} of '
                      f'{fmt(facts["wanted"])} members joined)' if short else ""), p500[0]["p99"] < 10 and not short)
    if facts.get("per_member"):
        m = facts["per_member"]
        out["500m"] = (f'{fmt(m["p99"], 2)} ms at {fmt(m["rooms"])} rooms; {fmt(m["acked"])} of {fmt(m["offered"])} cmd/s acked',
                       m["p99"] < 10 and m["rooms"] >= 500)
    out["1000"] = (f'{fmt(facts["connected"])} of {fmt(facts["wanted"])} joined', facts["connected"] >= facts["wanted"])
    out["idle"] = (fmt(facts["kib"], 2) + f' KiB at {fmt(facts["connected"])}', facts["kib"] < 16)
    if facts["welcome_samples"] == 0 and facts["welcome_asked"]:
        out["welcome"] = (f'none of {facts["welcome_asked"]} could join', False)
    elif facts["welcome_p99"] is not None:
        out["welcome"] = (fmt(facts["welcome_p99"], 2) + " ms", facts["welcome_p99"] < 20)
    return out


def one_room_figures(target, one):
    """The one-room figures of one target: {what: (text, holds)}."""
    f = one.get(target) if one else None
    if not f:
        return {}
    relay = one.get("ws-relay")
    out = {"5000": (f'{fmt(f["sustained"])} cmd/s', f["sustained"] >= 5000),
           "cpu": (fmt(f["cpu_us"], 2) + " µs", f["cpu_us"] <= 4 if f["cpu_us"] is not None else None),
           "overload": (fmt(100 * f["held"], 0) + " %", f["held"] >= 0.9 if f["held"] is not None else None)}
    r = ratio(f["sustained"], relay["sustained"]) if relay and target != "ws-relay" else None
    if r is not None:
        out["3x"] = (fmt(r, 2) + "×", r >= 3)
    return out


TARGET_ROWS = [
    ("5000", "one room of 40: ≥ 5,000 cmd/s at p99 < 50 ms, every ack durable"),
    ("3x", "≥ 3× the ws relay's sustained rate"),
    ("cpu", "≤ 4 µs of server CPU per delivery at saturation"),
    ("overload", "overload (2×) holds ≥ 90 % of the peak"),
    ("500", "500 rooms × 20 members × 1 cmd/s a room at p99 < 10 ms"),
    ("500m", "500 rooms × 20 members × 1 cmd/s a member (10,000 cmd/s) at p99 < 10 ms"),
    ("1000", "1,000 rooms × 20 members under a systemd service's default limits (here at most 950: the "
             "sandbox's hard file limit of 20,000 holds the generator too)"),
    ("idle", "idle members < 16 KiB each (50,000 wanted; here as many as fit)"),
    ("welcome", "welcome of a 2,000-item room p99 < 20 ms under load"),
]


def layout_row(layout, rooms, verdict):
    """The op log's page writes per commit: the layout alone, and keha-server's at 500 rooms."""
    if not layout:
        return []
    pick = next((i for i, b in enumerate(layout["before"]) if b["ops_per_commit"] == 4), 0)
    before, now = layout["before"][pick]["pages_per_commit"], layout["now"][pick]["pages_per_commit"]
    measured = (f'{fmt(before, 2)} → {fmt(now, 2)} pages a commit of {layout["before"][pick]["ops_per_commit"]} '
                f'ops, {fmt(layout["rooms"])} rooms (the layout alone)')
    at500 = [p for x, p in (rooms.get("curves", {}).get("keha", []) if rooms else []) if x == 500]
    if at500 and at500[0].get("pages") is not None:
        measured += (f'; keha-server at 500 rooms: {fmt(at500[0]["pages"], 2)} pages a commit carrying '
                     f'{fmt(at500[0]["per_commit"], 1)} commands')
    return [["an `ops` layout whose appends stay together: fewer page writes per commit", measured,
             verdict(now < before)]]


def targets_section(one, members, rooms, extra, layout=None):
    def verdict(ok):
        return "—" if ok is None else ("holds" if ok else "falls short")

    present = [t for t in TARGET_ORDER if (one and t in one) or (extra and t in extra)]
    if not present:
        return ""
    figures = {t: {**one_room_figures(t, one), **room_figures(t, rooms, extra)} for t in present}
    header = ["target", LABELS["keha"], "verdict"] + [LABELS[t] for t in present if t != "keha"]
    rows = []
    for key, what in TARGET_ROWS:
        keha = figures.get("keha", {}).get(key)
        others = [figures[t].get(key, ("—", None))[0] for t in present if t != "keha"]
        if keha is None and all(o == "—" for o in others):
            continue
        rows.append([what, keha[0] if keha else "—", verdict(keha[1] if keha else None)] + others)
    extra_rows = layout_row(layout, rooms, verdict)
    text = ["## The targets (issue 15)", "",
            "Medians of the repetitions; the verdict is keha-server's (SQLite), the peers' figures beside it.", "",
            table(header, rows), ""]
    if extra_rows:
        text += [table(["the op log", "measured", ""], extra_rows), ""]
    return "\n".join(text)


def check(data):
    """That a (smoke) run completed and its numbers are sane; never how fast. [] when it is."""
    problems = []
    runs = data.get("runs", [])
    if not runs:
        problems.append("no runs")
    for run in runs:
        name = f'{run["scenario"]} {run["target"]} repetition {run["rep"] + 1}'
        if "result" not in run:
            problems.append(f'{name}: {run.get("error", "no result")}')
            continue
        result = run["result"]
        points = result.get("steps", []) + result.get("points", []) + [result[k] for k in ("overload", "per_member") if k in result]
        if not points:
            problems.append(f"{name}: measured nothing")
        for p in points:
            where = f'{name}, {p["offered"]:g} cmd/s'
            if p["sent"] <= 0 or p["acked"] != p["sent"]:
                problems.append(f'{where}: {p["acked"]} of {p["sent"]} commands acknowledged')
            if p["errors"]:
                problems.append(f'{where}: {p["errors"]} errors')
            if p["deliveries"] != p["expected_deliveries"] or p["deliveries"] <= 0:
                problems.append(f'{where}: {p["deliveries"]} of {p["expected_deliveries"]} deliveries')
            if not (0 < p["delivery_p50_ms"] <= p["delivery_p99_ms"] <= p["delivery_max_ms"]):
                problems.append(f"{where}: latency percentiles out of order")
            if p["server_cpu_us_per_delivery"] < 0 or p["generator_cpu_us_per_delivery"] < 0:
                problems.append(f"{where}: negative CPU time")
        if run["scenario"] == "rooms":
            if result["connected"] != result["wanted"]:
                problems.append(f'{name}: {result["connected"]} of {result["wanted"]} members joined')
            if result["rss_after_kib"] <= 0 or result["welcome"].get("samples", 0) != result["welcome"].get("asked"):
                problems.append(f"{name}: no memory figure, or a welcome of the big room missing")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results", nargs="+", help="keha-bench's results; the runs of several files are put together")
    ap.add_argument("--check", action="store_true", help="only check that the run completed with sane numbers")
    ap.add_argument("--callgrind", nargs=2, metavar=("ANNOTATE", "WORKLOAD"))
    ap.add_argument("--projector")
    ap.add_argument("--doc")
    ap.add_argument("--notes", help="a Markdown file of words to put after the targets (what holds and why)")
    ap.add_argument("--failover", help="the failover section keha-failover-bench wrote (Markdown)")
    args = ap.parse_args()
    data = json.load(open(args.results[0]))
    for more in args.results[1:]:
        extra = json.load(open(more))
        data["runs"] = data.get("runs", []) + extra.get("runs", [])
        data.setdefault("more", []).append(f"`{extra['command']}` ({extra['started']}, load average {extra['load_before']})")
    if args.check:
        problems = check(data)
        for p in problems:
            print("bench check:", p)
        print(f"bench check: {len(data.get('runs', []))} runs, {len(problems)} problems")
        return 1 if problems else 0
    res = Results(data)
    plots = {}
    one_text, one = one_room_section(res, plots) if res.runs else ("", {})
    if not one_text:
        one = {}
    members_text, members = curve_section(
        res, "members", "members", "Members per room: delivery p99", 50, plots, "members-p99.svg", "members in the room",
        "## Members per room\n\nOne room at a time, every member sending "
        f"{next((r['result']['member_rate'] for r in data.get('runs', []) if r['scenario'] == 'members' and 'result' in r), '?')}"
        " `item.edit`/s (so deliveries grow with the square of the size). Each cell: delivery p99, deliveries a "
        "second, server CPU µs per delivery (medians).")
    rooms_text, rooms = curve_section(
        res, "rooms", "rooms", "Rooms of 20 members, 1 cmd/s a room: delivery p99", 10, plots, "rooms-p99.svg", "rooms",
        "## Rooms\n\nRooms of 20 members, all joined first; then the first N rooms each get one `item.add` a "
        "second, spread evenly. Each cell: delivery p99, deliveries a second, server CPU µs per delivery (medians).")
    extra_text, extra = rooms_extra(res)
    layout_text, layout = layout_section(data)
    cg_text = callgrind_section(*(args.callgrind or (None, None)))
    projector = open(args.projector).read().strip() if args.projector and os.path.exists(args.projector) else ""
    notes = open(args.notes).read().strip() if args.notes and os.path.exists(args.notes) else ""
    failover = open(args.failover).read().strip() + "\n" if args.failover and os.path.exists(args.failover) else ""
    body = "\n".join(s for s in [targets_section(one, members, rooms, extra, layout), notes, one_text, members_text,
                                 rooms_text, extra_text, layout_text, commits_table(rooms), failover, cg_text] if s)
    print(body)
    if projector:
        print("\n## Projector\n\n" + projector)
    if args.doc:
        write_doc(args.doc, data, body, projector, plots)


def write_doc(path, data, body, projector, plots):
    folder = os.path.join(os.path.dirname(path) or ".", "performance")
    os.makedirs(folder, exist_ok=True)
    for name, svg in plots.items():
        if svg:
            with open(os.path.join(folder, name), "w") as f:
                f.write(svg)
    head = f"""# Performance

What `make bench` measures, and what it measured last. Every figure comes from
`tests/bench/` (the generator `keha-bench`, the peers in `tests/bench/peers/`, this page from
`tests/bench/report.py`); nothing here was typed by hand except the notes under the targets.

- **Machine**: {data['machine']}; the servers, their stores and the generator all share it.
- **When**: {data['started']} to {data.get('finished', '?')}; load average (1, 5, 15 min) before
  {data['load_before']}, after {data.get('load_after', '?')} — other programs shared these cores.
- **Command**: `make bench BENCH_MODE={data['mode']}` (`{data['command']}`){"; then " + "; ".join(data["more"]) if data.get("more") else ""}.
  The raw results, every run's load average with them, are in `docs/performance/results/`.
- **Targets**: keha-server with its SQLite store; keha-server with PostgreSQL (keha-pg: a
  throw-away cluster on the same machine, its processes' CPU not counted in keha's; the
  one-room and many-room figures); a Node `ws` room relay that persists nothing;
  the same relay with SQLite group commit (WAL, `synchronous=FULL` as keha-server; every
  command in one turn of the event loop in one transaction, acknowledged after the commit).
  Each run starts a fresh server with a fresh store, under the soft file limit a systemd
  service starts with (1,024; keha-server and Node may raise it to the hard limit, here
  {data.get('generator_file_limit', '?')} — which also bounds the generator, so the largest curves stop there).
- **Generator**: one thread, one epoll set, its own WebSocket framing; one `read` takes every
  frame a socket holds, writes are gathered per connection and flushed once a loop turn.
  Latency counts from when a command was *due* (open loop: a late generator is not hidden).
  Its CPU per delivery is in the one-room table.
- **What the peers do**: the part of Kehä's protocol the generator uses — `POST /api/rooms`,
  `hello` → `welcome` (with the room's items), `do` `item.add`/`item.edit` → `ack` to the
  sender and a `patch` to every member, the text as the patch's value. keha-server does
  more for each command (roles and permissions, per-member views, limits, the join of every
  new participant written to the store), so the peers are the floor a team would
  start from, not a copy.
- **Reading the figures**: a figure is the median of the repetitions; the ratios are keha's
  median over the peer's. CPU per delivery is the server process's own (for keha-pg, without
  PostgreSQL's processes). A row missing from a step table means that target broke before it.

"""
    with open(path, "w") as f:
        f.write(head + body + ("\n## Projector\n\nThe projector's frame time (keha-desk, Xvfb, Mesa's software renderer):\n\n```\n" + projector + "\n```\n" if projector else ""))


if __name__ == "__main__":
    sys.exit(main())
