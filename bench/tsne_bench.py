#!/usr/bin/env python3
"""t-SNE of every item: anime2vec's Barnes-Hut t-SNE against scikit-learn's, same settings.

Times `anime2vec project --method tsne` (the seconds it reports: affinities, initialisation and
iterations, not reading the model file) and sklearn.manifold.TSNE.fit_transform (its
neighbours, affinities, PCA initialisation and iterations) on the same vectors, in wall-clock
and processor seconds (all threads; on a shared machine the latter is the steadier figure), with the same
perplexity, iterations, angle (theta), early exaggeration, cosine input distances, PCA
initialisation and automatic learning rate; then trustworthiness@k (sklearn.manifold.
trustworthiness, cosine distances in the input space) of both layouts, in this one script.

Each thread count runs in a fresh process so that OMP_NUM_THREADS binds scikit-learn's OpenMP.
Prints a Markdown table; --json prints one JSON object instead.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np


def read_word2vec(path):
    with open(path, encoding="utf-8") as f:
        count, dim = (int(x) for x in f.readline().split())
        ids = []
        data = np.empty((count, dim), dtype=np.float32)
        for i, line in enumerate(f):
            parts = line.rstrip("\n").split(" ")
            ids.append(parts[0])
            data[i] = np.asarray(parts[1:1 + dim], dtype=np.float32)
    return ids, data


def read_coords(path):
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["id"] for r in rows], np.array([[float(r["x"]), float(r["y"])] for r in rows])


def run_anime2vec(args, threads, out_csv):
    command = [args.anime2vec, "project", "--model", args.vectors, "--method", "tsne",
               "--perplexity", str(args.perplexity), "--iterations", str(args.iterations),
               "--theta", str(args.theta), "--threads", str(threads), "--quiet",
               "--out", out_csv]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    summary = done.stderr.strip().splitlines()[-1]
    seconds = float(re.search(r"threads, ([0-9.]+) s", summary).group(1))
    cpu = float(re.search(r"cpu ([0-9.]+) s", summary).group(1))
    kl = float(re.search(r"KL ([0-9.]+)", summary).group(1))
    return seconds, kl, cpu


def sklearn_worker(args):
    """Runs in a child process: one scikit-learn fit, layout to --layout-out (.npy)."""
    from sklearn.manifold import TSNE

    _, data = read_word2vec(args.vectors)
    tsne = TSNE(n_components=2, perplexity=args.perplexity, early_exaggeration=12.0,
                learning_rate="auto", n_iter=args.iterations, metric="cosine", init="pca",
                method="barnes_hut", angle=args.theta, random_state=args.seed)
    start, cpu_start = time.perf_counter(), time.process_time()
    layout = tsne.fit_transform(data)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    np.save(args.layout_out, layout)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "kl": float(tsne.kl_divergence_),
                      "iterations": int(tsne.n_iter_)}))


def run_sklearn(args, threads, layout_path):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    command = [sys.executable, os.path.abspath(__file__), "--sklearn-worker",
               "--vectors", args.vectors, "--perplexity", str(args.perplexity),
               "--iterations", str(args.iterations), "--theta", str(args.theta),
               "--seed", str(args.seed), "--layout-out", layout_path]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", required=True, help="word2vec text file")
    parser.add_argument("--anime2vec", default="build/cli/anime2vec")
    parser.add_argument("--perplexity", type=float, default=30)
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--theta", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0, help="scikit-learn's random_state")
    parser.add_argument("--threads", default="1,2", help="thread counts, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per row (median)")
    parser.add_argument("--neighbours", type=int, default=10, help="k of trustworthiness@k")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sklearn-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--layout-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sklearn_worker:
        sklearn_worker(args)
        return

    from sklearn.manifold import trustworthiness

    ids, data = read_word2vec(args.vectors)
    rows = []
    layouts = {}
    with tempfile.TemporaryDirectory() as work:
        for threads in [int(t) for t in args.threads.split(",")]:
            out_csv = os.path.join(work, f"a2v{threads}.csv")
            runs = [run_anime2vec(args, threads, out_csv) for _ in range(args.repeats)]
            coord_ids, layout = read_coords(out_csv)
            if coord_ids != ids:
                raise SystemExit("anime2vec's CSV rows are not in the model's order")
            layouts[f"anime2vec-{threads}"] = layout
            rows.append({"tool": "anime2vec", "threads": threads,
                         "seconds": float(np.median([r[0] for r in runs])),
                         "all_seconds": [r[0] for r in runs],
                         "cpu_seconds": float(np.median([r[2] for r in runs])),
                         "kl": runs[-1][1],
                         "iterations": args.iterations, "key": f"anime2vec-{threads}"})

            npy = os.path.join(work, f"sk{threads}.npy")
            fits = [run_sklearn(args, threads, npy) for _ in range(args.repeats)]
            layouts[f"sklearn-{threads}"] = np.load(npy)
            rows.append({"tool": "scikit-learn", "threads": threads,
                         "seconds": float(np.median([f["seconds"] for f in fits])),
                         "all_seconds": [f["seconds"] for f in fits],
                         "cpu_seconds": float(np.median([f["cpu_seconds"] for f in fits])),
                         "kl": fits[-1]["kl"],
                         "iterations": fits[-1]["iterations"], "key": f"sklearn-{threads}"})

    scores = {}
    for key, layout in layouts.items():
        scores[key] = float(trustworthiness(data, layout, n_neighbors=args.neighbours,
                                            metric="cosine"))
    for row in rows:
        row["trustworthiness"] = scores[row.pop("key")]

    import sklearn

    result = {"items": len(ids), "dimension": int(data.shape[1]), "perplexity": args.perplexity,
              "iterations": args.iterations, "theta": args.theta, "k": args.neighbours,
              "sklearn": sklearn.__version__, "rows": rows}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(ids)} items, {data.shape[1]} dimensions; perplexity {args.perplexity:g}, "
          f"{args.iterations} iterations, theta {args.theta:g}, cosine, PCA init, "
          f"automatic learning rate; scikit-learn {sklearn.__version__}; median of "
          f"{args.repeats} runs")
    print()
    print(f"| tool | threads | seconds | CPU seconds | KL | trustworthiness@{args.neighbours} |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['tool']} | {row['threads']} | {row['seconds']:.2f} | "
              f"{row['cpu_seconds']:.2f} | {row['kl']:.3f} | {row['trustworthiness']:.4f} |")


if __name__ == "__main__":
    main()
