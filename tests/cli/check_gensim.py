"""Loads a word2vec text model with gensim and prints what it read.

Usage: /usr/bin/python3 check_gensim.py MODEL.txt [ID]
Prints "vectors N dimension D", then ID (default: the first) and its values with repr(),
so a caller can compare them with the model file. Exits 77 (skipped) when gensim is absent.
"""
import sys

try:
    from gensim.models import KeyedVectors
except ImportError:
    print("gensim is not installed", file=sys.stderr)
    sys.exit(77)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    vectors = KeyedVectors.load_word2vec_format(sys.argv[1], binary=False)
    print("vectors", len(vectors.index_to_key), "dimension", vectors.vector_size)
    key = sys.argv[2] if len(sys.argv) == 3 else vectors.index_to_key[0]
    print(key, " ".join(repr(float(v)) for v in vectors[key]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
