#!/usr/bin/env bash
# End-to-end test of the anime2vec command on a generated example: every subcommand as a user
# runs it, the error paths, determinism of the model file and gensim's reading of it.
set -euo pipefail

bin=${ANIME2VEC:?set ANIME2VEC to the anime2vec binary}
work=${1:?usage: test_cli.sh WORK_DIR}
rm -rf "$work" && mkdir -p "$work" && cd "$work"

checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { checks=$((checks + 1)); echo "ok - $*"; }

# Runs a command that must fail; its stderr must contain the given text.
expect_error() {
  local text=$1; shift
  if "$@" >out.txt 2>err.txt; then fail "expected failure: $*"; fi
  grep -qF -- "$text" err.txt || fail "stderr of '$*' lacks '$text': $(cat err.txt)"
  pass "error names '$text'"
}

for sub in sample train similar recommend presets evaluate tune project; do
  "$bin" "$sub" --help >help.txt || fail "$sub --help exited non-zero"
  grep -q -- "--" help.txt || fail "$sub --help printed no options"
done
pass "every subcommand has --help"

"$bin" sample --users 600 --seed 3 --out ex 2>sample.log
head -1 ex/ratings.csv | grep -qx 'user_id,anime_id,rating' || fail "ratings header"
head -1 ex/anime.csv | tr -d '\r' | grep -qx 'anime_id,name,genre,type,episodes,rating,members' \
  || fail "anime header"
[ "$(wc -l <ex/ratings.csv)" -gt 1000 ] || fail "too few ratings rows"
pass "sample writes both files in the Kaggle format"

train=(train --ratings ex/ratings.csv --items ex/anime.csv --epochs 3 --threads 1)
"$bin" "${train[@]}" --seed 5 --out a.vec 2>train.log
grep -q '^trained: .* users, .* items, .* tokens, 3 epochs, .* tokens/s, final loss' train.log \
  || fail "no summary line: $(cat train.log)"
read -r count dim <a.vec
[ "$dim" = 64 ] || fail "dimension $dim"
[ "$(($(wc -l <a.vec) - 1))" = "$count" ] || fail "row count differs from the header"
pass "train writes a word2vec text model ($count items) and a summary"

"$bin" "${train[@]}" --seed 5 --out b.vec 2>/dev/null
cmp -s a.vec b.vec || fail "same seed, one thread: the model files differ"
"$bin" "${train[@]}" --seed 6 --out c.vec 2>/dev/null
cmp -s a.vec c.vec && fail "different seeds gave the same model"
pass "same seed gives the same file; another seed another"

# A title from the catalogue that the model knows: the most common item of the first user.
id=$(sed -n 2p a.vec | cut -d' ' -f1)
title=$(awk -F, -v id="$id" 'NR > 1 && $1 == id { print $2; exit }' ex/anime.csv)
[ -n "$title" ] || fail "no plain title for id $id"
"$bin" similar --model a.vec --items ex/anime.csv -k 7 "$title" >sim.txt 2>sim.log
[ "$(wc -l <sim.txt)" = 7 ] || fail "similar printed $(wc -l <sim.txt) lines"
awk -F'\t' 'NF != 4 || $1 != NR || $4 > 1.0001 || $4 < -1.0001 { exit 1 }' sim.txt \
  || fail "similar rows are not rank, id, title, score: $(head -3 sim.txt)"
grep -qP "^\d+\t$id\t" sim.txt && fail "the query item lists itself"
"$bin" similar --model a.vec -k 7 "$id" >sim_id.txt 2>/dev/null
cut -f1,2,4 sim.txt >x.txt; cut -f1,2,4 sim_id.txt >y.txt
cmp -s x.txt y.txt || fail "query by id and by title differ"
pass "similar by title and by id list the same 7 neighbours"

second=$(sed -n 3p a.vec | cut -d' ' -f1)
"$bin" recommend --model a.vec --items ex/anime.csv -k 5 "$id" "$second" >rec.txt 2>/dev/null
[ "$(wc -l <rec.txt)" = 5 ] || fail "recommend printed $(wc -l <rec.txt) lines"
grep -qP "^\d+\t($id|$second)\t" rec.txt && fail "recommend lists a watched item"
pass "recommend lists 5 unwatched items"

"$bin" recommend --model a.vec --items ex/anime.csv -k 5 "$id=10" "$second=1" >rec_scored.txt \
  2>/dev/null
[ "$(wc -l <rec_scored.txt)" = 5 ] || fail "recommend with scores printed $(wc -l <rec_scored.txt)"
cmp -s rec.txt rec_scored.txt && fail "a score of 1 did not change the recommendations"
"$bin" recommend --model a.vec -k 5 "$id" "$second" >rec_plain.txt 2>/dev/null
"$bin" recommend --model a.vec -k 5 "$id=10" "$second=10" >rec_ten.txt 2>/dev/null
cut -f1,2 rec_plain.txt >rec_plain_ids.txt
cut -f1,2 rec_ten.txt >rec_ten_ids.txt
cmp -s rec_plain_ids.txt rec_ten_ids.txt || fail "scores of 10 differ from no scores"
expect_error "from 1 to 10, got 11" "$bin" recommend --model a.vec "$id=11"
pass "recommend takes id=score queries; a score of 1 pulls away, 11 is refused"

printf 'user_id,anime_id,rating\n1,10,8\n1,11,abc\n' >bad.csv
expect_error "bad.csv line 3, column rating: expected a number, got 'abc'" \
  "$bin" train --ratings bad.csv --out bad.vec
[ -e bad.vec ] && fail "a failed run left a model file"
expect_error "missing.csv" "$bin" train --ratings missing.csv
expect_error "no item matches" "$bin" similar --model a.vec --items ex/anime.csv "zzqqxx"
expect_error "dimension" "$bin" train --ratings ex/ratings.csv --dim 0
printf '2 3\nx 1 2\n' >short.vec
expect_error "short.vec line 2" "$bin" similar --model short.vec x

# Presets: the word2vec preset writes its 100-dimensional vectors; a flag overrides a preset's
# field and leaves the rest; the listing names every preset.
"$bin" presets >presets.txt
grep -qP '^recommendation\t--dim .*--forward true .* --scoring io --recency 0\.\d+\t' \
  presets.txt || fail "presets lacks recommendation: $(cat presets.txt)"
grep -qP '^similarity\t--dim 64 .*--window-mode auto .* --scoring cosine --recency 0\t' \
  presets.txt || fail "presets lacks similarity: $(cat presets.txt)"
grep -qP '^word2vec\t--dim 100 --window 5 --window-mode shrink ' presets.txt \
  || fail "presets lacks the word2vec settings: $(cat presets.txt)"
"$bin" train --ratings ex/ratings.csv --preset word2vec --epochs 1 --out w.vec 2>/dev/null
read -r _ dim <w.vec
[ "$dim" = 100 ] || fail "word2vec preset: dimension $dim"
"$bin" train --ratings ex/ratings.csv --preset word2vec --dim 12 --epochs 1 --out w12.vec \
  2>/dev/null
read -r _ dim <w12.vec
[ "$dim" = 12 ] || fail "--dim 12 over the word2vec preset gave dimension $dim"
expect_error "preset" "$bin" train --ratings ex/ratings.csv --preset nosuch
pass "presets list, apply and yield to explicit flags"

# project: every model item once, with its title, and finite coordinates; the same seed gives
# the same map; a perplexity too large for the item count is an error naming it.
"$bin" project --model a.vec --items ex/anime.csv --method tsne --iterations 300 --out map.csv \
  2>project.log
"$bin" project --model a.vec --items ex/anime.csv --method tsne --iterations 300 -q \
  >map2.csv 2>/dev/null
cmp -s map.csv map2.csv || fail "project: same settings gave different maps"
"$bin" project --model a.vec --method pca --out pca.csv 2>/dev/null
/usr/bin/python3 - map.csv pca.csv a.vec ex/anime.csv <<'PY' || fail "project output"
import csv, math, sys
tsne, pca = (list(csv.DictReader(open(f, newline=""))) for f in sys.argv[1:3])
ids = [line.split()[0] for line in open(sys.argv[3]).readlines()[1:]]
titles = {r["anime_id"]: r["name"] for r in csv.DictReader(open(sys.argv[4], newline=""))}
for rows in (tsne, pca):
    assert list(rows[0].keys()) == ["id", "title", "x", "y"], rows[0].keys()
    assert sorted(r["id"] for r in rows) == sorted(ids), "ids differ from the model's"
    assert all(math.isfinite(float(r["x"])) and math.isfinite(float(r["y"])) for r in rows)
# Titles are the catalogue's, decoded (the file writes &amp; and &#039;).
assert all(r["title"] == titles[r["id"]].replace("&amp;", "&").replace("&#039;", "'")
           .replace("&quot;", '"') for r in tsne if r["id"] in titles)
PY
grep -q "items" project.log || fail "project printed no summary: $(cat project.log)"
expect_error "perplexity must be below" "$bin" project --model a.vec --perplexity 100000
pass "project writes a t-SNE and a PCA map of every item, the same for the same settings"

# recommend --context: input·output ranking with the output vectors train wrote beside the
# model; a context file of another dimension is an error naming it.
"$bin" train --ratings ex/ratings.csv --preset recommendation --epochs 3 --out r.vec \
  --out-context r.ctx 2>/dev/null
[ "$(head -1 r.vec)" = "$(head -1 r.ctx)" ] || fail "context header differs from the model's"
r1=$(sed -n 2p r.vec | cut -d' ' -f1); r2=$(sed -n 3p r.vec | cut -d' ' -f1)
"$bin" recommend --model r.vec --context r.ctx -k 6 "$r1" "$r2" >rio.txt 2>rio.log
"$bin" recommend --model r.vec -k 6 "$r1" "$r2" >rcos.txt 2>/dev/null
[ "$(wc -l <rio.txt)" = 6 ] || fail "recommend --context printed $(wc -l <rio.txt) lines"
grep -qP "^\d+\t($r1|$r2)\t" rio.txt && fail "recommend --context lists a watched item"
grep -q "input·output" rio.log || fail "recommend --context does not say how it ranks"
cmp -s rio.txt rcos.txt && fail "input·output and cosine rankings are identical"
expect_error "r.vec: dimension 64 differs" "$bin" recommend --model w12.vec --context r.vec "$r1"
pass "recommend --context ranks by input·output vectors from train --out-context"

# evaluate --json: one object with the three models and their metrics in range; the
# baselines do not depend on the seeds, the skip-gram mean and sd come from the seeds given.
"$bin" evaluate --ratings ex/ratings.csv --seeds 1,2 --epochs 2 --json >eval.json 2>/dev/null
"$bin" evaluate --ratings ex/ratings.csv --seeds 3 --json >eval3.json 2>/dev/null
/usr/bin/python3 - eval.json eval3.json <<'PY' || fail "evaluate --json: $(cat eval.json)"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a["users"] > 100 and a["items"] > 100, a
for name in ("popularity", "item-knn", "skipgram"):
    m = a["models"][name]
    for key in ("hr@10", "ndcg@10", "mrr", "coverage@10"):
        assert 0 <= m[key] <= 1, (name, key, m[key])
    assert m["ndcg@10"] <= m["hr@10"], m
for name in ("popularity", "item-knn"):
    assert a["models"][name] == b["models"][name], name
s = a["models"]["skipgram"]
assert s["hr@10_sd"] >= 0 and s["ndcg@10_sd"] >= 0 and s["train_seconds"] > 0, s
assert b["models"]["skipgram"]["hr@10_sd"] == 0, b
# On the planted franchises the recommendation preset beats picking the most popular items.
assert b["models"]["skipgram"]["hr@10"] > 1.5 * b["models"]["popularity"]["hr@10"], b
PY
pass "evaluate --json reports popularity, item-kNN and skip-gram under the protocol"

# evaluate states its query: the preset's recency unless --recency is given, item-kNN scored
# with it beside EVAL.md's last-item query, and whether the lists follow timestamps (the same
# rows with a timestamp column that reverses each user's list).
/usr/bin/python3 - ex/ratings.csv timed.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
with open(sys.argv[2], "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(rows[0] + ["timestamp"])
    for n, row in enumerate(rows[1:]):
        w.writerow(row + [10**9 - n])
PY
"$bin" evaluate --ratings ex/ratings.csv --seeds 1 --epochs 2 --json >untimed.json 2>/dev/null
"$bin" evaluate --ratings timed.csv --seeds 1 --epochs 2 --json >timed.json 2>/dev/null
"$bin" evaluate --ratings timed.csv --seeds 1 --epochs 2 --recency 0 --json >last.json 2>/dev/null
"$bin" evaluate --ratings timed.csv --seeds 1 --epochs 2 --query profile --json >profile.json \
  2>/dev/null
/usr/bin/python3 - untimed.json timed.json last.json presets.txt <<'PY' || fail "evaluate recency"
import json, re, sys
untimed, timed, last = (json.load(open(f)) for f in sys.argv[1:4])
listed = next(l for l in open(sys.argv[4]) if l.startswith("recommendation\t"))
recency = float(re.search(r"--recency ([0-9.]+)", listed).group(1))
assert untimed["ordered"] is False and timed["ordered"] is True, (untimed, timed)
assert timed["recency"] == recency == untimed["recency"] and timed["scoring"] == "io", timed
for run in (untimed, timed):
    assert "item-knn-recency" in run["models"], run
    assert run["models"]["item-knn-recency"] != run["models"]["item-knn"], run
# The reversed lists hold other last items, so the figures differ.
assert untimed["models"]["item-knn"] != timed["models"]["item-knn"]
assert last["recency"] == 0 and "item-knn-recency" not in last["models"], last
assert last["models"]["item-knn"] == timed["models"]["item-knn"]
assert last["models"]["skipgram"]["mrr"] != timed["models"]["skipgram"]["mrr"]
# The profile query weighs the whole history alike: no recency.
profile = json.load(open("profile.json"))
assert profile["query"] == "profile" and profile["recency"] == 0, profile
assert "item-knn-recency" not in profile["models"], profile
PY
expect_error "recency must be at least 0 and below 1, got 1" \
  "$bin" evaluate --ratings ex/ratings.csv --recency 1
expect_error "recency must be at least 0 and below 1, got -0.5" \
  "$bin" evaluate --ratings ex/ratings.csv --recency -0.5
expect_error "recency must be at least 0 and below 1, got 2" \
  "$bin" tune --ratings ex/ratings.csv --recencies 0,2
pass "evaluate states and applies the query's recency, to item-kNN too"

# evaluate --vectors --context scores another tool's vectors by input·output, as the preset does.
"$bin" evaluate --ratings ex/ratings.csv --vectors r.vec --json >vcos.json 2>/dev/null
"$bin" evaluate --ratings ex/ratings.csv --vectors r.vec --context r.ctx --json >vio.json \
  2>/dev/null
/usr/bin/python3 - vcos.json vio.json <<'PY' || fail "evaluate --vectors --context"
import json, sys
cos, io = (json.load(open(f)) for f in sys.argv[1:3])
assert cos["scoring"] == "cosine" and io["scoring"] == "io", (cos, io)
assert cos["models"]["vectors"] != io["models"]["vectors"], (cos, io)
assert 0 < io["models"]["vectors"]["mrr"] <= 1, io
PY
expect_error "r.vec: dimension 64 differs from w12.vec's 12" \
  "$bin" evaluate --ratings ex/ratings.csv --vectors w12.vec --context r.vec
expect_error "--context requires --vectors" \
  "$bin" evaluate --ratings ex/ratings.csv --context r.ctx
pass "evaluate --vectors --context ranks given vectors by input·output"

printf 'user_id,anime_id,rating\n1,10,8\n1,11,abc\n1,12,7\n2,10,5\n2,12,6\n' >skip.csv
"$bin" train --ratings skip.csv --skip-bad-rows --epochs 1 --out skip.vec 2>skip.log
grep -q 'skipped 1 malformed rows' skip.log || fail "skip-bad-rows did not report: $(cat skip.log)"
pass "--skip-bad-rows trains and reports the skipped row"

if /usr/bin/python3 -c 'import gensim' 2>/dev/null; then
  /usr/bin/python3 - a.vec "$count" <<'PY'
import sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=False)
assert len(kv.index_to_key) == int(sys.argv[2]), len(kv.index_to_key)
assert kv.vector_size == 64
PY
  pass "gensim's KeyedVectors.load_word2vec_format reads the model"
else
  echo "skip - gensim is not installed for /usr/bin/python3 (apt-get install python3-gensim)"
fi

echo "$checks passed, 0 failed"
