#!/usr/bin/python3
"""Recommendation quality of anime2vec and gensim under shared/EVAL.md, side by side.

For each ratings file: popularity and item-kNN (anime2vec evaluate, deterministic), gensim with
its own defaults and with anime2vec's recommendation settings (trained by bench/gensim_train.py
on the protocol's training sequences, scored by `anime2vec evaluate --vectors`), and anime2vec
with its word2vec preset and its recommendation preset (the default). Three seeds each, one
thread; prints a Markdown table of mean ± sd and the median training seconds.

Usage: bench/quality.py [ratings.csv ...]   (default: the two samples in ../shared/data)
Environment: ANIME2VEC (the CLI, default build/cli/anime2vec), SEEDS (default 1,2,3).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLI = os.environ.get("ANIME2VEC", os.path.join(ROOT, "build", "cli", "anime2vec"))
SEEDS = [int(s) for s in os.environ.get("SEEDS", "1,2,3").split(",")]
DEFAULT_FILES = [os.path.join(ROOT, "..", "shared", "data", d, "ratings.csv")
                 for d in ("movielens-small", "anime")]


def run_json(args):
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def preset_flags(name, ordered):
    """A preset's settings (from `anime2vec presets`) as flags of gensim_train.py."""
    listing = subprocess.run([CLI, "presets"], check=True, capture_output=True, text=True).stdout
    line = next(l for l in listing.splitlines() if l.split("\t")[0] == name)
    words = line.split("\t")[1].split()
    flags = dict(zip(words[0::2], words[1::2]))
    if flags["--forward"] != "false":
        raise SystemExit("gensim has no forward-only window")
    mode = flags["--window-mode"]
    if mode == "auto":
        mode = "shrink" if ordered else "sequence"
    out = []
    for key in ("--dim", "--window", "--negatives", "--ns-exponent", "--subsample", "--epochs",
                "--lr", "--min-lr"):
        out += [key, flags[key]]
    if mode == "fixed":
        out.append("--fixed-window")
    elif mode == "sequence":
        out += ["--fixed-window", "--shuffle"]
    return out


def summarise(runs):
    def stat(key):
        values = [r[key] for r in runs]
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return statistics.mean(values), sd
    return {k: stat(k) for k in ("hr@10", "ndcg@10", "mrr")} | {
        "seconds": statistics.median(r["seconds"] for r in runs)}


def evaluate_file(path, work):
    name = os.path.basename(os.path.dirname(path)) or path
    train = os.path.join(work, "train.txt")
    ordered = "timestamp" in open(path, encoding="utf-8-sig").readline()
    rows = {}

    # Baselines, and the protocol's training sequences for gensim.
    base = run_json([CLI, "evaluate", "--ratings", path, "--seeds", "1", "--epochs", "1",
                     "--json", "--export-train", train])
    for model in ("popularity", "item-knn"):
        m = base["models"][model]
        rows[model] = {k: (m[k], 0.0) for k in ("hr@10", "ndcg@10", "mrr")} | {"seconds": None}

    for label, preset in (("anime2vec, word2vec preset", "word2vec"),
                          ("anime2vec, recommendation preset (default)", "recommendation")):
        runs = []
        for seed in SEEDS:
            r = run_json([CLI, "evaluate", "--ratings", path, "--preset", preset,
                          "--seeds", str(seed), "--json"])["models"]["skipgram"]
            runs.append({"hr@10": r["hr@10"], "ndcg@10": r["ndcg@10"], "mrr": r["mrr"],
                         "seconds": r["train_seconds"]})
        rows[label] = summarise(runs)

    gensim_settings = {
        "gensim defaults": [],
        "gensim with the recommendation settings": preset_flags("recommendation", ordered),
    }
    for label, flags in gensim_settings.items():
        runs = []
        for seed in SEEDS:
            vectors = os.path.join(work, "gensim.vec")
            g = run_json(["/usr/bin/python3", os.path.join(HERE, "gensim_train.py"), train,
                          "--out", vectors, "--seed", str(seed), "--threads", "1"] + flags)
            r = run_json([CLI, "evaluate", "--ratings", path, "--vectors", vectors,
                          "--json"])["models"]["vectors"]
            runs.append({"hr@10": r["hr@10"], "ndcg@10": r["ndcg@10"], "mrr": r["mrr"],
                         "seconds": g["seconds"]})
        rows[label + (" (" + " ".join(flags) + ")" if flags else "")] = summarise(runs)
    return name, base["users"], base["items"], rows


def main():
    files = sys.argv[1:] or DEFAULT_FILES
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            name, users, items, rows = evaluate_file(path, work)
            print(f"\n**{name}** ({users} users evaluated, {items} items; next-item query; "
                  f"seeds {','.join(map(str, SEEDS))}, one thread)\n")
            print("| model | HR@10 | NDCG@10 | MRR | training s |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for label, r in rows.items():
                cells = [f"{r[k][0]:.4f} ± {r[k][1]:.4f}" for k in ("hr@10", "ndcg@10", "mrr")]
                seconds = "–" if r["seconds"] is None else f"{r['seconds']:.2f}"
                print(f"| {label} | " + " | ".join(cells) + f" | {seconds} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
