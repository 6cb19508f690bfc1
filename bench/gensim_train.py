#!/usr/bin/python3
"""Trains gensim's Word2Vec (skip-gram, negative sampling) on item sequences, for benchmarks.

Input: one user per line, item ids separated by spaces (what `anime2vec evaluate
--export-train` and `anime2vec export-sequences` write). Prints one JSON object with the
training time and throughput; with --out, saves the vectors in word2vec text format so that
`anime2vec evaluate --vectors` can score them under the same protocol.
"""
import argparse
import json
import random
import sys
import time

from gensim.models import Word2Vec


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("sequences")
    p.add_argument("--out")
    p.add_argument("--out-context",
                   help="also save the output vectors (syn1neg), for input·output scoring")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negatives", type=int, default=5)
    p.add_argument("--ns-exponent", type=float, default=0.75)
    p.add_argument("--subsample", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--lr", type=float, default=0.025)
    p.add_argument("--min-lr", type=float, default=0.0001)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fixed-window", action="store_true",
                   help="use every item within --window (gensim's shrink_windows=False)")
    p.add_argument("--shuffle", action="store_true",
                   help="shuffle each list once (seeded): gensim's stand-in for anime2vec's "
                        "whole-list window, which draws contexts from anywhere in the list")
    a = p.parse_args()

    with open(a.sequences) as f:
        sentences = [line.split() for line in f if line.strip()]
    if a.shuffle:
        rng = random.Random(a.seed)
        for s in sentences:
            rng.shuffle(s)
    tokens = sum(len(s) for s in sentences)
    model = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negatives, hs=0, sg=1,
                     ns_exponent=a.ns_exponent, sample=a.subsample, alpha=a.lr,
                     min_alpha=a.min_lr, min_count=1, workers=a.threads, seed=a.seed,
                     shrink_windows=not a.fixed_window)
    model.build_vocab(sentences)
    start = time.perf_counter()
    model.train(sentences, total_examples=len(sentences), epochs=a.epochs)
    seconds = time.perf_counter() - start
    if a.out:
        model.wv.save_word2vec_format(a.out, binary=False)
    if a.out_context:
        # syn1neg rows follow the vocabulary's order, as wv's rows do.
        with open(a.out_context, "w") as f:
            f.write(f"{len(model.wv.index_to_key)} {a.dim}\n")
            for key, row in zip(model.wv.index_to_key, model.syn1neg):
                f.write(key + " " + " ".join(f"{x:.6g}" for x in row) + "\n")
    json.dump({"tool": "gensim", "version": __import__("gensim").__version__,
               "sequences": len(sentences), "tokens": tokens, "epochs": a.epochs,
               "seconds": round(seconds, 4),
               "tokens_per_second": round(tokens * a.epochs / seconds)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
