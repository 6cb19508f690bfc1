#!/usr/bin/env bash
# t-SNE of every anime item: anime2vec against scikit-learn's Barnes-Hut TSNE on the same
# vectors with the same settings (perplexity 30, 1000 iterations, theta 0.5, cosine, PCA init,
# automatic learning rate), 1 and 2 threads, median of 3 runs; trustworthiness@10 of both maps.
# Usage: bench/tsne_bench.sh [ratings.csv] [extra tsne_bench.py flags...]
#   (default ../shared/data/anime/ratings.csv; ANIME2VEC=path/to/anime2vec, default
#   build/cli/anime2vec; VECTORS=file reuses trained vectors instead of training them)
set -euo pipefail
cd "$(dirname "$0")/.."
ratings=${1:-../shared/data/anime/ratings.csv}
shift || true
bin=${ANIME2VEC:-build/cli/anime2vec}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

vectors=${VECTORS:-}
if [[ -z "$vectors" ]]; then
  vectors="$work/anime.vec"
  "$bin" train --ratings "$ratings" --window-mode sequence --out "$vectors" -q
fi
/usr/bin/python3 bench/tsne_bench.py --vectors "$vectors" --anime2vec "$bin" "$@"
