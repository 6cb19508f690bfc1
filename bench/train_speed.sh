#!/usr/bin/env bash
# Training speed of anime2vec and gensim on the same sequences with the same settings
# (skip-gram, negative sampling, dim 64, window 5 shrink, 5 negatives, subsample 1e-3,
# 5 epochs), 1 and 2 threads, median of 3 runs. Also anime2vec's whole-list window.
# Usage: bench/train_speed.sh [ratings.csv]   (default ../shared/data/anime/ratings.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
ratings=${1:-../shared/data/anime/ratings.csv}
bin=${ANIME2VEC:-build/cli/anime2vec}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

common=(--dim 64 --window 5 --negatives 5 --subsample 0.001 --epochs 5)
"$bin" train --ratings "$ratings" --window-mode shrink --export-sequences "$work/seq.txt" \
  --out "$work/warm.vec" -q
tokens=$(wc -w <"$work/seq.txt")

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

a2v() {  # threads, extra flags...
  local threads=$1; shift
  for run in 1 2 3; do
    "$bin" train --ratings "$ratings" "${common[@]}" --threads "$threads" "$@" \
      --out "$work/a.vec" 2>&1 | sed -n 's/.* epochs, \([0-9.]*\) s, .*/\1/p'
  done | median
}

gensim() {  # threads
  for run in 1 2 3; do
    /usr/bin/python3 bench/gensim_train.py "$work/seq.txt" "${common[@]}" --threads "$1" |
      sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p'
  done | median
}

row() {  # label, seconds
  awk -v l="$1" -v s="$2" -v t="$tokens" 'BEGIN { printf "| %s | %.2f | %.0f |\n", l, s, t * 5 / s }'
}

echo "ratings: $ratings ($tokens tokens after de-duplication; 5 epochs)"
echo
echo "| trainer | seconds | tokens/s |"
echo "| --- | ---: | ---: |"
row "anime2vec, 1 thread" "$(a2v 1 --window-mode shrink)"
row "anime2vec, 2 threads" "$(a2v 2 --window-mode shrink)"
row "gensim $(/usr/bin/python3 -c 'import gensim; print(gensim.__version__)'), 1 worker" "$(gensim 1)"
row "gensim, 2 workers" "$(gensim 2)"
row "anime2vec, whole-list window (sequence), 1 thread" "$(a2v 1 --window-mode sequence)"
row "anime2vec, whole-list window (sequence), 2 threads" "$(a2v 2 --window-mode sequence)"
