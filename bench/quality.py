#!/usr/bin/python3
"""Recommendation quality of anime2vec and gensim under shared/EVAL.md, side by side.

For each ratings file: popularity and item-kNN (anime2vec evaluate, deterministic; item-kNN with
the last item as EVAL.md's query, with the recommendation preset's recency and with its own best
recency on the validation split), gensim with its own defaults and with anime2vec's
recommendation settings (trained by bench/gensim_train.py on the protocol's training sequences,
scored by `anime2vec evaluate --vectors [--context]` the way the preset is), and anime2vec with
its defaults, its word2vec preset and its recommendation preset (the default of evaluate). Three
seeds each, one thread; prints a Markdown table of mean ± sd and the median training seconds.

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


def preset_settings(name):
    """A preset's flags, from `anime2vec presets`, as a dict of flag -> value (--scoring and
    --recency included)."""
    listing = subprocess.run([CLI, "presets"], check=True, capture_output=True, text=True).stdout
    line = next(l for l in listing.splitlines() if l.split("\t")[0] == name)
    words = line.split("\t")[1].split()
    return dict(zip(words[0::2], words[1::2]))


def gensim_flags(settings, ordered):
    """The same settings as flags of gensim_train.py. gensim has no forward-only window: a
    forward window becomes a window of the same reach on both sides (said in the label)."""
    mode = settings["--window-mode"]
    if mode == "auto":
        mode = "shrink" if ordered else "sequence"
    out = []
    for key in ("--dim", "--window", "--negatives", "--ns-exponent", "--subsample", "--epochs",
                "--lr", "--min-lr"):
        out += [key, settings[key]]
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


def metrics(m, seconds=None):
    return {k: (m[k], 0.0) for k in ("hr@10", "ndcg@10", "mrr")} | {"seconds": seconds}


def evaluate_file(path, work):
    name = os.path.basename(os.path.dirname(path)) or path
    train = os.path.join(work, "train.txt")
    ordered = "timestamp" in open(path, encoding="utf-8-sig").readline()
    recommendation = preset_settings("recommendation")
    recency = recommendation["--recency"]
    rows = {}

    # Baselines, and the protocol's training sequences for gensim. item-kNN is shown with
    # EVAL.md's last-item query, with the preset's recency, and with the recency that scores
    # best for item-kNN itself on the validation split (EVAL.md §8).
    quick = ["--seeds", "1", "--epochs", "1", "--json"]
    base = run_json([CLI, "evaluate", "--ratings", path, "--recency", recency,
                     "--export-train", train] + quick)
    rows["popularity"] = metrics(base["models"]["popularity"])
    rows["item-kNN (last item, EVAL.md)"] = metrics(base["models"]["item-knn"])
    if float(recency) > 0:
        rows[f"item-kNN (recency {recency})"] = metrics(base["models"]["item-knn-recency"])

    def knn_at(r, *extra):
        m = run_json([CLI, "evaluate", "--ratings", path, "--recency", r] + list(extra) + quick)
        return m["models"]["item-knn-recency" if float(r) > 0 else "item-knn"]
    best = max(("0", "0.25", "0.5", "0.75"), key=lambda r: knn_at(r, "--validation")["ndcg@10"])
    rows[f"item-kNN (recency {best}: its best on validation)"] = metrics(knn_at(best))

    for label, preset in (("anime2vec defaults (similarity preset)", "similarity"),
                          ("anime2vec, word2vec preset", "word2vec"),
                          ("anime2vec, recommendation preset (default)", "recommendation")):
        runs = []
        for seed in SEEDS:
            r = run_json([CLI, "evaluate", "--ratings", path, "--preset", preset,
                          "--seeds", str(seed), "--json"])["models"]["skipgram"]
            runs.append({"hr@10": r["hr@10"], "ndcg@10": r["ndcg@10"], "mrr": r["mrr"],
                         "seconds": r["train_seconds"]})
        rows[label] = summarise(runs)

    # gensim: its defaults scored as EVAL.md says (cosine, last item), and the recommendation
    # settings scored as the preset is (input·output vectors, the preset's recency).
    same = gensim_flags(recommendation, ordered)
    forward = recommendation["--forward"] == "true"
    gensim_settings = {
        "gensim defaults": ([], False, "0"),
        "gensim with the recommendation settings" +
        (" (both sides instead of forward)" if forward else ""): (same, True, recency),
    }
    for label, (flags, io, r) in gensim_settings.items():
        runs = []
        for seed in SEEDS:
            vectors = os.path.join(work, "gensim.vec")
            context = os.path.join(work, "gensim.ctx")
            g = run_json(["/usr/bin/python3", os.path.join(HERE, "gensim_train.py"), train,
                          "--out", vectors, "--out-context", context, "--seed", str(seed),
                          "--threads", "1"] + flags)
            args = [CLI, "evaluate", "--ratings", path, "--vectors", vectors, "--recency", r,
                    "--json"] + (["--context", context] if io else [])
            v = run_json(args)["models"]["vectors"]
            runs.append({"hr@10": v["hr@10"], "ndcg@10": v["ndcg@10"], "mrr": v["mrr"],
                         "seconds": g["seconds"]})
        scoring = f"; input·output, recency {r}" if io else "; cosine, last item"
        rows[label + (" (" + " ".join(flags) + scoring + ")" if flags else "")] = summarise(runs)
    return name, base["users"], base["items"], ordered, recommendation, rows


def main():
    files = sys.argv[1:] or DEFAULT_FILES
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            name, users, items, ordered, rec, rows = evaluate_file(path, work)
            kind = "timestamps" if ordered else "no timestamps: file order"
            flags = " ".join(f"{k} {v}" for k, v in rec.items())
            print(f"\n**{name}** ({users} users evaluated, {items} items, {kind}; next-item "
                  f"query; seeds {','.join(map(str, SEEDS))}, one thread; the recommendation "
                  f"preset here is `{flags}`)\n")
            print("| model | HR@10 | NDCG@10 | MRR | training s |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for label, r in rows.items():
                cells = [f"{r[k][0]:.4f} ± {r[k][1]:.4f}" for k in ("hr@10", "ndcg@10", "mrr")]
                seconds = "–" if r["seconds"] is None else f"{r['seconds']:.2f}"
                print(f"| {label} | " + " | ".join(cells) + f" | {seconds} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
