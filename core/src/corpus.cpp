#include "anime2vec/corpus.hpp"
